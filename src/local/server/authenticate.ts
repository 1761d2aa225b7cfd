// Why: decides who a data-plane request comes from (the account by SharedKey, or a task by its job-scoped bearer token) and refuses what that caller may not do.
import { BatchServiceError } from "../protocol/batchError";
import { idKey } from "../protocol/ids";
import { verifyJobToken } from "../protocol/jobToken";
import { type SignedRequest, verifySharedKey } from "../protocol/sharedKey";

export type Caller = { kind: "sharedKey"; accountName: string } | { kind: "jobToken"; accountName: string; jobId: string };

function authorizationHeader(request: SignedRequest): string {
  const value = request.headers.authorization;
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}

/** The decoded segments of a request target's path (a segment that does not decode stays as sent). */
export function pathSegments(rawUrl: string): string[] {
  const queryStart = rawUrl.indexOf("?");
  return (queryStart >= 0 ? rawUrl.slice(0, queryStart) : rawUrl)
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

/** Access "job" covers the job and everything under it (/jobs/{jobId}/…): its tasks, their subtasks and files. */
function withinJob(rawUrl: string, jobId: string): boolean {
  const [collection, id] = pathSegments(rawUrl);
  return collection === "jobs" && id !== undefined && idKey(id) === idKey(jobId);
}

function bearerCaller(request: SignedRequest, token: string, accounts: ReadonlyMap<string, string>, now: number): Caller {
  const result = verifyJobToken(token, accounts, now);
  if (!result.ok) {
    throw new BatchServiceError(401, "AuthenticationFailed", `Server failed to authenticate the request. ${result.reason}`, [
      { key: "AuthenticationErrorDetail", value: result.reason },
    ]);
  }
  if (!withinJob(request.rawUrl, result.jobId)) {
    const detail = `The authentication token grants access to job '${result.jobId}' only (authenticationTokenSettings access "job"): /jobs/${result.jobId} and the paths under it. Use the account key for other resources.`;
    throw new BatchServiceError(403, "AuthorizationFailure", "This request is not authorized to perform this operation.", [
      { key: "AuthorizationErrorDetail", value: detail },
    ]);
  }
  return { kind: "jobToken", accountName: result.accountName, jobId: result.jobId };
}

/**
 * The request's caller, or a BatchServiceError in the service's shape: 403 AuthenticationFailed for a bad SharedKey,
 * 401 AuthenticationFailed for a bad or expired bearer token, 403 AuthorizationFailure for a token used outside its job.
 */
export function authenticate(request: SignedRequest, accounts: ReadonlyMap<string, string>, now = Date.now()): Caller {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader(request));
  if (bearer) return bearerCaller(request, bearer[1]!, accounts, now);
  const auth = verifySharedKey(request, accounts, now);
  if (!auth.ok) {
    throw new BatchServiceError(
      403,
      "AuthenticationFailed",
      `Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature. ${auth.reason}`,
      [{ key: "AuthenticationErrorDetail", value: auth.reason }],
    );
  }
  return { kind: "sharedKey", accountName: auth.accountName };
}
