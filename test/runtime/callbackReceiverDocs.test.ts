// Why: the receiver docs/runtime.md shows is run as written, as a real process: it accepts the FinalizeTask's signed callback once per delivery id and rejects tampered, stale, unsigned or wrongly keyed ones.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { after, before, describe, it } from "node:test";
import { CallbackDeliveryError, CallbackHeaders, deliverCallback, signCallback } from "../../src/runtime";
import { REPO_ROOT, tempDir } from "../support/localService";

const SECRET = "test-secret-0123456789-abcdefghijklmnop";
const MARKER = "<!-- callback-receiver-example";

/** The ```js block right after the marker comment in docs/runtime.md. */
function receiverFromDocs(): string {
  const docs = fs.readFileSync(path.join(REPO_ROOT, "docs", "runtime.md"), "utf8");
  const at = docs.indexOf(MARKER);
  assert.ok(at >= 0, "docs/runtime.md has the receiver example");
  const block = /```js\n([\s\S]*?)```/.exec(docs.slice(at));
  assert.ok(block, "a js block follows the marker");
  return block[1]!;
}

describe("the documented callback receiver (docs/runtime.md, real process)", () => {
  let receiver: ChildProcess;
  let url: string;
  const printed: string[] = [];

  before(async () => {
    const file = path.join(tempDir("receiver"), "receiver.mjs");
    fs.writeFileSync(file, receiverFromDocs());
    receiver = spawn(process.execPath, [file], { env: { ...process.env, BATCH_CALLBACK_SECRET: SECRET, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
    const lines = readline.createInterface({ input: receiver.stdout! });
    lines.on("line", (line) => printed.push(line));
    const port = await new Promise<string>((resolve, reject) => {
      lines.once("line", (line) => {
        const port = /listening on (\d+)/.exec(line)?.[1];
        if (port) resolve(port);
        else reject(new Error(`unexpected first line from the receiver: ${line}`));
      });
      receiver.once("exit", (code) => reject(new Error(`receiver exited with ${code}`)));
    });
    url = `http://127.0.0.1:${port}/batch-done`;
  });
  after(() => {
    receiver.kill();
  });

  /** POSTs `body` with the given headers as the FinalizeTask would, returning the status. */
  async function post(body: string, headers: Record<string, string>): Promise<number> {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    return response.status;
  }

  async function waitForLine(pattern: RegExp): Promise<string> {
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const line = printed.find((candidate) => pattern.test(candidate));
      if (line) return line;
    }
    throw new Error(`the receiver did not print ${pattern}; it printed:\n${printed.join("\n")}`);
  }

  it("accepts the runtime's signed delivery and processes each delivery id once", async () => {
    const summary = { jobId: "job-signed", result: "succeeded", tasks: [{ id: "1", note: "ünïcode" }] };
    assert.equal(await deliverCallback(url, summary, { secret: SECRET, deliveryId: "delivery-1", initialDelayMs: 10 }), 204);
    await waitForLine(/^job job-signed succeeded \(delivery delivery-1\)$/);
    // a retried delivery (same id, fresh signature) is acknowledged but not processed again
    assert.equal(await deliverCallback(url, summary, { secret: SECRET, deliveryId: "delivery-1", initialDelayMs: 10 }), 204);
    assert.equal(printed.filter((line) => line.includes("delivery-1")).length, 1);
  });

  it("rejects a tampered body, a stale timestamp, a missing signature and another secret (401, not retried)", async () => {
    const body = JSON.stringify({ jobId: "job-x", result: "failed" });
    const now = String(Math.floor(Date.now() / 1000));
    const signed = { [CallbackHeaders.timestamp]: now, [CallbackHeaders.signature]: signCallback(SECRET, now, body), [CallbackHeaders.delivery]: "d-2" };
    assert.equal(await post(body, signed), 204, "the untouched request is accepted");
    assert.equal(await post(body.replace("failed", "succeeded"), { ...signed, [CallbackHeaders.delivery]: "d-3" }), 401, "tampered body");
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    assert.equal(await post(body, { ...signed, [CallbackHeaders.timestamp]: old, [CallbackHeaders.signature]: signCallback(SECRET, old, body) }), 401, "stale");
    assert.equal(await post(body, { ...signed, [CallbackHeaders.timestamp]: String(Number(now) + 1) }), 401, "timestamp changed after signing");
    assert.equal(await post(body, { [CallbackHeaders.timestamp]: now, [CallbackHeaders.delivery]: "d-4" }), 401, "unsigned");
    await assert.rejects(
      deliverCallback(url, { jobId: "job-y" }, { secret: "another-secret-of-at-least-32-chars!", initialDelayMs: 10 }),
      (error: Error) => error instanceof CallbackDeliveryError && /after 1 attempt\(s\): HTTP 401/.test(error.message),
    );
    assert.ok(!printed.some((line) => /job-y|d-3|d-4/.test(line)), "nothing rejected was processed");
  });
});
