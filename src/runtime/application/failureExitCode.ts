// Why: maps what went wrong to the documented exit code (see contract/exitCodes.ts).
import { CallbackDeliveryError } from "../finalize/callbackDelivery";
import { SettingsError } from "../settings/batchClientSettings";
import { TaskSubmissionError } from "../submission/taskSubmitter";
import { ExitCode, type ExitCodeValue } from "../contract/exitCodes";
import { UnknownEntryPointError } from "../workload/entryPointsRepository";
import { UsageError } from "../contract/roles";
import { UpstreamTaskFailedError } from "./upstreamCheck";

export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof SettingsError) return ExitCode.SettingsError;
  if (error instanceof UsageError || error instanceof UnknownEntryPointError) return ExitCode.UsageError;
  if (error instanceof TaskSubmissionError) return ExitCode.TaskSubmissionFailed;
  if (error instanceof CallbackDeliveryError) return ExitCode.CallbackFailed;
  if (error instanceof UpstreamTaskFailedError) return ExitCode.UpstreamTaskFailed;
  return ExitCode.WorkloadError;
}
