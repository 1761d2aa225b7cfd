// Why: the settings as JSON schemas (the file's shape; each value; which settings each role needs), checked by Ajv, every problem named by its variable.
import * as fs from "node:fs";
import Ajv from "ajv";
import { validateCallbackUrl } from "./callbackUrl";
import { isLoopbackHost } from "./loopback";
import { SETTING_DEFINITIONS, SETTING_KEYS, type SettingKey } from "./settingDefinitions";

/** One thing wrong with the settings, named by its environment variable. */
export interface SettingProblem {
  variable: string;
  message: string;
}

export class SettingsError extends Error {
  constructor(readonly problems: readonly SettingProblem[]) {
    super(
      `Invalid Batch settings (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p.variable} ${p.message}`).join("\n")}`,
    );
    this.name = "SettingsError";
  }
}

export const SETTINGS_FILE_VARIABLE = "BATCH_SETTINGS_FILE";

/**
 * What the settings are needed for: `client` = talk to Batch; `submit` = also create jobs (pool, application package,
 * storage); `localTask` = run one task on this machine, which needs nothing until the task uses the Batch client.
 */
export type SettingsPurpose = "client" | "submit" | "localTask";

const needs = (keys: SettingKey[], why: string) => ({ required: keys, description: why });
const when = (authMode: object, then: object) => ({ if: { required: ["authMode"], properties: { authMode } }, then });
const whenPresent = (key: SettingKey, then: object) => ({ if: { required: [key] }, then });

/** Which settings must be present, in the order problems are reported; `description` says why. */
const CLIENT_NEEDS = [
  needs(["accountUrl"], "the Batch account endpoint, e.g. https://<account>.<region>.batch.azure.com"),
  when({ const: "sharedKey" }, needs(["accountName", "accountKey"], "BATCH_AUTH_MODE is sharedKey")),
];
const SUBMIT_NEEDS = [
  needs(["poolId"], "the pool the job runs on"),
  needs(["applicationId", "applicationVersion"], "the application package that holds the workload's main.js"),
  needs(["storageAccountName"], "error reports, logs and the job summary are uploaded there"),
  when(
    { not: { const: "local" } },
    needs(
      ["managedIdentityClientId"],
      "nodes in Azure authenticate to Batch and Storage with the pool's user-assigned managed identity; account keys are never sent to nodes",
    ),
  ),
];

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, verbose: true });
const isHttpsOrLoopback = (url: URL): boolean => url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
ajv.addFormat("https-or-loopback", (raw: string) => URL.canParse(raw) && isHttpsOrLoopback(new URL(raw)));
ajv.addFormat("callback-url", (raw: string) => {
  try {
    validateCallbackUrl(raw);
    return true;
  } catch {
    return false;
  }
});
const properties = Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTING_DEFINITIONS[key].schema]));
const VALIDATE_VALUES = {
  any: ajv.compile({ type: "object", properties }),
  // with an account URL the client must be complete; without one nothing is required (the client is then unavailable)
  localTask: ajv.compile({ type: "object", properties, ...whenPresent("accountUrl", { allOf: CLIENT_NEEDS }) }),
  client: ajv.compile({ type: "object", properties, allOf: CLIENT_NEEDS }),
  submit: ajv.compile({ type: "object", properties, allOf: [...CLIENT_NEEDS, ...SUBMIT_NEEDS] }),
};
// the file is checked as written: no coercion (null is not "")
const VALIDATE_FILE = new Ajv({ allErrors: true, allowUnionTypes: true }).compile({
  type: "object",
  properties: Object.fromEntries(SETTING_KEYS.map((key) => [key, { type: ["string", "number", "boolean"] }])),
  additionalProperties: false,
});

const keyAt = (instancePath: string): SettingKey | undefined => instancePath.split("/")[1] as SettingKey | undefined;

/** The text of the values a JSON settings file holds for known keys, and its problems. */
export function readSettingsFile(file: string): { values: Record<string, string>; problems: SettingProblem[] } {
  const where = `${SETTINGS_FILE_VARIABLE} (${file})`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    return { values: {}, problems: [{ variable: where, message: `cannot be read as JSON: ${(error as Error).message}` }] };
  }
  const errors = VALIDATE_FILE(parsed) ? [] : (VALIDATE_FILE.errors ?? []);
  if (errors.some((error) => error.instancePath === "" && error.keyword === "type"))
    return { values: {}, problems: [{ variable: where, message: "must contain a JSON object" }] };
  const problems = errors.map((error) => {
    const key = keyAt(error.instancePath);
    if (key) return { variable: SETTING_DEFINITIONS[key].variable, message: `(settings file key "${key}") must be a string or number` };
    return { variable: where, message: `has an unknown setting "${error.params.additionalProperty as string}" (known: ${SETTING_KEYS.join(", ")})` };
  });
  const refused = new Set(errors.map((error) => keyAt(error.instancePath) ?? error.params.additionalProperty));
  return {
    values: Object.fromEntries(
      Object.entries(parsed as object)
        .filter(([key]) => !refused.has(key))
        .map(([key, value]) => [key, String(value)]),
    ),
    problems,
  };
}

/**
 * `values` checked against each value's schema and the settings the purpose needs, defaults filled in and numbers
 * coerced from their text (in place); else a SettingsError naming every problem (bad values first), each variable once.
 * `raw` holds the text each value came from, for messages; `earlier` are the settings file's problems.
 */
export function validSettings<T>(
  values: Record<string, unknown>,
  raw: Record<string, string>,
  purpose: SettingsPurpose | "any",
  earlier: SettingProblem[] = [],
): T {
  const validate = VALIDATE_VALUES[purpose];
  if (validate(values) && earlier.length === 0) return values as T;
  const problems = [...earlier];
  const add = (key: SettingKey, message: string) => {
    const { variable } = SETTING_DEFINITIONS[key];
    if (!problems.some((problem) => problem.variable === variable)) problems.push({ variable, message });
  };
  const errors = validate.errors ?? [];
  for (const key of SETTING_KEYS) {
    const error = errors.find((candidate) => candidate.keyword !== "required" && keyAt(candidate.instancePath) === key);
    if (error) add(key, SETTING_DEFINITIONS[key].problem?.(raw[key] ?? String(values[key])) ?? `${error.message}`);
  }
  for (const error of errors.filter((candidate) => candidate.keyword === "required")) {
    add(error.params.missingProperty as SettingKey, `is missing (${(error.parentSchema as { description: string }).description})`);
  }
  throw new SettingsError(problems);
}
