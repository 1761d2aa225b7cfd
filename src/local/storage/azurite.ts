// Why: runs Azurite's blob service as a child process that backs the local Batch account's storage and dies with its parent.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { BlobServiceClient } from "@azure/storage-blob";
import type { Logger } from "../common/logger";

export const AZURITE_ACCOUNT_NAME = "devstoreaccount1";
/** The well-known development-storage key (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteOptions {
  /** Azurite keeps its data in `<dataDir>/azurite` */
  dataDir: string;
  host?: string;
  /** 0 (default) = any free port */
  port?: number;
  logger: Logger;
  /** default 30 s */
  startTimeoutMs?: number;
}

export interface AzuriteInstance {
  /** http://127.0.0.1:PORT/devstoreaccount1 */
  blobEndpoint: string;
  accountName: string;
  accountKey: string;
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Runs in the child before Azurite's main: ends Azurite gracefully (its own SIGTERM handler) when stdin closes —
 * which happens when the parent exits or calls stop() — or when the parent process changes (orphaned).
 */
const WATCHDOG = `
let ending = false;
const end = () => {
  if (ending) return;
  ending = true;
  setTimeout(() => process.exit(0), 5000).unref();
  if (process.listenerCount("SIGTERM") > 0) process.emit("SIGTERM", "SIGTERM"); else process.exit(0);
};
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) end(); }, 1000).unref();
process.stdin.on("end", end).on("error", end).resume();
require(process.argv[1]);
`;

function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: "1" }; // execPath may be VS Code's Electron
  delete env.NODE_OPTIONS; // no inspector/loader flags meant for the parent
  delete env.NODE_TEST_CONTEXT;
  return env;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Resolves the listening port from Azurite's "successfully listens on http://host:port" line. */
function waitForPort(child: ChildProcess, logger: Logger, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const stderr: string[] = [];
    let port: number | undefined;
    const timer = setTimeout(() => finish(new Error(`Azurite did not start within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      child.off("exit", onExit).off("error", finish);
      if (error) reject(error);
      else resolve(port as number);
    };
    const onExit = (code: number | null): void => finish(new Error(`Azurite exited with code ${code} before listening: ${stderr.join(" ").slice(-1000)}`));
    child.once("exit", onExit).once("error", finish);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      logger.debug(`[azurite] ${line}`);
      const match = /(?:listens on|listening at)\s+https?:\/\/[^\s:]+:(\d+)/i.exec(line);
      if (match && port === undefined) {
        port = Number(match[1]);
        finish();
      }
    });
    createInterface({ input: child.stderr! }).on("line", (line) => {
      stderr.push(line);
      logger.warn(`[azurite] ${line}`);
    });
  });
}

async function waitUntilServing(connectionString: string, timeoutMs: number): Promise<void> {
  const client = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 1 } });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.getProperties();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Azurite does not answer requests: ${(error as Error).message.split("\n")[0]}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Starts Azurite's blob service and resolves once it answers requests. */
export async function startAzurite(options: AzuriteOptions): Promise<AzuriteInstance> {
  const { logger } = options;
  const host = options.host ?? "127.0.0.1";
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const location = path.join(path.resolve(options.dataDir), "azurite");
  await fs.mkdir(location, { recursive: true });
  const main = require.resolve("azurite/dist/src/blob/main.js");
  const args = [
    "--disableTelemetry",
    "--silent",
    "--skipApiVersionCheck",
    "--loose",
    "--location",
    location,
    "--blobHost",
    host,
    "--blobPort",
    String(options.port ?? 0),
  ];
  const child = spawn(process.execPath, ["-e", WATCHDOG, main, ...args], {
    cwd: location,
    env: childEnvironment(),
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true,
  });
  const killOnExit = (): void => {
    child.kill();
  };
  process.once("exit", killOnExit);
  child.once("exit", (code, signal) => {
    process.off("exit", killOnExit);
    logger.debug(`Azurite (pid ${child.pid}) exited with ${signal ?? code}`);
  });
  child.stdin!.on("error", () => undefined);

  const stop = async (): Promise<void> => {
    child.stdin!.end(); // the watchdog shuts Azurite down gracefully
    if (await waitForExit(child, 8000)) return;
    child.kill("SIGKILL");
    await waitForExit(child, 2000);
  };

  try {
    const port = await waitForPort(child, logger, timeoutMs);
    const endpointHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
    const blobEndpoint = `http://${endpointHost}:${port}/${AZURITE_ACCOUNT_NAME}`;
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`;
    await waitUntilServing(connectionString, timeoutMs);
    logger.info(`Azurite blob service (pid ${child.pid}) at ${blobEndpoint}, data in ${location}`);
    return { blobEndpoint, accountName: AZURITE_ACCOUNT_NAME, accountKey: AZURITE_ACCOUNT_KEY, connectionString, port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
