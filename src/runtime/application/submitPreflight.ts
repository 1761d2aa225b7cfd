// Why: submit's checks before it creates a job — the pool and the application package version exist — so a job that could never start is never created; each problem names its setting and the fix.
import type { BatchServiceClient } from "@azure/batch";
import { SettingsError, type SettingProblem } from "../settings/batchClientSettings";
import type { BatchClientSettings } from "../settings/batchClientSettings";

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

async function poolProblem(client: BatchServiceClient, poolId: string): Promise<SettingProblem | undefined> {
  try {
    const pool = await client.pool.get(poolId, { poolGetOptions: { select: "id,state" } });
    if (pool.state === "deleting")
      return {
        variable: "BATCH_POOL_ID",
        message: `names pool "${poolId}", which is being deleted: create it again (batch-manager deploy) or name another pool`,
      };
    return undefined;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    return {
      variable: "BATCH_POOL_ID",
      message: `names pool "${poolId}", which does not exist in ${client.batchUrl}: create it (batch-manager deploy creates the pool) or set BATCH_POOL_ID to an existing pool`,
    };
  }
}

async function applicationProblem(client: BatchServiceClient, applicationId: string, version: string): Promise<SettingProblem | undefined> {
  const deployHint = `deploy it (batch-manager deploy; locally: copy the zip to <dataDir>/applications/${applicationId}/${version}.zip)`;
  try {
    const application = await client.application.get(applicationId);
    if ((application.versions ?? []).includes(version)) return undefined;
    const known = application.versions?.length ? application.versions.join(", ") : "none";
    return {
      variable: "BATCH_APPLICATION_VERSION",
      message: `names version "${version}" of application "${applicationId}", which has no such package (versions: ${known}): ${deployHint} or set BATCH_APPLICATION_VERSION to one of them`,
    };
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    return { variable: "BATCH_APPLICATION_ID", message: `names application "${applicationId}", which the account does not have: ${deployHint}` };
  }
}

/** Throws a SettingsError (exit code 3) listing every prerequisite of the job that is missing. */
export async function checkSubmitPrerequisites(client: BatchServiceClient, settings: BatchClientSettings): Promise<void> {
  const problems = await Promise.all([
    settings.poolId ? poolProblem(client, settings.poolId) : undefined,
    settings.applicationId && settings.applicationVersion ? applicationProblem(client, settings.applicationId, settings.applicationVersion) : undefined,
  ]);
  const found = problems.filter((problem): problem is SettingProblem => problem !== undefined);
  if (found.length > 0) throw new SettingsError(found);
}
