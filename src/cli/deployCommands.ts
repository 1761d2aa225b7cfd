// Why: `batch-manager deploy | run | promote`: the deploy pipeline for terminals and CI, with documented exit codes, --json, --dry-run and --yes.

import * as path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { isUserCancelled } from "../core/cancellation";
import { deployWorkload, DeploymentSettingsError, runWorkloadJob } from "../core/deploy";
import { promoteVersion, PromotionRefusedError } from "../core/deploy/promote";
import type { ProgressSink } from "../core/wizard/wizard";
import { errorMessage } from "./errorMessage";
import { terminalPromptUi } from "./terminalPromptUi";

/** Exit codes of deploy, run and promote (docs/deploy.md). */
export const DeployExitCode = { ok: 0, failed: 1, invalidInput: 2, jobFailed: 3, refused: 4, cancelled: 130 } as const;

const cliPath = () => path.resolve(require.main?.filename ?? process.argv[1]!);
const stderrProgress: ProgressSink = { report: (message) => process.stderr.write(`${message}\n`) };

function jsonObject(flag: string) {
  return (text: string): Record<string, unknown> => {
    try {
      const value = JSON.parse(text) as unknown;
      if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new InvalidArgumentError(`${flag} must be a JSON object, e.g. '{"inputPrefix":"run1/"}'.`);
  };
}

/** Runs an action with Ctrl+C as cancellation; maps errors to the documented exit codes. */
async function withExitCodes(action: (signal: AbortSignal) => Promise<number>): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once("SIGINT", onInterrupt);
  process.once("SIGTERM", onInterrupt);
  try {
    process.exitCode = await action(controller.signal);
  } catch (error) {
    if (isUserCancelled(error)) {
      process.stderr.write(`batch-manager: cancelled${(error as Error).message ? ` (${(error as Error).message})` : ""}; nothing was left half-registered\n`);
      process.exitCode = DeployExitCode.cancelled;
    } else {
      process.stderr.write(`batch-manager: ${errorMessage(error)}\n`);
      process.exitCode =
        error instanceof DeploymentSettingsError
          ? DeployExitCode.invalidInput
          : error instanceof PromotionRefusedError
            ? DeployExitCode.refused
            : DeployExitCode.failed;
    }
  } finally {
    process.removeListener("SIGINT", onInterrupt);
    process.removeListener("SIGTERM", onInterrupt);
  }
}

/** Options deploy and run share (promote takes two settings files, and --data with its own help, plus --json). */
const settingsOption = () => new Option("--settings <file>", "deployment settings file (default: <dir>/batch-manager.json)");
const dataOption = () => new Option("--data <dir>", "data folder of the local service (default: the shared one)");
const jsonOption = () => new Option("--json", "print the result as one JSON line").default(false);

/** What deploy, run and promote are all given: the workload folder, this CLI, the local service's data folder, progress and Ctrl+C. */
interface WorkloadTarget {
  workloadDir: string;
  cliPath: string;
  dataDir: string | undefined;
  progress: ProgressSink;
  signal: AbortSignal;
}

/**
 * The action of a command on the workload in [dir]: runs `start` with exit codes and Ctrl+C (withExitCodes), then prints
 * the result as one JSON line (--json) or as `describe`'s text, and exits with its code (default ok).
 */
function workloadAction<O, R>(
  start: (target: WorkloadTarget, options: O) => Promise<R>,
  describe: (result: R, options: O) => { text: string; exitCode?: number },
): (dir: string | undefined, options: O & { data?: string; json: boolean }) => Promise<void> {
  return (dir, options) =>
    withExitCodes(async (signal) => {
      const target = { workloadDir: path.resolve(dir ?? "."), cliPath: cliPath(), dataDir: options.data, progress: stderrProgress, signal };
      const result = await start(target, options);
      const { text, exitCode = DeployExitCode.ok } = describe(result, options);
      process.stdout.write(`${options.json ? JSON.stringify(result) : text}\n`);
      return exitCode;
    });
}

export function registerDeployCommands(program: Command): void {
  program
    .command("deploy [dir]")
    .description("Build, version and ship the workload in [dir] as an application package (to the local service when it has no batch-manager.json).")
    .option("--yes", "no questions: approve the plan (a version conflict then needs --bump)", false)
    .option("--dry-run", "print the plan; build, start and register nothing", false)
    .addOption(
      new Option("--bump <kind>", "when package.json's version is already deployed: the next patch, minor or major, or auto (Conventional Commits)").choices([
        "patch",
        "minor",
        "major",
        "auto",
      ]),
    )
    .option("--package-version <semver>", "deploy exactly this version (e.g. 1.0.0-test.1 for a test run); the manifest's version is left unchanged")
    .option("--set-default", "make the deployed version the application's default", false)
    .addOption(settingsOption())
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(
      workloadAction(
        (
          target,
          options: {
            yes: boolean;
            dryRun: boolean;
            bump?: "patch" | "minor" | "major" | "auto";
            packageVersion?: string;
            setDefault: boolean;
            settings?: string;
          },
        ) =>
          deployWorkload({
            ...target,
            yes: options.yes,
            dryRun: options.dryRun,
            bump: options.bump,
            version: options.packageVersion,
            setDefault: options.setDefault,
            settingsFile: options.settings,
            ui: terminalPromptUi({ yes: options.yes, flagHint: "pass --yes (and --bump for a version that exists)" }),
          }),
        (result, options) => ({
          text: `${options.dryRun ? "Plan (dry run, nothing done):" : `Deployed ${result.applicationId} ${result.version} (pool ${result.poolId}):`}\n${result.plan.map((line) => `  - ${line}`).join("\n")}`,
        }),
      ),
    );

  program
    .command("run [dir]")
    .description("Submit a job of the deployed version of the workload in [dir] (package.json's version); --wait follows it to the end.")
    .option("--wait", "stream task counts and progress until the job completes; exit code 3 if it failed", false)
    .option("--job-id <id>", "the job id (default: generated)")
    .option("--package-version <semver>", "the deployed version to run (default: the manifest's version)")
    .option("--args <json>", "the job's arguments (JSON object)", jsonObject("--args"))
    .option("--callback-url <url>", "where the FinalizeTask posts the job summary")
    .addOption(settingsOption())
    .addOption(dataOption())
    .addOption(jsonOption())
    .action(
      workloadAction(
        (
          target,
          options: { wait: boolean; jobId?: string; packageVersion?: string; args?: Record<string, unknown>; callbackUrl?: string; settings?: string },
        ) =>
          runWorkloadJob({
            ...target,
            wait: options.wait,
            jobId: options.jobId,
            version: options.packageVersion,
            args: options.args,
            callbackUrl: options.callbackUrl,
            settingsFile: options.settings,
          }),
        (result, options) => ({
          text: `job ${result.jobId}: ${result.state}${options.wait ? (result.succeeded ? ", succeeded" : ", FAILED") : ""}`,
          exitCode: options.wait && !result.succeeded ? DeployExitCode.jobFailed : DeployExitCode.ok,
        }),
      ),
    );

  program
    .command("promote [dir]")
    .description("Make a version that succeeded on the dev account the default version on production (the approval: --yes or an interactive confirmation).")
    .requiredOption("--from <dev-settings>", "deployment settings of the dev account")
    .requiredOption("--to <prod-settings>", "deployment settings of the production account")
    .option("--version <version>", "the version to promote (default: package.json's)")
    .option("--force", "promote even without a successful run recorded on the dev account", false)
    .option("--yes", "approve without asking", false)
    .option("--data <dir>", "data folder of the local service (settings with target local)")
    .addOption(jsonOption())
    .action(
      workloadAction(
        (target, options: { from: string; to: string; version?: string; force: boolean; yes: boolean }) =>
          promoteVersion({
            ...target,
            from: options.from,
            to: options.to,
            version: options.version,
            force: options.force,
            ui: terminalPromptUi({ yes: options.yes, flagHint: "pass --yes to approve the promotion" }),
          }),
        (result) => ({ text: `Promoted ${result.applicationId} ${result.version}: now the default version on ${result.to}` }),
      ),
    );
}
