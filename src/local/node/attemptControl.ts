// Why: why an attempt is being stopped (kill, wall clock, node removal) and the signals that tell each phase to give up.
import { endedByUser, nodeRemoved, wallClockExceeded } from "./failures";
import type { AttemptResult, TaskFailureInfo } from "./nodeAgent";

/** "killed": the caller's signal; "timeout": maxWallClockTime; "requeue"/"terminate": the node left the pool. */
export type StopReason = "killed" | "timeout" | "requeue" | "terminate";

export class AttemptControl {
  /** the first reason given wins */
  reason?: StopReason;
  private readonly kill = new AbortController();
  private readonly any = new AbortController();
  /** aborted by a kill or a node removal (uploads stop only for these) */
  readonly killSignal = this.kill.signal;
  /** aborted by anything, the wall clock included (downloads and the process stop for all); not AbortSignal.any, which costs more per attempt */
  readonly anySignal = this.any.signal;

  stop(reason: StopReason): void {
    this.reason ??= reason;
    if (reason !== "timeout") this.kill.abort(reason);
    this.any.abort(this.reason);
  }

  /** failureKind, failureInfo and nodeRemoval for an attempt ended by `reason`. */
  outcome(wallClockLimit: string | undefined): Pick<AttemptResult, "failureKind" | "failureInfo" | "nodeRemoval"> {
    switch (this.reason) {
      case "timeout":
        return { failureKind: "timeout", failureInfo: wallClockExceeded(wallClockLimit ?? "") };
      case "requeue":
      case "terminate":
        return { failureKind: "killed", failureInfo: nodeRemoved(this.reason), nodeRemoval: this.reason };
      case "killed":
        return { failureKind: "killed", failureInfo: endedByUser() };
      default:
        return {};
    }
  }
}

/** A failure the attempt reports without having run (or finished) its command. */
export function preProcessing(failureInfo: TaskFailureInfo): Pick<AttemptResult, "failureKind" | "failureInfo"> {
  return { failureKind: "preProcessing", failureInfo };
}

/** setTimeout for durations beyond its 24.8-day limit; returns a cancel function. */
export function setLongTimeout(callback: () => void, ms: number): () => void {
  const MAX = 2_147_483_647;
  let timer: NodeJS.Timeout;
  const arm = (remaining: number) => {
    timer = setTimeout(() => (remaining > MAX ? arm(remaining - MAX) : callback()), Math.min(remaining, MAX));
    timer.unref();
  };
  arm(ms);
  return () => clearTimeout(timer);
}
