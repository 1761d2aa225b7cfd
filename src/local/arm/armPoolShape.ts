// Why: translates a pool between the management plane's shape (@azure/arm-batch `Pool`: properties, scaleSettings, resource ids) and the Batch data plane's wire shape the local pool store keeps.

import { createHash } from "node:crypto";
import type { Wire } from "../store/model";
import { accountResourceId, ArmError } from "./armIds";

type Json = Record<string, unknown>;

const USER_ASSIGNED_IDENTITY = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;
/** Properties the local nodes cannot provide; refused by name rather than silently ignored. */
const UNSUPPORTED = ["networkConfiguration", "mountConfiguration", "autoScaleRun"] as const;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const invalid = (target: string, message: string) => new ArmError(400, "InvalidRequestContent", `${target}: ${message}`, target);
const capitalized = (text: unknown) => (typeof text === "string" && text ? text[0]!.toUpperCase() + text.slice(1) : text);

/** The management plane spells enums in PascalCase, the data plane in lower case (NonAdmin ↔ nonadmin). */
const ARM_ENUMS: Record<string, string> = Object.fromEntries(
  ["Task", "Pool", "NonAdmin", "Admin", "Spread", "Pack", "Default", "Classic", "Simplified", "Requeue", "Terminate", "TaskCompletion", "RetainedData"].map(
    (value) => [value.toLowerCase(), value],
  ),
);
const toWireEnum = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : value);
const fromWireEnum = (value: unknown) => (typeof value === "string" ? (ARM_ENUMS[value.toLowerCase()] ?? value) : value);

/** autoUser {scope, elevationLevel} with its enums converted; other user identity fields unchanged. */
function convertAutoUser(identity: Json, convert: (value: unknown) => unknown): Json {
  if (!isObject(identity.autoUser)) return identity;
  const { scope, elevationLevel, ...rest } = identity.autoUser;
  return {
    ...identity,
    autoUser: {
      ...rest,
      ...(scope !== undefined ? { scope: convert(scope) } : {}),
      ...(elevationLevel !== undefined ? { elevationLevel: convert(elevationLevel) } : {}),
    },
  };
}

function convertUserAccounts(accounts: unknown, convert: (value: unknown) => unknown): unknown {
  if (!Array.isArray(accounts)) return accounts;
  return accounts.map((account: unknown) =>
    isObject(account) && account.elevationLevel !== undefined ? { ...account, elevationLevel: convert(account.elevationLevel) } : account,
  );
}

/** `/subscriptions/…/applications/<id>` (or a bare id) → `<id>`. */
export function applicationIdOfReference(reference: string): string {
  const match = /\/applications\/([^/]+)$/i.exec(reference);
  return match ? match[1]! : reference;
}

/** A stable, GUID-shaped stand-in for the ids Entra would assign an identity (the local service has no Entra). */
function localGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** ARM `identity` → the data plane's `identity` (a list of {resourceId, clientId, principalId}); undefined for none. */
export function identityToWire(identity: unknown): Json | undefined {
  if (identity === undefined || identity === null) return undefined;
  if (!isObject(identity)) throw invalid("identity", "must be an object {type, userAssignedIdentities}");
  if (identity.type === "None") return undefined;
  if (identity.type !== "UserAssigned") throw invalid("identity.type", "must be 'UserAssigned' or 'None'");
  const assigned = identity.userAssignedIdentities;
  if (!isObject(assigned) || Object.keys(assigned).length === 0)
    throw invalid("identity.userAssignedIdentities", "name at least one user-assigned identity by its resource id");
  const list = Object.keys(assigned).map((resourceId) => {
    if (!USER_ASSIGNED_IDENTITY.test(resourceId))
      throw invalid(
        "identity.userAssignedIdentities",
        `'${resourceId.slice(0, 200)}' is not a user-assigned identity resource id (/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)`,
      );
    return { resourceId, clientId: localGuid(`client:${resourceId.toLowerCase()}`), principalId: localGuid(`principal:${resourceId.toLowerCase()}`) };
  });
  return { type: "UserAssigned", userAssignedIdentities: list };
}

function startTaskToWire(startTask: unknown): Json | undefined {
  if (startTask === undefined || startTask === null) return undefined;
  if (!isObject(startTask)) throw invalid("properties.startTask", "must be an object");
  if (Object.keys(startTask).length === 0) return undefined; // ARM: {} removes the start task
  if (typeof startTask.commandLine !== "string" || !startTask.commandLine.trim())
    throw invalid("properties.startTask.commandLine", "a start task needs a command line");
  const { userIdentity, ...rest } = startTask;
  if (!isObject(userIdentity)) return rest;
  const { userName, ...identity } = userIdentity;
  return { ...rest, userIdentity: convertAutoUser({ ...identity, ...(userName !== undefined ? { username: userName } : {}) }, toWireEnum) };
}

function startTaskFromWire(startTask: unknown): Json | undefined {
  if (!isObject(startTask)) return undefined;
  const { userIdentity, ...rest } = startTask;
  if (!isObject(userIdentity)) return rest;
  const { username, ...identity } = userIdentity;
  return { ...rest, userIdentity: convertAutoUser({ ...identity, ...(username !== undefined ? { userName: username } : {}) }, fromWireEnum) };
}

/** ARM `applicationPackages` → data-plane references; each is checked with `exists` (which throws naming what is missing). */
function packagesToWire(packages: unknown, exists: (applicationId: string, version: string | undefined, target: string) => void): Json[] | undefined {
  if (packages === undefined || packages === null) return undefined;
  if (!Array.isArray(packages)) throw invalid("properties.applicationPackages", "must be a list of {id, version}");
  return packages.map((reference: unknown, index) => {
    const target = `properties.applicationPackages[${index}]`;
    if (!isObject(reference) || typeof reference.id !== "string") throw invalid(`${target}.id`, "is required: the application's resource id");
    const version = typeof reference.version === "string" ? reference.version : undefined;
    const applicationId = applicationIdOfReference(reference.id);
    exists(applicationId, version, target);
    return version ? { applicationId, version } : { applicationId };
  });
}

export interface ArmPoolContext {
  readonly accountName: string;
  /** throws an ArmError when the referenced application (version) is not there */
  readonly checkPackage: (applicationId: string, version: string | undefined, target: string) => void;
}

/** The settable properties of an ARM pool request as data-plane properties (only those present). */
export function propertiesToWire(body: Json, context: ArmPoolContext): Json {
  const properties = isObject(body.properties) ? body.properties : {};
  for (const name of UNSUPPORTED) {
    if (properties[name] !== undefined) throw invalid(`properties.${name}`, "the local Batch service does not support it; remove it");
  }
  const wire: Json = {};
  const copy = ["displayName", "vmSize", "taskSlotsPerNode", "metadata", "applicationLicenses", "resourceTags"];
  for (const name of copy) if (properties[name] !== undefined) wire[name] = properties[name];
  if (properties.userAccounts !== undefined) wire.userAccounts = convertUserAccounts(properties.userAccounts, toWireEnum);
  if (properties.targetNodeCommunicationMode !== undefined) wire.targetNodeCommunicationMode = toWireEnum(properties.targetNodeCommunicationMode);
  const deployment = properties.deploymentConfiguration;
  if (deployment !== undefined) {
    if (!isObject(deployment) || !isObject(deployment.virtualMachineConfiguration))
      throw invalid("properties.deploymentConfiguration.virtualMachineConfiguration", "is required (the local service runs Linux virtual machine pools)");
    const { nodeAgentSkuId, ...vm } = deployment.virtualMachineConfiguration;
    wire.virtualMachineConfiguration = { ...vm, nodeAgentSKUId: nodeAgentSkuId };
  }
  const scale = properties.scaleSettings;
  if (scale !== undefined) {
    if (!isObject(scale)) throw invalid("properties.scaleSettings", "must be an object");
    if (scale.autoScale !== undefined) throw invalid("properties.scaleSettings.autoScale", "the local Batch service has no autoscale; use fixedScale");
    const fixed = isObject(scale.fixedScale) ? scale.fixedScale : {};
    for (const name of ["targetDedicatedNodes", "targetLowPriorityNodes", "resizeTimeout", "nodeDeallocationOption"]) {
      if (fixed[name] !== undefined) wire[name] = name === "nodeDeallocationOption" ? toWireEnum(fixed[name]) : fixed[name];
    }
  }
  if (properties.interNodeCommunication !== undefined) wire.enableInterNodeCommunication = properties.interNodeCommunication === "Enabled";
  if (isObject(properties.taskSchedulingPolicy))
    wire.taskSchedulingPolicy = { nodeFillType: toWireEnum(properties.taskSchedulingPolicy.nodeFillType ?? "Spread") };
  if (properties.startTask !== undefined) wire.startTask = startTaskToWire(properties.startTask) ?? null;
  if (properties.certificates !== undefined) wire.certificateReferences = properties.certificates;
  const packages = packagesToWire(properties.applicationPackages, context.checkPackage);
  if (packages) wire.applicationPackageReferences = packages;
  if (body.identity !== undefined) wire.identity = identityToWire(body.identity) ?? null;
  return wire;
}

/** A data-plane pool as the management plane presents it. */
export function poolFromWire(wire: Wire, accountName: string): Json {
  const account = accountResourceId(accountName);
  const vm = isObject(wire.virtualMachineConfiguration) ? wire.virtualMachineConfiguration : undefined;
  const identity = isObject(wire.identity) && Array.isArray(wire.identity.userAssignedIdentities) ? (wire.identity.userAssignedIdentities as Json[]) : [];
  const references = Array.isArray(wire.applicationPackageReferences) ? (wire.applicationPackageReferences as Json[]) : [];
  const errors = Array.isArray(wire.resizeErrors) ? wire.resizeErrors : undefined;
  const { nodeAgentSKUId, ...vmRest } = vm ?? {};
  return {
    id: `${account}/pools/${wire.id}`,
    name: wire.id,
    type: "Microsoft.Batch/batchAccounts/pools",
    etag: wire.eTag,
    ...(identity.length
      ? {
          identity: {
            type: "UserAssigned",
            userAssignedIdentities: Object.fromEntries(identity.map((i) => [i.resourceId, { principalId: i.principalId, clientId: i.clientId }])),
          },
        }
      : {}),
    properties: {
      displayName: wire.displayName,
      lastModified: wire.lastModified,
      creationTime: wire.creationTime,
      provisioningState: wire.state === "deleting" ? "Deleting" : "Succeeded",
      provisioningStateTransitionTime: wire.stateTransitionTime,
      allocationState: capitalized(wire.allocationState),
      allocationStateTransitionTime: wire.allocationStateTransitionTime,
      vmSize: wire.vmSize,
      ...(vm ? { deploymentConfiguration: { virtualMachineConfiguration: { ...vmRest, nodeAgentSkuId: nodeAgentSKUId } } } : {}),
      currentDedicatedNodes: wire.currentDedicatedNodes,
      currentLowPriorityNodes: wire.currentLowPriorityNodes,
      scaleSettings: {
        fixedScale: { targetDedicatedNodes: wire.targetDedicatedNodes, targetLowPriorityNodes: wire.targetLowPriorityNodes, resizeTimeout: wire.resizeTimeout },
      },
      interNodeCommunication: wire.enableInterNodeCommunication ? "Enabled" : "Disabled",
      taskSlotsPerNode: wire.taskSlotsPerNode,
      taskSchedulingPolicy: isObject(wire.taskSchedulingPolicy) ? { nodeFillType: fromWireEnum(wire.taskSchedulingPolicy.nodeFillType) } : undefined,
      userAccounts: convertUserAccounts(wire.userAccounts, fromWireEnum),
      metadata: wire.metadata,
      startTask: startTaskFromWire(wire.startTask),
      certificates: wire.certificateReferences,
      applicationPackages: references.map((r) => ({ id: `${account}/applications/${String(r.applicationId)}`, version: r.version })),
      applicationLicenses: wire.applicationLicenses,
      ...(errors ? { resizeOperationStatus: { errors } } : {}),
      targetNodeCommunicationMode: fromWireEnum(wire.targetNodeCommunicationMode),
      // local nodes only call the service (the data plane's pool answers the same)
      currentNodeCommunicationMode: "Simplified",
      resourceTags: wire.resourceTags,
    },
  };
}
