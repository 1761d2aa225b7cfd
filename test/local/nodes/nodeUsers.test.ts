// Why: node user accounts and remote access through the real SDK against the real service: add/update/delete with the service's errors, kept across a restart, passwords never stored.
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, tempDir, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, vm } from "./poolNodes";

const PASSWORD = "Sup3r-secret-pa55word!";
const NEW_PASSWORD = "An0ther-secret-pa55word!";
/** A fresh ed25519 public key as an OpenSSH line (`ssh-ed25519 <base64 of string type + string key> comment`). */
function openSshPublicKey(): string {
  const { publicKey } = crypto.generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]).toString("base64")} test@local`;
}
const SSH_KEY = openSshPublicKey();

const inOneHour = () => new Date(Date.now() + 3_600_000);

/** Every file of a folder, read whole (the journal, snapshots, logs). */
function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { recursive: true, withFileTypes: true }).flatMap((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    return entry.isFile() ? [fs.readFileSync(file, "latin1")] : [];
  });
}

describe("node users and remote access", () => {
  const dataDir = tempDir("local-batch-nodeusers");
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let nodeId: string;

  before(async () => {
    service = await startLocalService({ dataDir, nodes: 4 });
    client = service.client();
    nodeId = (await poolWithIdleNodes(client, "users", 1))[0].id!;
  });
  after(async () => {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("adds a user (201), refuses the same name again with 409 NodeUserExists", async () => {
    const added = await client.computeNode.addUser("users", nodeId, { name: "alice", password: PASSWORD, isAdmin: true, expiryTime: inOneHour() });
    assert.equal(added._response.status, 201);
    assert.equal(added._response.headers.get("dataserviceid"), `${service.info.batchUrl}/pools/users/nodes/${nodeId}/users/alice`);
    await assert.rejects(client.computeNode.addUser("users", nodeId, { name: "alice", password: PASSWORD }), { statusCode: 409, code: "NodeUserExists" });
  });

  it("adds an SSH-key-only user and refuses malformed keys, naming sshPublicKey", async () => {
    assert.equal((await client.computeNode.addUser("users", nodeId, { name: "bob", sshPublicKey: SSH_KEY }))._response.status, 201);
    const blobOfAnotherType = `ssh-rsa ${SSH_KEY.split(" ")[1]}`;
    for (const sshPublicKey of ["not a key", "ssh-ed25519 !!!notbase64", blobOfAnotherType]) {
      await assert.rejects(
        client.computeNode.addUser("users", nodeId, { name: "carol", sshPublicKey }),
        (error: { statusCode: number; body: { code: string; values: { key: string; value: string }[] } }) => {
          assert.equal(error.statusCode, 400);
          assert.equal(error.body.code, "InvalidPropertyValue");
          assert.deepEqual(error.body.values[0], { key: "PropertyName", value: "sshPublicKey" });
          return true;
        },
      );
    }
  });

  it("refuses a bad name, an empty password (never echoed) and an expiry in the past", async () => {
    await assert.rejects(client.computeNode.addUser("users", nodeId, { name: "has space", password: PASSWORD }), {
      statusCode: 400,
      code: "InvalidPropertyValue",
    });
    await assert.rejects(client.computeNode.addUser("users", nodeId, { name: "-dash", password: PASSWORD }), { statusCode: 400, code: "InvalidPropertyValue" });
    await assert.rejects(
      client.computeNode.addUser("users", nodeId, { name: "dave", password: "" }),
      (error: { body: { values: unknown[] }; message: string }) => {
        assert.deepEqual(error.body.values, [{ key: "PropertyName", value: "password" }]);
        return true;
      },
    );
    await assert.rejects(client.computeNode.addUser("users", nodeId, { name: "erin", password: PASSWORD, expiryTime: new Date(Date.now() - 60_000) }), {
      statusCode: 400,
      code: "InvalidPropertyValue",
    });
  });

  it("updates a user (200) and answers 404 NodeUserNotFound for an unknown one, 404 NodeNotFound for an unknown node", async () => {
    const updated = await client.computeNode.updateUser("users", nodeId, "alice", { password: NEW_PASSWORD, expiryTime: inOneHour() });
    assert.equal(updated._response.status, 200);
    await assert.rejects(client.computeNode.updateUser("users", nodeId, "nobody-here", { password: NEW_PASSWORD }), {
      statusCode: 404,
      code: "NodeUserNotFound",
    });
    await assert.rejects(client.computeNode.updateUser("users", "tvm-none", "alice", { password: NEW_PASSWORD }), { statusCode: 404, code: "NodeNotFound" });
  });

  it("keeps users across a restart and never stores or logs a password", async () => {
    await service.stop();
    service = await startLocalService({ dataDir, nodes: 4 });
    client = service.client();
    await waitFor(async () => ((await client.computeNode.get("users", nodeId)).state === "idle" ? true : undefined), "node idle after restart", 30_000, 100);
    await assert.rejects(client.computeNode.addUser("users", nodeId, { name: "alice", password: PASSWORD }), { statusCode: 409, code: "NodeUserExists" });
    const everything = filesUnder(dataDir).join("\n") + service.log();
    assert.ok(everything.includes("alice"), "the user is in the state files");
    for (const secret of [PASSWORD, NEW_PASSWORD]) assert.ok(!everything.includes(secret), "no password in any file or the log");
  });

  it("deletes a user (200), then 404 NodeUserNotFound", async () => {
    assert.equal((await client.computeNode.deleteUser("users", nodeId, "alice"))._response.status, 200);
    await assert.rejects(client.computeNode.deleteUser("users", nodeId, "alice"), { statusCode: 404, code: "NodeUserNotFound" });
  });

  it("refuses user changes while the node is not idle or running (409 NodeBeingStarted)", async () => {
    await client.pool.add({
      id: "starting",
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: vm,
      targetDedicatedNodes: 1,
      startTask: { commandLine: "/bin/sleep 30", waitForSuccess: true },
    });
    const node = await waitFor(
      async () => (await client.computeNode.list("starting")).find((candidate) => candidate.state === "waitingforstarttask"),
      "a node waiting for its start task",
      30_000,
      100,
    );
    await assert.rejects(client.computeNode.addUser("starting", node.id!, { name: "frank", password: PASSWORD }), {
      statusCode: 409,
      code: "NodeBeingStarted",
    });
    await client.pool.deleteMethod("starting");
  });

  it("a pool's own user account names are taken on its nodes", async () => {
    const [node] = await poolWithIdleNodes(client, "withaccounts", 1, { userAccounts: [{ name: "runner", password: PASSWORD }] });
    await assert.rejects(client.computeNode.addUser("withaccounts", node.id!, { name: "runner", password: PASSWORD }), {
      statusCode: 409,
      code: "NodeUserExists",
    });
    const pool = await client.pool.get("withaccounts");
    assert.equal(pool.userAccounts?.[0].name, "runner");
    assert.notEqual(pool.userAccounts?.[0].password, PASSWORD, "the pool answers a mask, not the password");
  });

  it("remote login settings: loopback, port 22 (no SSH server is started for a local node)", async () => {
    const settings = await client.computeNode.getRemoteLoginSettings("users", nodeId);
    assert.deepEqual([settings.remoteLoginIPAddress, settings.remoteLoginPort], ["127.0.0.1", 22]);
    await assert.rejects(client.computeNode.getRemoteLoginSettings("users", "tvm-none"), { statusCode: 404, code: "NodeNotFound" });
  });

  it("remote desktop: 409 for local (Linux) nodes, also of a cloudServiceConfiguration pool, which get remote login settings instead", async () => {
    // a file operation: the SDK does not parse its error body
    await assert.rejects(client.computeNode.getRemoteDesktop("users", nodeId), { statusCode: 409 });
    await client.pool.add({ id: "cloudsvc", vmSize: "small", cloudServiceConfiguration: { osFamily: "6" }, targetDedicatedNodes: 1 });
    const node = await waitFor(
      async () => (await client.computeNode.list("cloudsvc")).find((candidate) => candidate.state === "idle"),
      "an idle cloud service node",
      30_000,
      100,
    );
    await assert.rejects(client.computeNode.getRemoteDesktop("cloudsvc", node.id!), { statusCode: 409 });
    const raw = await client.sendRequest({ method: "GET", url: `${service.info.batchUrl}/pools/cloudsvc/nodes/${node.id}/rdp?api-version=2022-10-01.16.0` });
    assert.equal(raw.status, 409);
    const body = JSON.parse(raw.bodyAsText!) as { code: string; message: { value: string } };
    assert.equal(body.code, "OperationInvalidForCurrentState");
    assert.match(body.message.value, /GetRemoteLoginSettings/);
    const settings = await client.computeNode.getRemoteLoginSettings("cloudsvc", node.id!);
    assert.deepEqual([settings.remoteLoginIPAddress, settings.remoteLoginPort], ["127.0.0.1", 22]);
  });
});
