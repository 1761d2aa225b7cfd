// Why: `deploy` as one workflow over a typed context: settings → target → version → build → zip → pool → application package (→ default).

import { createHash } from "node:crypto";
import * as path from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import { runningLocalService } from "../localService/localServiceLease";
import { buildWorkload } from "../workload/buildWorkload";
import { zipDirectory } from "../workload/zipWorkload";
import { UserCancelledError } from "../cancellation";
import { runWorkflow, type ExecuteStep, type ProgressSink, type PromptStep, type PromptUi } from "../wizard/wizard";
import { deletePackageVersion, listPackageVersions, pendingCleanupHint, publishPackage, type PackageVersion } from "./applicationPackages";
import { readDeploymentSettings, type DeploymentSettings } from "./deploySettings";
import { resolveTarget, type DeployTarget } from "./deployTarget";
import { ensurePool, inspectPool, poolIdOf } from "./poolSetup";
import { stagePythonPackage } from "./pythonWorkload";

/** Where a Python workload's application package is staged before zipping (dist/ as for TypeScript builds). */
const PYTHON_PACKAGE_FOLDER = "python-package";
import { chooseVersion, explicitVersion, type BumpOption, type VersionChoice } from "./versioning";
import { readWorkloadManifest, writeWorkloadVersion, type WorkloadManifest } from "./workloadManifest";

export interface DeployOptions {
  workloadDir: string;
  cliPath: string;
  dataDir?: string;
  yes: boolean;
  dryRun?: boolean;
  bump?: BumpOption;
  /**
   * Deploy exactly this SemVer version (e.g. a prerelease such as 1.0.0-test.1 for a test run) instead of choosing one
   * from package.json; package.json is left unchanged, and an existing version is refused as always.
   */
  version?: string;
  setDefault?: boolean;
  /** a deployment settings file other than the workload's batch-manager.json */
  settingsFile?: string;
  /** Azure credential (the editor passes its Microsoft sign-in); default @azure/identity's DefaultAzureCredential */
  credential?: TokenCredential;
  ui: PromptUi;
  progress: ProgressSink;
  signal: AbortSignal;
}

export interface DeployResult {
  target: "local" | "azure";
  applicationId: string;
  version: string;
  poolId: string;
  zipSha256: string;
  plan: string[];
  /** versions of the application that were created but never activated (an interrupted deploy); the one deployed now is replaced */
  pendingVersions?: string[];
}

interface DeployContext {
  readonly options: DeployOptions;
  readonly workloadDir: string;
  readonly manifest: WorkloadManifest;
  readonly settings?: DeploymentSettings;
  readonly applicationId: string;
  readonly setDefault: boolean;
  /** undefined only in a dry run with no local service running (nothing is started for a plan) */
  target?: DeployTarget;
  deployed: PackageVersion[];
  /** created but never activated (not usable by jobs; not a version conflict) */
  pending: string[];
  choice?: VersionChoice;
  outDir?: string;
  zip?: Buffer;
  zipSha256: string;
  poolId: string;
  plan: string[];
}

const versionStep: PromptStep<DeployContext> = {
  async prompt(context, ui) {
    const { options, manifest } = context;
    if (options.version !== undefined) {
      context.choice = explicitVersion(
        context.applicationId,
        options.version,
        context.deployed.map((v) => v.version),
      );
      return;
    }
    context.choice = await chooseVersion({
      applicationId: context.applicationId,
      current: manifest.version,
      deployed: context.deployed.map((v) => v.version),
      bump: options.bump,
      yes: options.yes || options.dryRun === true,
      ui,
      workloadDir: context.workloadDir,
      signal: options.signal,
    });
  },
};

const confirmStep: PromptStep<DeployContext> = {
  shouldPrompt: (context) => !context.options.yes && !context.options.dryRun,
  async prompt(context, ui) {
    const approved = await ui.confirm(`Deploy ${context.applicationId} ${context.choice!.version} to ${context.target!.description}?`, {
      confirmLabel: "Deploy",
      detail: context.plan.join("\n"),
    });
    if (!approved) throw new UserCancelledError("confirm deploy");
  },
};

const planStep: PromptStep<DeployContext> = {
  async prompt(context) {
    const { choice, target, settings } = context;
    const where = target?.description ?? `the local Batch service (data folder ${context.options.dataDir ?? "default"}; started when the deploy runs)`;
    const pool = target ? await inspectPool(target, settings, context.options.signal) : { poolId: context.poolId, exists: false };
    context.plan = [
      `target: ${where}`,
      context.manifest.language === "python"
        ? `zip ${path.join(context.workloadDir, "main.py")}, its modules, logging configuration and Python packages (batch_manager included) reproducibly; tasks run the nodes' python3`
        : `build ${path.join(context.workloadDir, "src", "main.ts")} → dist/main.js (+ source map), zip it reproducibly`,
      `application package ${context.applicationId} version ${choice!.version} (${choice!.reason}): create → upload → activate${context.setDefault ? " → set as default version" : ""}`,
      pool.exists ? `pool ${pool.poolId}: use the existing pool` : `pool ${pool.poolId}: create it`,
      ...(choice!.version !== context.manifest.version && context.options.version === undefined
        ? [`${path.basename(context.manifest.packageFile)} version ${context.manifest.version} → ${choice!.version}`]
        : []),
      ...context.pending.map((version) => pendingPlanLine(context, version)),
    ];
  },
};

function pendingPlanLine(context: DeployContext, version: string): string {
  const what = `pending version ${context.applicationId} ${version} (created, never activated: an interrupted deploy)`;
  if (version.toLowerCase() === context.choice!.version.toLowerCase()) return `${what}: deleted, then registered again by this deploy`;
  return `${what}: left as it is, jobs cannot use it; ${pendingCleanupHint(context.target, context.applicationId, version)}`;
}

const buildStep: ExecuteStep<DeployContext> = {
  title: "Building the workload",
  async execute(context, _progress, signal) {
    if (context.manifest.language === "python") {
      // no build: the application package is the Python sources as they are
      context.outDir = path.join(context.workloadDir, "dist", PYTHON_PACKAGE_FOLDER);
      stagePythonPackage(context.workloadDir, context.outDir);
      return;
    }
    context.outDir = (await buildWorkload({ workloadDir: context.workloadDir, signal })).outDir;
  },
};

const zipStep: ExecuteStep<DeployContext> = {
  title: "Zipping the application package",
  async execute(context) {
    context.zip = await zipDirectory(context.outDir!);
    context.zipSha256 = createHash("sha256").update(context.zip).digest("hex");
  },
};

const poolStep: ExecuteStep<DeployContext> = {
  title: "Preparing the pool",
  async execute(context, _progress, signal) {
    context.poolId = (await ensurePool(context.target!, context.settings, context.manifest.nodeRange, signal)).poolId;
  },
};

const publishStep: ExecuteStep<DeployContext> = {
  title: "Registering the application package",
  async execute(context, progress, signal) {
    const version = context.choice!.version;
    const stale = context.pending.find((pending) => pending.toLowerCase() === version.toLowerCase());
    if (stale) {
      progress.report(`deleting the pending version ${context.applicationId} ${stale} an interrupted deploy left behind`);
      await deletePackageVersion(context.target!, context.applicationId, stale, signal);
    }
    await publishPackage(
      context.target!,
      { applicationId: context.applicationId, version, zip: context.zip!, setDefault: context.setDefault, displayName: context.manifest.name },
      progress,
      signal,
    );
    if (version !== context.manifest.version && context.options.version === undefined) writeWorkloadVersion(context.manifest, version);
  },
};

/** Builds, versions and ships the workload; with dryRun only the plan (nothing is built, started or registered). */
export async function deployWorkload(options: DeployOptions): Promise<DeployResult> {
  const workloadDir = path.resolve(options.workloadDir);
  const manifest = readWorkloadManifest(workloadDir);
  const found = readDeploymentSettings(workloadDir, options.settingsFile);
  const settings = found?.settings;
  const local = !settings || settings.target === "local";
  const target =
    options.dryRun && local && !runningLocalService(options.dataDir)
      ? undefined
      : await resolveTarget({ settings, cliPath: options.cliPath, dataDir: options.dataDir, credential: options.credential, signal: options.signal });
  const applicationId = settings?.applicationId ?? manifest.applicationId;
  const versions = target ? await listPackageVersions(target, applicationId, options.signal) : [];
  const pending = versions.filter((v) => v.state === "Pending").map((v) => v.version);
  if (pending.length)
    options.progress.report(
      `found ${pending.length} pending (created, never activated) version(s) of ${applicationId}: ${pending.join(", ")} — left by an interrupted deploy`,
    );
  const context: DeployContext = {
    options,
    workloadDir,
    manifest,
    settings,
    applicationId,
    setDefault: options.setDefault === true || settings?.defaultVersion === "set",
    target,
    deployed: versions.filter((v) => v.state !== "Pending"),
    pending: versions.filter((v) => v.state === "Pending").map((v) => v.version),
    zipSha256: "",
    poolId: poolIdOf(settings),
    plan: [],
  };
  const executes = options.dryRun ? [] : [buildStep, zipStep, poolStep, publishStep];
  await runWorkflow({ prompts: [versionStep, planStep, confirmStep], executes }, context, options.ui, options.progress, options.signal);
  return {
    target: local ? "local" : "azure",
    applicationId,
    version: context.choice!.version,
    poolId: context.poolId,
    zipSha256: context.zipSha256,
    plan: context.plan,
    pendingVersions: context.pending,
  };
}
