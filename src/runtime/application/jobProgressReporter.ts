// Why: while a job runs, POSTs its job-level progress (signed like the callback) to BATCH_PROGRESS_URL — at most every BATCH_PROGRESS_INTERVAL_SECONDS, only when the figure changed, plus one final report; never fails the role that sends it.
import type { BatchServiceClient } from "@azure/batch";
import { readJobProgress } from "../batch/jobProgressReader";
import { deliverCallback } from "../finalize/callbackDelivery";
import type { Logger } from "../logging/logger";
import type { JobProgress } from "../progress/jobProgress";
import { redactUrl } from "../settings/callbackUrl";

/** The JSON body of one progress POST. */
export interface JobProgressReport extends JobProgress {
  jobId: string;
  workloadName?: string;
  /** 1, 2, 3, … in the order the reports were made: a receiver ignores one lower than the last it has */
  sequence: number;
  /** true on the last report of the job (sent when the FinalizeTask starts: every workload task has completed) */
  final: boolean;
  reportedAt: string;
}

export interface JobProgressReporterOptions {
  client: BatchServiceClient;
  jobId: string;
  url: string;
  /** BATCH_CALLBACK_SECRET: each POST is signed like the callback */
  secret?: string;
  intervalSeconds: number;
  logger: Logger;
  workloadName?: string;
  jobCreatedAt?: Date;
}

/** The most running tasks a report lists (the figure counts them all). */
const MAX_RUNNING_LISTED = 20;

export class JobProgressReporter {
  private sequence = 0;
  private lastFigure = "";
  private lastProblem = "";
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: JobProgressReporterOptions) {}

  /** Starts reporting in the background: one report now, then at most one per interval. */
  start(): void {
    this.options.logger.info(`Reporting job progress to ${redactUrl(this.options.url)} at most every ${this.options.intervalSeconds} s`);
    this.loop = this.run();
  }

  /** Stops the periodic reports and sends the final one. */
  async finish(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.report(true);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.report(false);
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.intervalSeconds * 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async report(final: boolean): Promise<void> {
    const { client, jobId, url, secret, logger } = this.options;
    let progress: JobProgress;
    try {
      progress = await readJobProgress(client, jobId, this.options.jobCreatedAt);
    } catch (error) {
      logger.warning(`Could not read the job's progress (${(error as Error).message}); trying again in ${this.options.intervalSeconds} s`);
      return;
    }
    const figure = JSON.stringify([progress.percent, progress.counts, progress.jobManagerRunning]);
    if (!final && figure === this.lastFigure) return;
    const body: JobProgressReport = {
      jobId,
      ...(this.options.workloadName ? { workloadName: this.options.workloadName } : {}),
      sequence: ++this.sequence,
      final,
      reportedAt: new Date().toISOString(),
      ...progress,
      running: progress.running.slice(0, MAX_RUNNING_LISTED),
    };
    try {
      // best effort: one quick retry of a transient failure; the next report supersedes a lost one anyway
      await deliverCallback(url, body, {
        attempts: 2,
        initialDelayMs: 1000,
        timeoutMs: 10_000,
        secret,
        what: "a progress report",
        setting: "BATCH_PROGRESS_URL",
      });
      this.lastFigure = figure;
      logger.debug(`Reported progress ${progress.percent}%${final ? " (final)" : ""}`, { sequence: body.sequence });
    } catch (error) {
      const problem = (error as Error).message;
      // say each distinct problem once, not once per interval
      if (problem !== this.lastProblem) logger.warning(`${problem}; the job is not affected, later reports are still attempted`);
      this.lastProblem = problem;
    }
  }
}
