// Why: the service's protocol surface through real HTTP and the real SDK signer: auth failures, api-version, body errors, unknown operations.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BatchSharedKeyCredentials } from "@azure/batch";
import { DefaultHttpClient, WebResource } from "@azure/ms-rest-js";
import { startLocalService, type LocalServiceHandle } from "../support/localService";

const API = "api-version=2022-10-01.16.0";

describe("protocol", () => {
  let service: LocalServiceHandle;
  const http = new DefaultHttpClient();

  before(async () => {
    service = await startLocalService();
  });
  after(() => service.stop());

  /** A request signed by the SDK's own SharedKey signer, optionally altered after signing. */
  async function send(
    method: "GET" | "POST",
    path: string,
    options: { key?: string; body?: string; alter?: (r: WebResource) => void; ocpDate?: string; sign?: boolean } = {},
  ) {
    const request = new WebResource(`${service.info.batchUrl}${path}`, method, options.body);
    request.headers.set("Content-Type", options.body ? "application/json; odata=minimalmetadata; charset=utf-8" : "application/json; charset=utf-8");
    if (options.ocpDate) request.headers.set("ocp-date", options.ocpDate);
    if (options.sign !== false) await new BatchSharedKeyCredentials(service.info.accountName, options.key ?? service.info.accountKey).signRequest(request);
    options.alter?.(request);
    const response = await http.sendRequest(request);
    return { status: response.status, body: response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined, headers: response.headers };
  }

  it("accepts a request signed by the SDK", async () => {
    const response = await send("GET", `/pools?${API}`);
    assert.equal(response.status, 200);
    assert.ok(response.headers.get("request-id"));
  });

  for (const [name, options] of [
    ["a wrong key", { key: Buffer.from("not the key").toString("base64") }],
    ["a tampered URL", { alter: (r: WebResource) => (r.url = r.url.replace("/pools", "/jobs")) }],
    ["a missing Authorization header", { sign: false }],
    ["a stale ocp-date", { ocpDate: new Date(Date.now() - 20 * 60 * 1000).toUTCString() }],
  ] as const) {
    it(`answers 403 AuthenticationFailed for ${name}`, async () => {
      const response = await send("GET", `/pools?${API}`, options);
      assert.equal(response.status, 403);
      assert.equal(response.body.code, "AuthenticationFailed");
      assert.equal(response.body.message.lang, "en-US");
      assert.doesNotMatch(JSON.stringify(response.body), new RegExp(service.info.accountKey.slice(0, 20)));
    });
  }

  it("refuses another api-version, naming the ones it speaks", async () => {
    const response = await send("GET", "/pools?api-version=2021-06-01.14.0");
    assert.equal(response.status, 400);
    assert.equal(response.body.code, "InvalidQueryParameterValue");
    assert.match(response.body.message.value, /2022-10-01\.16\.0/);
  });

  it("answers malformed JSON with 400 InvalidRequestBody and stores nothing", async () => {
    const response = await send("POST", `/pools?${API}`, { body: '{"id": "p1", "vmSize": ' });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, "InvalidRequestBody");
    assert.equal((await send("GET", `/pools?${API}`)).body.value.length, 0);
  });

  it("answers an unknown property with InvalidRequestBody naming it", async () => {
    const response = await send("POST", `/pools?${API}`, { body: JSON.stringify({ id: "p1", vmSize: "x", targetDedicatedNode: 2 }) });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, "InvalidRequestBody");
    assert.deepEqual(
      response.body.values.find((v: { key: string }) => v.key === "PropertyName"),
      { key: "PropertyName", value: "targetDedicatedNode" },
    );
  });

  it("answers a missing required property with MissingRequiredProperty naming it", async () => {
    const response = await send("POST", `/pools?${API}`, { body: JSON.stringify({ id: "p1" }) });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, "MissingRequiredProperty");
    assert.deepEqual(response.body.values, [{ key: "PropertyName", value: "vmSize" }]);
  });

  it("answers a mistyped property with InvalidRequestBody", async () => {
    const response = await send("POST", `/pools?${API}`, { body: JSON.stringify({ id: "p1", vmSize: "x", targetDedicatedNodes: "two" }) });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, "InvalidRequestBody");
  });

  it("reads enum values in any case, as the service does, and answers with the spec's spelling", async () => {
    const pool = { id: "p-enum", vmSize: "x", targetDedicatedNodes: 0, taskSchedulingPolicy: { nodeFillType: "PACK" } };
    assert.equal((await send("POST", `/pools?${API}`, { body: JSON.stringify(pool) })).status, 201);
    assert.equal((await send("GET", `/pools/p-enum?${API}`)).body.taskSchedulingPolicy.nodeFillType, "pack");
    const job = { id: "j-enum", poolInfo: { poolId: "p-enum" }, onAllTasksComplete: "NoAction" };
    assert.equal((await send("POST", `/jobs?${API}`, { body: JSON.stringify(job) })).status, 201);
    const task = {
      id: "t-enum",
      commandLine: "/bin/true",
      outputFiles: [
        {
          filePattern: "*.txt",
          destination: { container: { containerUrl: "http://127.0.0.1:1/c" } },
          uploadOptions: { uploadCondition: "taskCompletion" },
        },
      ],
    };
    assert.equal((await send("POST", `/jobs/j-enum/tasks?${API}`, { body: JSON.stringify(task) })).status, 201);
    const stored = (await send("GET", `/jobs/j-enum/tasks/t-enum?${API}`)).body;
    assert.equal(stored.outputFiles[0].uploadOptions.uploadCondition, "taskcompletion");
    assert.equal((await send("GET", `/jobs/j-enum?${API}`)).body.onAllTasksComplete, "noaction");
  });

  it("answers an enum value that is none of the spec's, in any case, with InvalidRequestBody naming the property", async () => {
    const job = { id: "j-bad-enum", poolInfo: { poolId: "p" }, onAllTasksComplete: "sometimes" };
    const response = await send("POST", `/jobs?${API}`, { body: JSON.stringify(job) });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, "InvalidRequestBody");
    assert.deepEqual(
      response.body.values.find((v: { key: string }) => v.key === "PropertyName"),
      { key: "PropertyName", value: "onAllTasksComplete" },
    );
    assert.match(response.body.message.value, /noaction, terminatejob/);
  });

  it("answers an oversized body with 413 RequestBodyTooLarge", async () => {
    const response = await send("POST", `/pools?${API}`, { body: JSON.stringify({ id: "p1", vmSize: "x".repeat(1024 * 1024 + 10) }) });
    assert.equal(response.status, 413);
    assert.equal(response.body.code, "RequestBodyTooLarge");
  });

  it("names an operation the local service does not implement", async () => {
    const response = await send("GET", `/certificates?${API}`);
    assert.equal(response.status, 501);
    assert.equal(response.body.code, "NotImplementedLocally");
    assert.match(response.body.message.value, /Certificate_List/);
  });

  it("echoes the client request id", async () => {
    const response = await send("GET", `/pools?${API}`, { alter: (r) => r.headers.set("client-request-id", "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0") });
    assert.equal(response.headers.get("client-request-id"), "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0");
  });
});
