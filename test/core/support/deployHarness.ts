// Why: what the deploy tests share: the real CLI as a child process against a throwaway local data folder, and a real @azure/arm-batch client on the local management endpoint.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { BatchManagementClient } from "@azure/arm-batch";
import { LOCAL_SUBSCRIPTION_ID } from "../../../src/local/arm/armIds";
import { ARM_SCOPE } from "../../../src/core/deploy/deployTarget";
import { LocalArmCredential, localArmEndpoint, loopbackHttpPolicy } from "../../../src/core/deploy/localArmCredential";
import { runningLocalService } from "../../../src/core/localService/localServiceLease";
import { CLI, REPO_ROOT } from "../../support/localService";
import { WorkloadProject } from "../../runtime/support/workloadProject";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/cli.js <args>` with the data folder as the shared default; rejects if it runs longer than `timeoutMs`. */
export function runCli(args: string[], options: { dataDir: string; cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, BATCH_MANAGER_LOCAL_DATA: options.dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`batch-manager ${args.join(" ")} did not finish within ${options.timeoutMs ?? 240_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 240_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The last stdout line as JSON (what --json prints). */
export function jsonLine<T>(result: CliResult): T {
  const line = result.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`no JSON line on stdout (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** A real ARM client for the local service running for the data folder (tokens from its issuer). */
export function localArmClient(dataDir: string): BatchManagementClient {
  const connection = runningLocalService(dataDir);
  if (!connection) throw new Error(`no local service runs for ${dataDir}`);
  return new BatchManagementClient(new LocalArmCredential(connection.batchUrl, connection.accountName, connection.accountKey), LOCAL_SUBSCRIPTION_ID, {
    endpoint: localArmEndpoint(connection.batchUrl),
    credentialScopes: [ARM_SCOPE],
    additionalPolicies: [loopbackHttpPolicy],
    retryOptions: { maxRetries: 0 },
  });
}

export async function packageVersions(dataDir: string, applicationId: string): Promise<{ version: string; state?: string }[]> {
  const versions: { version: string; state?: string }[] = [];
  for await (const pkg of localArmClient(dataDir).applicationPackageOperations.list("local", "localbatch", applicationId))
    versions.push({ version: pkg.name!, state: pkg.state });
  return versions;
}

/** Stops the detached service a deploy started for the data folder. */
export async function stopLocalService(dataDir: string): Promise<void> {
  if (runningLocalService(dataDir)) await runCli(["local", "stop", "--data", dataDir], { dataDir, timeoutMs: 60_000 });
}

/**
 * The example workload as a scratch project (test/runtime/support). Packages the packed runtime now depends on but
 * the project does not link yet (ajv) are linked from the repository's node_modules, as the others are.
 */
export function createWorkloadProject(): WorkloadProject {
  const project = WorkloadProject.create();
  for (const name of ["ajv"]) {
    const link = path.join(project.dir, "node_modules", name);
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", name), link, "dir");
  }
  return project;
}
