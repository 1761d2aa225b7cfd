// Why: reloads the explorer's active branches (running tasks, active jobs) every N seconds while the view is visible; vscode-free.

import type { ExplorerModel } from "./explorerModel";

export const DEFAULT_REFRESH_INTERVAL_S = 5;

export interface AutoRefreshOptions {
  /** seconds between reloads (a setting, read before every wait); 0 or less = off */
  readonly intervalSeconds: () => number;
  /** called after each tick that reloaded something (the status bar recounts) */
  readonly onRefreshed?: () => void;
}

export class AutoRefresher {
  private timer: NodeJS.Timeout | undefined;
  private visible = false;
  private disposed = false;
  /** how many ticks reloaded at least one branch (tests read it) */
  ticks = 0;

  constructor(
    private readonly model: ExplorerModel,
    private readonly options: AutoRefreshOptions,
  ) {}

  /** The view's visibility (TreeView.onDidChangeVisibility): hidden pauses, visible resumes. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.reschedule();
  }

  /** Re-reads the interval (a setting changed). */
  reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const seconds = this.options.intervalSeconds();
    if (this.disposed || !this.visible || !(seconds > 0)) return;
    this.timer = setTimeout(() => this.tick(), seconds * 1000);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  tick(): void {
    if (this.model.refreshActive().length > 0) {
      this.ticks++;
      this.options.onRefreshed?.();
    }
    this.reschedule();
  }

  dispose(): void {
    this.disposed = true;
    this.reschedule();
  }
}
