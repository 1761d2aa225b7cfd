// Why: node user accounts (ComputeNode_AddUser/UpdateUser/DeleteUser) and remote access settings (GetRemoteLoginSettings, GetRemoteDesktop) of local nodes.
import { BatchServiceError, conflict, invalidPropertyValue, missingRequiredProperty, notFound } from "../protocol/batchError";
import { newETag, nowIso, type NodeRecord, type NodeUser } from "../store/model";
import type { RequestContext, Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { nodeUrl, requireNode } from "./nodes";
import { requirePool } from "./pools";
import { created } from "./replies";

const DAY_MS = 24 * 60 * 60 * 1000;
/** The port a remote login names: this machine's SSH port (pools may not map backend port 22 themselves: it is reserved). */
const SSH_PORT = 22;
/** Linux user names ([unverified] the service's own rule): a letter or `_`, then letters, digits, `_`, `.`, `-`; at most 32. */
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
/** OpenSSH public key types whose base64 blob starts with their own name. */
const SSH_KEY_TYPES = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

/** The spec: users can be added, updated and deleted only while the node is idle or running. */
function assertUsersChangeable(node: NodeRecord): void {
  const state = String(node.wire.state);
  if (state === "idle" || state === "running") return;
  const codes: Record<string, string> = {
    creating: "NodeBeingCreated",
    starting: "NodeBeingStarted",
    waitingforstarttask: "NodeBeingStarted",
    rebooting: "NodeBeingRebooted",
    reimaging: "NodeBeingReimaged",
    unusable: "NodeStateUnusable",
  };
  throw conflict(codes[state] ?? "OperationInvalidForCurrentState", `The node is ${state}; its user accounts can be changed only while it is idle or running.`);
}

/** The node's users whose accounts have not expired (an expired account is gone, as on a node). */
function liveUsers(node: NodeRecord, now = Date.now()): NodeUser[] {
  return (node.users ?? []).filter((user) => Date.parse(user.expiryTime) > now);
}

function checkName(name: unknown): string {
  if (name === undefined) throw missingRequiredProperty("name");
  if (typeof name !== "string" || !USER_NAME.test(name)) {
    throw invalidPropertyValue(
      "name",
      name,
      "A user name starts with a letter or underscore, has only letters, digits, underscores, dots and hyphens, and at most 32 characters.",
    );
  }
  return name;
}

/** A password is checked without ever being echoed: the error names the property, not the value. */
function checkPassword(password: unknown): boolean {
  if (password === undefined) return false;
  if (typeof password !== "string" || password === "") {
    throw new BatchServiceError(
      400,
      "InvalidPropertyValue",
      "The value provided for one of the properties in the request body is invalid: password. The password must not be empty; omit it for SSH-key-only access.",
      [{ key: "PropertyName", value: "password" }],
    );
  }
  return true;
}

/** An OpenSSH public key line: `<type> <base64 blob> [comment]`, the blob naming the same type. */
export function isOpenSshPublicKey(key: string): boolean {
  const [type, blob] = key.trim().split(/\s+/);
  if (!type || !blob || !SSH_KEY_TYPES.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return false;
  const bytes = Buffer.from(blob, "base64");
  if (bytes.length < 4) return false;
  const length = bytes.readUInt32BE(0);
  return length === type.length && bytes.subarray(4, 4 + length).toString("latin1") === type;
}

function checkSshPublicKey(key: unknown): string | undefined {
  if (key === undefined) return undefined;
  if (typeof key !== "string" || !isOpenSshPublicKey(key)) {
    throw invalidPropertyValue(
      "sshPublicKey",
      key,
      "The SSH public key must be in OpenSSH format: `<type> <base64 key> [comment]`, e.g. a line of ~/.ssh/id_ed25519.pub.",
    );
  }
  return key.trim();
}

/** expiryTime, or 1 day from now when omitted (the spec's default); it must be in the future ([unverified] service check). */
function checkExpiryTime(value: unknown): string {
  if (value === undefined) return new Date(Date.now() + DAY_MS).toISOString();
  const time = Date.parse(String(value));
  if (Number.isNaN(time) || time <= Date.now()) throw invalidPropertyValue("expiryTime", value, "The expiry time must be a date and time in the future.");
  return new Date(time).toISOString();
}

function userReply(context: RequestContext, node: NodeRecord, name: string, status: 200 | 201) {
  const location = `${nodeUrl(context, node.poolId, node.wire.id)}/users/${encodeURIComponent(name)}`;
  const reply = created({ id: name, eTag: newETag(), lastModified: nowIso() }, location);
  return { ...reply, status };
}

function requireUser(node: NodeRecord, name: string): NodeUser {
  const user = liveUsers(node).find((candidate) => candidate.name === name);
  if (!user) throw notFound("NodeUserNotFound", "node user");
  return user;
}

function addUser(deps: HandlerDeps, context: RequestContext) {
  const node = requireNode(deps, context.params.poolId, context.params.nodeId);
  assertUsersChangeable(node);
  const body = (context.body as Record<string, unknown> | undefined) ?? {};
  const name = checkName(body.name);
  const pool = requirePool(deps, node.poolId);
  const poolAccounts = Array.isArray(pool.wire.userAccounts) ? (pool.wire.userAccounts as { name?: string }[]) : [];
  if (liveUsers(node).some((user) => user.name === name) || poolAccounts.some((account) => account.name === name)) {
    throw conflict("NodeUserExists", "The specified node user already exists.");
  }
  const user: NodeUser = { name, isAdmin: body.isAdmin === true, expiryTime: checkExpiryTime(body.expiryTime), hasPassword: checkPassword(body.password) };
  const sshPublicKey = checkSshPublicKey(body.sshPublicKey);
  if (sshPublicKey !== undefined) user.sshPublicKey = sshPublicKey;
  node.users = [...liveUsers(node), user];
  deps.state.saveNode(node);
  return userReply(context, node, name, 201);
}

/** UpdateUser replaces: an omitted password or key is removed, an omitted expiryTime becomes 1 day from now. */
function updateUser(deps: HandlerDeps, context: RequestContext) {
  const node = requireNode(deps, context.params.poolId, context.params.nodeId);
  assertUsersChangeable(node);
  const user = requireUser(node, context.params.userName);
  const body = (context.body as Record<string, unknown> | undefined) ?? {};
  const replaced: NodeUser = {
    name: user.name,
    isAdmin: user.isAdmin,
    expiryTime: checkExpiryTime(body.expiryTime),
    hasPassword: checkPassword(body.password),
  };
  const sshPublicKey = checkSshPublicKey(body.sshPublicKey);
  if (sshPublicKey !== undefined) replaced.sshPublicKey = sshPublicKey;
  node.users = liveUsers(node).map((candidate) => (candidate === user ? replaced : candidate));
  deps.state.saveNode(node);
  return userReply(context, node, user.name, 200);
}

function deleteUser(deps: HandlerDeps, context: RequestContext) {
  const node = requireNode(deps, context.params.poolId, context.params.nodeId);
  assertUsersChangeable(node);
  const user = requireUser(node, context.params.userName);
  node.users = liveUsers(node).filter((candidate) => candidate !== user);
  deps.state.saveNode(node);
  return { status: 200 };
}

/**
 * Where to log in: port 22 of this machine, on loopback, for a node of any pool (local nodes are Linux machines
 * whatever the pool's configuration says). No SSH server is started for local nodes (a node is a folder here): a login
 * reaches this machine's own sshd, if it runs one, as the machine's own users.
 */
function remoteLoginSettings(deps: HandlerDeps, context: RequestContext) {
  requireNode(deps, context.params.poolId, context.params.nodeId);
  return { status: 200, body: { remoteLoginIPAddress: "127.0.0.1", remoteLoginPort: SSH_PORT } };
}

/**
 * RDP files are for Windows (cloudServiceConfiguration) nodes; local nodes are Linux, so the service's answer for a
 * Linux (virtualMachineConfiguration) pool applies: 409 (Microsoft.Azure.Batch PoolOperations.GetRDPFileAsync remarks),
 * pointing to GetRemoteLoginSettings.
 */
function remoteDesktop(deps: HandlerDeps, context: RequestContext): never {
  requireNode(deps, context.params.poolId, context.params.nodeId);
  throw conflict(
    "OperationInvalidForCurrentState",
    "Local nodes run Linux and have no Remote Desktop file (it is only for cloudServiceConfiguration nodes); use GetRemoteLoginSettings.",
  );
}

export function registerNodeUserRoutes(router: Router, deps: HandlerDeps): void {
  router.on("ComputeNode_AddUser", (context) => addUser(deps, context));
  router.on("ComputeNode_UpdateUser", (context) => updateUser(deps, context));
  router.on("ComputeNode_DeleteUser", (context) => deleteUser(deps, context));
  router.on("ComputeNode_GetRemoteLoginSettings", (context) => remoteLoginSettings(deps, context));
  router.on("ComputeNode_GetRemoteDesktop", (context) => remoteDesktop(deps, context));
}
