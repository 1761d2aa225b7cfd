// Why: reportProgress's file — what progress.json contains, that it is replaced atomically, and which percentages are refused.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROGRESS_FILE_NAME, PROGRESS_TASK_FILE_PATH } from "../../src/runtime";
import { checkPercent, parseProgress, writeProgressFile } from "../../src/runtime/progress/progressFile";
import { tempDir } from "../support/localService";

describe("progress file", () => {
  it("writes progress.json in the working directory with percent, message, ids and time", () => {
    const dir = tempDir("progress");
    const before = Date.now();
    writeProgressFile(dir, { percent: 33.333, message: "one of three", jobId: "job-1", taskId: "7" });
    const text = fs.readFileSync(path.join(dir, PROGRESS_FILE_NAME), "utf8");
    assert.ok(text.endsWith("}\n"));
    const progress = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual({ ...progress, updatedAt: undefined }, { percent: 33.3, message: "one of three", jobId: "job-1", taskId: "7", updatedAt: undefined });
    assert.ok(Date.parse(progress.updatedAt as string) >= before - 1000);
    assert.equal(PROGRESS_TASK_FILE_PATH, "wd/progress.json", "the task-file API path Batch clients read");
  });

  it("replaces the file whole (temp file + rename): only the latest report is there, no temp files left", () => {
    const dir = tempDir("progress");
    for (let percent = 0; percent <= 100; percent += 10) writeProgressFile(dir, { percent, message: `at ${percent}` });
    assert.deepEqual(fs.readdirSync(dir), [PROGRESS_FILE_NAME]);
    assert.deepEqual(parseProgress(fs.readFileSync(path.join(dir, PROGRESS_FILE_NAME), "utf8")) && { percent: 100, message: "at 100" }, {
      percent: 100,
      message: "at 100",
    });
  });

  it("refuses percentages outside 0-100 and non-numbers", () => {
    for (const bad of [-1, 100.5, Number.NaN, Number.POSITIVE_INFINITY, "50" as unknown as number]) {
      assert.throws(() => checkPercent(bad), RangeError);
    }
    assert.equal(checkPercent(0), 0);
    assert.equal(checkPercent(100), 100);
  });

  it("parseProgress ignores what is not a progress record", () => {
    assert.equal(parseProgress("not json"), undefined);
    assert.equal(parseProgress('{"percent":"x"}'), undefined);
  });
});
