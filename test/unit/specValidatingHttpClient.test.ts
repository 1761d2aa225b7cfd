// Why: proves the tests' response validator can fail: canned answers with an extra, mistyped or malformed property, from a real local HTTP server.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { WebResource } from "@azure/ms-rest-js";
import { SpecValidatingHttpClient, SpecViolation } from "../support/specValidatingHttpClient";

const JOB = { id: "job-1", url: "https://x/jobs/job-1", state: "active", priority: 0, creationTime: "2026-01-02T03:04:05.678Z", poolInfo: { poolId: "p" } };

describe("SpecValidatingHttpClient (the spec file read by the tests, not by the server)", () => {
  let server: http.Server;
  let base: string;
  /** the next answer of the server */
  let answer: { status: number; body: unknown } = { status: 200, body: JOB };

  before(async () => {
    server = http.createServer((_request, response) => {
      response.writeHead(answer.status, { "content-type": "application/json;odata=minimalmetadata" });
      response.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function send(method: "GET", pathname: string, status: number, body: unknown) {
    answer = { status, body };
    const client = new SpecValidatingHttpClient();
    const response = await client.sendRequest(new WebResource(`${base}${pathname}?api-version=2022-10-01.16.0`, method));
    return { response, exchanges: client.exchanges };
  }

  it("accepts an answer the spec allows, and records the operation", async () => {
    const { response, exchanges } = await send("GET", "/jobs/job-1", 200, JOB);
    assert.equal(response.status, 200);
    assert.deepEqual(exchanges, [{ operationId: "Job_Get", status: 200 }]);
    const files = await send("GET", "/jobs/job-1/tasks/t/files", 200, { value: [{ name: "wd/a/b.txt", isDirectory: false }] });
    assert.deepEqual(files.exchanges, [{ operationId: "File_ListFromTask", status: 200 }]);
  });

  it("refuses a property the spec does not have, also deep inside", async () => {
    await assert.rejects(send("GET", "/jobs/job-1", 200, { ...JOB, internalSequence: 7 }), (error: Error) => {
      assert.ok(error instanceof SpecViolation);
      assert.match(error.message, /Job_Get 200 body violates CloudJob: .*must NOT have additional properties.*internalSequence/);
      return true;
    });
    await assert.rejects(
      send("GET", "/jobs/job-1", 200, { ...JOB, executionInfo: { startTime: JOB.creationTime, poolId: "p", nodeCount: 1 } }),
      /\/executionInfo must NOT have additional properties.*nodeCount/,
    );
  });

  it("refuses a mistyped or malformed value", async () => {
    await assert.rejects(send("GET", "/jobs/job-1", 200, { ...JOB, priority: "high" }), /\/priority must be integer/);
    await assert.rejects(send("GET", "/jobs/job-1", 200, { ...JOB, state: "running" }), /\/state must be equal to one of the allowed values/);
    await assert.rejects(send("GET", "/jobs/job-1", 200, { ...JOB, creationTime: "yesterday" }), /\/creationTime must match format "date-time"/);
    await assert.rejects(
      send("GET", "/jobs/job-1", 200, { ...JOB, constraints: { maxWallClockTime: "10 minutes" } }),
      /maxWallClockTime must match format "duration"/,
    );
  });

  it("checks error answers against BatchError and refuses statuses and paths the spec does not define", async () => {
    const notFound = { code: "JobNotFound", message: { lang: "en-US", value: "The specified job does not exist." } };
    assert.equal((await send("GET", "/jobs/nope", 404, notFound)).response.status, 404);
    await assert.rejects(send("GET", "/jobs/nope", 404, { ...notFound, stack: "at handler (jobs.ts:12)" }), /Job_Get 404 body violates BatchError: .*stack/);
    await assert.rejects(send("GET", "/jobs/job-1/nonsense", 200, {}), /GET \/jobs\/job-1\/nonsense is not an operation of the spec/);
  });

  it("reads the spec file itself, never the server's translation of it", () => {
    const source = fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "support", "specValidatingHttpClient.ts"), "utf8");
    assert.doesNotMatch(source, /from "[^"]*src\/local/);
  });
});
