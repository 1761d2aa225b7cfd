// Why: BatchClientSettings — reads every runtime setting from environment variables and/or a JSON settings file and reports all problems at once.
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME, AZURITE_DEFAULT_BLOB_ENDPOINT, LOCAL_BATCH_ACCOUNT_NAME, localAccountKey } from "./localDefaults";
import {
  SETTING_DEFINITIONS,
  SETTING_KEYS,
  type AuthMode,
  type NodeOs,
  type SettingDefinition,
  type SettingKey,
  type SettingValues,
} from "./settingDefinitions";
import { readSettingsFile, SETTINGS_FILE_VARIABLE, validSettings, type SettingsPurpose } from "./settingsSchema";

export { SETTINGS_FILE_VARIABLE, SettingsError, type SettingProblem, type SettingsPurpose } from "./settingsSchema";

export interface LoadSettingsOptions {
  /** defaults to process.env */
  env?: NodeJS.ProcessEnv;
  /** a JSON file of `{ "<settingKey>": value }`; defaults to $BATCH_SETTINGS_FILE when set */
  file?: string;
  purpose?: SettingsPurpose;
}

type PartialValues = Partial<SettingValues>;
/** What a successful check guarantees: the account URL (required) and everything with a default. */
type CheckedValues = PartialValues &
  Pick<SettingValues, "accountUrl" | "authMode" | "runtimeContainer" | "sasLifetimeMinutes" | "progressIntervalSeconds" | "nodeExecutable" | "nodeOs">;

/** Trimmed (empty means unset), choices in their canonical case, URLs without trailing slashes. */
function normalised(raw: Partial<Record<SettingKey, string>>): Partial<Record<SettingKey, string>> {
  const values: Partial<Record<SettingKey, string>> = {};
  for (const [key, text] of Object.entries(raw) as [SettingKey, string | undefined][]) {
    const value = text?.trim();
    const { schema } = SETTING_DEFINITIONS[key];
    if (value)
      values[key] =
        (schema.enum as string[] | undefined)?.find((choice) => choice.toLowerCase() === value.toLowerCase()) ??
        (schema.format ? value.replace(/\/+$/, "") : value);
  }
  return values;
}

/** Each setting's text: its variable, else the node's variable, else the file. */
function rawValues(env: NodeJS.ProcessEnv, fileValues: Record<string, string>): Partial<Record<SettingKey, string>> {
  const text = ({ variable, nodeVariable }: SettingDefinition) => env[variable] ?? (nodeVariable ? env[nodeVariable] : undefined);
  return normalised(Object.fromEntries(SETTING_KEYS.map((key) => [key, text(SETTING_DEFINITIONS[key]) ?? fileValues[key]])));
}

/** The defaults that depend on other settings (the rest are in the schema). */
function withDefaults(values: PartialValues, env: NodeJS.ProcessEnv): PartialValues {
  // BATCH_AUTH_MODE when set; otherwise sharedKey when a key is given, else entraId
  const authMode = values.authMode ?? (values.accountKey !== undefined ? "sharedKey" : "entraId");
  const local = authMode === "local";
  const storageAccountName = values.storageAccountName ?? (local ? AZURITE_ACCOUNT_NAME : undefined);
  return {
    ...values,
    authMode,
    accountName: values.accountName ?? (local ? LOCAL_BATCH_ACCOUNT_NAME : undefined),
    // a process started by hand in local mode answers to the data folder's service (its key file, or the well-known key)
    accountKey: values.accountKey ?? (local ? localAccountKey(env) : undefined),
    storageAccountName,
    storageBlobEndpoint:
      values.storageBlobEndpoint ?? (local ? AZURITE_DEFAULT_BLOB_ENDPOINT : storageAccountName && `https://${storageAccountName}.blob.core.windows.net`),
    storageAccountKey: values.storageAccountKey ?? (local && storageAccountName === AZURITE_ACCOUNT_NAME ? AZURITE_ACCOUNT_KEY : undefined),
  };
}

/** Validated settings for one process; build it with `BatchClientSettings.load()` (or `fromEnvironment`/`fromFile`). */
export class BatchClientSettings {
  private constructor(private readonly values: CheckedValues) {}

  static load(options: LoadSettingsOptions = {}): BatchClientSettings {
    const env = options.env ?? process.env;
    const file = options.file ?? env[SETTINGS_FILE_VARIABLE];
    const fromFile = file ? readSettingsFile(file) : { values: {}, problems: [] };
    const raw = rawValues(env, fromFile.values);
    const values = withDefaults(raw as PartialValues, env);
    return new BatchClientSettings(validSettings<CheckedValues>(values, raw, options.purpose ?? "client", fromFile.problems));
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env, purpose: SettingsPurpose = "client"): BatchClientSettings {
    return BatchClientSettings.load({ env, purpose });
  }

  static fromFile(file: string, env: NodeJS.ProcessEnv = {}, purpose: SettingsPurpose = "client"): BatchClientSettings {
    return BatchClientSettings.load({ env, file, purpose });
  }

  get accountUrl(): string {
    return this.values.accountUrl;
  }
  get authMode(): AuthMode {
    return this.values.authMode;
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
    return this.values.runtimeContainer;
  }
  get sasLifetimeMinutes(): number {
    return this.values.sasLifetimeMinutes;
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
  /** the HMAC-SHA256 key the FinalizeTask signs its callback with (secret: never logged, never in forNodes) */
  get callbackSecret(): string | undefined {
    return this.values.callbackSecret;
  }
  /** where the finalize-guard POSTs job-level progress while the job runs (docs/runtime.md, Job progress) */
  get progressUrl(): string | undefined {
    return this.values.progressUrl;
  }
  /** the least time between two progress POSTs (the final one excepted) */
  get progressIntervalSeconds(): number {
    return this.values.progressIntervalSeconds;
  }
  get loggingConfig(): string | undefined {
    return this.values.loggingConfig;
  }
  get nodeExecutable(): string {
    return this.values.nodeExecutable;
  }
  get nodeOs(): NodeOs {
    return this.values.nodeOs;
  }

  /** A copy with some values replaced (e.g. a callback URL given on the command line), checked like the originals. */
  with(overrides: Partial<Record<SettingKey, string>>): BatchClientSettings {
    const given = normalised(overrides);
    return new BatchClientSettings(validSettings<CheckedValues>({ ...this.values, ...given }, given, "any"));
  }

  /**
   * The environment settings a job's tasks get: everything a node needs to build the same client and storage access,
   * never an account key. Nodes of a local job use the local service's well-known accounts; nodes in Azure use the
   * pool's user-assigned managed identity (BATCH_MANAGED_IDENTITY_CLIENT_ID).
   */
  forNodes(): { name: string; value: string }[] {
    const nodeValues: PartialValues = {
      ...this.values,
      authMode: this.authMode === "local" ? "local" : "entraId",
      callbackUrl: undefined,
      // the guard gets these in its own environment when a progress URL is set (finalizeEnvironment)
      progressUrl: undefined,
      progressIntervalSeconds: undefined,
    };
    return SETTING_KEYS.filter((key) => !SETTING_DEFINITIONS[key].secret && nodeValues[key] !== undefined).map((key) => ({
      name: SETTING_DEFINITIONS[key].variable,
      value: String(nodeValues[key]),
    }));
  }

  /** For logs: every setting that is set, secrets masked. */
  describe(): Record<string, string> {
    const shown = SETTING_KEYS.filter((key) => this.values[key] !== undefined);
    return Object.fromEntries(shown.map((key) => [SETTING_DEFINITIONS[key].variable, SETTING_DEFINITIONS[key].secret ? "***" : String(this.values[key])]));
  }
}
