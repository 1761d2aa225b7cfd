// Why: the submit role (developer machine or CI): creates the job with its job manager task and the settings its nodes need.
import * as fs from "node:fs";
import { redactUrl } from "../settings/callbackUrl";
import { finalizeEnvironment, finalizeGuardTaskParameter, summaryBlobPath } from "../finalize/finalizeTask";
import { submitTasksOrThrow } from "../submission/taskSubmitter";
import { runtimeContainerUploadUrl, runtimeOutputFiles } from "../submission/runtimeOutputs";
import { setLogContext } from "../logging/logger";
import { applicationPackageReferences, nodeCommandLine } from "../contract/nodeCommandLine";
import { parseJsonArgument, type RoleContext } from "./roleContext";
import { JOB_MANAGER_TASK_ID, RuntimeVariables } from "../contract/roles";
import { checkSubmitPrerequisites } from "./submitPreflight";
import { trace } from "@opentelemetry/api";
import { forwardedOtelEnvironment } from "../tracing/tracingSettings";
import { withSpan } from "../tracing/tracing";

export interface SubmitResult {
  jobId: string;
  poolId: string;
  callbackUrl: string | null;
  summaryBlob: string;
}

/** `<workload>-<yyyymmddhhmmss>-<4 random hex>`, a valid Batch id. */
export function generateJobId(workloadName: string, now = new Date()): string {
  const name =
    workloadName
      .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .toLowerCase() || "workload";
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const random = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `${name.slice(0, 64 - stamp.length - random.length - 2)}-${stamp}-${random}`;
}

function jobArguments(context: RoleContext): string {
  const { options } = context;
  const text = typeof options["args-file"] === "string" ? fs.readFileSync(options["args-file"], "utf8") : (options.args as string | undefined);
  return JSON.stringify(parseJsonArgument(text, typeof options["args-file"] === "string" ? `--args-file ${options["args-file"]}` : "--args") ?? null);
}

export async function runSubmit(context: RoleContext): Promise<number> {
  const { settings, client, storage, workload, logger } = context;
  const jobId = (context.options["job-id"] as string | undefined) ?? generateJobId(workload.workloadName);
  setLogContext({ jobId });
  context.describeTask({ jobId });
  trace.getActiveSpan()?.setAttribute("batch.job.id", jobId);
  const callbackUrl = settings.callbackUrl;
  const summaryBlob = storage.blobUrl(settings.storageAccountName!, settings.runtimeContainer, summaryBlobPath(jobId));
  if (!callbackUrl) {
    logger.warning(
      `No callback URL is set (BATCH_CALLBACK_URL, submit --callback-url, or the workload's callbackUrl): the FinalizeTask will only store the job summary at ${summaryBlob}`,
    );
  }
  if (callbackUrl && !settings.callbackSecret) {
    logger.warning("No BATCH_CALLBACK_SECRET is set: the FinalizeTask's callback will not be signed, so its receiver cannot tell it from a forgery");
  }
  const jobArgs = jobArguments(context);
  await checkSubmitPrerequisites(client, settings);
  await withSpan("batch.storage.create_container", { "batch.storage.container": settings.runtimeContainer }, () =>
    storage.containerClient(settings.storageAccountName!, settings.runtimeContainer).createIfNotExists(),
  );
  const runtime = { storage, settings };
  const ownEnvironment = finalizeEnvironment(settings, workload.workloadName);
  // created with onAllTasksComplete "noaction": a job manager that ends at once must not complete the job before the guard is in it
  await client.job.add({
    id: jobId,
    displayName: `${workload.workloadName} ${jobId}`,
    poolInfo: { poolId: settings.poolId },
    usesTaskDependencies: true,
    onAllTasksComplete: "noaction",
    // with tracing on, every task exports where submit does (OTEL_EXPORTER_OTLP_HEADERS is never passed on)
    commonEnvironmentSettings: [...settings.forNodes(), ...forwardedOtelEnvironment(context.env)],
    metadata: [{ name: "batchManager.workload", value: workload.workloadName }],
    jobManagerTask: {
      id: JOB_MANAGER_TASK_ID,
      displayName: "JobManager",
      commandLine: nodeCommandLine(settings, "job-manager"),
      environmentSettings: [{ name: RuntimeVariables.jobArgs, value: jobArgs }, ...ownEnvironment],
      applicationPackageReferences: applicationPackageReferences(settings),
      outputFiles: runtimeOutputFiles(await runtimeContainerUploadUrl(runtime), jobId, JOB_MANAGER_TASK_ID),
      killJobOnCompletion: false,
      runExclusive: false,
    },
  });
  try {
    await submitTasksOrThrow(client, jobId, [await finalizeGuardTaskParameter(runtime, jobId, ownEnvironment)]);
    await client.job.patch(jobId, { onAllTasksComplete: "terminatejob" });
  } catch (error) {
    // without its guard the job could end without a callback: do not leave it running
    await client.job.terminate(jobId).catch((terminateError: unknown) => logger.error(`Could not terminate job ${jobId} either`, terminateError));
    throw error;
  }
  logger.info(`Submitted job ${jobId} to pool ${settings.poolId}`, { callbackUrl: callbackUrl ? redactUrl(callbackUrl) : null });
  const result: SubmitResult = { jobId, poolId: settings.poolId!, callbackUrl: callbackUrl ? redactUrl(callbackUrl) : null, summaryBlob };
  context.print(JSON.stringify(result));
  return 0;
}
