// Why: fast unit tests (no service) of the `batch:` URI format and the tail-range arithmetic behind opening huge task files.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatBatchUri, isFollowable, isTaskLog, parseBatchPath } from "../../../src/extension/files/batchUri";
import { directChildren } from "../../../src/extension/files/batchFileClient";
import { formatBytes, tailRange, truncationBanner } from "../../../src/extension/files/tailView";

describe("batch: URIs", () => {
  it("task and node files round-trip through format and parse (decoded paths, as vscode.Uri.path holds them)", () => {
    const task = { account: "local", owner: { kind: "task" as const, jobId: "job-1", taskId: "t_1" }, path: "wd/out dir/a#b.txt" };
    const uri = formatBatchUri(task);
    assert.equal(uri, "batch://local/jobs/job-1/tasks/t_1/files/wd/out%20dir/a%23b.txt");
    const decodedPath = decodeURIComponent(new URL(uri).pathname);
    assert.deepEqual(parseBatchPath("local", decodedPath), task);
    const node = { account: "local", owner: { kind: "node" as const, poolId: "p", nodeId: "n1" }, path: "" };
    assert.equal(formatBatchUri(node), "batch://local/pools/p/nodes/n1/files");
    assert.deepEqual(parseBatchPath("local", "/pools/p/nodes/n1/files"), node);
  });

  it("anything else is not a batch file", () => {
    for (const path of ["/", "/jobs/j", "/jobs/j/tasks/t", "/jobs/j/tasks/t/other/x", "/pools/p/tasks/t/files/x"])
      assert.equal(parseBatchPath("local", path), undefined, path);
    assert.equal(parseBatchPath("", "/jobs/j/tasks/t/files/stdout.txt"), undefined);
  });

  it("stdout and stderr of tasks are followable; task output files are task logs", () => {
    const ref = (path: string, kind: "task" | "node" = "task") =>
      ({ account: "local", owner: kind === "task" ? { kind, jobId: "j", taskId: "t" } : { kind, poolId: "p", nodeId: "n" }, path }) as const;
    assert.equal(isFollowable(ref("stdout.txt")), true);
    assert.equal(isFollowable(ref("wd/stdout.txt")), false);
    assert.equal(isFollowable(ref("stdout.txt", "node")), false);
    assert.deepEqual(
      ["stderr.txt", "wd/fileuploadout.txt", "wd/result.txt"].map((p) => isTaskLog(ref(p))),
      [true, true, false],
    );
  });
});

describe("tail ranges", () => {
  it("a file within the limit is read whole; a larger one only its last maxBytes; 0 means no limit", () => {
    assert.deepEqual(tailRange(100, 4096), { start: 0, end: 99 });
    assert.deepEqual(tailRange(20_000_004, 4 * 1024 * 1024), { start: 20_000_004 - 4_194_304, end: 20_000_003 });
    assert.deepEqual(tailRange(20_000_004, 0), { start: 0, end: 20_000_003 });
    assert.deepEqual(tailRange(0, 10), { start: 0, end: -1 });
  });

  it("the banner says what is shown and how to see more", () => {
    const banner = truncationBanner(20_000_004, 15_805_700);
    assert.match(banner, /^\[Azure Batch\] Truncated: showing the last 4\.0 MiB of 19 MiB \(from byte 15805700\)\..*batchManager\.files\.maxOpenBytes.*\n$/);
    assert.deepEqual([formatBytes(10), formatBytes(2048), formatBytes(5 * 1024 ** 3)], ["10 B", "2.0 KiB", "5.0 GiB"]);
  });

  it("a recursive listing keeps only a folder's direct children and the next link", () => {
    const page = Object.assign([{ name: "wd" }, { name: "wd/a.txt" }, { name: "wd/sub" }, { name: "wd/sub/b.txt" }, { name: "wdx/c" }], {
      odatanextLink: "next",
    });
    const kept = directChildren("wd", page);
    assert.deepEqual(
      kept.map((e) => e.name),
      ["wd/a.txt", "wd/sub"],
    );
    assert.equal(kept.odatanextLink, "next");
    assert.deepEqual(
      directChildren("", [{ name: "stdout.txt" }, { name: "wd" }]).map((e) => e.name),
      ["stdout.txt", "wd"],
    );
  });
});
