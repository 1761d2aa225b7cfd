// Why: issue 11: task processes are spawned by a small launcher process (spawnLauncherMain.ts), because forking the large service costs ms per task.
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { redactSecrets, type Logger } from "../common/logger";
import { type ProcessExit, type SpawnRequest, type StartedProcess, spawnInGroup } from "./processGroup";
import { LAUNCHER_GRACE_ENV, type LauncherReply, type LaunchMessage } from "./spawnLauncherProtocol";

/** beside this module: dist/spawnLauncherMain.js in the bundle (esbuild.mjs), out/src/local/node/ after tsc */
export const LAUNCHER_SCRIPT = path.join(__dirname, "spawnLauncherMain.js");
/** after this many launcher deaths task processes are spawned directly by the service */
const MAX_LAUNCHER_DEATHS = 3;

/** The launcher died before it said whether a spawn request ran: the attempt must be requeued, not judged. */
export class LauncherLostError extends Error {
  constructor() {
    super("the spawn launcher exited before it reported the task process");
    this.name = "LauncherLostError";
  }
}

interface Waiting {
  resolve: (started: StartedProcess) => void;
  reject: (error: Error) => void;
}

export class SpawnLauncher {
  private child?: ChildProcess;
  private deaths = 0;
  private direct = false;
  private stopping = false;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly running = new Map<number, (exit: ProcessExit) => void>();

  constructor(
    private readonly logger: Logger,
    private readonly killGraceMs: number,
    private readonly script = LAUNCHER_SCRIPT,
  ) {}

  /** the launcher's pid while it runs (tests kill it to prove its death is survived) */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Like spawnInGroup, through the launcher (started on first use); directly once the launcher cannot be used. */
  spawn(request: SpawnRequest): Promise<StartedProcess> {
    const child = this.direct || this.stopping ? undefined : (this.child ?? this.start());
    if (!child) return spawnInGroup(request);
    const id = this.nextId++;
    const message: LaunchMessage = { type: "spawn", id, ...request };
    return new Promise<StartedProcess>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.updateRef();
      child.send(message);
    });
  }

  /** Starts the launcher now rather than with the first task (the service does so when it starts). */
  prestart(): void {
    if (!this.child && !this.direct && !this.stopping) this.start();
  }

  /** Closes the channel (the launcher then stops whatever it still runs and exits) and waits for it, SIGKILL after the grace. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill("SIGKILL"), this.killGraceMs + 1000);
    await exited;
    clearTimeout(timer);
  }

  private start(): ChildProcess | undefined {
    if (!fs.existsSync(this.script)) {
      this.direct = true;
      this.logger.warn(`spawn launcher ${this.script} not found: spawning task processes from the service directly`);
      return undefined;
    }
    // none of the service's node options (a debugger's --require, heap sizes): the launcher stays small and plain
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    const child = fork(this.script, [], {
      execArgv: [],
      env: { ...env, [LAUNCHER_GRACE_ENV]: String(this.killGraceMs) },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.child = child;
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    // its stderr is only read for the log: it must not keep this process alive (the channel and the child decide that)
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    child.on("message", (reply: LauncherReply) => this.onReply(reply));
    // e.g. a send racing the launcher's death: the exit handler then settles what was in flight
    child.on("error", (error) => this.logger.warn(`spawn launcher: ${error.message}`));
    child.once("exit", (code, signal) => this.onExit(child, code, signal, stderr));
    this.logger.info(`spawn launcher started, pid ${child.pid}`);
    this.updateRef();
    return child;
  }

  private onReply(reply: LauncherReply): void {
    if (reply.type === "exit") {
      this.running.get(reply.id)?.({ code: reply.code, signal: reply.signal });
      this.running.delete(reply.id);
    } else {
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.type === "failed") waiting?.reject(Object.assign(new Error(reply.message), { code: reply.code }));
      else if (waiting) {
        const exited = new Promise<ProcessExit>((resolve) => this.running.set(reply.id, resolve));
        waiting.resolve({ pid: reply.pid, exited });
      }
    }
    this.updateRef();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, stderr: string): void {
    if (this.child === child) this.child = undefined;
    const inFlight = this.waiting.size + this.running.size;
    for (const waiting of this.waiting.values()) waiting.reject(new LauncherLostError());
    for (const resolve of this.running.values()) resolve({ code: null, signal: null, lost: true });
    this.waiting.clear();
    this.running.clear();
    if (this.stopping) return;
    this.deaths++;
    this.direct = this.deaths >= MAX_LAUNCHER_DEATHS;
    const next = this.direct ? "spawning task processes from the service directly from now on" : "restarting it for the next task";
    const output = stderr.trim() ? `: ${redactSecrets(stderr.trim())}` : "";
    this.logger.warn(
      `spawn launcher (pid ${child.pid}) exited with ${signal ?? code}${output}; ${inFlight} task process(es) in flight will be requeued; ${next}`,
    );
  }

  /** The channel keeps this process alive only while a task process is being started or runs (as a direct child would). */
  private updateRef(): void {
    const channel = this.child?.channel;
    if (!channel) return;
    if (this.waiting.size + this.running.size > 0) {
      this.child!.ref();
      channel.ref();
    } else {
      this.child!.unref();
      channel.unref();
    }
  }
}
