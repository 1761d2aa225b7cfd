// Why: refreshes a view while it is visible: one read at a time, the next one an interval after the last ended, stopped when hidden or closed.

export class VisiblePoller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private controller: AbortController | undefined;

  constructor(
    private readonly tick: (signal: AbortSignal) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  get active(): boolean {
    return this.running;
  }

  /** Starts (a read now, then one per interval); starting again while active does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  /** Stops: no more reads, and the one in flight is aborted. */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.controller = undefined;
  }

  private async loop(): Promise<void> {
    if (!this.running) return;
    const controller = new AbortController();
    this.controller = controller;
    try {
      await this.tick(controller.signal);
    } catch {
      // the tick reports its own errors; polling goes on
    }
    if (!this.running || this.controller !== controller) return;
    this.timer = setTimeout(() => void this.loop(), this.intervalMs);
  }
}
