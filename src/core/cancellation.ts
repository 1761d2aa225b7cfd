// Why: one "the user stopped it" error that every vscode-free workflow (local service, scaffold, deploy, debug) throws and every adapter recognises.

/** Thrown when the user dismisses a prompt or cancels a long operation; never shown as an error. */
export class UserCancelledError extends Error {
  constructor(public readonly stepName?: string) {
    super(stepName ? `Operation cancelled at "${stepName}".` : "Operation cancelled.");
    this.name = "UserCancelledError";
  }
}

/**
 * True for UserCancelledError, vscode.CancellationError (its name is "Canceled"), and an
 * AbortSignal's AbortError: all mean "the user stopped it", which commands treat silently.
 */
export function isUserCancelled(error: unknown): boolean {
  if (error instanceof UserCancelledError) return true;
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return name === "UserCancelledError" || name === "Canceled" || name === "AbortError";
}
