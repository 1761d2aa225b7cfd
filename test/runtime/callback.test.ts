// Why: the FinalizeTask's callback: HTTPS except loopback, JSON POST, retries with backoff on 5xx/429/network errors, a visible error when it cannot be delivered.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { CallbackDeliveryError, deliverCallback } from "../../src/runtime";
import { redactUrl, validateCallbackUrl } from "../../src/runtime/settings/callbackUrl";
import { CallbackServer } from "./support/callbackServer";

const fast = { initialDelayMs: 10, attempts: 4 };

describe("callback URL and delivery", () => {
  const server = new CallbackServer();
  let base: string;
  before(async () => (base = await server.start()));
  after(() => server.stop());

  it("accepts https anywhere and http only for loopback addresses", () => {
    for (const good of ["https://hooks.example.com/batch?sig=1", "http://localhost:8080/x", "http://127.0.0.1/x", "http://[::1]:9000/x"])
      assert.equal(validateCallbackUrl(good), good);
    for (const bad of ["http://hooks.example.com/x", "http://10.0.0.4/x", "ftp://localhost/x", "not a url"]) assert.throws(() => validateCallbackUrl(bad));
    assert.equal(redactUrl("https://hooks.example.com/done?sig=secret"), "https://hooks.example.com/done?…");
  });

  it("POSTs the summary as JSON", async () => {
    const status = await deliverCallback(`${base}/plain`, { jobId: "j", result: "succeeded" }, fast);
    assert.equal(status, 204);
    const received = await server.waitFor("/plain", 1000);
    assert.deepEqual(received.body, { jobId: "j", result: "succeeded" });
    assert.equal(received.headers["content-type"], "application/json");
  });

  it("retries 503 and 429 answers with backoff until accepted", async () => {
    server.failNext = { count: 2, status: 503 };
    const started = Date.now();
    await deliverCallback(`${base}/retried`, { n: 1 }, fast);
    assert.ok(Date.now() - started >= 10 + 20, "waited between attempts");
    server.failNext = { count: 1, status: 429 };
    await deliverCallback(`${base}/throttled`, { n: 2 }, fast);
    assert.equal(server.received.filter((r) => r.path === "/retried" || r.path === "/throttled").length, 2);
  });

  it("fails visibly after the last attempt, and at once on a client error like 404", async () => {
    server.failNext = { count: 10, status: 500 };
    await assert.rejects(
      deliverCallback(`${base}/down`, {}, fast),
      (error: Error) => error instanceof CallbackDeliveryError && /after 4 attempt\(s\): HTTP 500/.test(error.message),
    );
    server.failNext = { count: 0, status: 500 };
    const notFound = http.createServer((_, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => notFound.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(notFound.address() as AddressInfo).port}/missing`;
      await assert.rejects(deliverCallback(url, {}, fast), /after 1 attempt\(s\): HTTP 404/);
    } finally {
      notFound.close();
    }
  });

  it("network errors (nothing listening) are retried, then reported", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(
      deliverCallback(`http://127.0.0.1:${port}/x`, {}, { initialDelayMs: 5, attempts: 2 }),
      /after 2 attempt\(s\): fetch failed: .*ECONNREFUSED/,
    );
  });

  it("refuses a non-loopback http URL before sending anything", async () => {
    await assert.rejects(deliverCallback("http://hooks.example.com/x", {}, fast), /must use https/);
  });
});
