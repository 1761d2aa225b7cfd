// Why: the callback signature and its secret setting: a known vector both runtimes must produce, a constant-time check that rejects any change, and a secret that is validated yet never echoed, logged or sent to workload tasks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BatchClientSettings, isValidCallbackSignature, SettingsError, signCallback } from "../../src/runtime";
import { jobDeliveryId } from "../../src/runtime/finalize/callbackSignature";

const LOCAL = { BATCH_ACCOUNT_URL: "http://127.0.0.1:8510", BATCH_AUTH_MODE: "local" };

describe("callback signature", () => {
  it("signs timestamp + '.' + body with HMAC-SHA256 (the vector src/runtime-python's pytest checks too)", () => {
    assert.equal(
      signCallback("k".repeat(32), 1700000000, '{"jobId":"j","note":"ü"}'),
      "sha256=15473118db82f701ecf928e3fe119d4c69b52992ebf2566a78ef765ea4e4aff0",
    );
    assert.equal(jobDeliveryId("job-1", "2025-01-01T12:00:00.000Z"), "26db53e5-fe3d-a144-97e2-900d6586da8c");
    assert.notEqual(
      jobDeliveryId("job-1", "2025-01-02T12:00:00.000Z"),
      jobDeliveryId("job-1", "2025-01-01T12:00:00.000Z"),
      "a re-created job id is another delivery",
    );
  });

  it("verifies only the exact body, timestamp and secret", () => {
    const secret = "s".repeat(32);
    const signature = signCallback(secret, "1700000000", '{"a":1}');
    assert.equal(isValidCallbackSignature(secret, "1700000000", '{"a":1}', signature), true);
    assert.equal(isValidCallbackSignature(secret, "1700000000", '{"a":2}', signature), false);
    assert.equal(isValidCallbackSignature(secret, "1700000001", '{"a":1}', signature), false);
    assert.equal(isValidCallbackSignature("t".repeat(32), "1700000000", '{"a":1}', signature), false);
    assert.equal(isValidCallbackSignature(secret, "1700000000", '{"a":1}', signature.slice(0, -1)), false, "a truncated signature");
    assert.equal(isValidCallbackSignature(secret, "1700000000", '{"a":1}', ""), false);
  });

  it("BATCH_CALLBACK_SECRET: at least 32 characters, never echoed, masked in describe(), not forwarded to nodes", () => {
    const short = "short-secret-value";
    assert.throws(
      () => BatchClientSettings.load({ env: { ...LOCAL, BATCH_CALLBACK_SECRET: short } }),
      (error: Error) =>
        error instanceof SettingsError &&
        /BATCH_CALLBACK_SECRET must be at least 32 characters \(generate one with `openssl rand -base64 32`\)/.test(error.message) &&
        !error.message.includes(short),
    );
    const secret = "a-long-enough-callback-secret-0123456789";
    const settings = BatchClientSettings.load({ env: { ...LOCAL, BATCH_CALLBACK_SECRET: secret } });
    assert.equal(settings.callbackSecret, secret);
    assert.equal(settings.describe().BATCH_CALLBACK_SECRET, "***");
    assert.ok(!settings.forNodes().some((setting) => setting.value === secret));
    assert.ok(!JSON.stringify(settings.describe()).includes(secret));
  });
});
