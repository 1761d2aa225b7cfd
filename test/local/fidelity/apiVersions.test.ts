// Why: every supported api-version through real HTTP against a real local service: round trips checked by that version's spec, bodies checked by that version, and the errors for a missing or unknown one.
import assert from "node:assert/strict";
import * as os from "node:os";
import { after, before, describe, it } from "node:test";
import { BatchSharedKeyCredentials } from "@azure/batch";
import { DefaultHttpClient, type HttpClient, WebResource } from "@azure/ms-rest-js";
import { registerRoutes } from "../../../src/local/api/routes";
import type { HandlerDeps } from "../../../src/local/api/context";
import { type ApiVersion, SUPPORTED_API_VERSIONS } from "../../../src/local/protocol/apiVersions";
import { API_VERSION, BatchSpec } from "../../../src/local/protocol/spec";
import { Router } from "../../../src/local/server/router";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { responseSpec, SpecValidatingHttpClient } from "../../support/specValidatingHttpClient";
import { sh, vm } from "../jobs/helpers";

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field
  body: any;
}

/** The short tag of a version in entity ids, e.g. 2023-05-01.17.0 → v17. */
const tag = (version: ApiVersion): string => `v${version.split(".")[1]}`;

const detail = (answer: Answer, key: string): string | undefined =>
  (answer.body?.values as { key: string; value: string }[] | undefined)?.find((entry) => entry.key === key)?.value;

/** A property each version after 2022-10-01.16.0 added to a request body the local service stores and answers with. */
const ADDED_PROPERTIES: { introducedIn: ApiVersion; property: string; pool: Record<string, unknown>; read: (pool: Record<string, unknown>) => unknown }[] = [
  {
    introducedIn: "2023-05-01.17.0",
    property: "networkConfiguration.enableAcceleratedNetworking",
    pool: { networkConfiguration: { enableAcceleratedNetworking: false } },
    read: (pool) => (pool.networkConfiguration as Record<string, unknown> | undefined)?.enableAcceleratedNetworking,
  },
  {
    introducedIn: "2023-11-01.18.0",
    property: "resourceTags",
    pool: { resourceTags: { team: "render" } },
    read: (pool) => pool.resourceTags,
  },
  {
    introducedIn: "2023-11-01.18.0",
    property: "virtualMachineConfiguration.osDisk.caching",
    pool: { virtualMachineConfiguration: { ...vm, osDisk: { caching: "readonly" } } },
    read: (pool) => ((pool.virtualMachineConfiguration as Record<string, unknown>).osDisk as Record<string, unknown> | undefined)?.caching,
  },
  {
    introducedIn: "2024-02-01.19.0",
    property: "upgradePolicy",
    pool: { upgradePolicy: { mode: "manual" } },
    read: (pool) => pool.upgradePolicy,
  },
];

describe("api-versions", () => {
  let service: LocalServiceHandle;

  before(async () => {
    service = await startLocalService({ nodes: 6 });
  });
  after(() => service.stop());

  /**
   * A request naming `version` (none when undefined), signed by the SDK's own SharedKey signer; answered through `http` (by default
   * a client that checks the answer against the spec of the version the request names).
   */
  async function send(
    version: string | undefined,
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    http: HttpClient = new SpecValidatingHttpClient(),
  ): Promise<Answer> {
    const query = version === undefined ? "" : `${path.includes("?") ? "&" : "?"}api-version=${encodeURIComponent(version)}`;
    const request = new WebResource(`${service.info.batchUrl}${path}${query}`, method, body === undefined ? undefined : JSON.stringify(body));
    request.headers.set("Content-Type", body === undefined ? "application/json; charset=utf-8" : "application/json; odata=minimalmetadata; charset=utf-8");
    await new BatchSharedKeyCredentials(service.info.accountName, service.info.accountKey).signRequest(request);
    const response = await http.sendRequest(request);
    return { status: response.status, body: response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined };
  }

  const addPool = (version: ApiVersion, id: string, extra: Record<string, unknown> = {}) =>
    send(version, "POST", "/pools", { id, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0, ...extra });

  for (const version of SUPPORTED_API_VERSIONS) {
    it(`${version}: adds, gets and lists a pool, a job and a task, every answer checked by ${version}'s spec`, async () => {
      const http = new SpecValidatingHttpClient();
      const v = tag(version);
      assert.equal(
        (await send(version, "POST", "/pools", { id: `pool-${v}`, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 }, http))
          .status,
        201,
      );
      const pool = await send(version, "GET", `/pools/pool-${v}`, undefined, http);
      assert.equal(pool.status, 200);
      assert.equal(pool.body.id, `pool-${v}`);
      const pools = await send(version, "GET", `/pools?$filter=${encodeURIComponent(`id eq 'pool-${v}'`)}`, undefined, http);
      assert.deepEqual(
        pools.body.value.map((entry: { id: string }) => entry.id),
        [`pool-${v}`],
      );
      assert.equal((await send(version, "POST", "/jobs", { id: `job-${v}`, poolInfo: { poolId: `pool-${v}` } }, http)).status, 201);
      assert.equal((await send(version, "GET", `/jobs/job-${v}`, undefined, http)).body.poolInfo.poolId, `pool-${v}`);
      assert.ok((await send(version, "GET", "/jobs", undefined, http)).body.value.some((job: { id: string }) => job.id === `job-${v}`));
      assert.equal((await send(version, "POST", `/jobs/job-${v}/tasks`, { id: "t1", commandLine: sh(`echo ${v}`) }, http)).status, 201);
      const done = await waitFor(async () => {
        const task = await send(version, "GET", `/jobs/job-${v}/tasks/t1`, undefined, http);
        return task.body.state === "completed" ? task : undefined;
      }, `task t1 of job-${v} to complete`);
      assert.equal(done.body.executionInfo.exitCode, 0);
      const tasks = await send(version, "GET", `/jobs/job-${v}/tasks`, undefined, http);
      assert.deepEqual(
        tasks.body.value.map((task: { id: string; state: string }) => [task.id, task.state]),
        [["t1", "completed"]],
      );
      assert.equal((await send(version, "GET", `/pools/pool-${v}/nodes`, undefined, http)).body.value.length, 1);
      const images = await send(version, "GET", "/supportedimages", undefined, http);
      assert.ok(images.body.value.length > 0);
      const operations = new Set(http.exchanges.map((exchange) => exchange.operationId));
      for (const operationId of [
        "Pool_Add",
        "Pool_Get",
        "Pool_List",
        "Job_Add",
        "Job_Get",
        "Job_List",
        "Task_Add",
        "Task_Get",
        "Task_List",
        "ComputeNode_List",
        "Account_ListSupportedImages",
      ])
        assert.ok(operations.has(operationId), `${operationId} was answered and checked against ${version}'s spec`);
    });
  }

  for (const { introducedIn, property, pool, read } of ADDED_PROPERTIES) {
    const older = SUPPORTED_API_VERSIONS[SUPPORTED_API_VERSIONS.indexOf(introducedIn) - 1];
    it(`${property}: refused with ${older}, accepted with ${introducedIn}, left out when read with an older version`, async () => {
      const id = `added-${property.replace(/\W/g, "-")}`;
      const refused = await addPool(older, id, pool);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.code, "InvalidRequestBody");
      assert.equal(detail(refused, "PropertyName"), property);
      assert.equal((await send(older, "GET", `/pools/${id}`)).status, 404, "nothing was stored");

      assert.equal((await addPool(introducedIn, id, pool)).status, 201);
      const newer = await send(introducedIn, "GET", `/pools/${id}`);
      assert.deepEqual(read(newer.body), read(pool));
      // the older version's spec refuses the newer shape: what the older version is answered must leave the property out
      const olderPool = responseSpec(older).validator("CloudPool");
      assert.equal(olderPool(newer.body), false);
      for (const version of SUPPORTED_API_VERSIONS.slice(0, SUPPORTED_API_VERSIONS.indexOf(introducedIn))) {
        const answer = await send(version, "GET", `/pools/${id}`);
        assert.equal(answer.status, 200);
        assert.equal(read(answer.body), undefined, `${version} is answered without ${property}`);
        assert.equal(answer.body.id, id);
      }
      // the real @azure/batch client (2022-10-01.16.0, its answers checked by that spec) reads the pool too
      assert.equal((await service.client().pool.get(id)).id, id);
    });
  }

  it("answers each version's NodeCounts: upgradingOS only, and always, from 2024-02-01.19.0", async () => {
    assert.equal((await addPool(API_VERSION, "counts", { targetDedicatedNodes: 1 })).status, 201);
    for (const version of SUPPORTED_API_VERSIONS) {
      const counts = await waitFor(async () => {
        const answer = await send(version, "GET", `/nodecounts?$filter=${encodeURIComponent("poolId eq 'counts'")}`);
        return answer.body.value[0]?.dedicated.idle === 1 ? answer.body.value[0] : undefined;
      }, `the counts pool's node to be idle (${version})`);
      assert.equal(counts.dedicated.upgradingOS, version === "2024-02-01.19.0" ? 0 : undefined, version);
      assert.equal(counts.lowPriority.upgradingOS, version === "2024-02-01.19.0" ? 0 : undefined, version);
    }
  });

  it("every version lists every pool and job, whichever version created them", async () => {
    for (const version of SUPPORTED_API_VERSIONS) {
      const pools = await send(version, "GET", "/pools");
      assert.equal(pools.status, 200);
      for (const other of SUPPORTED_API_VERSIONS)
        assert.ok(
          pools.body.value.some((pool: { id: string }) => pool.id === `pool-${tag(other)}`),
          `${version} lists pool-${tag(other)}`,
        );
      const jobs = await send(version, "GET", "/jobs");
      assert.equal(jobs.body.value.length, SUPPORTED_API_VERSIONS.length);
    }
  });

  it("an operation only older versions have is an unknown URI in newer ones", async () => {
    const plain = new DefaultHttpClient(); // the newer specs have no such path to check the answer against
    // Pool_GetAllLifetimeStatistics: answered (or refused as not implemented locally) with 2022-10-01.16.0, whose spec has it
    const inOldest = await send("2022-10-01.16.0", "GET", "/lifetimepoolstats", undefined, plain);
    assert.ok(inOldest.status === 200 || inOldest.body.code === "NotImplementedLocally", `${inOldest.status} ${inOldest.body?.code}`);
    for (const version of SUPPORTED_API_VERSIONS.slice(1)) {
      const answer = await send(version, "GET", "/lifetimepoolstats", undefined, plain);
      assert.equal(answer.status, 400, version);
      assert.equal(answer.body.code, "InvalidUri");
      assert.match(answer.body.message.value, /2022-10-01\.16\.0 has it/);
    }
  });

  for (const unknown of ["2021-06-01.14.0", "2024-07-01.20.0", "latest"]) {
    it(`refuses api-version ${unknown} with InvalidQueryParameterValue listing the supported versions`, async () => {
      const answer = await send(unknown, "GET", "/pools");
      assert.equal(answer.status, 400);
      assert.equal(answer.body.code, "InvalidQueryParameterValue");
      assert.equal(detail(answer, "QueryParameterName"), "api-version");
      assert.equal(detail(answer, "QueryParameterValue"), unknown);
      for (const version of SUPPORTED_API_VERSIONS) {
        assert.ok(answer.body.message.value.includes(version), `the message lists ${version}`);
        assert.ok(detail(answer, "Reason")?.includes(version), `the Reason lists ${version}`);
      }
    });
  }

  it("refuses a request without api-version with MissingRequiredQueryParameter, and stores nothing", async () => {
    const answer = await send(undefined, "POST", "/pools", { id: "no-version", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, "MissingRequiredQueryParameter");
    assert.equal(detail(answer, "QueryParameterName"), "api-version");
    assert.match(answer.body.message.value, /2024-02-01\.19\.0/);
    assert.equal((await send(API_VERSION, "GET", "/pools/no-version")).status, 404);
  });
});

describe("api-version specs are read on demand", () => {
  it("registering every handler reads only the default version's spec; a request naming another reads that one alone", () => {
    const router = new Router(new BatchSpec());
    registerRoutes(router, { account: { dataDir: os.tmpdir() } } as HandlerDeps); // registering calls no handler
    assert.deepEqual(
      router.specs.loaded().map((spec) => spec.apiVersion),
      [API_VERSION],
    );
    assert.equal(router.resolve("2023-11-01.18.0", "GET", ["pools"]).operation.operationId, "Pool_List");
    assert.deepEqual(
      router.specs.loaded().map((spec) => spec.apiVersion),
      [API_VERSION, "2023-11-01.18.0"],
    );
  });
});
