// Why: the Batch client a task run on this machine gets when no BATCH_ACCOUNT_URL is set: nothing fails until the task really uses it, and then the error names the setting.
import type { BatchServiceClient } from "@azure/batch";
import { SettingsError } from "../settings/batchClientSettings";

/** A stand-in whose every use throws a SettingsError (exit code 3) asking for BATCH_ACCOUNT_URL. */
export function unavailableClient(): BatchServiceClient {
  const fail = (): never => {
    throw new SettingsError([
      {
        variable: "BATCH_ACCOUNT_URL",
        message:
          "is missing (this task uses the Batch client; set it to the Batch account endpoint, e.g. https://<account>.<region>.batch.azure.com, or the local service's batchUrl)",
      },
    ]);
  };
  return new Proxy({} as BatchServiceClient, { get: fail, set: fail, has: fail, apply: fail });
}
