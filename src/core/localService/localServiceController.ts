// Why: runs `batch-manager local start` as a child process for the extension (no vscode import): state, connection info, start/stop;
// joins (never stops) a service another live window runs on the same data folder; with keepAliveSeconds, the service outlives a reload and is adopted.

import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import * as readline from "node:readline";
import type { Logger } from "../../local/common/logger";
import { UserCancelledError } from "../cancellation";
import { connectionOf, type LocalConnection, type LocalStatus } from "./connection";
import { detachedOutputFile, lastErrorLine, startDetachedLocalService } from "./detachedStart";
import { ownerIsLive, readOwnerFile, sameOwner, writeOwnerFile } from "./ownerFile";
import { waitForStartingService } from "./runningService";
import { isSameProcess, liveServiceFile, processStartTime, readServiceFile } from "./serviceFile";

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
  /**
   * Read at every start (a setting). 0 (default): the service is this process's child and stops with it (dispose()).
   * More: it is started detached and survives this process by that many seconds, so a reloaded window adopts it;
   * dispose() then leaves it running, stop() still stops it.
   */
  readonly keepAliveSeconds?: () => number;
  /** how often a detached service is checked for its exit */
  readonly pollMs?: number;
}

/** A service this controller owns without a child process object: it started it detached, or adopted it. */
interface DetachedService {
  readonly pid: number;
  readonly processStart: string | undefined;
  readonly dataDir: string;
  /** what the service's owner file says when this controller owns it */
  readonly ownerId: string | undefined;
  readonly graceSeconds: number;
  readonly timer: NodeJS.Timeout;
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
  private detached: DetachedService | undefined;
  private adopted = false;
  private startAbort: AbortController | undefined;
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
    return this.child?.pid ?? this.detached?.pid;
  }

  /** True while the service this controller runs is one it adopted (left by a window that reloaded or closed). */
  get adoptedService(): boolean {
    return this.adopted && this.detached !== undefined;
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
   * On activation: adopts the service an earlier window (this one before a reload, or one that closed) left running
   * for the data folder, so the explorer reattaches to it; starts nothing when there is none. True when it adopted one.
   */
  async reattach(): Promise<boolean> {
    if (this.currentState !== "stopped" || this.starting) return false;
    const dataDir = this.options.dataDir();
    const file = liveServiceFile(dataDir);
    const owner = readOwnerFile(dataDir);
    if (!file || owner?.servicePid !== file.pid || ownerIsLive(owner)) return false;
    try {
      await this.start();
    } catch (error) {
      this.options.logger?.warn(`Could not reattach to the local Batch service left running (pid ${file.pid}): ${(error as Error).message}`);
      return false;
    }
    return this.adoptedService;
  }

  /**
   * SIGTERM, then wait for the exit (SIGKILL after the stop timeout). Safe to call in any state.
   * A service started elsewhere is left running: this only disconnects from it.
   */
  async stop(): Promise<void> {
    // a start still asking `local status` sees this and spawns nothing
    if (this.starting) {
      this.stopping = true;
      this.startAbort?.abort();
    }
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
    const detached = this.detached;
    if (detached) {
      this.stopping = true;
      this.forgetDetached();
      this.options.logger?.info(`Stopping the local Batch service (pid ${detached.pid})`);
      await terminatePid(detached.pid, detached.processStart, this.options.stopTimeoutMs ?? 15_000);
    }
    this.child = undefined;
    this.exited = undefined;
    this.currentConnection = undefined;
    this.failure = undefined;
    this.setState("stopped");
  }

  /**
   * The window closes or reloads: a service started with keepAliveSeconds is let go (its owner file says so) and keeps
   * running for its grace period, in which a reloaded window adopts it; anything else is stopped as by stop().
   */
  dispose(): Promise<void> {
    this.listeners.clear();
    const detached = this.detached;
    if (!detached || this.starting) return this.stop();
    this.forgetDetached();
    const owner = readOwnerFile(detached.dataDir);
    if (owner?.servicePid === detached.pid && sameOwner(owner, { pid: process.pid, ownerId: detached.ownerId })) {
      writeOwnerFile(detached.dataDir, {
        servicePid: detached.pid,
        pid: process.pid,
        ownerId: detached.ownerId,
        released: true,
        graceSeconds: detached.graceSeconds,
      });
    }
    this.options.logger?.info(
      `Leaving the local Batch service (pid ${detached.pid}) running: a reloaded window adopts it, else it stops in ${detached.graceSeconds} s`,
    );
    this.currentConnection = undefined;
    this.currentState = "stopped";
    return Promise.resolve();
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
      if (running) return this.adopt(running, dataDir) ?? this.join(running, dataDir);
      const keepAlive = Math.max(0, Math.floor(this.options.keepAliveSeconds?.() ?? 0));
      if (keepAlive > 0) return await this.startDetached(dataDir, keepAlive, signal);
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
      const detached = this.detached;
      if (detached) {
        this.forgetDetached();
        await terminatePid(detached.pid, detached.processStart, this.options.stopTimeoutMs ?? 15_000);
      }
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

  /**
   * --parent-pid and --parent-grace, started detached (its own process group, output to logs/service-output.log): it
   * survives this process by the grace period. Watched by polling its pid.
   */
  private async startDetached(dataDir: string, graceSeconds: number, signal?: AbortSignal): Promise<LocalConnection> {
    const logger = this.options.logger;
    logger?.info(`Starting the local Batch service (data folder ${dataDir}; it outlives this window by ${graceSeconds} s)`);
    const abort = new AbortController();
    this.startAbort = abort;
    const onAbort = () => abort.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const { pid, ...connection } = await startDetachedLocalService({
        cliPath: this.options.cliPath,
        dataDir,
        execPath: this.options.execPath,
        extraArgs: ["--parent-pid", String(process.pid), "--parent-grace", String(graceSeconds), ...(this.options.extraArgs ?? [])],
        timeoutMs: this.options.startTimeoutMs,
        signal: abort.signal,
      });
      this.own(pid, dataDir, undefined, graceSeconds);
      if (this.stopping) throw new UserCancelledError("start");
      this.currentConnection = connection;
      this.setState("running");
      logger?.info(`Local Batch service running at ${connection.batchUrl} (account ${connection.accountName}, pid ${pid})`);
      return connection;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.startAbort = undefined;
    }
  }

  /**
   * Adopts the running service when an editor started it and its owner is gone or let it go (this window's
   * predecessor, before a reload): this controller becomes its owner (Stop stops it). undefined: join it instead.
   */
  private adopt(status: LocalStatus, dataDir: string): LocalConnection | undefined {
    const owner = readOwnerFile(dataDir);
    if (status.pid === undefined || owner?.servicePid !== status.pid || ownerIsLive(owner)) return undefined;
    const ownerId = crypto.randomBytes(8).toString("hex");
    writeOwnerFile(dataDir, { servicePid: status.pid, pid: process.pid, ownerId, graceSeconds: owner.graceSeconds });
    // two windows adopting at once: the last write wins, the other joins
    const now = readOwnerFile(dataDir);
    if (!now || !sameOwner(now, { pid: process.pid, ownerId })) return undefined;
    const connection = connectionOf(status, dataDir);
    this.own(status.pid, dataDir, ownerId, owner.graceSeconds, (status as { processStart?: string }).processStart);
    this.adopted = true;
    this.currentConnection = connection;
    this.setState("running");
    this.options.logger?.info(
      `Adopted the local Batch service left running for ${connection.dataDir} at ${connection.batchUrl} (pid ${status.pid}, previous owner pid ${owner.pid}); this window now owns it`,
    );
    return connection;
  }

  private own(pid: number, dataDir: string, ownerId: string | undefined, graceSeconds: number, processStart = processStartTime(pid)): void {
    const timer = setInterval(() => this.checkDetached(), this.options.pollMs ?? 500);
    timer.unref();
    this.adopted = false;
    this.detached = { pid, processStart, dataDir, ownerId, graceSeconds, timer };
  }

  private forgetDetached(): void {
    if (this.detached) clearInterval(this.detached.timer);
    this.detached = undefined;
    this.adopted = false;
  }

  /** A detached service that is gone: a clean stop (it removed its service.json) is "stopped", anything else "failed". */
  private checkDetached(): void {
    const detached = this.detached;
    if (!detached || this.stopping || isSameProcess(detached.pid, detached.processStart)) return;
    this.forgetDetached();
    this.currentConnection = undefined;
    if (readServiceFile(detached.dataDir)?.pid !== detached.pid) {
      this.failure = undefined;
      this.options.logger?.info(`The local Batch service (pid ${detached.pid}) was stopped from outside this window`);
      this.setState("stopped");
      return;
    }
    let last = "";
    try {
      last = lastErrorLine(detachedOutputFile(detached.dataDir));
    } catch {}
    this.failure = `(pid ${detached.pid}) exited without stopping cleanly${last ? `: ${last}` : ""}`;
    this.options.logger?.error(`The local Batch service ${this.failure}`);
    this.setState("failed");
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
    if (status.pid !== undefined && readOwnerFile(dataDir)?.servicePid === status.pid) this.watchOwner(status.pid, dataDir);
    return connection;
  }

  /**
   * A joined service another editor window owns (with a grace period): when that window closes or reloads (its owner
   * is gone or let it go), this window adopts it, so its running tasks survive the other window.
   */
  private watchOwner(pid: number, dataDir: string): void {
    const timer = setInterval(() => {
      if (this.external?.pid !== pid) return void clearInterval(timer);
      if (this.starting) return;
      const owner = readOwnerFile(dataDir);
      if (!owner || owner.servicePid !== pid || ownerIsLive(owner)) return;
      const file = liveServiceFile(dataDir);
      if (file?.pid !== pid) return;
      this.external = undefined;
      if (this.adopt({ running: true, ...file }, dataDir)) clearInterval(timer);
      else this.external = { pid };
    }, this.options.pollMs ?? 500);
    timer.unref();
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

/** SIGTERM to a process that is not a child, then wait for it to go (SIGKILL after the timeout). */
async function terminatePid(pid: number, processStart: string | undefined, timeoutMs: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (isSameProcess(pid, processStart)) process.kill(pid, sig);
    } catch {}
  };
  signal("SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (isSameProcess(pid, processStart) && Date.now() < deadline) await delay(100);
  if (isSameProcess(pid, processStart)) {
    signal("SIGKILL");
    for (let i = 0; i < 50 && isSameProcess(pid, processStart); i++) await delay(100);
  }
}

/** The most telling stderr line: the last one mentioning an error (Node ends crashes with "Node.js vX"), else the last. */
function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return [...lines].reverse().find((l) => /error/i.test(l)) ?? lines.pop() ?? "";
}
