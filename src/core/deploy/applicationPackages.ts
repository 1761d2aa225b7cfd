// Why: the application package versions of an account through ARM (@azure/arm-batch): list, and publish = create → upload the zip → activate (→ default), leaving nothing half-registered.

import { BlockBlobClient } from "@azure/storage-blob";
import * as semver from "semver";
import { isUserCancelled, UserCancelledError } from "../cancellation";
import type { ProgressSink } from "../wizard/wizard";
import type { DeployTarget } from "./deployTarget";

export interface PackageVersion {
  readonly version: string;
  readonly state: string;
}

const statusOf = (error: unknown) => (error as { statusCode?: number } | undefined)?.statusCode;

/** Every version of the application, SemVer-ordered (text order for versions that are not SemVer); [] when the application does not exist. */
export async function listPackageVersions(target: DeployTarget, applicationId: string, signal?: AbortSignal): Promise<PackageVersion[]> {
  const versions: PackageVersion[] = [];
  try {
    for await (const pkg of target.arm.applicationPackageOperations.list(target.resourceGroup, target.accountName, applicationId, { abortSignal: signal })) {
      if (pkg.name) versions.push({ version: pkg.name, state: pkg.state ?? "Unknown" });
    }
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
  return versions.sort((a, b) => compareVersions(a.version, b.version));
}

/** SemVer order, so 1.10.0 comes after 1.9.0; versions that are not SemVer sort first, as text. */
export function compareVersions(a: string, b: string): number {
  const [va, vb] = [semver.valid(a), semver.valid(b)];
  if (va && vb) return semver.compare(va, vb);
  if (va) return 1;
  if (vb) return -1;
  return a.localeCompare(b);
}

export interface PublishRequest {
  readonly applicationId: string;
  readonly version: string;
  readonly zip: Buffer;
  readonly setDefault: boolean;
  readonly displayName?: string;
}

/**
 * Creates the version (ARM returns a storage URL), uploads the zip there, activates it, and optionally makes it the
 * default. If anything fails or is cancelled after the version was created, the pending version is deleted; if even
 * that fails, the error says so and how to delete it by hand.
 */
export async function publishPackage(target: DeployTarget, request: PublishRequest, progress: ProgressSink, signal: AbortSignal): Promise<void> {
  const { resourceGroup: rg, accountName: account, arm } = target;
  const { applicationId, version } = request;
  try {
    await arm.applicationOperations.get(rg, account, applicationId, { abortSignal: signal });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    progress.report(`creating application ${applicationId}`);
    await arm.applicationOperations.create(rg, account, applicationId, {
      parameters: { displayName: request.displayName ?? applicationId, allowUpdates: false },
      abortSignal: signal,
    });
  }
  const created = await arm.applicationPackageOperations.create(rg, account, applicationId, version, { abortSignal: signal });
  try {
    if (!created.storageUrl) throw new Error(`the service returned no storage URL for ${applicationId} ${version}`);
    progress.report(`uploading ${request.zip.length} bytes`);
    await new BlockBlobClient(created.storageUrl)
      .uploadData(request.zip, { abortSignal: signal, blobHTTPHeaders: { blobContentType: "application/zip" } })
      .catch((error: unknown) => {
        if (isUserCancelled(error) || signal.aborted) throw new UserCancelledError("upload");
        throw new Error(`the upload of the application package was interrupted: ${(error as Error).message}`);
      });
    if (signal.aborted) throw new UserCancelledError("activate");
    progress.report(`activating ${applicationId} ${version}`);
    const activated = await arm.applicationPackageOperations.activate(rg, account, applicationId, version, { format: "zip" }, { abortSignal: signal });
    if (activated.state !== "Active")
      throw new Error(`the application package ${applicationId} ${version} is ${activated.state ?? "not active"} after activation`);
  } catch (error) {
    await deletePending(target, applicationId, version, error);
    throw error;
  }
  if (request.setDefault) await setDefaultVersion(target, applicationId, version, signal);
}

export async function setDefaultVersion(target: DeployTarget, applicationId: string, version: string, signal?: AbortSignal): Promise<void> {
  await target.arm.applicationOperations.update(target.resourceGroup, target.accountName, applicationId, { defaultVersion: version }, { abortSignal: signal });
}

export async function getDefaultVersion(target: DeployTarget, applicationId: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return (await target.arm.applicationOperations.get(target.resourceGroup, target.accountName, applicationId, { abortSignal: signal })).defaultVersion;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** The state of one version, or undefined when it does not exist. */
export async function packageState(target: DeployTarget, applicationId: string, version: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return (
      (await target.arm.applicationPackageOperations.get(target.resourceGroup, target.accountName, applicationId, version, { abortSignal: signal })).state ??
      "Unknown"
    );
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Deletes one version (a pending one an interrupted deploy left behind). */
export async function deletePackageVersion(target: DeployTarget, applicationId: string, version: string, signal?: AbortSignal): Promise<void> {
  await target.arm.applicationPackageOperations.delete(target.resourceGroup, target.accountName, applicationId, version, { abortSignal: signal });
}

/** How to get rid of a pending version by hand, for the target. */
export function pendingCleanupHint(target: DeployTarget | undefined, applicationId: string, version: string): string {
  const redeploy = `deploying version ${version} again replaces it`;
  if (!target || target.kind === "local") return `${redeploy} (set package.json's version to ${version})`;
  return `${redeploy}, or delete it with 'az batch application package delete --resource-group ${target.resourceGroup} --name ${target.accountName} --application-name ${applicationId} --version-name ${version}'`;
}

async function deletePending(target: DeployTarget, applicationId: string, version: string, cause: unknown): Promise<void> {
  try {
    // no abort signal: the clean-up must run even when the deploy was cancelled
    await target.arm.applicationPackageOperations.delete(target.resourceGroup, target.accountName, applicationId, version);
  } catch (error) {
    const why = isUserCancelled(cause) ? "was cancelled" : `failed (${(cause as Error).message})`;
    throw new Error(
      `the deploy ${why}, and the pending application package ${applicationId} ${version} could not be deleted (${(error as Error).message}); delete it with 'az batch application package delete --application-name ${applicationId} --version-name ${version}' or in the portal`,
    );
  }
}
