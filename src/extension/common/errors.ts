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

/** A one-line, user-facing message for any thrown value (Error, Azure RestError body, string, object); no request URLs. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const body = (error as { body?: { message?: { value?: string } | string } }).body;
    const fromBody = typeof body?.message === "string" ? body.message : body?.message?.value;
    return plainNetworkError(firstLine(fromBody || error.message || error.name));
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

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/;

/**
 * What the HTTP stack says when a request never got an answer ("request to http://127.0.0.1:8510/jobs?api-version=…&maxresults=50
 * failed, reason: connect ECONNREFUSED 127.0.0.1:8510") in plain words: "cannot reach the local service at 127.0.0.1:8510".
 * Any other message keeps its text, with request URLs cut to their host.
 */
function plainNetworkError(message: string): string {
  const failed = /^request to (\S+) failed, reason: (.*)$/.exec(message);
  const reason = failed ? failed[2] : message;
  const address = failed ? hostOf(failed[1]) : undefined;
  const refused = /\b(?:connect )?(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b ?(\S+)?/.exec(reason);
  if (refused) {
    const target = address ?? refused[2] ?? "the service";
    const host = target.replace(/:\d+$/, "");
    const what = LOOPBACK.test(host) ? `the local service at ${target}` : target;
    const why: Record<string, string> = {
      ECONNREFUSED: "nothing is listening there",
      ECONNRESET: "the connection was reset",
      ETIMEDOUT: "the connection timed out",
      EHOSTUNREACH: "the host is unreachable",
      ENETUNREACH: "the network is unreachable",
    };
    return `cannot reach ${what} (${why[refused[1]]})`;
  }
  const notFound = /\bENOTFOUND (\S+)/.exec(reason);
  if (notFound) return `cannot find the host ${notFound[1]} (DNS lookup failed)`;
  const withoutUrls = (failed ? `request to ${address} failed: ${reason}` : message).replace(/\bhttps?:\/\/[^\s"')]+/g, (url) => hostOf(url) ?? url);
  return withoutUrls;
}

/** `host:port` of a URL (the port only when it has one) */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
