// Why: reads and validates a workload's deployment settings (batch-manager.json) against the schema the extension contributes, before anything runs.

import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import schema from "../../../schemas/deployment-settings.schema.json";

/** The settings file a workload folder may hold; without it deploy and run target the local service. */
export const DEPLOYMENT_SETTINGS_FILE = "batch-manager.json";

export interface NodeRuntimePackage {
  applicationId: string;
  version: string;
  nodeVersion: string;
}

export interface PoolDefinition {
  vmSize: string;
  targetDedicatedNodes?: number;
  targetLowPriorityNodes?: number;
  taskSlotsPerNode?: number;
  image?: { publisher: string; offer: string; sku: string; version?: string; nodeAgentSkuId: string };
  nodeRuntime: NodeRuntimePackage;
}

export interface DeploymentSettings {
  target?: "azure" | "local";
  subscriptionId?: string;
  resourceGroup?: string;
  accountName?: string;
  armEndpoint?: string;
  applicationId?: string;
  defaultVersion?: "set" | "keep";
  pool?: { id: string; create?: PoolDefinition };
  identity?: { resourceId: string; clientId: string };
  storage?: { accountName: string; blobEndpoint?: string };
  callbackUrl?: string;
}

export class DeploymentSettingsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not valid deployment settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DeploymentSettingsError";
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile<DeploymentSettings>(schema);

/** Names that mean a secret: the schema refuses unknown keys anyway, this says why. */
const SECRET_NAMES = /key|secret|password|sas|token|connectionstring/i;

function describe(error: ErrorObject): string {
  const at = error.instancePath ? error.instancePath.slice(1).replace(/\//g, ".") : "(top level)";
  if (error.keyword === "additionalProperties") {
    const name = (error.params as { additionalProperty: string }).additionalProperty;
    const where = error.instancePath ? `${at}.${name}` : name;
    return SECRET_NAMES.test(name)
      ? `'${where}' looks like a secret: secrets never go in deployment settings (sign in with VS Code or @azure/identity instead); remove it`
      : `'${where}' is not a deployment setting; remove it or check its spelling`;
  }
  if (error.keyword === "required")
    return `'${error.instancePath ? `${at}.` : ""}${(error.params as { missingProperty: string }).missingProperty}' is required`;
  if (error.keyword === "if") return "";
  return `'${at}' ${error.message ?? "is invalid"}`;
}

/** Validates parsed settings; throws DeploymentSettingsError listing every problem by setting name. */
export function checkDeploymentSettings(value: unknown, file: string): DeploymentSettings {
  if (validate(value)) return value;
  throw new DeploymentSettingsError(file, (validate.errors ?? []).map(describe).filter(Boolean));
}

/** The settings file at `file` (absolute, or relative to the workload folder), or the workload's batch-manager.json; undefined when there is none. */
export function readDeploymentSettings(workloadDir: string, file?: string): { file: string; settings: DeploymentSettings } | undefined {
  const resolved = file ? path.resolve(workloadDir, file) : path.join(workloadDir, DEPLOYMENT_SETTINGS_FILE);
  if (!fs.existsSync(resolved)) {
    if (file) throw new Error(`the deployment settings file ${resolved} does not exist (--settings/--from/--to name a batch-manager.json)`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(resolved, "utf8"));
  } catch (error) {
    throw new DeploymentSettingsError(resolved, [`it is not valid JSON: ${(error as Error).message}`]);
  }
  return { file: resolved, settings: checkDeploymentSettings(parsed, resolved) };
}
