// Why: the public types of `@batch-manager/cli/testing` (emitted as the package's testing.d.ts), apart from the implementation.
import type { JobSummary } from "../../../runtime";

export interface RunWorkloadLocallyOptions {
  /** the workload folder (its package.json and src/main.ts); usually process.cwd() in a workload's tests */
  readonly workloadDir: string;
  /** blobs uploaded to the local Azurite before the job runs: "<container>/<blob path>" → content */
  readonly inputs?: Readonly<Record<string, string | Uint8Array>>;
  /** the job's arguments (`run --args`) */
  readonly args?: Record<string, unknown>;
  /** how long the whole run may take before it fails (default 240 000 ms) */
  readonly timeoutMs?: number;
  /** the local service's data folder (default: $BATCH_MANAGER_LOCAL_DATA, else ~/.batch-manager/local) */
  readonly dataDir?: string;
  /** progress lines (deploy, run); default: none */
  readonly onProgress?: (message: string) => void;
}

export interface WorkloadRun {
  readonly jobId: string;
  /** the job's final state as `run --wait` saw it */
  readonly state: string;
  /** what the FinalizeTask posted to the callback URL */
  readonly summary: JobSummary;
  /** every blob the tasks' output files uploaded: "<container>/<blob path>" → content (utf-8) */
  readonly outputs: Readonly<Record<string, string>>;
  /** the application package deployed to the local service */
  readonly deployment: { readonly applicationId: string; readonly version: string; readonly poolId: string };
}

export type { JobSummary };
