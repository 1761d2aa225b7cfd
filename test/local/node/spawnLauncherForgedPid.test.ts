// Why: the root spawn launcher relays an account launcher's "spawned" only for its own task: a forged pid (another group, another user) is refused and that launcher killed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { before, describe, it } from "node:test";
import { pythonLauncherScript } from "../../../src/local/node/spawnLauncher";

/**
 * Drives the real launcher code (spawn_launcher.py, imported as a module) against real processes and a real socket pair:
 * a `sleep` stands in for the account launcher (its pid is what the launcher kills), its children for its tasks.
 */
const PROBE = String.raw`
import importlib.util, json, os, signal, socket, subprocess, sys, time
spec = importlib.util.spec_from_file_location("spawn_launcher", sys.argv[1])
launcher_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(launcher_module)

me = (os.getuid(), os.getgid())
leader = subprocess.Popen(["sleep", "30"], start_new_session=True)
member = subprocess.Popen(["sleep", "30"])
gone = subprocess.Popen(["true"], start_new_session=True)
gone.wait()
account = launcher_module.AccountLauncher(me, os.getpid(), None)
other_user = launcher_module.AccountLauncher((me[0] + 1, me[1]), os.getpid(), None)
launcher = launcher_module.Launcher(0, 1)
checks = {
    "its own group leader": launcher.is_task_of(account, leader.pid),
    "a child that leads no group": launcher.is_task_of(account, member.pid),
    "a process that is not its child": launcher.is_task_of(account, os.getppid()),
    "its task as seen for another account": launcher.is_task_of(other_user, leader.pid),
    "pid 1": launcher.is_task_of(account, 1),
    "pid 0": launcher.is_task_of(account, 0),
    "a pid that is not a number": launcher.is_task_of(account, str(leader.pid)),
    "a task already reaped": launcher.is_task_of(account, gone.pid),
}

# the relay: an account launcher whose "spawned" names a process that is not its task
stand_in = subprocess.Popen(["sleep", "30"], start_new_session=True)
ours, theirs = socket.socketpair()
forger = launcher_module.AccountLauncher(me, stand_in.pid, ours)
launcher.delegated["r1"] = me
theirs.sendall(json.dumps({"type": "spawned", "id": "r1", "pid": os.getppid()}).encode() + b"\n")
launcher.relay(forger)
refused = [json.loads(line) for line in launcher.outbox]
stand_in_status = stand_in.wait(timeout=10)

# the same relay passes a true task on unchanged
honest = launcher_module.AccountLauncher(me, os.getpid(), ours)
launcher.outbox.clear()
launcher.delegated["r2"] = me
theirs.sendall(json.dumps({"type": "spawned", "id": "r2", "pid": leader.pid}).encode() + b"\n")
launcher.relay(honest)
passed = [json.loads(line) for line in launcher.outbox]

for process in (leader, member):
    process.kill()
    process.wait()
print(json.dumps({"checks": checks, "refused": refused, "standInSignal": -stand_in_status, "delegated": sorted(launcher.delegated), "passed": passed, "leader": leader.pid}))
`;

describe("spawn launcher: a forged pid from an account launcher", { skip: !pythonLauncherScript() && "spawn_launcher.py not found" }, () => {
  // biome-ignore lint/suspicious/noExplicitAny: the probe's JSON
  let result: any;
  before(() => {
    result = JSON.parse(execFileSync("python3", ["-c", PROBE, pythonLauncherScript()!], { encoding: "utf8", timeout: 30_000 }));
  });

  it("takes only a group leader that is the account launcher's child, run as that account (or one already reaped)", () => {
    assert.deepEqual(result.checks, {
      "its own group leader": true,
      "a child that leads no group": false,
      "a process that is not its child": false,
      "its task as seen for another account": false,
      "pid 1": false,
      "pid 0": false,
      "a pid that is not a number": false,
      "a task already reaped": true,
    });
  });

  it("answers the service with a failure (EPERM) instead of the forged pid, and kills the account launcher", () => {
    assert.equal(result.refused.length, 1);
    assert.deepEqual(
      { type: result.refused[0].type, id: result.refused[0].id, code: result.refused[0].code, pid: result.refused[0].pid },
      { type: "failed", id: "r1", code: "EPERM", pid: undefined },
    );
    assert.equal(result.standInSignal, 9, "the account launcher stand-in was killed with SIGKILL");
    assert.deepEqual(result.delegated, ["r2"], "the refused request is no longer waited for; the true one still waits for its exit");
  });

  it("passes a true task's spawned on unchanged", () => {
    assert.deepEqual(result.passed, [{ type: "spawned", id: "r2", pid: result.leader }]);
  });
});
