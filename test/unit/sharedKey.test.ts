// Why: the SharedKey verifier against the test vectors produced by the real @azure/batch 10.2.0 signer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computeSignature, stringToSign, verifySharedKey, type SignedRequest } from "../../src/local/protocol/sharedKey";

const ACCOUNT = "myaccount";
const KEY = "ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZg==";
const DATE = "Tue, 29 Jul 2014 21:49:13 GMT";
const NOW = Date.parse(DATE) + 1000;
const accounts = new Map([[ACCOUNT, KEY]]);

function request(method: string, rawUrl: string, signature: string, extra: Record<string, string> = {}, bodyLength = 0): SignedRequest {
  return { method, rawUrl, bodyLength, headers: { "ocp-date": DATE, authorization: `SharedKey ${ACCOUNT}:${signature}`, ...extra } };
}

describe("SharedKey test vectors (shared-key.md section 5)", () => {
  const vectors: [string, string, string, Record<string, string>, number, string][] = [
    ["5.1 list jobs", "GET", "/jobs?api-version=2022-10-01.16.0&timeout=20", {}, 0, "UU9RGyqO+XzhQk/B7u0zK207/vV0hQC4W+p0meper6I="],
    [
      "5.2 add task",
      "POST",
      "/jobs/job1/tasks?api-version=2022-10-01.16.0",
      { "content-type": "application/json; odata=minimalmetadata; charset=utf-8" },
      48,
      "3emO1kMvjANNM+YxMDLcVXEe2Q6LO6PiVwdgJHrnbtg=",
    ],
    ["5.3 terminate, no body", "POST", "/jobs/job1/terminate?api-version=2022-10-01.16.0", {}, 0, "A/sOj+0jO0h0QHFQ9RW5U6SEW6eO9+qzQJR/34YRECM="],
    [
      "5.4 encoded filter",
      "GET",
      "/pools?api-version=2022-10-01.16.0&%24filter=startswith(id%2C%27a%20b%27)&maxresults=1",
      {},
      0,
      "WV67BjnnSEChnJIjjWHu2nHA0jqhSj3az9404oPutPo=",
    ],
  ];
  for (const [name, method, url, headers, length, signature] of vectors) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(verifySharedKey(request(method, url, signature, headers, length), accounts, NOW), { ok: true, accountName: ACCOUNT });
    });
  }

  it("builds the documented string-to-sign for 5.4", () => {
    const text = stringToSign(ACCOUNT, request("GET", "/pools?api-version=2022-10-01.16.0&%24filter=startswith(id%2C%27a%20b%27)&maxresults=1", ""));
    assert.equal(
      text,
      `GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:${DATE}\n/myaccount/pools\n$filter:startswith(id,'a b')\napi-version:2022-10-01.16.0\nmaxresults:1`,
    );
  });
});

describe("SharedKey rejections", () => {
  const url = "/jobs?api-version=2022-10-01.16.0&timeout=20";
  const good = "UU9RGyqO+XzhQk/B7u0zK207/vV0hQC4W+p0meper6I=";

  it("rejects a wrong key", () => {
    const result = verifySharedKey(request("GET", url, good), new Map([[ACCOUNT, Buffer.from("another key").toString("base64")]]), NOW);
    assert.equal(result.ok, false);
  });
  it("rejects a tampered query", () => {
    assert.equal(verifySharedKey(request("GET", url.replace("timeout=20", "timeout=21"), good), accounts, NOW).ok, false);
  });
  it("rejects a missing Authorization header", () => {
    const result = verifySharedKey({ method: "GET", rawUrl: url, bodyLength: 0, headers: { "ocp-date": DATE } }, accounts, NOW);
    assert.deepEqual(result, { ok: false, reason: "The request has no Authorization header." });
  });
  it("rejects a stale ocp-date (more than 15 minutes old)", () => {
    const result = verifySharedKey(request("GET", url, good), accounts, Date.parse(DATE) + 16 * 60 * 1000);
    assert.equal(result.ok, false);
    assert.match((result as { reason: string }).reason, /15 minutes/);
  });
  it("rejects an unknown account", () => {
    assert.equal(verifySharedKey(request("GET", url, good), new Map([["other", KEY]]), NOW).ok, false);
  });
  it("signs with the decoded base64 key", () => {
    assert.equal(computeSignature(KEY, "x"), computeSignature(Buffer.from("emulator-test-key-0123456789abcdef").toString("base64"), "x"));
  });
});

describe("SharedKey: the Content-Length slot of an empty body, as each SDK signs it", () => {
  const url = "/jobs/job1?api-version=2022-10-01.16.0";
  const signed = (method: string, slot: string) => computeSignature(KEY, stringToSign(ACCOUNT, request(method, url, ""), { contentLength: slot }));
  it('accepts a DELETE signed with "0" (azure-batch for Python sends and signs Content-Length: 0) and with "" (@azure/batch)', () => {
    for (const slot of ["0", ""]) assert.equal(verifySharedKey(request("DELETE", url, signed("DELETE", slot)), accounts, NOW).ok, true, `slot "${slot}"`);
  });
  it("still refuses any other length for an empty body", () => {
    assert.equal(verifySharedKey(request("DELETE", url, signed("DELETE", "1")), accounts, NOW).ok, false);
  });
  it("a body's real length is the only accepted slot when there is a body", () => {
    assert.equal(verifySharedKey(request("PATCH", url, signed("PATCH", "0"), {}, 12), accounts, NOW).ok, false);
    assert.equal(verifySharedKey(request("PATCH", url, signed("PATCH", "12"), {}, 12), accounts, NOW).ok, true);
  });
});
