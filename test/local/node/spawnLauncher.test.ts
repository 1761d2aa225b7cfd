// Why: the spawn launcher with real processes: tasks are its children in their own groups, its death is survived, its stop leaves no task behind.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { createLineLogger } from "../../../src/local/common/logger";
import { exitCodeOf, groupMembers, type ProcessExit, type SpawnRequest, TaskFolderError } from "../../../src/local/node/processGroup";
import { LAUNCHER_SCRIPT, type LauncherKind, LauncherLostError, pythonLauncherScript, SpawnLauncher } from "../../../src/local/node/spawnLauncher";
import { READ_BYTES, USER_MS, WRITE_BYTES, WRITE_OPS } from "../../../src/local/store/lifetimeTotals";
import { tempDir } from "./helpers";

const dir = tempDir("spawn-launcher");
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** ppid, pgid and state from /proc/<pid>/stat; undefined once the process is gone */
function stat(pid: number): { ppid: number; pgid: number; state: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}
const readComm = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return undefined;
  }
};
const isAlive = (pid: number) => (stat(pid)?.state ?? "Z") !== "Z";

async function waitUntil(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function request(name: string, argv: string[]): SpawnRequest {
  return {
    argv,
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NAME: name, PWD: dir },
    stdoutFile: path.join(dir, `${name}.out`),
    stderrFile: path.join(dir, `${name}.err`),
  };
}

/** A launcher of one kind (`python`: the Python launcher must be the one that runs; `node`: Python is never tried). */
function launcherWithLog(
  kind: LauncherKind,
  options: { nodeScript?: string; pythonScript?: string; pythonReadyTimeoutMs?: number } = {},
): { launcher: SpawnLauncher; log: string[] } {
  const log: string[] = [];
  return {
    launcher: new SpawnLauncher(
      createLineLogger((line) => log.push(line), "debug"),
      500,
      {
        figuresDir: path.join(dir, "figures"),
        ...(options.nodeScript ? { nodeScript: options.nodeScript } : {}),
        pythonScript: kind === "python" ? (options.pythonScript ?? pythonLauncherScript()) : null,
        ...(options.pythonReadyTimeoutMs ? { pythonReadyTimeoutMs: options.pythonReadyTimeoutMs } : {}),
      },
    ),
    log,
  };
}

for (const kind of ["python", "node"] as const) {
  describe(`spawn launcher (${kind})`, () => {
    it("starts each task process as a group leader under the launcher, with its env, cwd, output files, exit code and signal", async () => {
      const { launcher } = launcherWithLog(kind);
      try {
        assert.equal(launcher.launcherKind, undefined);
        const started = await launcher.spawn(request("hello", ["/bin/sh", "-c", 'echo "$NAME in $(pwd)"; echo oops >&2; exit 3']));
        const exit = await started.exited;
        assert.deepEqual([exit.code, exit.signal, exitCodeOf(exit)], [3, null, 3]);
        assert.equal(fs.readFileSync(path.join(dir, "hello.out"), "utf8"), `hello in ${dir}\n`);
        assert.equal(fs.readFileSync(path.join(dir, "hello.err"), "utf8"), "oops\n");
        assert.equal(launcher.launcherKind, kind);

        const sleeper = await launcher.spawn(request("sleeper", ["/bin/sleep", "60"]));
        assert.deepEqual([stat(sleeper.pid)?.ppid, stat(sleeper.pid)?.pgid], [launcher.pid, sleeper.pid]);
        assert.notEqual(launcher.pid, process.pid);
        // under the Node launcher the group leader is the dash figures wrapper: a SIGTERM that reaches it before it has
        // started `sleep` is its trap's alone (a real stop follows with SIGKILL); signal the group once sleep runs
        await waitUntil("sleep to run in the task's group", () => (groupMembers(sleeper.pid) ?? []).some((member) => readComm(member) === "sleep"));
        process.kill(-sleeper.pid, "SIGTERM");
        assert.equal(exitCodeOf(await sleeper.exited), 143);
      } finally {
        await launcher.stop();
      }
    });

    it("rejects with the spawn error's code (ENOENT for a missing program, ENOENT for a missing cwd)", async () => {
      const { launcher } = launcherWithLog(kind);
      try {
        await assert.rejects(launcher.spawn(request("missing", ["/no/such/program"])), { code: "ENOENT" });
        await assert.rejects(launcher.spawn({ ...request("nocwd", ["/bin/true"]), cwd: path.join(dir, "absent") }), { code: "ENOENT" });
        await assert.rejects(launcher.spawn({ ...request("nofile", ["/bin/true"]), stdoutFile: path.join(dir, "absent", "x") }), { code: "ENOENT" });
      } finally {
        await launcher.stop();
      }
    });

    it("makes the request's folders first (parents as needed), given to the task's account with its outputs; a folder it cannot make starts nothing", async () => {
      const { launcher } = launcherWithLog(kind);
      const owner = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      // the service's folders above the task directory: the account may pass through, as prepareNode leaves them
      fs.chmodSync(dir, 0o711);
      const taskDir = path.join(dir, `made-${kind}`, "job-1", "task");
      const work = path.join(taskDir, "wd");
      try {
        const started = await launcher.spawn({
          ...request("made", ["/bin/sh", "-c", "pwd; id -u; touch inside"]),
          cwd: work,
          env: { PATH: "/usr/bin:/bin", PWD: work },
          stdoutFile: path.join(taskDir, "stdout.txt"),
          stderrFile: path.join(taskDir, "stderr.txt"),
          makeDirs: [taskDir, work, path.join(taskDir, "certs")],
          ...owner,
        });
        assert.equal(exitCodeOf(await started.exited), 0, fs.readFileSync(path.join(taskDir, "stderr.txt"), "utf8"));
        assert.equal(fs.readFileSync(path.join(taskDir, "stdout.txt"), "utf8"), `${work}\n${owner.uid ?? process.getuid?.()}\n`);
        const uid = owner.uid ?? process.getuid?.();
        for (const entry of [
          taskDir,
          work,
          path.join(taskDir, "certs"),
          path.join(taskDir, "stdout.txt"),
          path.join(taskDir, "stderr.txt"),
          path.join(work, "inside"),
        ])
          assert.equal(fs.statSync(entry).uid, uid, entry);
        // the job's folder above it stays the service's
        assert.equal(fs.statSync(path.dirname(taskDir)).uid, process.getuid?.());

        // a file where a folder must go: the spawn fails as a folder error, and no process ran
        const blocked = path.join(dir, `blocked-${kind}`);
        fs.writeFileSync(blocked, "");
        await assert.rejects(
          launcher.spawn({ ...request("blocked", ["/bin/sh", "-c", "echo ran"]), makeDirs: [path.join(blocked, "task")], ...owner }),
          (error: Error & { code?: string }) => error instanceof TaskFolderError && error.code === "ENOTDIR" && error.message.includes(blocked),
        );
        assert.equal(fs.existsSync(path.join(dir, "blocked.out")), false, "nothing was started");
      } finally {
        await launcher.stop();
      }
    });

    it("survives the launcher's death: running tasks are reported lost, the next spawn restarts it, and after 3 deaths the service spawns directly", async () => {
      const { launcher, log } = launcherWithLog(kind);
      try {
        for (let death = 1; death <= 3; death++) {
          const running = await launcher.spawn(request(`victim${death}`, ["/bin/sleep", "60"]));
          const launcherPid = launcher.pid!;
          assert.equal(stat(running.pid)?.ppid, launcherPid);
          process.kill(launcherPid, "SIGKILL");
          assert.equal((await running.exited).lost, true, "the exit status of a task whose launcher died is unknown");
          assert.ok(isAlive(running.pid), "the task itself is not killed by the launcher's SIGKILL");
          process.kill(-running.pid, "SIGKILL");
          assert.ok(
            log.some((line) => line.includes(`spawn launcher (pid ${launcherPid}) exited with SIGKILL`)),
            log.join("\n"),
          );
        }
        assert.ok(
          log.some((line) => line.includes("spawning task processes from the service directly from now on")),
          log.join("\n"),
        );
        const direct = await launcher.spawn(request("direct", ["/bin/sh", "-c", "exit 5"]));
        assert.equal(exitCodeOf(await direct.exited), 5);
        assert.equal(launcher.pid, undefined);
      } finally {
        await launcher.stop();
      }
    });

    it("a request the launcher never answered is rejected as lost (the attempt is then requeued)", async () => {
      const { launcher } = launcherWithLog(kind);
      try {
        await (await launcher.spawn(request("warm", ["/bin/true"]))).exited;
        const pending = launcher.spawn(request("unanswered", ["/bin/true"]));
        process.kill(launcher.pid!, "SIGKILL");
        // the launcher may have answered before the SIGKILL landed: both outcomes are legitimate, silence is not
        const outcome = await pending.then((started) => started.exited).catch((error: unknown) => error);
        const exit = outcome as ProcessExit;
        assert.ok(outcome instanceof LauncherLostError || exit.lost === true || exit.code === 0, JSON.stringify(outcome));
      } finally {
        await launcher.stop();
      }
    });

    it("measures the task's CPU and I/O with those of the children it waited for, and the next task's figures are its own", async () => {
      const { launcher } = launcherWithLog(kind);
      try {
        const busy = await launcher.spawn({
          ...request("busy", ["/bin/sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; head -c 2000000 /dev/zero > busy.bin"]),
          env: { PATH: "/usr/bin:/bin", PWD: dir },
        });
        const busyExit = await busy.exited;
        assert.equal(busyExit.code, 0);
        const figures = busyExit.figures;
        assert.ok(figures && figures[USER_MS] > 0, `user CPU measured: ${figures}`);
        assert.ok(figures[WRITE_BYTES] >= 2_000_000 && figures[WRITE_OPS] > 0, `head's 2 MB written: ${figures}`);
        const quiet = await (await launcher.spawn({ ...request("quiet", ["/bin/sh", "-c", "exit 4"]), env: { PATH: "/usr/bin:/bin", PWD: dir } })).exited;
        assert.equal(quiet.code, 4);
        assert.ok(quiet.figures, "the second task has figures of its own");
        assert.ok(quiet.figures[WRITE_BYTES] < 1000 && quiet.figures[READ_BYTES] < 1_000_000, `not the first task's: ${quiet.figures}`);
      } finally {
        await launcher.stop();
      }
    });

    it("falls back to spawning directly, and says so, when the launcher script is missing", async () => {
      const { launcher, log } = launcherWithLog("node", { nodeScript: path.join(dir, "no-launcher.js") });
      const started = await launcher.spawn(request("fallback", ["/bin/sleep", "60"]));
      assert.deepEqual([stat(started.pid)?.ppid, stat(started.pid)?.pgid], [process.pid, started.pid]);
      process.kill(-started.pid, "SIGKILL");
      await started.exited;
      assert.ok(
        log.some((line) => line.includes("not found: spawning task processes from the service directly")),
        log.join("\n"),
      );
      await launcher.stop();
    });

    if (kind === "python") {
      const asRoot = process.getuid?.() === 0;
      /** a folder `nobody` may work in, with a request that runs there as nobody */
      const nobodyRequest = (name: string, argv: string[]): SpawnRequest => {
        const work = path.join(dir, "nobody");
        fs.mkdirSync(work, { recursive: true, mode: 0o777 });
        fs.chmodSync(dir, 0o711);
        fs.chmodSync(work, 0o777);
        return {
          ...request(name, argv),
          cwd: work,
          env: { PATH: "/usr/bin:/bin", PWD: work },
          stdoutFile: path.join(work, `${name}.out`),
          stderrFile: path.join(work, `${name}.err`),
          uid: 65534,
          gid: 65534,
        };
      };
      const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);

      it("runs another account's tasks under an account launcher that dropped to that account, measured the same way", {
        skip: !asRoot && "needs root",
      }, async () => {
        const { launcher } = launcherWithLog(kind);
        try {
          const first = await launcher.spawn(nobodyRequest("as-nobody", ["/bin/sh", "-c", "head -c 300000 /dev/zero > out.bin; id -u; sleep 60"]));
          await waitUntil("the task to print its uid", () => fs.readFileSync(path.join(dir, "nobody", "as-nobody.out"), "utf8").length > 0);
          assert.equal(fs.readFileSync(path.join(dir, "nobody", "as-nobody.out"), "utf8"), "65534\n");
          const accountLauncher = stat(first.pid)!.ppid;
          assert.notEqual(accountLauncher, launcher.pid);
          assert.equal(stat(accountLauncher)?.ppid, launcher.pid, "the account launcher is the launcher's child");
          assert.equal(uidOf(accountLauncher), 65534, "it holds no root rights");
          process.kill(-first.pid, "SIGTERM");
          const exit = await first.exited;
          assert.equal(exit.signal, "SIGTERM", JSON.stringify(exit));
          assert.ok(exit.figures && exit.figures[WRITE_BYTES] >= 300_000, `measured: ${exit.figures}`);
          // the next task of that account reuses it
          const second = await launcher.spawn(nobodyRequest("again", ["/bin/sleep", "60"]));
          assert.equal(stat(second.pid)?.ppid, accountLauncher);
          // its death loses only its own task, which is reported lost; the next one gets a new account launcher
          process.kill(accountLauncher, "SIGKILL");
          assert.equal((await second.exited).lost, true);
          process.kill(-second.pid, "SIGKILL");
          const third = await launcher.spawn(nobodyRequest("third", ["/bin/sh", "-c", "exit 9"]));
          assert.equal(exitCodeOf(await third.exited), 9);
          assert.equal(isAlive(launcher.pid!), true, "the launcher itself lives on");
        } finally {
          await launcher.stop();
        }
      });

      it("starts another account launcher for the account while its first is busy starting a task, and reuses the first once it is free", {
        skip: (!asRoot && "needs root") || (os.cpus().length < 2 && "one account launcher per core: needs 2 cores"),
      }, async () => {
        const { launcher } = launcherWithLog(kind);
        // a FIFO as stdout.txt holds the first account launcher in open() until the test reads it: it is busy starting
        const fifo = path.join(dir, "nobody", "held.out");
        let reader: number | undefined;
        let giveUp: NodeJS.Timeout | undefined;
        // a reader that does not wait lets the blocked open() go on (also when the test fails early)
        const unblock = () => {
          if (reader === undefined && fs.existsSync(fifo)) reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        };
        try {
          fs.mkdirSync(path.dirname(fifo), { recursive: true, mode: 0o777 });
          fs.rmSync(fifo, { force: true });
          execFileSync("mkfifo", ["-m", "666", fifo]);
          const held = launcher.spawn({ ...nobodyRequest("held", ["/bin/sleep", "60"]), stdoutFile: fifo });
          const meanwhile = await Promise.race([
            launcher.spawn(nobodyRequest("meanwhile", ["/bin/sleep", "60"])),
            new Promise<never>((_, reject) => {
              giveUp = setTimeout(() => reject(new Error("the second request waited behind the busy account launcher")), 10_000);
            }),
          ]);
          unblock();
          const first = await held;
          const [busyLauncher, secondLauncher] = [stat(first.pid)?.ppid, stat(meanwhile.pid)?.ppid];
          assert.notEqual(secondLauncher, busyLauncher, "the second request went to another account launcher");
          for (const account of [busyLauncher!, secondLauncher!]) {
            assert.equal(stat(account)?.ppid, launcher.pid, "each account launcher is the launcher's child");
            assert.equal(uidOf(account), 65534, "each holds no root rights");
          }
          for (const task of [first, meanwhile]) process.kill(-task.pid, "SIGKILL");
          for (const task of [first, meanwhile]) assert.equal((await task.exited).signal, "SIGKILL");
          const next = await launcher.spawn(nobodyRequest("next", ["/bin/sleep", "60"]));
          assert.equal(stat(next.pid)?.ppid, busyLauncher, "a free first account launcher takes the next request");
          process.kill(-next.pid, "SIGKILL");
          await next.exited;
        } finally {
          clearTimeout(giveUp);
          unblock();
          await launcher.stop();
          if (reader !== undefined) fs.closeSync(reader);
        }
      });

      it("stop() also ends the tasks of account launchers, and the account launchers", { skip: !asRoot && "needs root" }, async () => {
        const { launcher } = launcherWithLog(kind);
        const task = await launcher.spawn(nobodyRequest("stopped", ["/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"]));
        await waitUntil("the trap to be set", () => fs.readFileSync(path.join(dir, "nobody", "stopped.out"), "utf8") === "ready\n");
        const accountLauncher = stat(task.pid)!.ppid;
        await launcher.stop();
        await waitUntil("the task and its account launcher gone", () => !isAlive(task.pid) && !isAlive(accountLauncher));
      });

      it("uses the Node launcher, and says why, when Python cannot run the launcher (no interpreter, too old, no answer)", async () => {
        const broken = path.join(dir, "broken_launcher.py");
        fs.writeFileSync(broken, "import sys\nsys.stderr.write('needs Python 3.9 or later\\n')\nsys.exit(3)\n");
        const { launcher, log } = launcherWithLog("python", { pythonScript: broken });
        try {
          const exit = await (await launcher.spawn(request("after-fallback", ["/bin/sh", "-c", "exit 6"]))).exited;
          assert.equal(exitCodeOf(exit), 6);
          assert.equal(launcher.launcherKind, "node");
          assert.ok(exit.figures, "the Node launcher's tasks are measured through the dash wrapper");
          assert.ok(
            log.some((line) => line.includes("the Python launcher cannot run here (3: needs Python 3.9 or later)")),
            log.join("\n"),
          );
          // the Python launcher is not tried again for the next task
          assert.equal(exitCodeOf(await (await launcher.spawn(request("next", ["/bin/true"]))).exited), 0);
          assert.equal(log.filter((line) => line.includes("cannot run here")).length, 1);
        } finally {
          await launcher.stop();
        }
      });

      it("a Python launcher that never says it is ready is replaced by the Node one", async () => {
        const silent = path.join(dir, "silent_launcher.py");
        fs.writeFileSync(silent, "import time\ntime.sleep(600)\n");
        const { launcher, log } = launcherWithLog("python", { pythonScript: silent, pythonReadyTimeoutMs: 1500 });
        try {
          const exit = await (await launcher.spawn(request("after-silence", ["/bin/sh", "-c", "exit 2"]))).exited;
          assert.equal(exitCodeOf(exit), 2);
          assert.ok(
            log.some((line) => line.includes("no answer within")),
            log.join("\n"),
          );
        } finally {
          await launcher.stop();
        }
      });
    }

    it("stop() ends the launcher and every task group it still runs (SIGTERM, then SIGKILL after the grace)", async () => {
      assert.ok(fs.existsSync(LAUNCHER_SCRIPT), LAUNCHER_SCRIPT);
      const { launcher } = launcherWithLog(kind);
      const polite = await launcher.spawn(request("polite", ["/bin/sleep", "60"]));
      const stubborn = await launcher.spawn(request("stubborn", ["/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"]));
      await waitUntil("the trap to be set", () => fs.readFileSync(path.join(dir, "stubborn.out"), "utf8") === "ready\n");
      const launcherPid = launcher.pid!;
      await launcher.stop();
      await waitUntil("both task groups gone", () => !isAlive(polite.pid) && !isAlive(stubborn.pid));
      assert.equal(isAlive(launcherPid), false);
    });
  });
}
