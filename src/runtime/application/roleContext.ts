// Why: what every role gets from Application: parsed arguments, settings, the Batch client, storage access, the workload, its node environment.
import type { BatchServiceClient } from "@azure/batch";
import type { StorageAccess } from "../files/storageAccess";
import type { Logger } from "../logging/logger";
import type { BatchClientSettings } from "../settings/batchClientSettings";
import type { WorkloadBase } from "../workload/workloadBase";
import type { NodeEnvironment } from "./nodeEnvironment";
import type { ErrorReport } from "../contract/errorReport";
import { UsageError } from "../contract/roles";

export interface RoleContext {
  options: Record<string, string | boolean | undefined>;
  env: NodeJS.ProcessEnv;
  settings: BatchClientSettings;
  client: BatchServiceClient;
  storage: StorageAccess;
  workload: WorkloadBase;
  node: NodeEnvironment;
  logger: Logger;
  /** prints a machine-readable line on stdout (submit's result) */
  print(line: string): void;
  /** tells Application which job/task/entry point an error report should name */
  describeTask(task: Partial<ErrorReport["task"]>): void;
}

/** Parses a JSON argument value, naming where it came from when it is not JSON. */
export function parseJsonArgument(text: string | undefined, where: string): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}
