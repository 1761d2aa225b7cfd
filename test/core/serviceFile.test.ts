// Why: `local status`/`stop` decide liveness with isAlive: a running process is alive, an exited-but-unreaped one (a zombie) is not.

import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import { describe, it } from "node:test";
import { isAlive } from "../../src/core/localService/serviceFile";

describe("isAlive", () => {
  it("is true for a running child and false once it has exited, even before its parent reaps it", { skip: process.platform !== "linux" }, async () => {
    // a shell that execs a short sleep in the background and then waits on stdin: its child becomes a zombie it never reaps
    const parent = spawn("/bin/sh", ["-c", "sleep 0.2 & echo $!; exec cat"], { stdio: ["pipe", "pipe", "inherit"] });
    const [line] = (await once(parent.stdout!, "data")) as [Buffer];
    const pid = Number(line.toString().trim());
    try {
      assert.equal(isAlive(pid), true);
      const deadline = Date.now() + 10_000;
      while (!fs.readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.match(fs.readFileSync(`/proc/${pid}/stat`, "utf8"), /\) Z/, "the child is a zombie now");
      assert.equal(isAlive(pid), false, "a zombie is not a running service");
    } finally {
      parent.kill();
    }
    assert.equal(isAlive(2 ** 22 + 12345), false);
  });
});
