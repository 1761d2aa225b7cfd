// Why: the README's first command (`batch-manager local demo`) must keep working end to end: service, Azurite, fan-out, gather, outputs.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { CLI, tempDir } from "../support/localService";

describe("batch-manager local demo", () => {
  it("runs the sample job end to end and prints every task's output and the gathered result", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, "local", "demo", "--data", tempDir("demo")], { timeout: 180_000 });
    for (const line of [
      "chapter-1.txt: 12 words",
      "chapter-2.txt: 18 words",
      "chapter-3.txt: 10 words",
      "total words: 40",
      "total.txt (3 bytes)",
      "result: 40",
    ]) {
      assert.ok(stdout.includes(line), `demo output lacks '${line}':\n${stdout}`);
    }
    assert.match(stdout, /task gather: completed, exit code 0/);
  });
});
