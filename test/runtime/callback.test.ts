// Why: the FinalizeTask's callback: HTTPS except loopback, JSON POST with delivery/timestamp headers, retries only of transient failures, a visible error when it cannot be delivered.
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

  it("a refused connection (nothing listens on that port) fails after one attempt, naming the fix", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    await assert.rejects(
      deliverCallback(`http://127.0.0.1:${port}/x`, {}, { initialDelayMs: 2000, attempts: 6 }),
      (error: Error) =>
        error instanceof CallbackDeliveryError &&
        !error.transient &&
        /after 1 attempt\(s\): fetch failed: .*ECONNREFUSED.*check the host and port of BATCH_CALLBACK_URL/.test(error.message),
    );
    assert.ok(Date.now() - started < 2000, "no backoff wait before failing");
  });

  it("a port fetch blocks (the issue's six retries over 32 s) and an unknown host are refused at once", async () => {
    await assert.rejects(deliverCallback("http://127.0.0.1:1/x", {}, fast), /uses port 1, which fetch refuses/);
    assert.throws(() => validateCallbackUrl("http://localhost:6000/done"), /uses port 6000, which fetch refuses .*use another port/);
    await assert.rejects(
      deliverCallback("https://no-such-host.invalid/done", {}, { ...fast, initialDelayMs: 2000 }),
      /after 1 attempt\(s\): .*ENOTFOUND.*check the host name/,
    );
  });

  it("a reset connection and a timeout are transient: retried with the same delivery id, fresh timestamps and signatures", async () => {
    let requests = 0;
    const seen: { delivery?: string; timestamp?: string; signature?: string }[] = [];
    const flaky = http.createServer((request, response) => {
      requests++;
      seen.push({
        delivery: request.headers["batch-manager-delivery"] as string,
        timestamp: request.headers["batch-manager-timestamp"] as string,
        signature: request.headers["batch-manager-signature"] as string,
      });
      if (requests === 1) return request.socket.destroy(); // ECONNRESET / "other side closed"
      if (requests === 2) return; // never answers: the attempt times out
      request.resume();
      request.on("end", () => response.writeHead(200).end());
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/flaky`;
      const status = await deliverCallback(url, { jobId: "j" }, { initialDelayMs: 10, attempts: 4, timeoutMs: 300, secret: "s".repeat(32) });
      assert.equal(status, 200);
      assert.equal(requests, 3);
      assert.equal(new Set(seen.map((s) => s.delivery)).size, 1, "one delivery id for every attempt");
      assert.match(seen[0]!.delivery!, /^[0-9a-f-]{36}$/);
      for (const attempt of seen) assert.match(attempt.signature!, /^sha256=[0-9a-f]{64}$/);
    } finally {
      flaky.closeAllConnections();
      flaky.close();
    }
  });

  it("a 429 with Retry-After waits as asked; 501 is not transient", async () => {
    let calls = 0;
    const throttled = http.createServer((_, response) => {
      calls++;
      if (calls === 1) response.writeHead(429, { "retry-after": "1" }).end();
      else if (calls === 2) response.writeHead(204).end();
      else response.writeHead(501).end();
    });
    await new Promise<void>((resolve) => throttled.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(throttled.address() as AddressInfo).port}/t`;
      const started = Date.now();
      assert.equal(await deliverCallback(url, {}, fast), 204);
      assert.ok(Date.now() - started >= 950, "waited for Retry-After rather than the 10 ms backoff");
      await assert.rejects(deliverCallback(url, {}, fast), /after 1 attempt\(s\): HTTP 501/);
    } finally {
      throttled.close();
    }
  });

  it("without a secret the headers carry the delivery id and timestamp but no signature", async () => {
    await deliverCallback(`${base}/unsigned`, { n: 3 }, { ...fast, deliveryId: "d-1" });
    const received = await server.waitFor("/unsigned", 1000);
    assert.equal(received.headers["batch-manager-delivery"], "d-1");
    assert.ok(Math.abs(Number(received.headers["batch-manager-timestamp"]) - Date.now() / 1000) < 60);
    assert.equal(received.headers["batch-manager-signature"], undefined);
  });

  it("refuses a non-loopback http URL before sending anything", async () => {
    await assert.rejects(deliverCallback("http://hooks.example.com/x", {}, fast), /must use https/);
  });
});
