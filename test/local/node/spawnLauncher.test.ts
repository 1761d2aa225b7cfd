// Why: the spawn launcher with real processes: tasks are its children in their own groups, its death is survived, its stop leaves no task behind.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { createLineLogger } from "../../../src/local/common/logger";
import { exitCodeOf, type ProcessExit, type SpawnRequest } from "../../../src/local/node/processGroup";
import { LAUNCHER_SCRIPT, LauncherLostError, SpawnLauncher } from "../../../src/local/node/spawnLauncher";
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
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NAME: name },
    stdoutFile: path.join(dir, `${name}.out`),
    stderrFile: path.join(dir, `${name}.err`),
  };
}

function launcherWithLog(script?: string): { launcher: SpawnLauncher; log: string[] } {
  const log: string[] = [];
  return {
    launcher: new SpawnLauncher(
      createLineLogger((line) => log.push(line), "debug"),
      500,
      script,
    ),
    log,
  };
}

describe("spawn launcher", () => {
  it("starts each task process as a group leader under the launcher, with its env, cwd, output files, exit code and signal", async () => {
    const { launcher } = launcherWithLog();
    try {
      const started = await launcher.spawn(request("hello", ["/bin/sh", "-c", 'echo "$NAME in $(pwd)"; echo oops >&2; exit 3']));
      const exit = await started.exited;
      assert.deepEqual([exit.code, exit.signal, exitCodeOf(exit)], [3, null, 3]);
      assert.equal(fs.readFileSync(path.join(dir, "hello.out"), "utf8"), `hello in ${dir}\n`);
      assert.equal(fs.readFileSync(path.join(dir, "hello.err"), "utf8"), "oops\n");

      const sleeper = await launcher.spawn(request("sleeper", ["/bin/sleep", "60"]));
      assert.deepEqual([stat(sleeper.pid)?.ppid, stat(sleeper.pid)?.pgid], [launcher.pid, sleeper.pid]);
      assert.notEqual(launcher.pid, process.pid);
      process.kill(-sleeper.pid, "SIGTERM");
      assert.equal(exitCodeOf(await sleeper.exited), 143);
    } finally {
      await launcher.stop();
    }
  });

  it("rejects with the spawn error's code (ENOENT for a missing program, ENOENT for a missing cwd)", async () => {
    const { launcher } = launcherWithLog();
    try {
      await assert.rejects(launcher.spawn(request("missing", ["/no/such/program"])), { code: "ENOENT" });
      await assert.rejects(launcher.spawn({ ...request("nocwd", ["/bin/true"]), cwd: path.join(dir, "absent") }), { code: "ENOENT" });
      await assert.rejects(launcher.spawn({ ...request("nofile", ["/bin/true"]), stdoutFile: path.join(dir, "absent", "x") }), { code: "ENOENT" });
    } finally {
      await launcher.stop();
    }
  });

  it("survives the launcher's death: running tasks are reported lost, the next spawn restarts it, and after 3 deaths the service spawns directly", async () => {
    const { launcher, log } = launcherWithLog();
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
    const { launcher } = launcherWithLog();
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

  it("falls back to spawning directly, and says so, when the launcher script is missing", async () => {
    const { launcher, log } = launcherWithLog(path.join(dir, "no-launcher.js"));
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

  it("stop() ends the launcher and every task group it still runs (SIGTERM, then SIGKILL after the grace)", async () => {
    assert.ok(fs.existsSync(LAUNCHER_SCRIPT), LAUNCHER_SCRIPT);
    const { launcher } = launcherWithLog();
    const polite = await launcher.spawn(request("polite", ["/bin/sleep", "60"]));
    const stubborn = await launcher.spawn(request("stubborn", ["/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"]));
    await waitUntil("the trap to be set", () => fs.readFileSync(path.join(dir, "stubborn.out"), "utf8") === "ready\n");
    const launcherPid = launcher.pid!;
    await launcher.stop();
    await waitUntil("both task groups gone", () => !isAlive(polite.pid) && !isAlive(stubborn.pid));
    assert.equal(isAlive(launcherPid), false);
  });
});
