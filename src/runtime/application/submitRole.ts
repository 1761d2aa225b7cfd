// Why: the submit role (developer machine or CI): creates the job with its job manager task and the settings its nodes need.
import * as fs from "node:fs";
import type { BatchServiceModels } from "@azure/batch";
import { redactUrl } from "../settings/callbackUrl";
import { summaryBlobPath } from "../finalize/finalizeTask";
import { runtimeContainerUploadUrl, runtimeOutputFiles } from "../submission/runtimeOutputs";
import { setLogContext } from "../logging/logger";
import { applicationPackageReferences, nodeCommandLine } from "../contract/nodeCommandLine";
import { parseJsonArgument, type RoleContext } from "./roleContext";
import { JOB_MANAGER_TASK_ID, RuntimeVariables } from "../contract/roles";

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
  const callbackUrl = settings.callbackUrl;
  const summaryBlob = storage.blobUrl(settings.storageAccountName!, settings.runtimeContainer, summaryBlobPath(jobId));
  if (!callbackUrl) {
    logger.warning(
      `No callback URL is set (BATCH_CALLBACK_URL, submit --callback-url, or the workload's callbackUrl): the FinalizeTask will only store the job summary at ${summaryBlob}`,
    );
  }
  await storage.containerClient(settings.storageAccountName!, settings.runtimeContainer).createIfNotExists();
  const runtime = { storage, settings };
  const jobManagerEnvironment: BatchServiceModels.EnvironmentSetting[] = [
    { name: RuntimeVariables.jobArgs, value: jobArguments(context) },
    { name: RuntimeVariables.workloadName, value: workload.workloadName },
    ...(callbackUrl ? [{ name: "BATCH_CALLBACK_URL", value: callbackUrl }] : []),
  ];
  await client.job.add({
    id: jobId,
    displayName: `${workload.workloadName} ${jobId}`,
    poolInfo: { poolId: settings.poolId },
    usesTaskDependencies: true,
    onAllTasksComplete: "terminatejob",
    commonEnvironmentSettings: settings.forNodes(),
    metadata: [{ name: "batchManager.workload", value: workload.workloadName }],
    jobManagerTask: {
      id: JOB_MANAGER_TASK_ID,
      displayName: "JobManager",
      commandLine: nodeCommandLine(settings, "job-manager"),
      environmentSettings: jobManagerEnvironment,
      applicationPackageReferences: applicationPackageReferences(settings),
      outputFiles: runtimeOutputFiles(await runtimeContainerUploadUrl(runtime), jobId, JOB_MANAGER_TASK_ID),
      killJobOnCompletion: false,
      runExclusive: false,
    },
  });
  logger.info(`Submitted job ${jobId} to pool ${settings.poolId}`, { callbackUrl: callbackUrl ? redactUrl(callbackUrl) : null });
  const result: SubmitResult = { jobId, poolId: settings.poolId!, callbackUrl: callbackUrl ? redactUrl(callbackUrl) : null, summaryBlob };
  context.print(JSON.stringify(result));
  return 0;
}
