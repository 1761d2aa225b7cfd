// Why: the table of every runtime setting: its environment variable, settings-file key, and how its value is checked.
import { validateCallbackUrl } from "../finalize/callbackUrl";
import { base64Key, batchId, containerName, guid, oneOf, positiveInteger, serviceUrl, text, type Parser } from "./settingParsers";

export type AuthMode = "sharedKey" | "entraId" | "local";
export type NodeOs = "linux" | "windows";

/** Every setting as parsed; which ones must be present depends on the auth mode and the role (see batchClientSettings.ts). */
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
  loggingConfig: string;
  nodeExecutable: string;
  nodeOs: NodeOs;
}

export type SettingKey = keyof SettingValues;

export interface SettingDefinition<K extends SettingKey> {
  /** the environment variable (the name every problem report uses) */
  variable: string;
  /** a Batch node variable used when `variable` is not set (on nodes) */
  nodeVariable?: string;
  parse: Parser<SettingValues[K]>;
  /** never forwarded to nodes, never logged */
  secret?: boolean;
}

export const SETTING_DEFINITIONS: { [K in SettingKey]: SettingDefinition<K> } = {
  accountUrl: { variable: "BATCH_ACCOUNT_URL", nodeVariable: "AZ_BATCH_ACCOUNT_URL", parse: serviceUrl },
  accountName: { variable: "BATCH_ACCOUNT_NAME", nodeVariable: "AZ_BATCH_ACCOUNT_NAME", parse: text },
  authMode: { variable: "BATCH_AUTH_MODE", parse: oneOf<AuthMode>("sharedKey", "entraId", "local") },
  accountKey: { variable: "BATCH_ACCOUNT_KEY", parse: base64Key, secret: true },
  managedIdentityClientId: { variable: "BATCH_MANAGED_IDENTITY_CLIENT_ID", parse: guid },
  storageAccountName: { variable: "BATCH_STORAGE_ACCOUNT_NAME", parse: text },
  storageBlobEndpoint: { variable: "BATCH_STORAGE_BLOB_ENDPOINT", parse: serviceUrl },
  storageAccountKey: { variable: "BATCH_STORAGE_ACCOUNT_KEY", parse: base64Key, secret: true },
  runtimeContainer: { variable: "BATCH_RUNTIME_CONTAINER", parse: containerName },
  sasLifetimeMinutes: { variable: "BATCH_SAS_LIFETIME_MINUTES", parse: positiveInteger(7 * 24 * 60) },
  poolId: { variable: "BATCH_POOL_ID", parse: batchId },
  applicationId: { variable: "BATCH_APPLICATION_ID", parse: batchId },
  applicationVersion: { variable: "BATCH_APPLICATION_VERSION", parse: text },
  callbackUrl: { variable: "BATCH_CALLBACK_URL", parse: validateCallbackUrl },
  loggingConfig: { variable: "BATCH_LOGGING_CONFIG", parse: text },
  nodeExecutable: { variable: "BATCH_NODE_EXECUTABLE", parse: text },
  nodeOs: { variable: "BATCH_NODE_OS", parse: oneOf<NodeOs>("linux", "windows") },
};

export const SETTING_KEYS = Object.keys(SETTING_DEFINITIONS) as SettingKey[];

export const DEFAULT_RUNTIME_CONTAINER = "batch-runtime";
export const DEFAULT_SAS_LIFETIME_MINUTES = 8 * 60;
