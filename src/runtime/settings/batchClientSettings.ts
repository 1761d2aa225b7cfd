// Why: BatchClientSettings — reads every runtime setting from environment variables and/or a JSON settings file and reports all problems at once.
import * as fs from "node:fs";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME, AZURITE_DEFAULT_BLOB_ENDPOINT, LOCAL_BATCH_ACCOUNT_KEY, LOCAL_BATCH_ACCOUNT_NAME } from "./localDefaults";
import { DEFAULT_RUNTIME_CONTAINER, DEFAULT_SAS_LIFETIME_MINUTES, SETTING_DEFINITIONS, SETTING_KEYS, type AuthMode, type NodeOs, type SettingKey, type SettingValues } from "./settingDefinitions";

/** One thing wrong with the settings, named by its environment variable. */
export interface SettingProblem {
  variable: string;
  message: string;
}

export class SettingsError extends Error {
  constructor(readonly problems: readonly SettingProblem[]) {
    super(`Invalid Batch settings (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p.variable} ${p.message}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

/** What the settings are needed for: `client` = talk to Batch; `submit` = also create jobs (pool, application package, storage). */
export type SettingsPurpose = "client" | "submit";

export interface LoadSettingsOptions {
  /** defaults to process.env */
  env?: NodeJS.ProcessEnv;
  /** a JSON file of `{ "<settingKey>": value }`; defaults to $BATCH_SETTINGS_FILE when set */
  file?: string;
  purpose?: SettingsPurpose;
}

export const SETTINGS_FILE_VARIABLE = "BATCH_SETTINGS_FILE";

type PartialValues = Partial<SettingValues>;

function readSettingsFile(file: string, problems: SettingProblem[]): Record<string, string> {
  const where = `${SETTINGS_FILE_VARIABLE} (${file})`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    problems.push({ variable: where, message: `cannot be read as JSON: ${(error as Error).message}` });
    return {};
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    problems.push({ variable: where, message: "must contain a JSON object" });
    return {};
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(SETTING_KEYS as string[]).includes(key)) {
      problems.push({ variable: where, message: `has an unknown setting "${key}" (known: ${SETTING_KEYS.join(", ")})` });
    } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      values[key] = String(value);
    } else {
      problems.push({ variable: SETTING_DEFINITIONS[key as SettingKey].variable, message: `(settings file key "${key}") must be a string or number` });
    }
  }
  return values;
}

function parseAll(env: NodeJS.ProcessEnv, fileValues: Record<string, string>, problems: SettingProblem[]): PartialValues {
  const values: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const definition = SETTING_DEFINITIONS[key];
    const raw = env[definition.variable] ?? (definition.nodeVariable ? env[definition.nodeVariable] : undefined) ?? fileValues[key];
    if (raw === undefined || raw.trim() === "") continue;
    try {
      values[key] = definition.parse(raw.trim());
    } catch (error) {
      problems.push({ variable: definition.variable, message: (error as Error).message });
    }
  }
  return values as PartialValues;
}

/** BATCH_AUTH_MODE when set; otherwise sharedKey when a key is given, else entraId. */
function inferAuthMode(values: PartialValues): AuthMode {
  return values.authMode ?? (values.accountKey !== undefined ? "sharedKey" : "entraId");
}

function withDefaults(values: PartialValues, authMode: AuthMode): PartialValues {
  const local = authMode === "local";
  const storageAccountName = values.storageAccountName ?? (local ? AZURITE_ACCOUNT_NAME : undefined);
  return {
    ...values,
    authMode,
    accountName: values.accountName ?? (local ? LOCAL_BATCH_ACCOUNT_NAME : undefined),
    accountKey: values.accountKey ?? (local ? LOCAL_BATCH_ACCOUNT_KEY : undefined),
    storageAccountName,
    storageBlobEndpoint: values.storageBlobEndpoint ?? (local ? AZURITE_DEFAULT_BLOB_ENDPOINT : storageAccountName && `https://${storageAccountName}.blob.core.windows.net`),
    storageAccountKey: values.storageAccountKey ?? (local && storageAccountName === AZURITE_ACCOUNT_NAME ? AZURITE_ACCOUNT_KEY : undefined),
    runtimeContainer: values.runtimeContainer ?? DEFAULT_RUNTIME_CONTAINER,
    sasLifetimeMinutes: values.sasLifetimeMinutes ?? DEFAULT_SAS_LIFETIME_MINUTES,
    nodeExecutable: values.nodeExecutable ?? "node",
    nodeOs: values.nodeOs ?? "linux",
  };
}

function requireKeys(values: PartialValues, keys: SettingKey[], why: string, problems: SettingProblem[]): void {
  for (const key of keys) {
    const variable = SETTING_DEFINITIONS[key].variable;
    const alreadyReported = problems.some((problem) => problem.variable === variable);
    if (values[key] === undefined && !alreadyReported) problems.push({ variable, message: `is missing (${why})` });
  }
}

function checkRequirements(values: PartialValues, purpose: SettingsPurpose, problems: SettingProblem[]): void {
  requireKeys(values, ["accountUrl"], "the Batch account endpoint, e.g. https://<account>.<region>.batch.azure.com", problems);
  if (values.authMode === "sharedKey") requireKeys(values, ["accountName", "accountKey"], "BATCH_AUTH_MODE is sharedKey", problems);
  if (purpose !== "submit") return;
  requireKeys(values, ["poolId"], "the pool the job runs on", problems);
  requireKeys(values, ["applicationId", "applicationVersion"], "the application package that holds the workload's main.js", problems);
  requireKeys(values, ["storageAccountName"], "error reports, logs and the job summary are uploaded there", problems);
  if (values.authMode !== "local") {
    requireKeys(values, ["managedIdentityClientId"], "nodes in Azure authenticate to Batch and Storage with the pool's user-assigned managed identity; account keys are never sent to nodes", problems);
  }
}

/** Validated settings for one process; build it with `BatchClientSettings.load()` (or `fromEnvironment`/`fromFile`). */
export class BatchClientSettings {
  private constructor(private readonly values: PartialValues) {}

  static load(options: LoadSettingsOptions = {}): BatchClientSettings {
    const env = options.env ?? process.env;
    const problems: SettingProblem[] = [];
    const file = options.file ?? env[SETTINGS_FILE_VARIABLE];
    const fileValues = file ? readSettingsFile(file, problems) : {};
    const parsed = parseAll(env, fileValues, problems);
    const values = withDefaults(parsed, inferAuthMode(parsed));
    checkRequirements(values, options.purpose ?? "client", problems);
    if (problems.length > 0) throw new SettingsError(problems);
    return new BatchClientSettings(values);
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env, purpose: SettingsPurpose = "client"): BatchClientSettings {
    return BatchClientSettings.load({ env, purpose });
  }

  static fromFile(file: string, env: NodeJS.ProcessEnv = {}, purpose: SettingsPurpose = "client"): BatchClientSettings {
    return BatchClientSettings.load({ env, file, purpose });
  }

  get accountUrl(): string {
    return this.required("accountUrl");
  }
  get authMode(): AuthMode {
    return this.required("authMode");
  }
  get accountName(): string | undefined {
    return this.values.accountName;
  }
  get accountKey(): string | undefined {
    return this.values.accountKey;
  }
  get managedIdentityClientId(): string | undefined {
    return this.values.managedIdentityClientId;
  }
  get storageAccountName(): string | undefined {
    return this.values.storageAccountName;
  }
  get storageBlobEndpoint(): string | undefined {
    return this.values.storageBlobEndpoint;
  }
  get storageAccountKey(): string | undefined {
    return this.values.storageAccountKey;
  }
  get runtimeContainer(): string {
    return this.required("runtimeContainer");
  }
  get sasLifetimeMinutes(): number {
    return this.required("sasLifetimeMinutes");
  }
  get poolId(): string | undefined {
    return this.values.poolId;
  }
  get applicationId(): string | undefined {
    return this.values.applicationId;
  }
  get applicationVersion(): string | undefined {
    return this.values.applicationVersion;
  }
  get callbackUrl(): string | undefined {
    return this.values.callbackUrl;
  }
  get loggingConfig(): string | undefined {
    return this.values.loggingConfig;
  }
  get nodeExecutable(): string {
    return this.required("nodeExecutable");
  }
  get nodeOs(): NodeOs {
    return this.required("nodeOs");
  }

  /** A copy with some values replaced (e.g. a callback URL given on the command line), checked like the originals. */
  with(overrides: Partial<Record<SettingKey, string>>): BatchClientSettings {
    const problems: SettingProblem[] = [];
    const replaced: Record<string, unknown> = { ...this.values };
    for (const [key, raw] of Object.entries(overrides) as [SettingKey, string | undefined][]) {
      if (raw === undefined) continue;
      try {
        replaced[key] = SETTING_DEFINITIONS[key].parse(raw);
      } catch (error) {
        problems.push({ variable: SETTING_DEFINITIONS[key].variable, message: (error as Error).message });
      }
    }
    if (problems.length > 0) throw new SettingsError(problems);
    return new BatchClientSettings(replaced as PartialValues);
  }

  /**
   * The environment settings a job's tasks get: everything a node needs to build the same client and storage access,
   * never an account key. Nodes of a local job use the local service's well-known accounts; nodes in Azure use the
   * pool's user-assigned managed identity (BATCH_MANAGED_IDENTITY_CLIENT_ID).
   */
  forNodes(): { name: string; value: string }[] {
    const nodeValues: PartialValues = { ...this.values, authMode: this.authMode === "local" ? "local" : "entraId", callbackUrl: undefined };
    return SETTING_KEYS.filter((key) => !SETTING_DEFINITIONS[key].secret && nodeValues[key] !== undefined).map((key) => ({
      name: SETTING_DEFINITIONS[key].variable,
      value: String(nodeValues[key]),
    }));
  }

  /** For logs: every setting that is set, secrets masked. */
  describe(): Record<string, string> {
    const shown: Record<string, string> = {};
    for (const key of SETTING_KEYS) {
      const value = this.values[key];
      if (value !== undefined) shown[SETTING_DEFINITIONS[key].variable] = SETTING_DEFINITIONS[key].secret ? "***" : String(value);
    }
    return shown;
  }

  private required<K extends SettingKey>(key: K): SettingValues[K] {
    const value = this.values[key];
    if (value === undefined) throw new SettingsError([{ variable: SETTING_DEFINITIONS[key].variable, message: "is missing" }]);
    return value as SettingValues[K];
  }
}
