// Why: the local management endpoints' names (subscription, resource group, account) and the checks that keep application ids and versions safe to use as paths.

/** The one subscription the local service pretends to be in: every id is local, none is a real Azure subscription. */
export const LOCAL_SUBSCRIPTION_ID = "00000000-0000-0000-0000-00000000b47c";
export const LOCAL_SUBSCRIPTION_NAME = "Local Batch (this machine)";
export const LOCAL_RESOURCE_GROUP = "local";
export const LOCAL_TENANT_ID = "00000000-0000-0000-0000-000000000000";

/** Batch application ids: letters, digits, `_` and `-`, at most 64 (the Batch service's rule). */
const APPLICATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Batch application package versions: letters, digits, `_`, `-` and `.`, at most 64; never `.` or `..`. */
const VERSION = /^[A-Za-z0-9_.-]{1,64}$/;

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
  }
}

export function checkApplicationId(value: string): string {
  if (!APPLICATION_ID.test(value)) {
    throw new ArmError(
      400,
      "InvalidApplicationName",
      `The application name '${value.slice(0, 80)}' is invalid: use 1 to 64 letters, digits, '_' or '-'.`,
      "applicationName",
    );
  }
  return value;
}

export function checkVersion(value: string): string {
  if (!VERSION.test(value) || value === "." || value === "..") {
    throw new ArmError(
      400,
      "InvalidApplicationPackageVersion",
      `The version '${value.slice(0, 80)}' is invalid: use 1 to 64 letters, digits, '_', '-' or '.'.`,
      "versionName",
    );
  }
  return value;
}

export function accountResourceId(accountName: string): string {
  return `/subscriptions/${LOCAL_SUBSCRIPTION_ID}/resourceGroups/${LOCAL_RESOURCE_GROUP}/providers/Microsoft.Batch/batchAccounts/${accountName}`;
}
