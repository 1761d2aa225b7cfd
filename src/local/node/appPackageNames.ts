// Why: the Linux naming rules of AZ_BATCH_APP_PACKAGE_* variables (flattening, case, default-version alias).

export interface PackageReference {
  /** as written in the reference, without any ARM resource path */
  applicationId: string;
  /** absent = the application's default version */
  version?: string;
}

/** A pool's reference may be fully qualified (`/subscriptions/…/applications/<name>`): the name is the last segment. */
export function referenceFromWire(wire: unknown): PackageReference | undefined {
  const reference = wire as { applicationId?: unknown; version?: unknown } | undefined;
  if (!reference || typeof reference.applicationId !== "string" || reference.applicationId === "") return undefined;
  const match = /\/applications\/([^/]+)\/?$/i.exec(reference.applicationId);
  const applicationId = match ? match[1] : reference.applicationId;
  const version = typeof reference.version === "string" && reference.version !== "" ? reference.version : undefined;
  return { applicationId, version };
}

export function referencesFromWire(list: unknown): PackageReference[] {
  if (!Array.isArray(list)) return [];
  return list.map(referenceFromWire).filter((reference): reference is PackageReference => reference !== undefined);
}

/** Linux: every `.`, `-` and `#` becomes `_`. */
const flatten = (text: string): string => text.replace(/[.#-]/g, "_");

/**
 * The variable names for one deployed package (Linux rules, node-environment.md): the lower-cased flattened
 * `AZ_BATCH_APP_PACKAGE_<id>_<version>`, the case-preserved alias when the reference's id has upper-case letters,
 * and the unversioned name(s) when the reference gave no version (default version).
 */
export function appPackageVariableNames(reference: PackageReference, resolvedVersion: string): string[] {
  const ids = [reference.applicationId.toLowerCase()];
  if (reference.applicationId !== ids[0]) ids.push(reference.applicationId);
  const names: string[] = [];
  for (const id of ids) {
    names.push(`AZ_BATCH_APP_PACKAGE_${flatten(id)}_${flatten(resolvedVersion)}`);
    if (reference.version === undefined) names.push(`AZ_BATCH_APP_PACKAGE_${flatten(id)}`);
  }
  return names;
}
