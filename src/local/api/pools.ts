// Why: the pool operations (add, get, list, exists, delete, patch, updateProperties, resize, stopResize) over local nodes.
import { BatchServiceError, conflict, invalidPropertyValue, notFound } from "../protocol/batchError";
import { assertValidId } from "../protocol/ids";
import { nowIso, type PoolRecord, type Wire } from "../store/model";
import type { Router, RequestContext } from "../server/router";
import type { HandlerDeps } from "./context";
import { expands, listReply } from "./listing";
import { accepted, checkConditions, created, entity, updated } from "./replies";
import { checkAutoScaleOnAdd } from "./autoscale";
import { checkNetworkConfiguration } from "./poolNetwork";
import { checkContainerSettings, checkUserIdentity, containerRefusal } from "./taskValidation";
import { containerEngine } from "../node/containerEngine";

/** Local machines only have so many cores: a pool larger than this is refused with a clear message. */
export const MAX_LOCAL_NODES = 64;

/** How local nodes talk to the service: they call it, nothing calls in (the spec's "simplified"). */
export const LOCAL_NODE_COMMUNICATION_MODE = "simplified";

const UNSUPPORTED_ON_ADD = ["mountConfiguration"] as const;

export function poolUrl(context: RequestContext, poolId: string): string {
  return `${context.baseUrl}/pools/${encodeURIComponent(poolId)}`;
}

export function requirePool(deps: HandlerDeps, poolId: string): PoolRecord {
  const pool = deps.state.getPool(poolId);
  if (!pool) throw notFound("PoolNotFound", "pool");
  return pool;
}

/** The spec (Pool_Delete): an update, patch or delete of a pool in the deleting state fails with 409 PoolBeingDeleted. */
export function assertPoolNotDeleting(pool: PoolRecord): void {
  if (pool.wire.state === "deleting") throw conflict("PoolBeingDeleted", "The specified pool is being deleted.");
}

function presentPool(context: RequestContext, deps: HandlerDeps, record: PoolRecord): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...record.wire, url: poolUrl(context, record.wire.id) };
  // kept on the record for the node reconciler; CloudPool has no such property
  delete wire.nodeDeallocationOption;
  // written by earlier versions' pool delete; CloudPool has no previous state
  delete wire.previousState;
  delete wire.previousStateTransitionTime;
  // local nodes talk to the service the simplified way (outbound only); the pool's own choice is echoed
  wire.currentNodeCommunicationMode = LOCAL_NODE_COMMUNICATION_MODE;
  wire.targetNodeCommunicationMode ??= "default";
  if (expands(context, "stats")) {
    const now = nowIso();
    wire.stats = {
      url: `${poolUrl(context, record.wire.id)}/stats`,
      startTime: record.wire.creationTime,
      lastUpdateTime: now,
    };
  }
  void deps;
  return wire;
}

function checkNodeCount(property: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
    throw invalidPropertyValue(property, value, "The node count must be a whole number of 0 or more.");
  if (value > MAX_LOCAL_NODES)
    throw invalidPropertyValue(property, value, `The local Batch service runs at most ${MAX_LOCAL_NODES} nodes per pool on this machine.`);
}

/** The longest user account name (UserAccount.name). */
const MAX_USER_NAME = 20;
/** What a pool answers in place of its user accounts' passwords: they are not kept ([unverified] what Azure answers). */
export const MASKED_PASSWORD = "********";

/** userAccounts: named, unique, with a password, uid and gid together; passwords are never echoed in errors. */
function checkUserAccounts(value: unknown): void {
  if (value === undefined) return;
  const names = new Set<string>();
  (value as { name: string; password?: string; linuxUserConfiguration?: { uid?: number; gid?: number } }[]).forEach((account, index) => {
    const property = `userAccounts[${index}]`;
    if (account.name.trim() === "" || [...account.name].length > MAX_USER_NAME) {
      throw invalidPropertyValue(`${property}.name`, account.name, `A user account name must have 1 to ${MAX_USER_NAME} characters.`);
    }
    if (names.has(account.name)) throw invalidPropertyValue(`${property}.name`, account.name, "Each user account of a pool must have its own name.");
    names.add(account.name);
    if (account.password === "")
      throw new BatchServiceError(
        400,
        "InvalidPropertyValue",
        `The value provided for one of the properties in the request body is invalid: ${property}.password. The password must not be empty.`,
        [{ key: "PropertyName", value: `${property}.password` }],
      );
    const linux = account.linuxUserConfiguration;
    if (linux && (linux.uid === undefined) !== (linux.gid === undefined)) {
      throw invalidPropertyValue(
        `${property}.linuxUserConfiguration`,
        JSON.stringify({ uid: linux.uid, gid: linux.gid }),
        "Specify uid and gid together, or neither.",
      );
    }
    for (const id of ["uid", "gid"] as const) {
      if (linux?.[id] !== undefined && linux[id]! < 0)
        throw invalidPropertyValue(`${property}.linuxUserConfiguration.${id}`, linux[id], `${id} must be 0 or more.`);
    }
  });
}

/** The user accounts as kept: no password (a fixed mask answers for it) and no SSH private key. */
function storedUserAccounts(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((account: Record<string, unknown>) => {
    const { sshPrivateKey: _key, ...linux } = (account.linuxUserConfiguration as Record<string, unknown> | undefined) ?? {};
    return { ...account, password: MASKED_PASSWORD, ...(account.linuxUserConfiguration !== undefined ? { linuxUserConfiguration: linux } : {}) };
  });
}

/** A container pool needs a Docker-compatible engine on this machine. */
function checkContainerConfiguration(body: Record<string, unknown>): void {
  const vm = body.virtualMachineConfiguration as { containerConfiguration?: unknown } | undefined;
  if (vm?.containerConfiguration !== undefined && !containerEngine()) {
    throw containerRefusal("virtualMachineConfiguration.containerConfiguration", "remove containerConfiguration");
  }
}

/** A start task as any task-like spec: user identity and containerSettings. */
function checkStartTask(startTask: unknown): void {
  if (startTask === undefined || startTask === null) return;
  checkUserIdentity(startTask as Record<string, unknown>, "startTask");
  checkContainerSettings(startTask as Record<string, unknown>, "startTask");
}

function checkAddParameter(deps: HandlerDeps, body: Record<string, unknown>): void {
  assertValidId(body.id, "id");
  checkAutoScaleOnAdd(deps, body);
  for (const property of UNSUPPORTED_ON_ADD) {
    if (body[property] !== undefined && body[property] !== false) {
      throw invalidPropertyValue(property, body[property], `The local Batch service does not support ${property}; remove it.`);
    }
  }
  const extensions = (body.virtualMachineConfiguration as { extensions?: unknown[] } | undefined)?.extensions;
  if (Array.isArray(extensions) && extensions.length > 0) {
    throw invalidPropertyValue(
      "virtualMachineConfiguration.extensions",
      extensions,
      "Local nodes cannot install VM extensions; remove virtualMachineConfiguration.extensions for local runs (keep it in the Azure pool's settings).",
    );
  }
  checkNetworkConfiguration(body);
  checkUserAccounts(body.userAccounts);
  checkContainerConfiguration(body);
  checkStartTask(body.startTask);
  checkNodeCount("targetDedicatedNodes", body.targetDedicatedNodes);
  checkNodeCount("targetLowPriorityNodes", body.targetLowPriorityNodes);
  const slots = body.taskSlotsPerNode;
  if (slots !== undefined && (typeof slots !== "number" || !Number.isInteger(slots) || slots < 1 || slots > 256)) {
    throw invalidPropertyValue("taskSlotsPerNode", slots, "taskSlotsPerNode must be a whole number from 1 to 256.");
  }
  if (body.cloudServiceConfiguration !== undefined && body.virtualMachineConfiguration !== undefined) {
    throw invalidPropertyValue("cloudServiceConfiguration", "", "Specify either cloudServiceConfiguration or virtualMachineConfiguration, not both.");
  }
}

function beginResize(deps: HandlerDeps, wire: Wire): void {
  wire.allocationState = "resizing";
  wire.allocationStateTransitionTime = nowIso();
  delete wire.resizeErrors;
  deps.state.touch(wire);
}

/** Adds a pool and starts allocating its nodes: the one way pools come to exist (the Batch data plane and the local management endpoint both call it). */
export function createPool(deps: HandlerDeps, body: Record<string, unknown>): Wire {
  const { state } = deps;
  checkAddParameter(deps, body);
  const id = body.id as string;
  if (state.getPool(id)) throw conflict("PoolExists", "The specified pool already exists.");
  const now = nowIso();
  const wire: Wire = {
    ...body,
    id,
    creationTime: now,
    state: "active",
    stateTransitionTime: now,
    allocationState: "steady",
    allocationStateTransitionTime: now,
    resizeTimeout: body.resizeTimeout ?? "PT15M",
    currentDedicatedNodes: 0,
    currentLowPriorityNodes: 0,
    targetDedicatedNodes: body.targetDedicatedNodes ?? 0,
    targetLowPriorityNodes: body.targetLowPriorityNodes ?? 0,
    enableAutoScale: body.enableAutoScale === true,
    enableInterNodeCommunication: body.enableInterNodeCommunication ?? false,
    taskSlotsPerNode: body.taskSlotsPerNode ?? 1,
    taskSchedulingPolicy: body.taskSchedulingPolicy ?? { nodeFillType: "spread" },
    targetNodeCommunicationMode: body.targetNodeCommunicationMode ?? "default",
  };
  if (body.userAccounts !== undefined) wire.userAccounts = storedUserAccounts(body.userAccounts);
  beginResize(deps, wire);
  state.savePool({ wire });
  deps.dispatcher.reconcilePool(id);
  if (wire.enableAutoScale === true) deps.autoscaler?.enabled(state.getPool(id)!);
  return wire;
}

/** Resizes a pool to new targets (the data plane's Pool_Resize and the management plane's scaleSettings update). */
export function resizePool(deps: HandlerDeps, pool: PoolRecord, body: Record<string, unknown>): void {
  assertPoolNotDeleting(pool);
  if (pool.wire.allocationState === "stopping")
    throw conflict("PoolStoppingResize", "The pool is stopping a resize; wait until its allocationState is steady.");
  checkNodeCount("targetDedicatedNodes", body.targetDedicatedNodes);
  checkNodeCount("targetLowPriorityNodes", body.targetLowPriorityNodes);
  for (const key of ["targetDedicatedNodes", "targetLowPriorityNodes", "resizeTimeout", "nodeDeallocationOption"]) {
    if (body[key] !== undefined) pool.wire[key] = body[key];
  }
  beginResize(deps, pool.wire);
  deps.state.savePool(pool);
  deps.dispatcher.reconcilePool(pool.wire.id);
}

export function registerPoolRoutes(router: Router, deps: HandlerDeps): void {
  const { state } = deps;

  router.on("Pool_Add", (context) => {
    const wire = createPool(deps, context.body as Record<string, unknown>);
    return created(wire, poolUrl(context, wire.id));
  });

  router.on("Pool_List", (context) => listReply(context, state.pools.values(), { present: (record) => presentPool(context, deps, record) }));

  router.on("Pool_Get", (context) => {
    const pool = requirePool(deps, context.params.poolId);
    checkConditions(context, pool.wire);
    return entity(context, pool.wire, presentPool(context, deps, pool));
  });

  router.on("Pool_Exists", (context) => {
    const pool = state.getPool(context.params.poolId);
    if (!pool) return { status: 404 };
    checkConditions(context, pool.wire);
    return { status: 200, headers: { ETag: String(pool.wire.eTag), "Last-Modified": new Date(String(pool.wire.lastModified)).toUTCString() } };
  });

  router.on("Pool_Delete", async (context) => {
    const pool = requirePool(deps, context.params.poolId);
    checkConditions(context, pool.wire);
    assertPoolNotDeleting(pool);
    // CloudPool has no previousState: only state and stateTransitionTime change
    pool.wire.state = "deleting";
    pool.wire.stateTransitionTime = nowIso();
    state.touch(pool.wire);
    state.savePool(pool);
    void deps.dispatcher.removePool(pool.wire.id);
    return { status: 202 };
  });

  router.on("Pool_Patch", (context) => {
    const pool = requirePool(deps, context.params.poolId);
    checkConditions(context, pool.wire);
    assertPoolNotDeleting(pool);
    const body = context.body as Record<string, unknown>;
    checkStartTask(body.startTask);
    for (const key of ["startTask", "metadata", "applicationPackageReferences", "certificateReferences", "targetNodeCommunicationMode"]) {
      if (body[key] !== undefined) pool.wire[key] = body[key];
    }
    state.touch(pool.wire);
    state.savePool(pool);
    return updated(pool.wire, poolUrl(context, pool.wire.id));
  });

  router.on("Pool_UpdateProperties", (context) => {
    const pool = requirePool(deps, context.params.poolId);
    checkConditions(context, pool.wire);
    assertPoolNotDeleting(pool);
    const body = context.body as Record<string, unknown>;
    checkStartTask(body.startTask);
    // updateProperties replaces: absent optional properties are cleared
    if (body.startTask === undefined) delete pool.wire.startTask;
    else pool.wire.startTask = body.startTask;
    pool.wire.certificateReferences = body.certificateReferences;
    pool.wire.applicationPackageReferences = body.applicationPackageReferences;
    pool.wire.metadata = body.metadata;
    // the spec: "If omitted, the existing setting is default"
    pool.wire.targetNodeCommunicationMode = body.targetNodeCommunicationMode ?? "default";
    state.touch(pool.wire);
    state.savePool(pool);
    return { status: 204, headers: { DataServiceId: poolUrl(context, pool.wire.id) } };
  });

  router.on("Pool_Resize", (context) => {
    const pool = requirePool(deps, context.params.poolId);
    checkConditions(context, pool.wire);
    resizePool(deps, pool, context.body as Record<string, unknown>);
    return accepted(pool.wire, poolUrl(context, pool.wire.id));
  });

  router.on("Pool_StopResize", (context) => {
    const pool = requirePool(deps, context.params.poolId);
    checkConditions(context, pool.wire);
    assertPoolNotDeleting(pool);
    if (pool.wire.allocationState !== "resizing") {
      throw new BatchServiceError(409, "PoolNotResizing", "The specified pool is not resizing.");
    }
    // keep the nodes that exist now: the new target is what is there
    const current = pool.wire.currentDedicatedNodes as number;
    pool.wire.targetDedicatedNodes = current;
    pool.wire.allocationState = "stopping";
    pool.wire.allocationStateTransitionTime = nowIso();
    state.touch(pool.wire);
    state.savePool(pool);
    deps.dispatcher.reconcilePool(pool.wire.id);
    return accepted(pool.wire, poolUrl(context, pool.wire.id));
  });
}
