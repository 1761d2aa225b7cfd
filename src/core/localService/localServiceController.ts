// Why: runs `batch-manager local start` as a child process for the extension (no vscode import): state, connection info, start/stop;
// joins (never stops) a service another window already runs on the same data folder.

import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as readline from "node:readline";
import type { Logger } from "../../local/common/logger";
import { UserCancelledError } from "../cancellation";
import { connectionOf, type LocalConnection, type LocalStatus } from "./connection";
import { waitForStartingService } from "./runningService";

export type LocalServiceState = "stopped" | "starting" | "running" | "failed";

export interface LocalServiceControllerOptions {
  /** dist/cli.js of this extension */
  readonly cliPath: string;
  /** the data folder, read at every start (a setting) */
  readonly dataDir: () => string;
  readonly logger?: Logger;
  /** the Node binary; in VS Code process.execPath may be Electron, hence ELECTRON_RUN_AS_NODE */
  readonly execPath?: string;
  readonly extraArgs?: readonly string[];
  readonly startTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
}

const STDERR_TAIL = 4000;
/** `local status` exits with this code when no service runs for the data folder. */
const STATUS_NOT_RUNNING = 3;

/** A service for the data folder that this controller did not start (another VS Code window, a terminal). */
interface ExternalService {
  readonly pid: number | undefined;
}

export type { LocalConnection, LocalStatus };

export class LocalServiceController {
  private currentState: LocalServiceState = "stopped";
  private currentConnection: LocalConnection | undefined;
  private failure: string | undefined;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private starting: Promise<LocalConnection> | undefined;
  private stopping = false;
  private external: ExternalService | undefined;
  private readonly listeners = new Set<(state: LocalServiceState) => void>();

  constructor(private readonly options: LocalServiceControllerOptions) {}

  get state(): LocalServiceState {
    return this.currentState;
  }

  /** Connection info while running (includes the account key, read from the data folder: never log it). */
  get connection(): LocalConnection | undefined {
    return this.currentConnection;
  }

  /** The service process while starting or running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * True while connected to a service this controller did not start (found by `local status` for the same data folder):
   * stop()/dispose() then only disconnect and leave it running.
   */
  get startedElsewhere(): boolean {
    return this.external !== undefined;
  }

  /** The pid of a service started elsewhere that this controller is connected to. */
  get externalPid(): number | undefined {
    return this.external?.pid;
  }

  /** Why the last start failed or the service died. */
  get failureMessage(): string | undefined {
    return this.failure;
  }

  onDidChangeState(listener: (state: LocalServiceState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Starts the service (or joins a start in progress); resolves once it accepts requests. Abort = stop it again. */
  start(signal?: AbortSignal): Promise<LocalConnection> {
    if (this.currentState === "running" && this.currentConnection) return Promise.resolve(this.currentConnection);
    if (!this.starting) {
      this.starting = this.spawnService(signal).finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  /**
   * SIGTERM, then wait for the exit (SIGKILL after the stop timeout). Safe to call in any state.
   * A service started elsewhere is left running: this only disconnects from it.
   */
  async stop(): Promise<void> {
    // a start still asking `local status` sees this and spawns nothing
    if (this.starting) this.stopping = true;
    const external = this.external;
    if (external) {
      this.options.logger?.info(
        `Leaving the local Batch service${external.pid ? ` (pid ${external.pid})` : ""} running: another window (or process) started it; disconnected from it`,
      );
      this.external = undefined;
    }
    const child = this.child;
    if (child && this.exited) {
      this.stopping = true;
      this.options.logger?.info(`Stopping the local Batch service (pid ${child.pid})`);
      await terminate(child, this.exited, this.options.stopTimeoutMs ?? 15_000);
    }
    this.child = undefined;
    this.exited = undefined;
    this.currentConnection = undefined;
    this.failure = undefined;
    this.setState("stopped");
  }

  dispose(): Promise<void> {
    this.listeners.clear();
    return this.stop();
  }

  private async spawnService(signal?: AbortSignal): Promise<LocalConnection> {
    if (signal?.aborted) throw new UserCancelledError("start");
    const dataDir = this.options.dataDir();
    const logger = this.options.logger;
    this.failure = undefined;
    this.stopping = false;
    this.setState("starting");
    try {
      if (!fs.existsSync(this.options.cliPath)) throw new Error(`the Batch Manager CLI is missing at ${this.options.cliPath} (build it with 'npm run build')`);
      fs.mkdirSync(dataDir, { recursive: true });
      // another window or terminal may be starting a service for this folder right now: join it once it runs
      await waitForStartingService(dataDir, { timeoutMs: this.options.startTimeoutMs, signal });
      const running = await this.runningService(dataDir, signal);
      if (this.stopping) throw new UserCancelledError("start");
      if (running) return this.join(running, dataDir);
      // --parent-pid: the service ends itself if the extension host dies without stopping it
      const args = [
        this.options.cliPath,
        "local",
        "start",
        "--port",
        "0",
        "--data",
        dataDir,
        "--parent-pid",
        String(process.pid),
        ...(this.options.extraArgs ?? []),
      ];
      logger?.info(`Starting the local Batch service (data folder ${dataDir})`);
      const child = spawn(this.options.execPath ?? process.execPath, args, {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
        windowsHide: true,
      });
      this.child = child;
      this.exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const connection = await this.readConnection(child, dataDir, signal);
      this.currentConnection = connection;
      this.setState("running");
      logger?.info(`Local Batch service running at ${connection.batchUrl} (account ${connection.accountName}, pid ${child.pid})`);
      return connection;
    } catch (error) {
      const cancelled = signal?.aborted === true || this.stopping;
      if (this.child && this.exited) await terminate(this.child, this.exited, this.options.stopTimeoutMs ?? 15_000);
      this.child = undefined;
      this.exited = undefined;
      if (cancelled) {
        logger?.info("Starting the local Batch service was cancelled");
        this.setState("stopped");
        throw new UserCancelledError("start");
      }
      this.failure = error instanceof Error ? error.message : String(error);
      logger?.error(`The local Batch service did not start: ${this.failure}`);
      this.setState("failed");
      throw error;
    }
  }

  /** `local status --data <dir>`: the service already running for the data folder, else undefined (exit code 3, or no usable answer). */
  private async runningService(dataDir: string, signal?: AbortSignal): Promise<LocalStatus | undefined> {
    const args = [this.options.cliPath, "local", "status", "--data", dataDir];
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        this.options.execPath ?? process.execPath,
        args,
        { env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" }, windowsHide: true, timeout: this.options.startTimeoutMs ?? 60_000, signal },
        (error, stdout, stderr) => {
          const code = error ? (typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : -1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
    if (signal?.aborted) throw new UserCancelledError("start");
    if (result.code === STATUS_NOT_RUNNING) return undefined;
    if (result.code !== 0) {
      this.options.logger?.warn(`'local status' failed (${result.code}): ${lastLine(result.stderr) || "no output"}; starting a new service`);
      return undefined;
    }
    try {
      const status = JSON.parse(result.stdout.trim().split(/\r?\n/).pop() ?? "") as LocalStatus;
      return status.running ? status : undefined;
    } catch {
      this.options.logger?.warn(`unexpected output from 'local status': ${result.stdout.slice(0, 200)}; starting a new service`);
      return undefined;
    }
  }

  /** Connects to a service another window started for the same data folder. */
  private join(status: LocalStatus, dataDir: string): LocalConnection {
    const connection = connectionOf(status, dataDir);
    this.external = { pid: status.pid };
    this.currentConnection = connection;
    this.setState("running");
    this.options.logger?.info(
      `Connected to the local Batch service already running for ${connection.dataDir} at ${connection.batchUrl} (account ${connection.accountName}); it is left running when this window stops`,
    );
    return connection;
  }

  /** Resolves with the first stdout line parsed as JSON; keeps draining both pipes afterwards. */
  private readConnection(child: ChildProcess, dataDir: string, signal?: AbortSignal): Promise<LocalConnection> {
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL)));
    const lines = readline.createInterface({ input: child.stdout! });
    return new Promise<LocalConnection>((resolve, reject) => {
      let first = true;
      const timer = setTimeout(
        () => fail(new Error(`the local Batch service did not start within ${(this.options.startTimeoutMs ?? 60_000) / 1000} s`)),
        this.options.startTimeoutMs ?? 60_000,
      );
      const onAbort = () => fail(new UserCancelledError("start"));
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      function fail(error: Error) {
        done();
        reject(error);
      }
      lines.on("line", (line) => {
        if (!first) return void this.options.logger?.debug(`local service: ${line}`);
        first = false;
        let parsed: Omit<LocalStatus, "running">;
        try {
          parsed = JSON.parse(line) as Omit<LocalStatus, "running">;
          if (typeof parsed.batchUrl !== "string") throw new Error("no batchUrl");
        } catch {
          return fail(new Error(`unexpected first line from 'local start' (not its JSON line): ${line.slice(0, 200)}`));
        }
        try {
          // the line has no key (it is never printed unasked): read it from where the line says (the data folder's key file)
          const connection = connectionOf({ running: true, ...parsed }, dataDir);
          done();
          resolve(connection);
        } catch (error) {
          fail(error as Error);
        }
      });
      child.once("error", (error) => fail(error));
      child.once("exit", (code, sig) => {
        if (first) fail(new Error(`'local start' exited with ${sig ?? `code ${code}`}: ${lastLine(stderr) || "no output"}`));
        else this.onUnexpectedExit(child, code, sig, stderr);
      });
    });
  }

  private onUnexpectedExit(child: ChildProcess, code: number | null, sig: NodeJS.Signals | null, stderr: string): void {
    if (this.stopping || this.child !== child) return;
    this.child = undefined;
    this.exited = undefined;
    this.currentConnection = undefined;
    if (code === 0 && sig === null) {
      // a clean shutdown asked for elsewhere (`batch-manager local stop` in a terminal): stopped, not failed
      this.failure = undefined;
      this.options.logger?.info("The local Batch service was stopped from outside this window");
      this.setState("stopped");
      return;
    }
    this.failure = `exited with ${sig ?? `code ${code}`}${lastLine(stderr) ? `: ${lastLine(stderr)}` : ""}`;
    this.options.logger?.error(`The local Batch service ${this.failure}`);
    this.setState("failed");
  }

  private setState(state: LocalServiceState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of [...this.listeners]) listener(state);
  }
}

async function terminate(child: ChildProcess, exited: Promise<void>, timeoutMs: number): Promise<void> {
  // no pid: the spawn itself failed ("error" event), so there is no process to wait for
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
  if (await Promise.race([exited.then(() => false), timedOut])) {
    child.kill("SIGKILL");
    await exited;
  }
  clearTimeout(timer);
}

/** The most telling stderr line: the last one mentioning an error (Node ends crashes with "Node.js vX"), else the last. */
function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return [...lines].reverse().find((l) => /error/i.test(l)) ?? lines.pop() ?? "";
}
