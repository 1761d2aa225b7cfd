// Why: `runWorkloadLocally` — what a generated workload's tests call: start or join the local service, deploy the workload,
// upload inputs to Azurite, run the job with a loopback callback, and return the job summary and the output blobs.

import * as fs from "node:fs";
import * as path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AZURITE_ACCOUNT_KEY } from "../../../local/common/defaults";
import type { JobSummary } from "../../../runtime";
import { deployWorkload, runWorkloadJob } from "../../deploy";
import { acquireLocalService } from "../../localService/localServiceLease";
import type { LocalConnection } from "../../localService/localServiceController";
import { scriptedPromptUi } from "../../wizard/wizard";
import { CallbackSink } from "./callbackSink";
import type { RunWorkloadLocallyOptions, WorkloadRun } from "./testingApi";

const DEFAULT_TIMEOUT_MS = 240_000;

export async function runWorkloadLocally(options: RunWorkloadLocallyOptions & { readonly cliPath?: string }): Promise<WorkloadRun> {
  const workloadDir = path.resolve(options.workloadDir);
  if (!fs.existsSync(path.join(workloadDir, "package.json")))
    throw new Error(`runWorkloadLocally: workloadDir ${workloadDir} has no package.json: give the workload's folder`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const cliPath = options.cliPath ?? locateCli();
  const progress = { report: (message: string) => options.onProgress?.(message) };
  const lease = await acquireLocalService({ cliPath, dataDir: options.dataDir, keepRunning: false, signal });
  const sink = new CallbackSink();
  // deployed versions are never overwritten: each run deploys its own prerelease of package.json's version (1.0.0-test.<time>),
  // which leaves package.json and the versions a developer deploys (1.0.0, 1.0.1, …) alone
  const version = `${testedVersionBase(workloadDir)}-test.${Date.now()}`;
  try {
    const { dataDir } = lease.connection;
    const deployment = await deployWorkload({ workloadDir, cliPath, dataDir, yes: true, version, ui: scriptedPromptUi({}), progress, signal });
    const blobs = new BlobServiceClient(
      lease.connection.blobEndpoint,
      new StorageSharedKeyCredential(lease.connection.storageAccountName, AZURITE_ACCOUNT_KEY),
    );
    await uploadInputs(blobs, options.inputs ?? {});
    const callbackUrl = await sink.start();
    const run = await runWorkloadJob({
      workloadDir,
      cliPath,
      dataDir,
      wait: true,
      version: deployment.version,
      args: options.args,
      callbackUrl,
      progress,
      signal,
    });
    const summary = (await sink.received(timeoutMs, signal)) as JobSummary;
    return {
      jobId: run.jobId,
      state: run.state,
      summary,
      outputs: await readOutputs(blobs, lease.connection, summary),
      deployment: { applicationId: deployment.applicationId, version: deployment.version, poolId: deployment.poolId },
    };
  } finally {
    await sink.stop();
    await lease.release();
  }
}

/** package.json's version without any prerelease part: 1.2.0-rc.1 → 1.2.0. */
function testedVersionBase(workloadDir: string): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(workloadDir, "package.json"), "utf8")) as { version?: string };
  return (version ?? "0.0.0").split(/[-+]/)[0]!;
}

async function uploadInputs(blobs: BlobServiceClient, inputs: Readonly<Record<string, string | Uint8Array>>): Promise<void> {
  for (const [key, content] of Object.entries(inputs)) {
    const slash = key.indexOf("/");
    if (slash <= 0 || slash === key.length - 1)
      throw new Error(`runWorkloadLocally: the input '${key}' must be "<container>/<blob path>", e.g. "inputs/run1/a.txt"`);
    const container = blobs.getContainerClient(key.slice(0, slash));
    await container.createIfNotExists();
    const data = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    await container.getBlockBlobClient(key.slice(slash + 1)).upload(data, data.length);
  }
}

/** Every blob under each output location the summary reports, keyed "<container>/<blob>". */
async function readOutputs(blobs: BlobServiceClient, connection: LocalConnection, summary: JobSummary): Promise<Record<string, string>> {
  const outputs: Record<string, string> = {};
  for (const task of summary.tasks ?? []) {
    for (const output of task.outputs ?? []) {
      const containerUrl = output.containerUrl.replace(/\/$/, "");
      if (!containerUrl.startsWith(`${connection.blobEndpoint}/`)) continue;
      const containerName = containerUrl.slice(connection.blobEndpoint.length + 1);
      const container = blobs.getContainerClient(containerName);
      for await (const blob of container.listBlobsFlat({ prefix: output.path })) {
        outputs[`${containerName}/${blob.name}`] = (await container.getBlobClient(blob.name).downloadToBuffer()).toString("utf8");
      }
    }
  }
  return outputs;
}

/** cli.js beside this bundle (the CLI package), else dist/cli.js of the clone this runs from. */
function locateCli(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, "cli.js"), path.join(dir, "dist", "cli.js")]) if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir)
      throw new Error(`runWorkloadLocally: the batch-manager CLI (cli.js) was not found near ${__dirname}: reinstall @batch-manager/cli`);
  }
}
