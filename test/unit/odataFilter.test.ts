// Why: the $filter subset: comparisons, and/or/not, startswith, nested properties, datetimes, and clear errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BatchServiceError } from "../../src/local/protocol/batchError";
import { compileFilter } from "../../src/local/protocol/odataFilter";

const tasks = [
  { id: "t1", state: "completed", executionInfo: { exitCode: 0, result: "success" }, creationTime: "2026-01-01T00:00:00Z" },
  { id: "t2", state: "completed", executionInfo: { exitCode: 3, result: "failure" }, creationTime: "2026-01-02T00:00:00Z" },
  { id: "x3", state: "active", creationTime: "2026-01-03T00:00:00Z" },
];
const ids = (filter: string) => tasks.filter(compileFilter(filter)).map((task) => task.id);

describe("OData $filter", () => {
  it("compares states", () => assert.deepEqual(ids("state eq 'completed'"), ["t1", "t2"]));
  it("combines with and/or and parentheses", () => {
    assert.deepEqual(ids("(state eq 'active') or (state eq 'completed' and executionInfo/exitCode ne 0)"), ["t2", "x3"]);
  });
  it("supports not and startswith", () => assert.deepEqual(ids("not startswith(id, 't')"), ["x3"]));
  it("compares numbers on nested properties", () => assert.deepEqual(ids("executionInfo/exitCode gt 0"), ["t2"]));
  it("compares datetimes", () => assert.deepEqual(ids("creationTime ge datetime'2026-01-02T00:00:00Z'"), ["t2", "x3"]));
  it("is case-insensitive for string values, as the service", () => assert.deepEqual(ids("state eq 'ACTIVE'"), ["x3"]));
  it("reports a malformed filter as InvalidQueryParameterValue naming $filter", () => {
    assert.throws(
      () => compileFilter("state eq"),
      (error: unknown) => error instanceof BatchServiceError && error.code === "InvalidQueryParameterValue" && error.values[0].value === "$filter",
    );
    assert.throws(() => compileFilter("state == 'x'"), BatchServiceError);
  });
});
