// Why: issue 11 part 2 with real processes: two concurrent starts on one folder, a killed service's leftovers, a zombie service.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { CLI, startLocalService, tempDir, waitFor } from "../../support/localService";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startCli(dataDir: string): { done: Promise<Run>; kill: () => void; stdout: () => string } {
  const child = spawn(process.execPath, [CLI, "local", "start", "--port", "0", "--data", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
  return { done, kill: () => child.kill("SIGTERM"), stdout: () => stdout };
}

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, "local", ...args], { encoding: "utf8", timeout: 30_000 });

describe("one owner per data folder", () => {
  it("two concurrent starts on one folder: exactly one runs, the other exits non-zero naming the first's URL", async () => {
    const dataDir = tempDir("two-starts");
    const starts = [startCli(dataDir), startCli(dataDir)];
    try {
      const loser = await Promise.race(starts.map((start, index) => start.done.then((run) => ({ run, index }))));
      const winner = starts[1 - loser.index];
      const line = await waitFor(() => winner.stdout().split("\n")[0] || undefined, "the winner's JSON line", 60_000);
      const { batchUrl } = JSON.parse(line) as { batchUrl: string };
      assert.notEqual(loser.run.code, 0);
      assert.ok(loser.run.stderr.includes(`already runs with data folder ${dataDir} at ${batchUrl}`), loser.run.stderr);
      const status = JSON.parse(cli("status", "--data", dataDir).stdout) as { running: boolean; batchUrl: string };
      assert.deepEqual([status.running, status.batchUrl], [true, batchUrl]);
    } finally {
      for (const start of starts) start.kill();
      await Promise.all(starts.map((start) => start.done));
    }
    assert.equal(fs.existsSync(path.join(dataDir, "service.lock")), false, "a stopped service releases the lock");
  });

  it("a SIGKILLed service's lock and service.json are stale: status says not running, stop removes them, start works", async () => {
    const first = await startLocalService({ nodes: 1 });
    await first.kill();
    const dataDir = first.dataDir;
    assert.ok(fs.existsSync(path.join(dataDir, "service.lock")) && fs.existsSync(path.join(dataDir, "service.json")));
    const status = cli("status", "--data", dataDir);
    assert.equal(status.status, 3);
    assert.equal(JSON.parse(status.stdout).running, false);
    const stop = cli("stop", "--data", dataDir);
    assert.deepEqual(JSON.parse(stop.stdout), { stopped: false, reason: "not running", dataDir, removedStale: ["service.json", "service.lock"] });
    fs.writeFileSync(path.join(dataDir, "service.lock"), JSON.stringify({ pid: first.process.pid, acquiredAt: "x" }));
    const second = await startLocalService({ dataDir, nodes: 1 });
    await second.stop();
  });

  it("stop reports success for a service that exited but is not yet reaped (a zombie)", async () => {
    const dataDir = tempDir("zombie");
    // sh starts the service in the background, then becomes `sleep`, which never reaps it: once it exits it is a zombie
    const parent = spawn("/bin/sh", ["-c", `"${process.execPath}" "${CLI}" local start --port 0 --data "${dataDir}" >/dev/null 2>&1 & exec sleep 300`], {
      stdio: "ignore",
    });
    try {
      const pid = await waitFor(
        () =>
          (JSON.parse(cli("status", "--data", dataDir).stdout) as { pid?: number; running: boolean }).running
            ? (JSON.parse(cli("status", "--data", dataDir).stdout).pid as number)
            : undefined,
        "the service to run",
        60_000,
        200,
      );
      const stop = cli("stop", "--data", dataDir);
      assert.equal(stop.status, 0, stop.stderr);
      assert.deepEqual(JSON.parse(stop.stdout), { stopped: true, pid, dataDir });
      assert.match(fs.readFileSync(`/proc/${pid}/stat`, "utf8"), /\) Z /, "the service is a zombie now");
      assert.equal(cli("status", "--data", dataDir).status, 3);
    } finally {
      parent.kill("SIGKILL");
    }
  });
});
