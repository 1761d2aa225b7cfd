// Why: the management-plane (ARM) operations the deploy pipeline and the explorer's Azure branch use, answered for the local account.

import { accountResourceId, ArmError, LOCAL_RESOURCE_GROUP, LOCAL_SUBSCRIPTION_ID, LOCAL_SUBSCRIPTION_NAME, LOCAL_TENANT_ID } from "./armIds";
import type { ApplicationRecord, ArmPackages, PackageRecord } from "./armPackages";
import { answerPool, type ArmPools } from "./armPools";

export interface ArmAccount {
  accountName: string;
  /** the data-plane URL (http://127.0.0.1:port) */
  batchUrl: string;
  location: string;
  storageAccountName: string;
}

export interface ArmRequest {
  method: string;
  /** path segments, decoded */
  segments: string[];
  body: Record<string, unknown> | undefined;
  /** the If-None-Match header (pool create) */
  ifNoneMatch?: string;
}

export interface ArmReply {
  status: number;
  body?: unknown;
}

const PROVIDER = ["providers", "Microsoft.Batch", "batchAccounts"];

function presentAccount(account: ArmAccount): unknown {
  return {
    id: accountResourceId(account.accountName),
    name: account.accountName,
    type: "Microsoft.Batch/batchAccounts",
    location: account.location,
    properties: {
      accountEndpoint: account.batchUrl.replace(/^https?:\/\//, ""),
      provisioningState: "Succeeded",
      poolAllocationMode: "BatchService",
      publicNetworkAccess: "Enabled",
      autoStorage: {
        storageAccountId: `/subscriptions/${LOCAL_SUBSCRIPTION_ID}/resourceGroups/${LOCAL_RESOURCE_GROUP}/providers/Microsoft.Storage/storageAccounts/${account.storageAccountName}`,
        lastKeySync: new Date(0).toISOString(),
      },
    },
  };
}

function presentApplication(account: ArmAccount, app: ApplicationRecord): unknown {
  return {
    id: `${accountResourceId(account.accountName)}/applications/${app.id}`,
    name: app.id,
    type: "Microsoft.Batch/batchAccounts/applications",
    properties: { displayName: app.displayName, allowUpdates: app.allowUpdates, defaultVersion: app.defaultVersion },
  };
}

function presentPackage(account: ArmAccount, pkg: PackageRecord): unknown {
  const { applicationId, version, ...properties } = pkg;
  return {
    id: `${accountResourceId(account.accountName)}/applications/${applicationId}/versions/${version}`,
    name: version,
    type: "Microsoft.Batch/batchAccounts/applications/versions",
    properties,
  };
}

function propertiesOf(request: ArmRequest): Record<string, unknown> {
  const properties = request.body?.properties;
  return properties && typeof properties === "object" ? (properties as Record<string, unknown>) : {};
}

function optionalString(properties: Record<string, unknown>, name: string): string | undefined {
  const value = properties[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ArmError(400, "InvalidRequestContent", `properties.${name} must be a string.`, `properties.${name}`);
  return value;
}

function optionalBoolean(properties: Record<string, unknown>, name: string): boolean | undefined {
  const value = properties[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new ArmError(400, "InvalidRequestContent", `properties.${name} must be true or false.`, `properties.${name}`);
  return value;
}

/** Routes `/subscriptions/...` requests; every path outside the local subscription, group or account is a 404 naming it. */
export async function answerArm(request: ArmRequest, account: ArmAccount, packages: ArmPackages, pools: ArmPools): Promise<ArmReply> {
  const [root, subscriptionId, ...rest] = request.segments;
  const { method } = request;
  const notFound = (what: string) => new ArmError(404, "ResourceNotFound", `${what} was not found in the local Batch service's management endpoint.`);
  if (root !== "subscriptions") throw notFound(`/${request.segments.join("/")}`);
  if (subscriptionId === undefined) {
    if (method !== "GET") throw new ArmError(405, "MethodNotAllowed", `${method} /subscriptions is not supported.`);
    return {
      status: 200,
      body: {
        value: [
          {
            id: `/subscriptions/${LOCAL_SUBSCRIPTION_ID}`,
            subscriptionId: LOCAL_SUBSCRIPTION_ID,
            displayName: LOCAL_SUBSCRIPTION_NAME,
            state: "Enabled",
            tenantId: LOCAL_TENANT_ID,
          },
        ],
      },
    };
  }
  if (subscriptionId.toLowerCase() !== LOCAL_SUBSCRIPTION_ID)
    throw new ArmError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found (the local one is ${LOCAL_SUBSCRIPTION_ID}).`);
  if (rest.length === 3 && rest.join("/") === PROVIDER.join("/") && method === "GET") return { status: 200, body: { value: [presentAccount(account)] } };
  if (rest[0] !== "resourceGroups" || rest[1]?.toLowerCase() !== LOCAL_RESOURCE_GROUP)
    throw new ArmError(404, "ResourceGroupNotFound", `Resource group '${rest[1] ?? ""}' could not be found (the local one is '${LOCAL_RESOURCE_GROUP}').`);
  const tail = rest.slice(2);
  if (tail.slice(0, 3).join("/") !== PROVIDER.join("/")) throw notFound(`/${request.segments.join("/")}`);
  const [accountName, collection, applicationId, versions, version, action] = tail.slice(3);
  if (accountName === undefined) return { status: 200, body: { value: [presentAccount(account)] } };
  if (accountName.toLowerCase() !== account.accountName.toLowerCase())
    throw new ArmError(404, "ResourceNotFound", `The Batch account '${accountName}' was not found (the local one is '${account.accountName}').`);
  if (collection === undefined) {
    if (method !== "GET") throw new ArmError(405, "MethodNotAllowed", `${method} on the local Batch account is not supported.`);
    return { status: 200, body: presentAccount(account) };
  }
  if (collection === "pools") return answerPool(request, pools, applicationId, versions);
  if (collection !== "applications") throw notFound(`/${request.segments.join("/")}`);
  if (applicationId === undefined) return { status: 200, body: { value: packages.listApplications().map((app) => presentApplication(account, app)) } };
  if (versions === undefined) return answerApplication(request, account, packages, applicationId);
  if (versions !== "versions") throw notFound(`/${request.segments.join("/")}`);
  if (version === undefined) return { status: 200, body: { value: packages.listPackages(applicationId).map((pkg) => presentPackage(account, pkg)) } };
  if (action === "activate" && method === "POST") {
    const format = optionalString(request.body ?? {}, "format");
    if (!format) throw new ArmError(400, "InvalidRequestContent", "The activate request needs a format ('zip').", "format");
    return { status: 200, body: presentPackage(account, await packages.activatePackage(applicationId, version, format)) };
  }
  if (action !== undefined) throw notFound(`/${request.segments.join("/")}`);
  if (method === "GET") return { status: 200, body: presentPackage(account, packages.getPackage(applicationId, version)) };
  if (method === "PUT") {
    await packages.ensureUploadContainer();
    return { status: 200, body: presentPackage(account, packages.createPackage(applicationId, version)) };
  }
  if (method === "DELETE") {
    await packages.deletePackage(applicationId, version);
    return { status: 200 };
  }
  throw new ArmError(405, "MethodNotAllowed", `${method} on an application package is not supported.`);
}

function answerApplication(request: ArmRequest, account: ArmAccount, packages: ArmPackages, applicationId: string): ArmReply {
  const properties = propertiesOf(request);
  switch (request.method) {
    case "GET":
      return { status: 200, body: presentApplication(account, packages.getApplication(applicationId)) };
    case "PUT":
      return {
        status: 200,
        body: presentApplication(
          account,
          packages.createApplication(applicationId, {
            displayName: optionalString(properties, "displayName"),
            allowUpdates: optionalBoolean(properties, "allowUpdates"),
          }),
        ),
      };
    case "PATCH":
      return {
        status: 200,
        body: presentApplication(
          account,
          packages.updateApplication(applicationId, {
            displayName: optionalString(properties, "displayName"),
            allowUpdates: optionalBoolean(properties, "allowUpdates"),
            defaultVersion: optionalString(properties, "defaultVersion"),
          }),
        ),
      };
    case "DELETE":
      packages.deleteApplication(applicationId);
      return { status: 200 };
    default:
      throw new ArmError(405, "MethodNotAllowed", `${request.method} on an application is not supported.`);
  }
}
