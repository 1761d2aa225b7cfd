// Why: the README's first command (`npm run demo` → `batch-manager demo`) must keep telling the whole story: service, scaffold, install, deploy, run, outputs.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { CLI, tempDir } from "../support/localService";
import { runningLocalService } from "../../src/core/localService/localServiceLease";

describe("batch-manager demo", () => {
  it("scaffolds, installs, deploys and runs a scatter-gather workload on a local service it starts, prints every output, and stops the service", async () => {
    const scratch = tempDir("demo");
    const data = path.join(scratch, "local");
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, "demo", "--data", data, "--dir", path.join(scratch, "word-count")], {
      timeout: 300_000,
    });
    for (const expected of [
      /^1\/5 local Batch service/m,
      /^2\/5 batch-manager new .*--template scatter-gather$/m,
      /^3\/5 npm install$/m,
      /activating word-count 1\.0\.0/,
      /^5\/5 job word-count-\S+: completed; the FinalizeTask reported 'succeeded' \(5\/5 tasks succeeded\)$/m,
      /task 4 \(GatherTask\): completed, exit code 0/,
      /counts\/chapter-2\.txt\.count\.json: \{"file":"chapter-2\.txt","lines":1,"words":18\}/,
      /report\.json: .*"totalWords":40/,
    ]) {
      assert.match(stdout, expected);
    }
    assert.ok(fs.existsSync(path.join(scratch, "word-count", ".vscode", "launch.json")), "the workload the demo made is there to open and debug");
    assert.equal(runningLocalService(data), undefined, "the demo stops the service it started");
  });
});
