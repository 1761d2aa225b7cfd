// Why: issue 11: task processes are spawned by a small launcher process, because forking the large service costs ms per task: the Python one (spawn_launcher.py) where it runs, which also measures each task, else the Node one (spawnLauncherMain.ts).
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { redactSecrets, type Logger } from "../common/logger";
import { type ProcessExit, type SpawnRequest, type StartedProcess, TaskFolderError } from "./processGroup";
import { LAUNCHER_GRACE_ENV, type LauncherReply, type LaunchMessage, lineReader } from "./spawnLauncherProtocol";
import { figuresFromMeasured, spawnWithFigures } from "./taskFigures";

/** beside this module: dist/spawnLauncherMain.js in the bundle (esbuild.mjs), out/src/local/node/ after tsc */
export const LAUNCHER_SCRIPT = path.join(__dirname, "spawnLauncherMain.js");
/** after this many launcher deaths task processes are spawned directly by the service */
const MAX_LAUNCHER_DEATHS = 3;
/** `node` makes the service use the Node launcher even where the Python one can run (`python`, the default, tries Python first) */
export const LAUNCHER_KIND_ENV = "BATCH_MANAGER_SPAWN_LAUNCHER";
/** the Python interpreter the Python launcher runs on (python3 from PATH unless set) */
export const LAUNCHER_PYTHON_ENV = "BATCH_MANAGER_LAUNCHER_PYTHON";
const PYTHON_LAUNCHER_NAME = "spawn_launcher.py";
const PYTHON_READY_TIMEOUT_MS = 15_000;

export type LauncherKind = "python" | "node";

/** spawn_launcher.py: beside the bundle (dist/, the CLI package), or in the sources above a tsc build (out/src/local/node). */
export function pythonLauncherScript(): string | undefined {
  const candidates = [path.join(__dirname, PYTHON_LAUNCHER_NAME)];
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) candidates.push(path.join(dir, "src", "local", "node", PYTHON_LAUNCHER_NAME));
  return candidates.find((candidate) => fs.existsSync(candidate));
}

/** The launcher died before it said whether a spawn request ran: the attempt must be requeued, not judged. */
export class LauncherLostError extends Error {
  constructor() {
    super("the spawn launcher exited before it reported the task process");
    this.name = "LauncherLostError";
  }
}

interface Waiting {
  request: SpawnRequest;
  resolve: (started: StartedProcess) => void;
  reject: (error: Error) => void;
}

export interface SpawnLauncherOptions {
  /** where the dash wrapper's figures files live (the Node launcher and direct spawns) */
  figuresDir: string;
  /** the Node launcher's script (tests pass a missing one) */
  nodeScript?: string;
  /** the Python launcher's script; null: never use Python */
  pythonScript?: string | null;
  /** how long the Python launcher may take to say it is ready before the Node one is used instead (15 s) */
  pythonReadyTimeoutMs?: number;
}

export class SpawnLauncher {
  private child?: ChildProcess;
  /** settles when the current launcher has exited and every reply of it was read */
  private ended?: Promise<void>;
  private kind?: LauncherKind;
  private ready = false;
  /** why the Python launcher is not used (said once in the log) */
  private pythonProblem?: string;
  private warnedKind = false;
  private deaths = 0;
  private direct = false;
  private stopping = false;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly running = new Map<number, (exit: ProcessExit) => void>();
  private readonly figuresDir: string;
  private readonly nodeScript: string;
  private readonly pythonScript: string | undefined;
  private readonly pythonReadyTimeoutMs: number;

  constructor(
    private readonly logger: Logger,
    private readonly killGraceMs: number,
    options: SpawnLauncherOptions,
  ) {
    this.figuresDir = options.figuresDir;
    this.nodeScript = options.nodeScript ?? LAUNCHER_SCRIPT;
    this.pythonScript = options.pythonScript === null ? undefined : (options.pythonScript ?? pythonLauncherScript());
    this.pythonReadyTimeoutMs = options.pythonReadyTimeoutMs ?? PYTHON_READY_TIMEOUT_MS;
  }

  /** the launcher's pid while it runs (tests kill it to prove its death is survived) */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** which launcher runs (or starts) now; undefined when none does */
  get launcherKind(): LauncherKind | undefined {
    return this.child ? this.kind : undefined;
  }

  /** Like spawnInGroup (with the figures on the exit), through the launcher (started on first use); directly once no launcher can be used. */
  spawn(request: SpawnRequest): Promise<StartedProcess> {
    const child = this.direct || this.stopping ? undefined : (this.child ?? this.start());
    if (!child) return spawnWithFigures(request, this.figuresDir);
    // the Node launcher cannot measure its children: the task then runs under the dash wrapper
    if (this.kind === "node") return spawnWithFigures(request, this.figuresDir, (wrapped) => this.launch(child, wrapped));
    return this.launch(child, request);
  }

  /** Starts the launcher now rather than with the first task (the service does so when it starts). */
  prestart(): void {
    if (!this.child && !this.direct && !this.stopping) this.start();
  }

  /** Closes its stdin (the launcher then stops whatever it still runs and exits) and waits for it, SIGKILL after the grace. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const ended = this.ended;
    child.stdin?.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), this.killGraceMs + 1000);
    await ended;
    clearTimeout(timer);
  }

  /** Sends one spawn request to the launcher; settles with its answer (figures on the exit where the launcher measures them). */
  private launch(child: ChildProcess, request: SpawnRequest): Promise<StartedProcess> {
    const id = this.nextId++;
    return new Promise<StartedProcess>((resolve, reject) => {
      this.waiting.set(id, { request, resolve, reject });
      this.updateRef();
      const message: LaunchMessage = { type: "spawn", id, ...request };
      child.stdin!.write(`${JSON.stringify(message)}\n`);
    });
  }

  private chooseKind(): LauncherKind | undefined {
    const asked = process.env[LAUNCHER_KIND_ENV]?.trim().toLowerCase();
    if (asked && asked !== "python" && asked !== "node" && !this.warnedKind) {
      this.warnedKind = true;
      this.logger.warn(`${LAUNCHER_KIND_ENV}=${asked} is not a launcher: set it to python (the default) or node; using the default`);
    }
    const python = this.pythonScript !== undefined && this.pythonProblem === undefined && process.platform === "linux" && asked !== "node";
    if (python) return "python";
    return fs.existsSync(this.nodeScript) ? "node" : undefined;
  }

  private start(): ChildProcess | undefined {
    const kind = this.chooseKind();
    if (!kind) {
      this.direct = true;
      this.logger.warn(`spawn launcher ${this.nodeScript} not found: spawning task processes from the service directly`);
      return undefined;
    }
    // none of the service's node options (a debugger's --require, heap sizes): the launcher stays small and plain
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    // -I -S: none of the user's PYTHON* variables, site-packages or working folder reach the launcher (it needs only the standard library)
    const [command, args] =
      kind === "python" ? [process.env[LAUNCHER_PYTHON_ENV] || "python3", ["-I", "-S", this.pythonScript!]] : [process.execPath, [this.nodeScript]];
    const child = spawn(command, args, {
      env: { ...env, [LAUNCHER_GRACE_ENV]: String(this.killGraceMs) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    this.kind = kind;
    this.ready = false;
    let stderr = "";
    // what it says while it runs (an account launcher that failed, say) is in the service log at once
    const logLine = lineReader((line) => this.logger.warn(`spawn launcher (pid ${child.pid}): ${redactSecrets(line)}`));
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
      logLine(chunk);
    });
    child.stdout!.on(
      "data",
      lineReader((line) => this.onReply(child, JSON.parse(line) as LauncherReply)),
    );
    // a write racing the launcher's death: its close settles what was in flight
    child.stdin!.on("error", () => undefined);
    // it is over once it exited and its stdout closed (every reply read); not its stderr, which an account launcher
    // forked by the Python one may hold a little longer while it stops its own tasks
    let exit: [number | null, NodeJS.Signals | null] | undefined;
    let outputClosed = false;
    let ended = false;
    let markEnded: () => void = () => undefined;
    this.ended = new Promise<void>((resolve) => (markEnded = resolve));
    const end = (error?: Error) => {
      if (ended || (!error && (!exit || !outputClosed))) return;
      ended = true;
      markEnded();
      this.onExit(child, kind, exit?.[0] ?? null, exit?.[1] ?? null, error ? error.message : stderr);
    };
    child.once("error", (error) => {
      // e.g. no python3 on PATH: there is no process whose stdio could close
      if (child.pid === undefined) end(error);
      else this.logger.warn(`spawn launcher: ${error.message}`);
    });
    child.once("exit", (code, signal) => {
      exit = [code, signal];
      end();
    });
    child.stdout!.once("close", () => {
      outputClosed = true;
      end();
    });
    if (kind === "python") {
      // an interpreter that never answers (a version manager's prompt, a hung shim) is treated as one that cannot run
      const timer = setTimeout(() => {
        if (!this.ready && this.child === child) {
          stderr += `\nno answer within ${this.pythonReadyTimeoutMs / 1000} s`;
          child.kill("SIGKILL");
        }
      }, this.pythonReadyTimeoutMs);
      timer.unref();
    }
    this.logger.info(`spawn launcher started, pid ${child.pid} (${kind === "python" ? `${command} ${PYTHON_LAUNCHER_NAME}` : "node"})`);
    this.updateRef();
    return child;
  }

  private onReply(child: ChildProcess, reply: LauncherReply): void {
    if (child !== this.child) return;
    if (reply.type === "ready") {
      this.ready = true;
    } else if (reply.type === "exit") {
      const figures = reply.figures ? { figures: figuresFromMeasured(reply.figures) } : {};
      this.running.get(reply.id)?.({ code: reply.code, signal: reply.signal, ...figures });
      this.running.delete(reply.id);
    } else if (reply.type === "lost") {
      // the account launcher that ran it died: as when the launcher itself dies
      const waiting = this.waiting.get(reply.id);
      const running = this.running.get(reply.id);
      this.waiting.delete(reply.id);
      this.running.delete(reply.id);
      waiting?.reject(new LauncherLostError());
      running?.({ code: null, signal: null, lost: true });
    } else {
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.type === "failed")
        waiting?.reject(reply.folders ? new TaskFolderError(reply.message, reply.code) : Object.assign(new Error(reply.message), { code: reply.code }));
      else if (waiting) {
        const exited = new Promise<ProcessExit>((resolve) => this.running.set(reply.id, resolve));
        waiting.resolve({ pid: reply.pid, exited });
      }
    }
    this.updateRef();
  }

  private onExit(child: ChildProcess, kind: LauncherKind, code: number | null, signal: NodeJS.Signals | null, output: string): void {
    if (this.child === child) this.child = undefined;
    const detail = output.trim() ? `: ${redactSecrets(output.trim())}` : "";
    if (kind === "python" && !this.ready && !this.stopping) {
      // it never became ready, so it started nothing: the Node launcher takes over what was sent to it
      this.pythonProblem = `${signal ?? code ?? "could not start"}${detail}`;
      this.logger.warn(
        `spawn launcher: the Python launcher cannot run here (${this.pythonProblem}); using the Node launcher, which measures each task's CPU and I/O through a dash wrapper (slower)`,
      );
      const resend = [...this.waiting.values()];
      this.waiting.clear();
      for (const entry of resend) this.spawn(entry.request).then(entry.resolve, entry.reject);
      return;
    }
    const inFlight = this.waiting.size + this.running.size;
    for (const waiting of this.waiting.values()) waiting.reject(new LauncherLostError());
    for (const resolve of this.running.values()) resolve({ code: null, signal: null, lost: true });
    this.waiting.clear();
    this.running.clear();
    if (this.stopping) return;
    this.deaths++;
    this.direct = this.deaths >= MAX_LAUNCHER_DEATHS;
    const next = this.direct ? "spawning task processes from the service directly from now on" : "restarting it for the next task";
    this.logger.warn(
      `spawn launcher (pid ${child.pid}) exited with ${signal ?? code}${detail}; ${inFlight} task process(es) in flight will be requeued; ${next}`,
    );
  }

  /** Its pipes keep this process alive only while a task process is being started or runs (as a direct child would). */
  private updateRef(): void {
    const child = this.child;
    if (!child) return;
    const busy = this.waiting.size + this.running.size > 0;
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as ({ ref?: () => void; unref?: () => void } | null)[]) {
      if (busy) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}
