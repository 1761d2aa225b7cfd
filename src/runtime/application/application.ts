// Why: Application(workload).run() — the entry point of a workload's main.js: picks the role, sets everything up, and turns any failure into an error report and exit code.
import * as path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { BatchClientFactory } from "../client/batchClientFactory";
import { unavailableClient } from "../client/unavailableClient";
import { StorageAccess } from "../files/storageAccess";
import { getLogger, type Logger } from "../logging/logger";
import { setupLogging } from "../logging/setupLogging";
import { BatchClientSettings } from "../settings/batchClientSettings";
import type { WorkloadBase } from "../workload/workloadBase";
import { createErrorReport, writeErrorReport, type ErrorReport } from "../contract/errorReport";
import { ExitCode } from "../contract/exitCodes";
import { exitCodeFor } from "./failureExitCode";
import { runFinalizeGuard } from "./finalizeGuardRole";
import { runFinalize } from "./finalizeRole";
import { runJobManager } from "./jobManagerRole";
import { readNodeEnvironment, type NodeEnvironment } from "./nodeEnvironment";
import type { RoleContext } from "./roleContext";
import { parseRoleOptions } from "./roleOptions";
import { resolveRole, type Role } from "../contract/roles";
import { runSubmit } from "./submitRole";
import { runTask } from "./taskRole";
import { parentContext, startTracing, stopTracing, withSpan } from "../tracing/tracing";

/** Builds the workload once settings and client exist (so their problems are reported like any other failure). */
export type WorkloadFactory = (client: BatchServiceClient, settings: BatchClientSettings) => WorkloadBase | Promise<WorkloadBase>;

export interface ApplicationOptions {
  /** defaults to process.env */
  env?: NodeJS.ProcessEnv;
  /** call process.exit with the exit code when run() ends (default true) */
  exitProcess?: boolean;
  /** where submit prints its result line (default stdout) */
  print?: (line: string) => void;
}

const ROLE_RUNNERS: Record<Role, (context: RoleContext) => Promise<number>> = {
  submit: runSubmit,
  "job-manager": runJobManager,
  task: runTask,
  finalize: runFinalize,
  "finalize-guard": runFinalizeGuard,
};

/** BATCH_LOGGING_CONFIG; a relative path is taken from the directory of main.js (the application package on a node). */
function loggingConfigPath(env: NodeJS.ProcessEnv): string | undefined {
  const configured = env.BATCH_LOGGING_CONFIG;
  if (!configured) return undefined;
  return path.isAbsolute(configured) ? configured : path.resolve(path.dirname(process.argv[1] ?? "."), configured);
}

export class Application {
  private role: Role = "submit";
  private task: ErrorReport["task"] = {};
  private node: NodeEnvironment;
  private readonly env: NodeJS.ProcessEnv;
  private logger: Logger = getLogger("runtime");
  private crashed = false;

  constructor(
    private readonly workload: WorkloadBase | WorkloadFactory,
    private readonly options: ApplicationOptions = {},
  ) {
    this.env = options.env ?? process.env;
    this.node = readNodeEnvironment(this.env);
  }

  /**
   * Runs the role named by argv (default: process.argv after the script) and exits with its exit code — or, with
   * `exitProcess: false`, returns it. Exceptions and rejections nobody handles, while the role runs or before the
   * process exits, fail the role like a thrown error.
   */
  async run(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
    const onCrash = (error: unknown) => this.crash(error);
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
    let code: number;
    try {
      code = await this.runRole(argv);
    } catch (error) {
      code = this.fail(error);
    }
    // let rejections of work the role started but did not await surface before deciding the exit code
    await new Promise((resolve) => setImmediate(resolve));
    // export the spans still buffered (tracing on only)
    await stopTracing();
    if (this.options.exitProcess === false) {
      process.off("uncaughtException", onCrash);
      process.off("unhandledRejection", onCrash);
      return code;
    }
    this.exit(code);
    return code;
  }

  private async runRole(argv: readonly string[]): Promise<number> {
    this.task = { jobId: this.node.jobId, taskId: this.node.taskId };
    setupLogging(loggingConfigPath(this.env), { env: this.env });
    const { role, rest } = resolveRole(argv, this.env);
    this.role = role;
    this.logger = getLogger(`runtime.${role}`);
    const options = parseRoleOptions(role, rest);
    const overrides = typeof options["callback-url"] === "string" ? { BATCH_CALLBACK_URL: options["callback-url"] } : {};
    let settings = BatchClientSettings.load({
      env: { ...this.env, ...overrides },
      file: options.settings as string | undefined,
      // one task run on this machine needs the Batch account only if its code uses the client
      purpose: role === "submit" ? "submit" : role === "task" && !this.node.onNode ? "localTask" : "client",
    });
    const client =
      typeof this.workload !== "function" ? this.workload.client : settings.accountUrl ? await BatchClientFactory.create(settings) : unavailableClient();
    const workload = typeof this.workload === "function" ? await this.workload(client, settings) : this.workload;
    if (!settings.callbackUrl && workload.callbackUrl) settings = settings.with({ callbackUrl: workload.callbackUrl });
    const storage = new StorageAccess(settings, await BatchClientFactory.tokenCredential(settings));
    const tracing = await startTracing(this.env, {
      "service.name": workload.workloadName,
      "batch.role": role,
      ...(this.node.jobId ? { "batch.job.id": this.node.jobId } : {}),
      ...(this.node.taskId ? { "batch.task.id": this.node.taskId } : {}),
    });
    this.logger.debug(`Starting role ${role}`, { settings: settings.describe(), tracing });
    const context: RoleContext = {
      options,
      env: this.env,
      settings,
      client,
      storage,
      workload,
      node: this.node,
      logger: this.logger,
      print: this.options.print ?? ((line) => process.stdout.write(`${line}\n`)),
      describeTask: (task) => (this.task = { ...this.task, ...task }),
    };
    const attributes = {
      "batch.role": role,
      ...(this.node.jobId ? { "batch.job.id": this.node.jobId } : {}),
      ...(this.node.taskId ? { "batch.task.id": this.node.taskId } : {}),
    };
    // a process started by a task the runtime created continues the span that created it (TRACEPARENT)
    return withSpan(`batch.${role}`, attributes, () => ROLE_RUNNERS[role](context), parentContext(this.env));
  }

  /** Logs the failure with its stack, leaves error.json in the working directory (every role but submit), returns the exit code. */
  private fail(error: unknown): number {
    const code = exitCodeFor(error);
    const expected = code === ExitCode.SettingsError || code === ExitCode.UsageError;
    // configuration mistakes are explained by their message; anything else is logged with its stack
    if (expected) this.logger.error(`${this.role} failed (exit code ${code}): ${(error as Error).message}`);
    else this.logger.error(`${this.role} failed (exit code ${code})`, error);
    if (this.role !== "submit") {
      try {
        const file = writeErrorReport(this.node.directories.working, createErrorReport(error, this.role, this.task, code));
        this.logger.info(`Error report written to ${file}`);
      } catch (writeError) {
        this.logger.error("Could not write the error report", writeError);
      }
    }
    return code;
  }

  /** An exception or rejection nobody handled: report it and end the process now (stdout/stderr pipes are written synchronously). */
  private crash(error: unknown): void {
    if (this.crashed) return;
    this.crashed = true;
    process.exit(this.fail(error));
  }

  private exit(code: number): void {
    process.exitCode = code;
    // let stdout/stderr drain before ending (pipes to the node agent)
    process.stdout.write("", () => process.stderr.write("", () => process.exit(this.crashed ? process.exitCode : code)));
  }
}
