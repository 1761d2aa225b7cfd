// Why: reloads the explorer's active branches (running tasks, active jobs) every N seconds while the view is visible; vscode-free.

import { setMaxListeners } from "node:events";
import type { TreeNode } from "./treeNode";

export const DEFAULT_REFRESH_INTERVAL_S = 5;

/** What auto-refresh drives: ExplorerModel.refreshActive (reload first, then redraw only what changed). */
export interface ActiveBranchReloader {
  /** Resolves with the branches reloaded (none: nothing to do, or aborted). */
  refreshActive(signal?: AbortSignal): Promise<TreeNode[]>;
}

export interface AutoRefreshOptions {
  /** seconds between reloads (a setting, read before every wait); 0 or less = off */
  readonly intervalSeconds: () => number;
  /** called after each tick that reloaded something (the status bar recounts) */
  readonly onRefreshed?: () => void;
}

/**
 * One reload at a time: the next wait starts when a reload has finished, so a slow service never gets overlapping reloads.
 * Hiding the view or dispose() aborts the reload in flight (its signal reaches the list calls); an aborted reload redraws nothing.
 */
export class AutoRefresher {
  private timer: NodeJS.Timeout | undefined;
  private visible = false;
  private disposed = false;
  /** the reload in flight and the controller that aborts it */
  private inFlight: { readonly done: Promise<void>; readonly abort: AbortController } | undefined;
  /** how many ticks reloaded at least one branch (tests read it) */
  ticks = 0;

  constructor(
    private readonly model: ActiveBranchReloader,
    private readonly options: AutoRefreshOptions,
  ) {}

  /** The view's visibility (TreeView.onDidChangeVisibility): hidden pauses (aborting a reload in flight), visible resumes. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) this.inFlight?.abort.abort();
    this.reschedule();
  }

  /** Re-reads the interval (a setting changed). While a reload runs, the wait is set when it ends. */
  reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const seconds = this.options.intervalSeconds();
    if (this.disposed || !this.visible || !(seconds > 0) || this.inFlight) return;
    this.timer = setTimeout(() => void this.tick(), seconds * 1000);
  }

  /** True while a wait or a reload is under way. */
  get running(): boolean {
    return this.timer !== undefined || this.inFlight !== undefined;
  }

  /** Reloads now (or joins the reload in flight: never two at once; disposed: nothing), then waits for the next one. Never rejects. */
  tick(): Promise<void> {
    if (this.inFlight) return this.inFlight.done;
    if (this.disposed) return Promise.resolve();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const abort = new AbortController();
    // one reload sends many requests on this short-lived signal, and the SDK listens to it until a response body is read
    setMaxListeners(0, abort.signal);
    const done = this.reload(abort.signal).finally(() => {
      this.inFlight = undefined;
      this.reschedule();
    });
    this.inFlight = { done, abort };
    return done;
  }

  dispose(): void {
    this.disposed = true;
    this.inFlight?.abort.abort();
    this.reschedule();
  }

  private async reload(signal: AbortSignal): Promise<void> {
    try {
      const reloaded = await this.model.refreshActive(signal);
      if (signal.aborted || reloaded.length === 0) return;
      this.ticks++;
      this.options.onRefreshed?.();
    } catch {
      // refreshActive logs what failed and never rejects but on abort; the next tick tries again
    }
  }
}
