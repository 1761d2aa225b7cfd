// Why: the contract's exit-condition, retry and dependency rules as pure functions, case by case (no service needed).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dependencyState } from "../../../src/local/dispatcher/dependencies";
import { effectiveExitOptions, finalFailureInfo, shouldRetry, type ExitConditions } from "../../../src/local/dispatcher/taskOutcome";
import type { TaskRecord } from "../../../src/local/store/model";

describe("exit conditions", () => {
  const conditions: ExitConditions = {
    exitCodes: [
      { code: 0, exitOptions: { jobAction: "terminate" } },
      { code: 3, exitOptions: { dependencyAction: "satisfy" } },
    ],
    exitCodeRanges: [{ start: 10, end: 20, exitOptions: { jobAction: "disable" } }],
    preProcessingError: { jobAction: "none" },
    fileUploadError: { dependencyAction: "satisfy" },
    default: { jobAction: "none", dependencyAction: "block" },
  };

  it("applies an explicit exit-code mapping first, also for 0 and over an upload error", () => {
    assert.deepEqual(effectiveExitOptions(conditions, { exitCode: 0 }), { jobAction: "terminate", dependencyAction: "satisfy" });
    assert.deepEqual(effectiveExitOptions(conditions, { exitCode: 3 }), { jobAction: "terminate", dependencyAction: "satisfy" });
    assert.deepEqual(effectiveExitOptions(conditions, { exitCode: 15 }), { jobAction: "disable", dependencyAction: "block" });
    assert.deepEqual(effectiveExitOptions(conditions, { exitCode: 3, failureKind: "fileUpload" }), { jobAction: "terminate", dependencyAction: "satisfy" });
  });

  it("uses preProcessingError / fileUploadError, then default, with failure defaults", () => {
    assert.deepEqual(effectiveExitOptions(conditions, { failureKind: "preProcessing" }), { jobAction: "none", dependencyAction: "block" });
    assert.deepEqual(effectiveExitOptions(conditions, { exitCode: 1, failureKind: "fileUpload" }), { jobAction: "terminate", dependencyAction: "satisfy" });
    assert.deepEqual(effectiveExitOptions(conditions, { exitCode: 1 }), { jobAction: "none", dependencyAction: "block" });
    assert.deepEqual(effectiveExitOptions({ default: { dependencyAction: "satisfy" } }, { failureKind: "preProcessing" }), {
      jobAction: "terminate",
      dependencyAction: "satisfy",
    });
  });

  it("treats a plain exit 0 as success and anything else without conditions as failure", () => {
    assert.deepEqual(effectiveExitOptions(undefined, { exitCode: 0 }), { jobAction: "none", dependencyAction: "satisfy" });
    assert.deepEqual(effectiveExitOptions(undefined, { exitCode: 2 }), { jobAction: "terminate", dependencyAction: "block" });
    assert.deepEqual(effectiveExitOptions(undefined, { exitCode: 0, failureKind: "fileUpload" }), { jobAction: "terminate", dependencyAction: "block" });
    assert.deepEqual(effectiveExitOptions(undefined, { failureKind: "timeout" }), { jobAction: "terminate", dependencyAction: "block" });
  });

  it("retries non-zero exit codes only, up to the limit (-1 unlimited)", () => {
    assert.equal(shouldRetry({ exitCode: 1 }, 0, 1), true);
    assert.equal(shouldRetry({ exitCode: 1 }, 1, 1), false);
    assert.equal(shouldRetry({ exitCode: 1 }, 50, -1), true);
    assert.equal(shouldRetry({ exitCode: 0 }, 0, 3), false);
    assert.equal(shouldRetry({ failureKind: "preProcessing" }, 0, 3), false);
    assert.equal(shouldRetry({ exitCode: 1, failureKind: "fileUpload" }, 0, 3), false);
    assert.equal(shouldRetry({ exitCode: 137, failureKind: "timeout" }, 0, 3), false);
  });

  it("reports FailureExitCode for a plain non-zero exit and keeps the agent's failureInfo otherwise", () => {
    assert.equal(finalFailureInfo({ exitCode: 4 })?.code, "FailureExitCode");
    assert.equal(finalFailureInfo({ exitCode: 0 }), undefined);
    assert.equal(
      finalFailureInfo({ exitCode: 0, failureInfo: { category: "usererror", code: "FileUploadContainerNotFound", message: "x" } })?.code,
      "FileUploadContainerNotFound",
    );
  });
});

describe("dependencies", () => {
  const task = (id: string, state: string, dependencyAction?: "satisfy" | "block"): TaskRecord => ({
    jobId: "j",
    wire: { id, state },
    local: { sequence: 0, dependencyAction },
  });
  const tasks = [
    task("a", "completed", "satisfy"),
    task("b", "completed", "block"),
    task("c", "running"),
    task("1", "completed", "satisfy"),
    task("2", "completed", "satisfy"),
    task("3", "active"),
  ];
  const lookup = (id: string) => tasks.find((candidate) => candidate.wire.id === id);
  const all = () => tasks;

  it("is satisfied when every parent completed with satisfy, blocked by any block, else waiting", () => {
    assert.equal(dependencyState(undefined, lookup, all), "satisfied");
    assert.equal(dependencyState({ taskIds: ["a"] }, lookup, all), "satisfied");
    assert.equal(dependencyState({ taskIds: ["a", "c"] }, lookup, all), "waiting");
    assert.equal(dependencyState({ taskIds: ["c", "b"] }, lookup, all), "blocked");
    assert.equal(dependencyState({ taskIds: ["missing"] }, lookup, all), "waiting");
  });

  it("expands inclusive numeric ranges (decimal ids), also huge ones", () => {
    assert.equal(dependencyState({ taskIdRanges: [{ start: 1, end: 2 }] }, lookup, all), "satisfied");
    assert.equal(dependencyState({ taskIdRanges: [{ start: 1, end: 3 }] }, lookup, all), "waiting");
    assert.equal(dependencyState({ taskIdRanges: [{ start: 1, end: 1_000_000 }] }, lookup, all), "waiting");
    assert.equal(dependencyState({ taskIdRanges: [{ start: 1, end: 2 }], taskIds: ["b"] }, lookup, all), "blocked");
  });
});
