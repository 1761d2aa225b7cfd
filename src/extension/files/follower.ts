// Why: follow mode without vscode: poll a running task's file every second, append only the new bytes, stop when the task completes.

import { errorMessage } from "../common/errors";
import type { FileAccess } from "./batchFileClient";
import type { TailView } from "./tailView";

export type FollowEnd = { readonly reason: "completed" } | { readonly reason: "stopped" } | { readonly reason: "failed"; readonly message: string };

export interface FollowOptions {
  readonly intervalMs?: number;
  /** the view got new bytes */
  readonly onChange: () => void;
  readonly onEnd?: (end: FollowEnd) => void;
  /** consecutive failed polls before giving up */
  readonly maxFailures?: number;
}

export class Follower {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;
  private abort = new AbortController();

  constructor(
    private readonly access: FileAccess,
    readonly view: TailView,
    private readonly options: FollowOptions,
  ) {
    this.schedule();
  }

  get active(): boolean {
    return !this.stopped;
  }

  /** Ends following (an editor closed or the unfollow command); no more polls or events. */
  stop(): void {
    this.end({ reason: "stopped" });
  }

  private schedule(): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.options.intervalMs ?? 1000);
  }

  private async tick(): Promise<void> {
    try {
      // the state first: once completed, the update that follows has every byte the task wrote
      const state = await this.access.taskState(this.abort.signal);
      const changed = await this.view.update(this.abort.signal);
      this.failures = 0;
      if (this.stopped) return;
      if (changed) this.options.onChange();
      if (state === "completed") return this.end({ reason: "completed" });
    } catch (error) {
      if (this.stopped) return;
      if (++this.failures >= (this.options.maxFailures ?? 5)) return this.end({ reason: "failed", message: errorMessage(error) });
    }
    this.schedule();
  }

  private end(end: FollowEnd): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    this.options.onEnd?.(end);
  }
}
