// Why: the spawn launcher in Node, where the Python one (spawn_launcher.py) cannot run: a small long-lived process that starts task processes for the service, since fork cost grows with the parent's size.
// Started by SpawnLauncher (spawnLauncher.ts), JSON lines on stdin/stdout; it starts tasks with processGroup.ts (Node built-ins only), so its bundle stays tiny.
import { signalGroup, spawnTaskProcess } from "./processGroup";
import { LAUNCHER_GRACE_ENV, type LauncherReply, type LaunchMessage, lineReader } from "./spawnLauncherProtocol";

/** launch id → pid of every group leader started here and not yet exited */
const running = new Map<number, number>();
const graceMs = Number(process.env[LAUNCHER_GRACE_ENV] ?? 5000);

function reply(message: LauncherReply): void {
  if (process.stdout.writable) process.stdout.write(`${JSON.stringify(message)}\n`);
}

function launch(request: LaunchMessage): void {
  try {
    const child = spawnTaskProcess(request);
    let spawned = false;
    child.once("error", (error: NodeJS.ErrnoException) => {
      if (!spawned) reply({ type: "failed", id: request.id, code: error.code, message: error.message });
    });
    child.once("spawn", () => {
      spawned = true;
      running.set(request.id, child.pid!);
      reply({ type: "spawned", id: request.id, pid: child.pid! });
    });
    child.once("exit", (code, signal) => {
      if (!running.delete(request.id)) return;
      reply({ type: "exit", id: request.id, code, signal });
    });
  } catch (error) {
    reply({ type: "failed", id: request.id, code: (error as NodeJS.ErrnoException).code, message: (error as Error).message });
  }
}

function signalGroups(pgids: number[], signal: NodeJS.Signals): void {
  for (const pgid of pgids) signalGroup(pgid, signal);
}

/** The service is gone (stopped or crashed): no task process may outlive it, so stop every group started here, then exit. */
function shutdown(): void {
  const pgids = [...running.values()];
  signalGroups(pgids, "SIGTERM");
  const deadline = Date.now() + graceMs;
  const poll = setInterval(() => {
    const left = pgids.filter((pgid) => signalGroup(pgid, 0));
    if (left.length > 0 && Date.now() < deadline) return;
    signalGroups(left, "SIGKILL");
    clearInterval(poll);
    process.exit(0);
  }, 50);
}

process.stdin.on(
  "data",
  lineReader((line) => {
    const message = JSON.parse(line) as LaunchMessage;
    if (message?.type === "spawn") launch(message);
  }),
);
process.stdin.once("end", shutdown);
// a closed stdout (the service died) ends writes with EPIPE: stdin's end follows
process.stdout.on("error", () => undefined);
// Ctrl-C in a terminal reaches the whole foreground group: the service decides what to stop, then closes stdin
process.on("SIGINT", () => undefined);
reply({ type: "ready" });
