// Why: the management plane's pool operations (Pool_Create / Get / ListByBatchAccount / Update) on the local service's own pool store, so a pool created through ARM is the pool the data plane, the nodes and the explorer see.

import { createPool, requirePool, resizePool } from "../api/pools";
import type { HandlerDeps } from "../api/context";
import type { Wire } from "../store/model";
import { ArmError } from "./armIds";
import type { ArmPackages } from "./armPackages";
import type { ArmReply, ArmRequest } from "./armRoutes";
import { poolFromWire, propertiesToWire, type ArmPoolContext } from "./armPoolShape";

type Json = Record<string, unknown>;

/** Set once a pool exists: ARM refuses to change them (as Azure does for vmSize, image and slots). */
const IMMUTABLE = ["vmSize", "virtualMachineConfiguration", "taskSlotsPerNode", "userAccounts", "enableInterNodeCommunication"] as const;
const SCALE = ["targetDedicatedNodes", "targetLowPriorityNodes", "resizeTimeout", "nodeDeallocationOption"] as const;
/** Properties an update replaces (a null from the shape = remove). */
const REPLACEABLE = [
  "displayName",
  "startTask",
  "applicationPackageReferences",
  "certificateReferences",
  "metadata",
  "identity",
  "taskSchedulingPolicy",
  "targetNodeCommunicationMode",
  "applicationLicenses",
  "resourceTags",
] as const;

const withoutNulls = (wire: Json): Json => Object.fromEntries(Object.entries(wire).filter(([, value]) => value !== null));

export class ArmPools {
  private readonly context: ArmPoolContext;

  constructor(
    private readonly deps: HandlerDeps,
    packages: ArmPackages,
  ) {
    this.context = { accountName: deps.account.accountName, checkPackage: (id, version, target) => checkPackage(packages, id, version, target) };
  }

  list(): Json[] {
    return [...this.deps.state.pools.values()].map((record) => this.present(record.wire));
  }

  get(poolName: string): Json {
    return this.present(this.pool(poolName).wire);
  }

  /** PUT: creates the pool (nodes are allocated as for a data-plane add); on an existing pool it is an update, unless If-None-Match is `*`. */
  create(poolName: string, body: Json, ifNoneMatch: string | undefined): Json {
    if (this.deps.state.getPool(poolName)) {
      if (ifNoneMatch === "*")
        throw new ArmError(409, "PoolAlreadyExists", `The pool '${poolName}' already exists (If-None-Match: * refuses to update it).`, "poolName");
      return this.update(poolName, body);
    }
    const properties = withoutNulls(propertiesToWire(body, this.context));
    if (typeof properties.vmSize !== "string") throw new ArmError(400, "InvalidRequestContent", "properties.vmSize is required.", "properties.vmSize");
    if (properties.virtualMachineConfiguration === undefined)
      throw new ArmError(
        400,
        "InvalidRequestContent",
        "properties.deploymentConfiguration.virtualMachineConfiguration is required.",
        "properties.deploymentConfiguration",
      );
    return this.present(createPool(this.deps, { ...properties, id: poolName }));
  }

  /** PATCH: properties supplied replace the pool's, the rest stay; new scale targets resize the pool. */
  update(poolName: string, body: Json): Json {
    const pool = this.pool(poolName);
    const changes = propertiesToWire(body, this.context);
    for (const name of IMMUTABLE) {
      if (changes[name] !== undefined && JSON.stringify(changes[name]) !== JSON.stringify(pool.wire[name]))
        throw new ArmError(400, "PropertyCannotBeUpdated", `The pool's ${name} cannot be changed once it exists; create a new pool instead.`, name);
    }
    for (const name of REPLACEABLE) {
      if (changes[name] === undefined) continue;
      if (changes[name] === null) delete pool.wire[name];
      else pool.wire[name] = changes[name];
    }
    this.deps.state.touch(pool.wire);
    this.deps.state.savePool(pool);
    const scale = Object.fromEntries(SCALE.filter((name) => changes[name] !== undefined).map((name) => [name, changes[name]]));
    if (Object.keys(scale).length) resizePool(this.deps, pool, scale);
    return this.present(pool.wire);
  }

  private pool(poolName: string) {
    try {
      return requirePool(this.deps, poolName);
    } catch {
      throw new ArmError(404, "PoolNotFound", `The pool '${poolName}' does not exist in the Batch account '${this.context.accountName}'.`, "poolName");
    }
  }

  private present(wire: Wire): Json {
    return poolFromWire(wire, this.context.accountName);
  }
}

/** A pool may only reference an application version that is active (or, without a version, an application with a default). */
function checkPackage(packages: ArmPackages, applicationId: string, version: string | undefined, target: string): void {
  const app = (() => {
    try {
      return packages.getApplication(applicationId);
    } catch {
      throw new ArmError(
        400,
        "InvalidApplicationPackageReferences",
        `${target}: the application '${applicationId}' does not exist in this account; deploy its package first.`,
        target,
      );
    }
  })();
  const wanted = version ?? app.defaultVersion;
  if (!wanted) throw new ArmError(400, "InvalidApplicationPackageReferences", `${target}: '${applicationId}' has no default version; name a version.`, target);
  const state = (() => {
    try {
      return packages.getPackage(applicationId, wanted).state;
    } catch {
      return undefined;
    }
  })();
  if (state !== "Active")
    throw new ArmError(
      400,
      "InvalidApplicationPackageReferences",
      `${target}: '${applicationId}' version '${wanted}' is ${state ? `${state}, not active` : "not deployed"} in this account; deploy and activate it first.`,
      target,
    );
}

/** `…/batchAccounts/<account>/pools[/<pool>]`: list, get, create (PUT), update (PATCH). */
export function answerPool(request: ArmRequest, pools: ArmPools, poolName: string | undefined, extra: string | undefined): ArmReply {
  if (extra !== undefined)
    throw new ArmError(404, "ResourceNotFound", `/${request.segments.join("/")} was not found in the local Batch service's management endpoint.`);
  if (poolName === undefined) {
    if (request.method !== "GET") throw new ArmError(405, "MethodNotAllowed", `${request.method} on the pool list is not supported.`);
    return { status: 200, body: { value: pools.list() } };
  }
  switch (request.method) {
    case "GET":
      return { status: 200, body: pools.get(poolName) };
    case "PUT":
      return { status: 200, body: pools.create(poolName, request.body ?? {}, request.ifNoneMatch) };
    case "PATCH":
      return { status: 200, body: pools.update(poolName, request.body ?? {}) };
    default:
      throw new ArmError(
        405,
        "MethodNotAllowed",
        `${request.method} on a pool is not supported by the local management endpoint (delete pools through the Batch API).`,
      );
  }
}
