// Why: the command line a Batch node runs for each role: node + the workload's main.js inside its application package.
import type { BatchClientSettings } from "../settings/batchClientSettings";
import type { NodeOs } from "../settings/settingDefinitions";
import type { Role } from "./roles";

/** The AZ_BATCH_APP_PACKAGE_* variable of an application package (Linux: lower-case, `.`/`-`/`#` → `_`; Windows: `ID#version`). */
export function applicationPackageVariable(applicationId: string, version: string, os: NodeOs = "linux"): string {
  if (os === "windows") return `AZ_BATCH_APP_PACKAGE_${applicationId.toUpperCase()}#${version}`;
  const flatten = (text: string) => text.replace(/[.\-#]/g, "_");
  return `AZ_BATCH_APP_PACKAGE_${flatten(applicationId.toLowerCase())}_${flatten(version)}`;
}

/**
 * Batch does not run command lines through a shell, so the package folder is expanded by an explicit `/bin/sh -c`
 * (Linux) or `cmd /c` (Windows). `--enable-source-maps`: the bundle's source map ships beside main.js, so stack traces
 * (in logs and error.json) name the workload's `.ts` lines.
 */
export function nodeCommandLine(settings: BatchClientSettings, role: Role): string {
  const applicationId = settings.applicationId;
  const version = settings.applicationVersion;
  if (!applicationId || !version) throw new Error("BATCH_APPLICATION_ID and BATCH_APPLICATION_VERSION are needed to build a node command line");
  const variable = applicationPackageVariable(applicationId, version, settings.nodeOs);
  if (settings.nodeOs === "windows") return `cmd /c ${settings.nodeExecutable} --enable-source-maps %${variable}%\\main.js ${role}`;
  return `/bin/sh -c "exec ${settings.nodeExecutable} --enable-source-maps $${variable}/main.js ${role}"`;
}

export function applicationPackageReferences(settings: BatchClientSettings): { applicationId: string; version: string }[] {
  return settings.applicationId && settings.applicationVersion ? [{ applicationId: settings.applicationId, version: settings.applicationVersion }] : [];
}
