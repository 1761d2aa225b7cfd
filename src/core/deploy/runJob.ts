// Why: `run`: submits a job with the job manager task of the deployed version (the workload's own `main.js submit`), then optionally follows it to the end.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import { UserCancelledError } from "../cancellation";
import { buildWorkload } from "../workload/buildWorkload";
import type { ProgressSink } from "../wizard/wizard";
import { packageState } from "./applicationPackages";
import { readDeploymentSettings, type DeploymentSettings } from "./deploySettings";
import { resolveTarget, type DeployTarget } from "./deployTarget";
import { jobOutcome, watchJob, type JobSnapshot, type TaskCounts } from "./jobWatch";
import { poolIdOf } from "./poolSetup";
import { pythonInterpreter } from "./pythonWorkload";
import { readWorkloadManifest, type WorkloadManifest } from "./workloadManifest";

export interface RunOptions {
  workloadDir: string;
  cliPath: string;
  dataDir?: string;
  wait: boolean;
  jobId?: string;
  /** the deployed version to run (default: package.json's version) */
  version?: string;
  args?: Record<string, unknown>;
  callbackUrl?: string;
  settingsFile?: string;
  credential?: TokenCredential;
  progress: ProgressSink;
  signal: AbortSignal;
  /** called once the job exists, before any waiting (the editor reveals it in the explorer) */
  onSubmitted?: (jobId: string) => void;
  /** with wait: each poll's task counts and the runtime's progress percentages (the editor's progress notification) */
  onJobProgress?: (snapshot: JobSnapshot) => void;
}

export interface RunResult {
  jobId: string;
  state: string;
  succeeded: boolean;
  taskCounts: TaskCounts;
}

const LOGGING_FILES = ["logging.yaml", "logging.yml", "logging.json"];
/** The BATCH_* variables of the caller that `submit` gets (the others would mix up targets): the callback secret and the progress reports. */
const PASSED_THROUGH = ["BATCH_CALLBACK_SECRET", "BATCH_PROGRESS_URL", "BATCH_PROGRESS_INTERVAL_SECONDS"];

/** The settings `main.js submit` reads (docs/runtime.md), for the target; the only key is the local service's own (its data folder's, or the well-known one). */
function submitEnvironment(
  target: DeployTarget,
  settings: DeploymentSettings | undefined,
  applicationId: string,
  version: string,
  mainDir: string,
  callbackUrl: string | undefined,
): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("BATCH_")));
  const logging = LOGGING_FILES.find((name) => fs.existsSync(path.join(mainDir, name)));
  const common = {
    BATCH_ACCOUNT_URL: target.batchUrl,
    BATCH_POOL_ID: poolIdOf(settings),
    BATCH_APPLICATION_ID: applicationId,
    BATCH_APPLICATION_VERSION: version,
    ...(logging ? { BATCH_LOGGING_CONFIG: logging } : {}),
    ...(callbackUrl ? { BATCH_CALLBACK_URL: callbackUrl } : {}),
    // settings of the job itself, not of the target: the caller's own (docs/runtime.md, Job progress and the callback)
    ...Object.fromEntries(PASSED_THROUGH.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
    ELECTRON_RUN_AS_NODE: "1",
  };
  if (target.local)
    return {
      ...inherited,
      ...common,
      BATCH_AUTH_MODE: "local",
      // the service's key is private to its data folder (<data>/key): the submit process gets it as the runtime's own setting
      BATCH_ACCOUNT_NAME: target.local.accountName,
      BATCH_ACCOUNT_KEY: target.local.accountKey,
      BATCH_STORAGE_BLOB_ENDPOINT: target.local.blobEndpoint,
      BATCH_STORAGE_ACCOUNT_NAME: target.local.storageAccountName,
    };
  return {
    ...inherited,
    ...common,
    BATCH_AUTH_MODE: "entraId",
    ...(settings?.identity ? { BATCH_MANAGED_IDENTITY_CLIENT_ID: settings.identity.clientId } : {}),
    ...(settings?.storage
      ? {
          BATCH_STORAGE_ACCOUNT_NAME: settings.storage.accountName,
          ...(settings.storage.blobEndpoint ? { BATCH_STORAGE_BLOB_ENDPOINT: settings.storage.blobEndpoint } : {}),
        }
      : {}),
  };
}

/** How this machine runs the workload's submit role: `node main.js` (TypeScript) or `python3 main.py` (Python). */
interface SubmitCommand {
  readonly executable: string;
  readonly entry: string;
  readonly prefix: readonly string[];
}

function submit(command: SubmitCommand, args: string[], env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<{ jobId: string }> {
  const entryName = path.basename(command.entry);
  return new Promise((resolve, reject) => {
    const child = spawn(command.executable, [...command.prefix, command.entry, "submit", ...args], {
      cwd: path.dirname(command.entry),
      env,
      stdio: ["ignore", "pipe", "pipe"],
      signal,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
    child.once("error", (error: NodeJS.ErrnoException) => {
      if (signal.aborted) return reject(new UserCancelledError("submit"));
      if (error.code === "ENOENT")
        return reject(
          new Error(`'${command.executable}' was not found to run ${entryName} submit: install it, or set BATCH_PYTHON to a python3 with the Azure SDKs`),
        );
      reject(error);
    });
    child.once("close", (code) => {
      if (signal.aborted) return reject(new UserCancelledError("submit"));
      const last = stdout.trim().split(/\r?\n/).pop() ?? "";
      try {
        if (code !== 0) throw new Error();
        const printed = JSON.parse(last) as { jobId?: string };
        if (typeof printed.jobId !== "string") throw new Error();
        resolve({ jobId: printed.jobId });
      } catch {
        reject(new Error(`the workload's '${entryName} submit' failed (exit code ${code}):\n${stderr.trim() || last || "no output"}`));
      }
    });
  });
}

async function submitCommand(workloadDir: string, language: WorkloadManifest["language"], signal: AbortSignal): Promise<SubmitCommand> {
  if (language === "python") return { executable: pythonInterpreter(), entry: path.join(workloadDir, "main.py"), prefix: [] };
  let mainJs = path.join(workloadDir, "dist", "main.js");
  if (!fs.existsSync(mainJs)) mainJs = (await buildWorkload({ workloadDir, signal })).mainFile;
  return { executable: process.execPath, entry: mainJs, prefix: ["--enable-source-maps"] };
}

export async function runWorkloadJob(options: RunOptions): Promise<RunResult> {
  const workloadDir = path.resolve(options.workloadDir);
  const manifest = readWorkloadManifest(workloadDir);
  const settings = readDeploymentSettings(workloadDir, options.settingsFile)?.settings;
  const target = await resolveTarget({ settings, cliPath: options.cliPath, dataDir: options.dataDir, credential: options.credential, signal: options.signal });
  const applicationId = settings?.applicationId ?? manifest.applicationId;
  const version = options.version ?? manifest.version;
  const state = await packageState(target, applicationId, version, options.signal);
  if (state !== "Active") {
    throw new Error(
      `${applicationId} version ${version} (${options.version === undefined ? path.basename(manifest.packageFile) : "given"}) is ${state ? `${state}, not active,` : "not deployed"} in ${target.description}: deploy it first ('batch-manager deploy')`,
    );
  }
  const command = await submitCommand(workloadDir, manifest.language, options.signal);
  const callbackUrl = options.callbackUrl ?? settings?.callbackUrl;
  // no arguments = an empty object, never null: job managers read their arguments as an object (docs/deploy.md)
  const args = [...(options.jobId ? ["--job-id", options.jobId] : []), "--args", JSON.stringify(options.args ?? {})];
  options.progress.report(`submitting ${applicationId} ${version} to pool ${poolIdOf(settings)} in ${target.description}`);
  const { jobId } = await submit(
    command,
    args,
    submitEnvironment(target, settings, applicationId, version, path.dirname(command.entry), callbackUrl),
    options.signal,
  );
  options.progress.report(`job ${jobId} submitted`);
  options.onSubmitted?.(jobId);
  const outcome = options.wait
    ? await watchJob(target.batch, jobId, options.progress, options.signal, options.onJobProgress)
    : await jobOutcome(target.batch, jobId);
  return { jobId, ...outcome };
}

export interface SettleRunOptions {
  workloadDir: string;
  cliPath: string;
  dataDir?: string;
  settingsFile?: string;
  credential?: TokenCredential;
  jobId: string;
  /** true: terminate the job (its tasks are stopped); false: leave it running */
  terminate: boolean;
}

/** After waiting for a job was cancelled: terminates it when asked, and says where it stands. */
export async function settleRun(options: SettleRunOptions): Promise<RunResult> {
  const workloadDir = path.resolve(options.workloadDir);
  const settings = readDeploymentSettings(workloadDir, options.settingsFile)?.settings;
  const target = await resolveTarget({ settings, cliPath: options.cliPath, dataDir: options.dataDir, credential: options.credential });
  if (options.terminate) {
    const state = (await target.batch.job.get(options.jobId)).state;
    if (state !== "completed" && state !== "terminating") await target.batch.job.terminate(options.jobId);
  }
  return { jobId: options.jobId, ...(await jobOutcome(target.batch, options.jobId)) };
}
