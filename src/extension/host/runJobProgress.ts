// Why: "Batch: Run Job…"'s progress notification: the submit steps, then the job's task counts and the runtime's progress percentages as a filling bar, until the job completes or the user cancels.

import type { JobSnapshot } from "../../core/deploy";
import type { ProgressSink } from "../../core/wizard/wizard";
import type { Report } from "../common/editorUi";

/** The notification's message for a snapshot: "3/5 tasks done (1 running, 0 failed) · transform a.txt 40% …". */
export function describeSnapshot(snapshot: JobSnapshot): string {
  const { succeeded, failed, running } = snapshot.taskCounts;
  const counts = `${succeeded + failed}/${snapshot.total} tasks done (${running} running, ${failed} failed)`;
  if (snapshot.state === "completed") return `job ${snapshot.jobId} completed: ${counts}`;
  const tasks = snapshot.running.map((task) => `${task.task} ${task.percent}%${task.message ? ` ${task.message}` : ""}`);
  return [counts, ...tasks].join(" · ");
}

/** Feeds one notification: text lines until the job exists, then snapshots whose percentage fills the bar (it never goes back). */
export class RunJobNotification {
  private shown = 0;
  private submitted = false;

  constructor(private readonly report: Report) {}

  /** The sink for runWorkloadJob's text lines (shown before the job exists; afterwards the snapshots speak). */
  readonly lines: ProgressSink = {
    report: (message) => {
      if (!this.submitted) this.report(message);
    },
  };

  jobSubmitted(jobId: string): void {
    this.submitted = true;
    this.report(`job ${jobId} submitted; waiting for its tasks`);
  }

  snapshot(snapshot: JobSnapshot): void {
    const increment = Math.max(0, snapshot.percent - this.shown);
    this.shown += increment;
    this.report(`${describeSnapshot(snapshot)} — ${snapshot.percent}%`, increment || undefined);
  }
}
