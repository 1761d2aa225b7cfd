// Why: every operation the local service answers 501 for, in any api-version it accepts, is listed with its reason in the docs; VM extensions are refused, not ignored.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { registerRoutes } from "../../../src/local/api/routes";
import type { HandlerDeps } from "../../../src/local/api/context";
import { SUPPORTED_API_VERSIONS } from "../../../src/local/protocol/apiVersions";
import { BatchSpec } from "../../../src/local/protocol/spec";
import { Router } from "../../../src/local/server/router";
import { startLocalService, tempDir, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, vm } from "../jobs/helpers";

const DOCS = path.join(__dirname, "..", "..", "..", "..", "docs", "local-batch.md");

/** The "Not implemented locally" section of docs/local-batch.md. */
function notImplementedSection(): string {
  const text = fs.readFileSync(DOCS, "utf8");
  const start = text.indexOf("## Not implemented locally");
  assert.ok(start >= 0, "docs/local-batch.md has a 'Not implemented locally' section");
  const end = text.indexOf("\n## ", start + 3);
  return text.slice(start, end < 0 ? undefined : end);
}

describe("operations not implemented locally", () => {
  it("names every operation without a handler, in every accepted api-version, in the docs with its reason", () => {
    const router = new Router(new BatchSpec());
    // registration only: the handlers never run here
    registerRoutes(router, { account: { dataDir: tempDir("routes-only") } } as unknown as HandlerDeps);
    const implemented = new Set(router.implemented());
    const missing = new Set<string>();
    for (const version of SUPPORTED_API_VERSIONS) {
      for (const operation of router.specs.get(version).operations) if (!implemented.has(operation.operationId)) missing.add(operation.operationId);
    }
    const section = notImplementedSection();
    const unlisted = [...missing].filter((operationId) => {
      const group = `${operationId.split("_")[0]}_*`;
      return !section.includes(`\`${operationId}\``) && !section.includes(`\`${group}\``);
    });
    assert.deepEqual(unlisted, [], "operations answering 501 that docs/local-batch.md does not list");
    // and the list names no operation that is implemented by now
    const table = section
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .join("\n");
    const listed = [...table.matchAll(/`([A-Za-z]+_[A-Za-z]+)`/g)].map((match) => match[1]);
    assert.deepEqual(
      listed.filter((operationId) => implemented.has(operationId)),
      [],
      "operations the docs list as not implemented that have a handler",
    );
    assert.ok(missing.size > 0 && missing.size <= 10, `${missing.size} operations answer 501: ${[...missing].join(", ")}`);
  });

  describe("against the service", () => {
    let service: LocalServiceHandle;
    let client: BatchServiceClient;

    before(async () => {
      service = await startLocalService({ nodes: 1 });
      client = service.client();
    });
    after(() => service.stop());

    it("answers a certificate operation 501 NotImplementedLocally naming it", async () => {
      await assert.rejects(
        client.certificate.list(),
        (error: { statusCode?: number; code?: string; body?: { values?: { key?: string; value?: string }[] } }) => {
          assert.equal(error.statusCode, 501);
          assert.equal(error.code, "NotImplementedLocally");
          return true;
        },
      );
    });

    it("refuses a pool with VM extensions, naming the property, and stores nothing", async () => {
      await assert.rejects(
        client.pool.add({
          id: "p-ext",
          vmSize: "standard_d2s_v3",
          virtualMachineConfiguration: { ...vm, extensions: [{ name: "agent", publisher: "Microsoft.Azure.Monitor", type: "AzureMonitorLinuxAgent" }] },
        }),
        (error: { statusCode?: number; code?: string; body?: { message?: { value?: string }; values?: { key?: string; value?: string }[] } }) => {
          assert.equal(error.statusCode, 400);
          assert.equal(error.code, "InvalidPropertyValue");
          assert.match(String(error.body?.message?.value), /VM extensions/);
          assert.ok(
            error.body?.values?.some((entry) => entry.value === "virtualMachineConfiguration.extensions"),
            JSON.stringify(error.body?.values),
          );
          return true;
        },
      );
      await assert.rejects(client.pool.get("p-ext"), { statusCode: 404 });
    });

    it("lists no extensions on a node and answers 404 for one by name", async () => {
      await poolWithIdleNodes(client, "p-plain", 1);
      const [node] = await client.computeNode.list("p-plain");
      assert.deepEqual([...(await client.computeNodeExtension.list("p-plain", node.id!))], []);
      await assert.rejects(client.computeNodeExtension.get("p-plain", node.id!, "agent"), { statusCode: 404, code: "NodeExtensionNotFound" });
      await assert.rejects(client.computeNodeExtension.list("p-plain", "no-such-node"), { statusCode: 404, code: "NodeNotFound" });
    });
  });
});
