// Why: starts `batch-manager local start` as a background process that outlives its caller (CLI deploy/run, `local start --detach`).

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { UserCancelledError } from "../cancellation";
import { connectionOf, type LocalStatus } from "./connection";
import type { LocalConnection } from "./localServiceController";
import { isAlive, readServiceFile } from "./serviceFile";

export interface DetachedStartOptions {
  /** dist/cli.js (or the installed package's cli.js) */
  readonly cliPath: string;
  readonly dataDir: string;
  readonly execPath?: string;
  /** more `local start` options, e.g. ["--nodes", "4"] */
  readonly extraArgs?: readonly string[];
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Where a detached service's stdout and stderr go (its JSON line is the first line). */
export const detachedOutputFile = (dataDir: string) => path.join(dataDir, "logs", "service-output.log");

/**
 * Spawns the service detached from this process (its own process group, no pipes back), then waits until it has
 * written its JSON line and its service.json. Rejects with the service's own last error line if it exits first.
 */
export async function startDetachedLocalService(options: DetachedStartOptions): Promise<LocalConnection & { pid: number }> {
  const dataDir = path.resolve(options.dataDir);
  const outputFile = detachedOutputFile(dataDir);
  fs.mkdirSync(path.dirname(outputFile), { recursive: true });
  const output = fs.openSync(outputFile, "w", 0o600);
  const args = [options.cliPath, "local", "start", "--port", "0", "--data", dataDir, ...(options.extraArgs ?? [])];
  const child = spawn(options.execPath ?? process.execPath, args, {
    detached: true,
    stdio: ["ignore", output, output],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
    windowsHide: true,
  });
  fs.closeSync(output);
  let exit: string | undefined;
  child.once("exit", (code, signal) => (exit = signal ?? `code ${code}`));
  child.once("error", (error) => (exit = error.message));
  child.unref();
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  try {
    for (;;) {
      if (options.signal?.aborted) throw new UserCancelledError("start");
      const connection = readyConnection(outputFile, dataDir, child.pid);
      if (connection) return connection;
      if (exit !== undefined) throw new Error(`'local start' exited with ${exit}: ${lastErrorLine(outputFile) || "no output"}`);
      if (Date.now() > deadline)
        throw new Error(`the local Batch service did not start within ${(options.timeoutMs ?? 60_000) / 1000} s (output in ${outputFile})`);
      await delay(100);
    }
  } catch (error) {
    if (child.pid !== undefined && exit === undefined) process.kill(child.pid, "SIGTERM");
    throw error;
  }
}

function readyConnection(outputFile: string, dataDir: string, pid: number | undefined): (LocalConnection & { pid: number }) | undefined {
  if (pid === undefined) return undefined;
  const file = readServiceFile(dataDir);
  if (!file || file.pid !== pid || !isAlive(pid)) return undefined;
  const first = fs.readFileSync(outputFile, "utf8").split(/\r?\n/)[0];
  try {
    const parsed = JSON.parse(first) as Omit<LocalStatus, "running">;
    if (typeof parsed.batchUrl !== "string") return undefined;
  } catch {
    return undefined;
  }
  // the line has no key: it is where the service file says (the data folder's key file, unless told otherwise)
  return { ...connectionOf({ running: true, ...file }, dataDir), pid };
}

/** The last line of a detached service's output that mentions an error, else its last line. */
export function lastErrorLine(file: string): string {
  const lines = fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return [...lines].reverse().find((l) => /error/i.test(l)) ?? lines.pop() ?? "";
}
