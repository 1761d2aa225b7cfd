// Why: authenticationTokenSettings gives a task AZ_BATCH_AUTHENTICATION_TOKEN, which the real SDK in that task can use on its own job only.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { BatchServiceError } from "../../../src/local/protocol/batchError";
import { issueJobToken, JOB_TOKEN_LIFETIME_MS, verifyJobToken } from "../../../src/local/protocol/jobToken";
import { authenticate } from "../../../src/local/server/authenticate";
import { REPO_ROOT, startLocalService, tempDir, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, waitForTaskState } from "../jobs/helpers";

/**
 * Run inside the task: the real @azure/batch 10.2.0 client with ms-rest-js TokenCredentials ("Authorization: Bearer
 * <token>", how a Batch task uses its token), on its own job and on what it may not touch. Prints one JSON line.
 */
const PROBE = `
const { BatchServiceClient } = require(${JSON.stringify(path.join(REPO_ROOT, "node_modules", "@azure", "batch"))});
const { TokenCredentials } = require(${JSON.stringify(path.join(REPO_ROOT, "node_modules", "@azure", "ms-rest-js"))});
const token = process.env.AZ_BATCH_AUTHENTICATION_TOKEN;
const url = process.env.AZ_BATCH_ACCOUNT_URL.replace(/\\/$/, "");
const jobId = process.env.AZ_BATCH_JOB_ID;
const otherJob = process.argv[2];
const out = { hasToken: typeof token === "string" && token.length > 0, calls: {} };
async function attempt(name, call) {
  try {
    out.calls[name] = { ok: true, value: await call() };
  } catch (error) {
    out.calls[name] = { ok: false, status: error.statusCode, code: error.code, message: error.message };
  }
}
(async () => {
  if (out.hasToken) {
    const client = new BatchServiceClient(new TokenCredentials(token, "Bearer"), url);
    await attempt("getOwnJob", async () => (await client.job.get(jobId)).id);
    await attempt("addTask", async () => (await client.task.add(jobId, { id: "added-by-token", commandLine: "/bin/true" }), "added"));
    await attempt("addCollection", async () => (await client.task.addCollection(jobId, [{ id: "added-in-collection", commandLine: "/bin/true" }])).value.map((r) => r.status));
    await attempt("listTasks", async () => (await client.task.list(jobId)).map((task) => task.id).sort());
    await attempt("getOtherJob", async () => (await client.job.get(otherJob)).id);
    await attempt("addTaskToOtherJob", async () => (await client.task.add(otherJob, { id: "intruder", commandLine: "/bin/true" }), "added"));
    await attempt("listJobs", async () => (await client.job.list()).length);
    await attempt("listPools", async () => (await client.pool.list()).length);
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    await attempt("tamperedToken", async () => (await new BatchServiceClient(new TokenCredentials(tampered, "Bearer"), url).job.get(jobId)).id);
    const raw = await fetch(url + "/jobs/" + otherJob + "?api-version=2022-10-01.16.0", { headers: { Authorization: "Bearer " + token } });
    out.rawOtherJob = { status: raw.status, body: await raw.json() };
  }
  console.log(JSON.stringify(out));
})();
`;

async function textOf(response: { readableStreamBody?: NodeJS.ReadableStream }): Promise<string> {
  let text = "";
  for await (const chunk of response.readableStreamBody!) text += chunk.toString();
  return text;
}

/** One call the probe made: its value, or the status and code of its failure. */
interface ProbeCall {
  ok: boolean;
  value?: unknown;
  status?: number;
  code?: string;
  message?: string;
}

interface ProbeResult {
  hasToken: boolean;
  calls: Record<string, ProbeCall>;
  rawOtherJob?: { status: number; body: { code: string; message: { value: string }; values: { key: string; value: string }[] } };
}

async function probeResult(client: BatchServiceClient, jobId: string, taskId: string): Promise<ProbeResult> {
  const task = await waitForTaskState(client, jobId, taskId, "completed", 60_000);
  const stdout = await textOf(await client.file.getFromTask(jobId, taskId, "stdout.txt"));
  const stderr = await textOf(await client.file.getFromTask(jobId, taskId, "stderr.txt"));
  assert.equal(task.executionInfo?.exitCode, 0, `probe failed: ${stderr}`);
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

describe("authentication tokens (authenticationTokenSettings, AZ_BATCH_AUTHENTICATION_TOKEN)", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let probeDir: string;
  let probeCommand: string;

  before(async () => {
    probeDir = tempDir("auth-token-probe");
    fs.chmodSync(probeDir, 0o755);
    fs.writeFileSync(path.join(probeDir, "probe.js"), PROBE, { mode: 0o644 });
    probeCommand = `${process.execPath} ${path.join(probeDir, "probe.js")} j-other`;
    service = await startLocalService({ nodes: 2, privateKey: true });
    client = service.client();
    await poolWithIdleNodes(client, "p-token", 2);
    await client.job.add({ id: "j-other", poolInfo: { poolId: "p-token" } });
  });
  after(async () => {
    await service.stop();
    fs.rmSync(probeDir, { recursive: true, force: true });
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  it("a task with access 'job' reads and adds to its own job with the real SDK; anything else is 403 AuthorizationFailure", async () => {
    await client.job.add({ id: "j-token", poolInfo: { poolId: "p-token" } });
    await client.task.add("j-token", { id: "probe", commandLine: probeCommand, authenticationTokenSettings: { access: ["job"] } });
    const result = await probeResult(client, "j-token", "probe");
    assert.equal(result.hasToken, true);
    assert.deepEqual(result.calls.getOwnJob, { ok: true, value: "j-token" });
    assert.deepEqual(result.calls.addTask, { ok: true, value: "added" });
    assert.deepEqual(result.calls.addCollection, { ok: true, value: ["success"] });
    assert.deepEqual(result.calls.listTasks, { ok: true, value: ["added-by-token", "added-in-collection", "probe"] });
    for (const name of ["getOtherJob", "addTaskToOtherJob", "listJobs", "listPools"]) {
      assert.deepEqual([name, result.calls[name]?.status, result.calls[name]?.code], [name, 403, "AuthorizationFailure"]);
    }
    assert.deepEqual([result.calls.tamperedToken.status, result.calls.tamperedToken.code], [401, "AuthenticationFailed"]);
    // the service's error shape, with a detail naming the job the token is for
    assert.equal(result.rawOtherJob?.status, 403);
    assert.equal(result.rawOtherJob?.body.code, "AuthorizationFailure");
    assert.match(result.rawOtherJob?.body.message.value, /^This request is not authorized to perform this operation\./);
    assert.match(result.rawOtherJob?.body.values[0].value, /grants access to job 'j-token' only/);
    // the service state: the tasks the token added exist and ran; the other job got nothing
    await waitForTaskState(client, "j-token", "added-by-token", "completed");
    await waitForTaskState(client, "j-token", "added-in-collection", "completed");
    assert.deepEqual(
      (await client.task.list("j-other")).map((task) => task.id),
      [],
    );
    assert.doesNotMatch(service.log(), /lbjt1\./, "the token must never be logged");
  });

  it("a job manager task with the setting gets a token for its job; a task without it gets none", async () => {
    await client.job.add({
      id: "j-manager",
      poolInfo: { poolId: "p-token" },
      jobManagerTask: { id: "manager", commandLine: probeCommand, authenticationTokenSettings: { access: ["job"] }, killJobOnCompletion: false },
    });
    const manager = await probeResult(client, "j-manager", "manager");
    assert.deepEqual([manager.hasToken, manager.calls.getOwnJob, manager.calls.getOtherJob?.status], [true, { ok: true, value: "j-manager" }, 403]);

    await client.task.add("j-manager", { id: "plain", commandLine: probeCommand });
    assert.deepEqual(await probeResult(client, "j-manager", "plain"), { hasToken: false, calls: {} });
  });
});

describe("authentication token checks (no service)", () => {
  const KEY = Buffer.from("a-test-account-key-0123456789abcdef").toString("base64");
  const accounts = new Map([["acct", KEY]]);
  const bearer = (token: string, rawUrl: string) => ({ method: "GET", rawUrl, bodyLength: 0, headers: { authorization: `Bearer ${token}` } });
  const refusal = (call: () => unknown): BatchServiceError => {
    try {
      call();
    } catch (error) {
      if (error instanceof BatchServiceError) return error;
      throw error;
    }
    assert.fail("expected a BatchServiceError");
  };

  it("accepts the token for its job and the paths under it (job ids are case-insensitive)", () => {
    const token = issueJobToken("acct", KEY, "Job-1");
    for (const rawUrl of ["/jobs/Job-1?api-version=x", "/jobs/job-1/tasks/t1/files/wd%2Fout.txt", "/jobs/JOB-1/addtaskcollection"]) {
      assert.deepEqual(authenticate(bearer(token, rawUrl), accounts), { kind: "jobToken", accountName: "acct", jobId: "Job-1" }, rawUrl);
    }
  });
  it("refuses other resources with 403 AuthorizationFailure", () => {
    const token = issueJobToken("acct", KEY, "job-1");
    for (const rawUrl of ["/jobs", "/jobs/job-10", "/pools", "/jobschedules/job-1", "/"]) {
      const error = refusal(() => authenticate(bearer(token, rawUrl), accounts));
      assert.deepEqual([error.statusCode, error.code], [403, "AuthorizationFailure"], rawUrl);
    }
  });
  it("refuses an expired, tampered, foreign or malformed token with 401 AuthenticationFailed and a reason that does not repeat it", () => {
    const issuedAt = Date.now();
    const token = issueJobToken("acct", KEY, "job-1", issuedAt);
    const expired = refusal(() => authenticate(bearer(token, "/jobs/job-1"), accounts, issuedAt + JOB_TOKEN_LIFETIME_MS + 1));
    assert.deepEqual([expired.statusCode, expired.code], [401, "AuthenticationFailed"]);
    assert.match(expired.message, /expired at/);
    const [prefix, payload, mac] = token.split(".");
    const otherJob = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), j: "job-2" })).toString("base64url");
    const cases: [string, string, RegExp][] = [
      ["payload changed to another job", `${prefix}.${otherJob}.${mac}`, /signature is not valid/],
      ["signed with another key", issueJobToken("acct", Buffer.from("other").toString("base64"), "job-1"), /signature is not valid/],
      ["for an unknown account", issueJobToken("stranger", KEY, "job-1"), /signature is not valid/],
      ["not a token of this service", "eyJhbGciOiJSUzI1NiJ9.e30.sig", /not an authentication token of this local Batch service/],
    ];
    for (const [name, bad, reason] of cases) {
      const error = refusal(() => authenticate(bearer(bad, "/jobs/job-1"), accounts));
      assert.deepEqual([error.statusCode, error.code], [401, "AuthenticationFailed"], name);
      assert.match(error.message, reason, name);
      assert.equal(error.message.includes(bad), false, name);
    }
  });
  it("a fresh token verifies and lasts JOB_TOKEN_LIFETIME_MS; each issue time gives a different token", () => {
    const result = verifyJobToken(issueJobToken("acct", KEY, "job-1", 1_000), accounts, 2_000);
    assert.deepEqual(result, { ok: true, accountName: "acct", jobId: "job-1", expiresAt: 1_000 + JOB_TOKEN_LIFETIME_MS });
    assert.notEqual(issueJobToken("acct", KEY, "job-1", 1_000), issueJobToken("acct", KEY, "job-1", 1_001));
  });
  it("SharedKey requests are still refused with 403 AuthenticationFailed", () => {
    const error = refusal(() => authenticate({ method: "GET", rawUrl: "/jobs", bodyLength: 0, headers: { authorization: "SharedKey acct:bad" } }, accounts));
    assert.deepEqual([error.statusCode, error.code], [403, "AuthenticationFailed"]);
  });
});
