// Why: the table of every runtime setting: its environment variable, settings-file key, JSON schema, and the message a bad value gets.
import { validateCallbackUrl } from "./callbackUrl";

export type AuthMode = "sharedKey" | "entraId" | "local";
export type NodeOs = "linux" | "windows";

/** Every setting as validated; which ones must be present depends on the auth mode and the role (see settingsSchema.ts). */
export interface SettingValues {
  accountUrl: string;
  accountName: string;
  authMode: AuthMode;
  accountKey: string;
  managedIdentityClientId: string;
  storageAccountName: string;
  storageBlobEndpoint: string;
  storageAccountKey: string;
  runtimeContainer: string;
  sasLifetimeMinutes: number;
  poolId: string;
  applicationId: string;
  applicationVersion: string;
  callbackUrl: string;
  callbackSecret: string;
  progressUrl: string;
  progressIntervalSeconds: number;
  loggingConfig: string;
  nodeExecutable: string;
  nodeOs: NodeOs;
}

export type SettingKey = keyof SettingValues;

export interface SettingDefinition {
  /** the environment variable (the name every problem report uses) */
  variable: string;
  /** a Batch node variable used when `variable` is not set (on nodes) */
  nodeVariable?: string;
  /** the JSON schema of the value (after trimming; numbers are coerced from their text; `default` fills it in) */
  schema: Record<string, unknown>;
  /** what is wrong with a value the schema refused; completes "<VARIABLE> …" */
  problem?: (raw: string) => string;
  /** never forwarded to nodes, never logged */
  secret?: boolean;
}

const text = { type: "string" };
const enumOf = (choices: string[], schema: object = {}): Pick<SettingDefinition, "schema" | "problem"> => ({
  schema: { enum: choices, ...schema },
  problem: (raw) => `must be one of ${choices.join(", ")} (got "${raw}")`,
});
/** An http(s) URL; plain http only for a loopback host (the local service), so keys and tokens never travel unencrypted. */
const serviceUrl: Pick<SettingDefinition, "schema" | "problem"> = {
  schema: { type: "string", format: "https-or-loopback" },
  problem: (raw) =>
    URL.canParse(raw) ? `must be an https URL (http is accepted only for localhost/127.0.0.1/::1; got "${raw}")` : `is not a valid URL (got "${raw}")`,
};
const base64Key: Pick<SettingDefinition, "schema" | "problem"> = {
  schema: { type: "string", pattern: "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$" },
  problem: () => "is not a base64 key",
};
/** The message of the callback (and progress) URL's one rule (https, or http to a loopback host; not a port fetch blocks). */
function callbackUrlProblem(raw: string): string {
  try {
    validateCallbackUrl(raw);
  } catch (error) {
    return (error as Error).message;
  }
  return "is not valid";
}
/** The HMAC key signing callbacks: 32 characters or more (e.g. `openssl rand -base64 32`). */
export const MIN_CALLBACK_SECRET_LENGTH = 32;

/** Batch ids: letters, digits, hyphens and underscores, at most 64 characters. */
const batchId: Pick<SettingDefinition, "schema" | "problem"> = {
  schema: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
  problem: (raw) => `must be 1-64 letters, digits, hyphens or underscores (got "${raw}")`,
};

export const SETTING_DEFINITIONS: Record<SettingKey, SettingDefinition> = {
  accountUrl: { variable: "BATCH_ACCOUNT_URL", nodeVariable: "AZ_BATCH_ACCOUNT_URL", ...serviceUrl },
  accountName: { variable: "BATCH_ACCOUNT_NAME", nodeVariable: "AZ_BATCH_ACCOUNT_NAME", schema: text },
  authMode: { variable: "BATCH_AUTH_MODE", ...enumOf(["sharedKey", "entraId", "local"]) },
  accountKey: { variable: "BATCH_ACCOUNT_KEY", ...base64Key, secret: true },
  managedIdentityClientId: {
    variable: "BATCH_MANAGED_IDENTITY_CLIENT_ID",
    schema: { type: "string", pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" },
    problem: (raw) => `must be a GUID (client id of a user-assigned managed identity; got "${raw}")`,
  },
  storageAccountName: { variable: "BATCH_STORAGE_ACCOUNT_NAME", schema: text },
  storageBlobEndpoint: { variable: "BATCH_STORAGE_BLOB_ENDPOINT", ...serviceUrl },
  storageAccountKey: { variable: "BATCH_STORAGE_ACCOUNT_KEY", ...base64Key, secret: true },
  runtimeContainer: {
    variable: "BATCH_RUNTIME_CONTAINER",
    // blob container names: 3-63 lower-case letters, digits and single hyphens
    schema: { type: "string", pattern: "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", default: "batch-runtime" },
    problem: (raw) => `is not a valid blob container name (got "${raw}")`,
  },
  sasLifetimeMinutes: {
    variable: "BATCH_SAS_LIFETIME_MINUTES",
    schema: { type: "integer", minimum: 1, maximum: 7 * 24 * 60, default: 8 * 60 },
    problem: (raw) => `must be a whole number from 1 to ${7 * 24 * 60} (got "${raw}")`,
  },
  poolId: { variable: "BATCH_POOL_ID", ...batchId },
  applicationId: { variable: "BATCH_APPLICATION_ID", ...batchId },
  applicationVersion: { variable: "BATCH_APPLICATION_VERSION", schema: text },
  callbackUrl: { variable: "BATCH_CALLBACK_URL", schema: { type: "string", format: "callback-url" }, problem: callbackUrlProblem },
  callbackSecret: {
    variable: "BATCH_CALLBACK_SECRET",
    schema: { type: "string", minLength: MIN_CALLBACK_SECRET_LENGTH },
    // the value itself is never echoed
    problem: () => `must be at least ${MIN_CALLBACK_SECRET_LENGTH} characters (generate one with \`openssl rand -base64 32\`)`,
    secret: true,
  },
  progressUrl: { variable: "BATCH_PROGRESS_URL", schema: { type: "string", format: "callback-url" }, problem: callbackUrlProblem },
  progressIntervalSeconds: {
    variable: "BATCH_PROGRESS_INTERVAL_SECONDS",
    schema: { type: "integer", minimum: 1, maximum: 3600, default: 15 },
    problem: (raw) => `must be a whole number of seconds from 1 to 3600 (got "${raw}"): progress reports are sent at most this often`,
  },
  loggingConfig: { variable: "BATCH_LOGGING_CONFIG", schema: text },
  nodeExecutable: { variable: "BATCH_NODE_EXECUTABLE", schema: { ...text, default: "node" } },
  nodeOs: { variable: "BATCH_NODE_OS", ...enumOf(["linux", "windows"], { default: "linux" }) },
};

export const SETTING_KEYS = Object.keys(SETTING_DEFINITIONS) as SettingKey[];
