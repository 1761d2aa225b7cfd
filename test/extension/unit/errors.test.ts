// Why: plain-node (node:test) unit tests of the error helpers the command wrapper uses (cancellation, "shown once", messages).

import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import * as assert from "node:assert/strict";
import * as net from "node:net";
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

  it("a service that does not answer is named by its address, not by a request URL (real SDK, real refused socket)", async () => {
    // a port that was just free: nothing listens on it
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    // without retries, as the extension's clients are (src/core/localService/batchClient.ts): the SDK's default retries
    // of a refused connection take 30 s and end in the same error
    const client = new BatchServiceClient(new BatchSharedKeyCredentials("localbatch", "a2V5"), `http://127.0.0.1:${port}`, { noRetryPolicy: true });
    const error = await client.job.list({ jobListOptions: { maxResults: 50 } }).then(
      () => assert.fail("the request succeeded"),
      (e: unknown) => e,
    );
    assert.match(String((error as Error).message), /api-version=/, "the raw message names the request URL");
    assert.equal(errorMessage(error), `cannot reach the local service at 127.0.0.1:${port} (nothing is listening there)`);
    const remote = new Error(
      "request to https://acct.westeurope.batch.azure.com/jobs?api-version=2022-10-01.16.0 failed, reason: connect ETIMEDOUT 20.1.2.3:443",
    );
    assert.equal(errorMessage(remote), "cannot reach acct.westeurope.batch.azure.com (the connection timed out)");
    const dns = new Error("request to http://nohost.invalid:8510/jobs?api-version=2022-10-01.16.0 failed, reason: getaddrinfo ENOTFOUND nohost.invalid");
    assert.equal(errorMessage(dns), "cannot find the host nohost.invalid (DNS lookup failed)");
    assert.equal(errorMessage(new Error("GET https://x.example/jobs?sig=secret returned 500")), "GET x.example returned 500");
  });
});
