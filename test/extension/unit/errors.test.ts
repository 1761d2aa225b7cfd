// Why: plain-node (node:test) unit tests of the error helpers the command wrapper uses (cancellation, "shown once", messages).

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorMessage, isUserCancelled, markReported, UserCancelledError, wasReported } from "../../../src/extension/common/errors";

describe("extension error helpers", () => {
  it("user cancellation is recognised in all its forms", () => {
    assert.equal(isUserCancelled(new UserCancelledError("pick pool")), true);
    const vscodeCancel = Object.assign(new Error("Canceled"), { name: "Canceled" }); // what vscode.CancellationError looks like
    assert.equal(isUserCancelled(vscodeCancel), true);
    assert.equal(isUserCancelled(AbortSignal.abort().reason), true);
    assert.equal(isUserCancelled(new Error("Canceled")), false);
    assert.equal(isUserCancelled(undefined), false);
    assert.equal(isUserCancelled("Canceled"), false);
  });

  it("an error is marked as reported once", () => {
    const error = new Error("x");
    assert.equal(wasReported(error), false);
    markReported(error);
    assert.equal(wasReported(error), true);
    markReported("a string cannot be marked");
    assert.equal(wasReported("a string cannot be marked"), false);
  });

  it("messages are one readable line", () => {
    assert.equal(errorMessage(new Error("first\nsecond")), "first");
    assert.equal(errorMessage("\n  plain  \n"), "plain");
    assert.equal(errorMessage({ code: "PoolNotFound" }), '{"code":"PoolNotFound"}');
    assert.equal(errorMessage(new Error("")), "Error");
    const restError = Object.assign(new Error("Request failed"), { body: { message: { value: "The specified pool does not exist.\nRequestId:1" } } });
    assert.equal(errorMessage(restError), "The specified pool does not exist.");
    assert.equal(errorMessage(undefined), "undefined");
  });
});
