// Why: starts the real `batch-manager local start` process for a test and gives it a real, spec-validated @azure/batch client.
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { SpecValidatingHttpClient } from "./specValidatingHttpClient";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const CLI = path.join(REPO_ROOT, "dist", "cli.js");

export interface StartInfo {
  batchUrl: string;
  accountName: string;
  accountKey: string;
  blobEndpoint: string;
  storageAccountName: string;
  dataDir: string;
}

export interface LocalServiceHandle {
  info: StartInfo;
  process: ChildProcess;
  dataDir: string;
  /** a real client whose every response is checked against the spec; `options` as the SDK takes them, e.g. { noRetryPolicy: true } */
  client(options?: ConstructorParameters<typeof BatchServiceClient>[2]): BatchServiceClient;
  httpClient: SpecValidatingHttpClient;
  /** SIGTERM and wait */
  stop(): Promise<void>;
  /** SIGKILL and wait (a crash) */
  kill(): Promise<void>;
  /** the service log so far */
  log(): string;
}

export interface StartOptions {
  dataDir?: string;
  nodes?: number;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * The data folder's own random key (`<data>/key`), as `local start` gives by default. Without it the service answers to
   * the documented well-known key (`--well-known-account`, as samples and CI use), unless the env gives a key.
   */
  privateKey?: boolean;
}

/**
 * The environment that makes a service started as root run nonadmin tasks as an unprivileged user (`nobody`), as
 * Azure does. The test scripts turn that off for the rest of the suite (BATCH_MANAGER_LOCAL_TASK_USER=service), whose
 * workloads live in private temporary folders; the tests of run-as identities pass this to turn it back on.
 */
export const RUN_AS_TASK_USERS: NodeJS.ProcessEnv = { BATCH_MANAGER_LOCAL_TASK_USER: "" };

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export async function startLocalService(options: StartOptions = {}): Promise<LocalServiceHandle> {
  const dataDir = options.dataDir ?? tempDir("local-batch");
  const wellKnown = !options.privateKey && options.env?.BATCH_MANAGER_LOCAL_ACCOUNT_KEY === undefined ? ["--well-known-account"] : [];
  // --show-key: the tests need the key the line would otherwise leave out
  const flags = ["--nodes", String(options.nodes ?? 4), "--show-key", ...wellKnown, ...(options.args ?? [])];
  const args = [CLI, "local", "start", "--port", "0", "--data", dataDir, ...flags];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...options.env } });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const info = await new Promise<StartInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local service did not start within 60 s: ${stderr}`)), 60_000);
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as StartInfo);
      } catch {
        reject(new Error(`unexpected first line from local start: ${line}\n${stderr}`));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`local service exited with ${code}: ${stderr}`));
    });
  });
  const httpClient = new SpecValidatingHttpClient();
  const waitExit = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    info,
    process: child,
    dataDir,
    httpClient,
    client: (options = {}) =>
      new BatchServiceClient(new BatchSharedKeyCredentials(info.accountName, info.accountKey), info.batchUrl, { httpClient, ...options }),
    stop: () => waitExit("SIGTERM"),
    kill: () => waitExit("SIGKILL"),
    log: () => {
      try {
        return fs.readFileSync(path.join(dataDir, "logs", "local-batch.log"), "utf8");
      } catch {
        return "";
      }
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
