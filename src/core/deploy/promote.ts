// Why: `promote`: makes a version that succeeded on the dev account the default on production, behind an approval (confirmation or --yes).

import * as path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { answered, type ProgressSink, type PromptUi } from "../wizard/wizard";
import { packageState, setDefaultVersion } from "./applicationPackages";
import { readDeploymentSettings } from "./deploySettings";
import { resolveTarget } from "./deployTarget";
import { jobOutcome } from "./jobWatch";
import { readWorkloadManifest } from "./workloadManifest";

export interface PromoteOptions {
  workloadDir: string;
  cliPath: string;
  dataDir?: string;
  /** dev and production deployment settings files (relative to workloadDir or absolute) */
  from: string;
  to: string;
  /** default: package.json's version */
  version?: string;
  force: boolean;
  ui: PromptUi;
  progress: ProgressSink;
  signal: AbortSignal;
}

export interface PromoteResult {
  applicationId: string;
  version: string;
  /** the dev job whose success allowed it (absent with --force and no run) */
  devJobId?: string;
  from: string;
  to: string;
}

export class PromotionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PromotionRefusedError";
  }
}

/** The latest completed job on the account that ran this application version's job manager and had no failed task. */
export async function findSuccessfulRun(batch: BatchServiceClient, applicationId: string, version: string): Promise<string | undefined> {
  const matches: { id: string; created: number }[] = [];
  let page = await batch.job.list({ jobListOptions: { filter: "state eq 'completed'" } });
  for (;;) {
    for (const job of page) {
      const refs = job.jobManagerTask?.applicationPackageReferences ?? [];
      if (job.id && refs.some((r) => r.applicationId.toLowerCase() === applicationId.toLowerCase() && r.version === version))
        matches.push({ id: job.id, created: job.creationTime?.getTime() ?? 0 });
    }
    if (!page.odatanextLink) break;
    page = await batch.job.listNext(page.odatanextLink);
  }
  for (const match of matches.sort((a, b) => b.created - a.created)) {
    if ((await jobOutcome(batch, match.id)).succeeded) return match.id;
  }
  return undefined;
}

export async function promoteVersion(options: PromoteOptions): Promise<PromoteResult> {
  const workloadDir = path.resolve(options.workloadDir);
  const manifest = readWorkloadManifest(workloadDir);
  const dev = readDeploymentSettings(workloadDir, options.from)!;
  const prod = readDeploymentSettings(workloadDir, options.to)!;
  const applicationId = prod.settings.applicationId ?? dev.settings.applicationId ?? manifest.applicationId;
  const version = options.version ?? manifest.version;
  const targetOptions = { cliPath: options.cliPath, dataDir: options.dataDir, signal: options.signal };
  const devTarget = await resolveTarget({ ...targetOptions, settings: dev.settings });
  const prodTarget = await resolveTarget({ ...targetOptions, settings: prod.settings });
  options.progress.report(`looking for a successful run of ${applicationId} ${version} on ${devTarget.description}`);
  const devJobId = await findSuccessfulRun(devTarget.batch, applicationId, version);
  if (!devJobId && !options.force) {
    throw new PromotionRefusedError(
      `${applicationId} ${version} has no successful run recorded on the dev account (${dev.file}): run it there first ('batch-manager run --settings ${options.from} --wait'), or pass --force to promote anyway`,
    );
  }
  const state = await packageState(prodTarget, applicationId, version, options.signal);
  if (state !== "Active") {
    throw new PromotionRefusedError(
      `${applicationId} ${version} is ${state ? `${state}, not active,` : "not deployed"} on production (${prod.file}): deploy it there first ('batch-manager deploy --settings ${options.to} --yes')`,
    );
  }
  const approved = await options.ui.confirm(`Make ${applicationId} ${version} the default version on ${prodTarget.description}?`, {
    confirmLabel: "Promote",
    detail: devJobId ? `It succeeded on the dev account in job ${devJobId}.` : "No successful run on the dev account (--force).",
  });
  answered(approved ? true : undefined, "approve the promotion");
  await setDefaultVersion(prodTarget, applicationId, version, options.signal);
  return { applicationId, version, devJobId, from: devTarget.description, to: prodTarget.description };
}
