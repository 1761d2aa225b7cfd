// Why: BatchClientFactory — shared key and local clients sign like the service expects, Entra ID sends bearer tokens for the Batch scope, bodies get a native Content-Length.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { BATCH_SCOPE, BatchClientFactory, BatchClientSettings } from "../../src/runtime";
import { EntraIdBatchCredentials } from "../../src/runtime/client/entraIdCredentials";

describe("BatchClientFactory", () => {
  const seen: http.IncomingHttpHeaders[] = [];
  let url: string;
  const server = http.createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end('{"value":[]}'));
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("local mode signs with the well-known local account and sets Content-Length natively", async () => {
    const client = await BatchClientFactory.create(BatchClientSettings.fromEnvironment({ BATCH_ACCOUNT_URL: url, BATCH_AUTH_MODE: "local" }));
    assert.equal(client.batchUrl, url);
    const body = { value: [{ id: "ü", commandLine: "/bin/true" }] };
    await client.sendRequest({
      method: "POST",
      url: `${url}/jobs/j/addtaskcollection?api-version=${client.apiVersion}`,
      body,
      headers: { "content-type": "application/json" },
    });
    const headers = seen.pop()!;
    assert.match(headers.authorization ?? "", /^SharedKey localbatch:[A-Za-z0-9+/]+=*$/);
    assert.equal(headers["content-length"], String(Buffer.byteLength(JSON.stringify(body))));
  });

  it("entraId builds a client whose requests carry a bearer token for the Batch scope (token cached)", async () => {
    const settings = BatchClientSettings.fromEnvironment({ BATCH_ACCOUNT_URL: url.replace("127.0.0.1", "localhost"), BATCH_AUTH_MODE: "entraId" });
    const client = await BatchClientFactory.create(settings);
    assert.equal(client.batchUrl, settings.accountUrl);
    const scopes: unknown[] = [];
    const credentials = new EntraIdBatchCredentials({
      getToken: async (scope) => {
        scopes.push(scope);
        return { token: `token-${scopes.length}`, expiresOnTimestamp: Date.now() + 3600_000 };
      },
    });
    const request = { headers: new Map<string, string>() };
    await credentials.signRequest(request);
    await credentials.signRequest(request);
    assert.equal(request.headers.get("authorization"), "Bearer token-1");
    assert.deepEqual(scopes, [BATCH_SCOPE]);
    assert.equal(BATCH_SCOPE, "https://batch.core.windows.net//.default");
  });

  it("an expiring token is refreshed; a missing token is an error", async () => {
    let calls = 0;
    const refreshing = new EntraIdBatchCredentials({ getToken: async () => ({ token: `t${++calls}`, expiresOnTimestamp: Date.now() + 30_000 }) });
    const request = { headers: new Map<string, string>() };
    await refreshing.signRequest(request);
    await refreshing.signRequest(request);
    assert.equal(request.headers.get("authorization"), "Bearer t2");
    await assert.rejects(new EntraIdBatchCredentials({ getToken: async () => null }).signRequest(request), /returned no token/);
  });
});
