// Why: vscode-free error helpers the command wrapper relies on: user cancellation, "already shown" marking, readable messages.

export { UserCancelledError, isUserCancelled } from "../../core/cancellation";

const REPORTED = Symbol.for("batchManager.errorReported");

/** Marks an error as already shown to the user, so outer command wrappers do not show it again. */
export function markReported(error: unknown): void {
  if (error !== null && typeof error === "object") {
    (error as Record<symbol, unknown>)[REPORTED] = true;
  }
}

export function wasReported(error: unknown): boolean {
  return error !== null && typeof error === "object" && (error as Record<symbol, unknown>)[REPORTED] === true;
}

/** A one-line, user-facing message for any thrown value (Error, Azure RestError body, string, object). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const body = (error as { body?: { message?: { value?: string } | string } }).body;
    const fromBody = typeof body?.message === "string" ? body.message : body?.message?.value;
    return firstLine(fromBody || error.message || error.name);
  }
  if (typeof error === "string") return firstLine(error);
  try {
    return firstLine(JSON.stringify(error) ?? String(error));
  } catch {
    return String(error);
  }
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim().length > 0) ?? "";
  return line.trim() || "Unknown error";
}
