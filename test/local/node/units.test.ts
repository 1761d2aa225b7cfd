// Why: the node agent's pure rules in isolation: ISO 8601 durations, app package variable names, task users, wall-clock limits.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appPackageVariableNames, referenceFromWire } from "../../../src/local/node/appPackageNames";
import { parseIsoDuration } from "../../../src/local/node/isoDuration";
import type { TaskLaunch } from "../../../src/local/node/nodeAgent";
import { wallClockLimit } from "../../../src/local/node/runAttempt";
import { taskUser } from "../../../src/local/node/taskUser";

describe("ISO 8601 durations", () => {
  it("parses the forms the SDK and users send", () => {
    assert.equal(parseIsoDuration("PT1S"), 1000);
    assert.equal(parseIsoDuration("PT0.5S"), 500);
    assert.equal(parseIsoDuration("PT1H30M"), 5_400_000);
    assert.equal(parseIsoDuration("P1DT2H"), 93_600_000);
    assert.equal(parseIsoDuration("P2W"), 14 * 86_400_000);
    assert.equal(parseIsoDuration("P1Y"), 365 * 86_400_000);
    assert.equal(parseIsoDuration("P1M"), 30 * 86_400_000);
    assert.equal(parseIsoDuration("PT1,5S"), 1500);
    assert.equal(parseIsoDuration("P10675199DT2H48M5.4775807S"), 10675199 * 86_400_000 + 2 * 3_600_000 + 48 * 60_000 + 5477.5807);
  });
  it("rejects what is not a duration", () => {
    for (const text of ["", "P", "PT", "1H", "P1DT", "-PT1S", "PT1X", "P1H"]) assert.equal(parseIsoDuration(text), undefined, text);
  });
});

describe("application package variable names (Linux)", () => {
  it("lower-cases and flattens, with a case-preserved alias", () => {
    assert.deepEqual(appPackageVariableNames({ applicationId: "Agent-linux-x64", version: "1.1.46.0" }, "1.1.46.0"), [
      "AZ_BATCH_APP_PACKAGE_agent_linux_x64_1_1_46_0",
      "AZ_BATCH_APP_PACKAGE_Agent_linux_x64_1_1_46_0",
    ]);
    assert.deepEqual(appPackageVariableNames({ applicationId: "blender", version: "2.7" }, "2.7"), ["AZ_BATCH_APP_PACKAGE_blender_2_7"]);
    assert.deepEqual(appPackageVariableNames({ applicationId: "a#b", version: "V1-x#y" }, "V1-x#y"), ["AZ_BATCH_APP_PACKAGE_a_b_V1_x_y"]);
  });
  it("adds the unversioned name for default-version references", () => {
    assert.deepEqual(appPackageVariableNames({ applicationId: "ffmpeg" }, "4.1"), ["AZ_BATCH_APP_PACKAGE_ffmpeg_4_1", "AZ_BATCH_APP_PACKAGE_ffmpeg"]);
  });
  it("takes the application name from a fully qualified pool reference", () => {
    assert.deepEqual(
      referenceFromWire({ applicationId: "/subscriptions/x/resourceGroups/r/providers/Microsoft.Batch/batchAccounts/a/applications/MyApp", version: "1" }),
      { applicationId: "MyApp", version: "1" },
    );
    assert.equal(referenceFromWire({ version: "1" }), undefined);
  });
});

describe("task users", () => {
  it("defaults as observed on Linux nodes", () => {
    assert.deepEqual(taskUser("task", undefined, "t"), { name: "_azbatch", identity: "PoolNonAdmin" });
    assert.deepEqual(taskUser("jobManager", undefined, "jm"), { name: "_azbatch", identity: "PoolNonAdmin" });
    assert.deepEqual(taskUser("startTask", undefined, undefined), { name: "_azbatchtask_start", identity: "TaskNonAdmin" });
  });
  it("auto-user scope and elevation, and named users", () => {
    assert.deepEqual(taskUser("task", { autoUser: { scope: "pool", elevationLevel: "admin" } }, "t"), { name: "_azbatchsudo", identity: "PoolAdmin" });
    assert.deepEqual(taskUser("startTask", { autoUser: { elevationLevel: "admin" } }, undefined), { name: "_azbatchtask_start", identity: "TaskAdmin" });
    assert.deepEqual(taskUser("task", { username: "bob" }, "t"), { name: "bob", identity: "bob" });
  });
});

describe("wall-clock limits", () => {
  const base = { poolId: "p", nodeId: "n", pool: { id: "p" }, retryCount: 0 };
  it("come from constraints, job release has its own (default 15 minutes), the start task none", () => {
    assert.equal(wallClockLimit({ ...base, kind: "task", spec: { constraints: { maxWallClockTime: "PT5M" } } } as TaskLaunch), "PT5M");
    assert.equal(wallClockLimit({ ...base, kind: "task", spec: {} } as TaskLaunch), undefined);
    assert.equal(wallClockLimit({ ...base, kind: "jobRelease", spec: {} } as TaskLaunch), "PT15M");
    assert.equal(wallClockLimit({ ...base, kind: "jobRelease", spec: { maxWallClockTime: "PT1M" } } as TaskLaunch), "PT1M");
    assert.equal(wallClockLimit({ ...base, kind: "startTask", spec: { constraints: { maxWallClockTime: "PT1S" } } } as TaskLaunch), undefined);
  });
});
