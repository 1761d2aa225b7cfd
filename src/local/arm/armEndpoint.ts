// Why: the local service's management endpoint: `/subscriptions/...` (bearer tokens) and its token issuer `/localArm/oauth2/token`, beside the Batch data plane on the same port.

import type { HandlerDeps } from "../api/context";
import type { Logger } from "../common/logger";
import { BatchServiceError } from "../protocol/batchError";
import type { ManagementEndpoint, ManagementRequest } from "../server/httpServer";
import { ArmError } from "./armIds";
import { ArmPackages } from "./armPackages";
import { ArmPools } from "./armPools";
import type { StorageAccount } from "./packageUploads";
import { answerArm, type ArmAccount, type ArmReply } from "./armRoutes";
import { LocalTokenIssuer } from "./localTokenIssuer";

/** Where clients get a token: `POST <batchUrl>/localArm/oauth2/token` (see docs/deploy.md). */
export const LOCAL_TOKEN_PATH = "/localArm/oauth2/token";

export type ArmHttpRequest = ManagementRequest;

export class LocalArmEndpoint implements ManagementEndpoint {
  private readonly issuer: LocalTokenIssuer;
  private readonly packages: ArmPackages;
  private readonly pools: ArmPools;

  constructor(
    private readonly account: ArmAccount,
    accounts: ReadonlyMap<string, string>,
    /** the data plane's state, dispatcher and account: ARM pools are the same pools */
    deps: HandlerDeps,
    storage: StorageAccount,
    private readonly logger: Logger,
  ) {
    this.issuer = new LocalTokenIssuer(accounts);
    this.packages = new ArmPackages(deps.account.dataDir, storage);
    this.pools = new ArmPools(deps, this.packages);
  }

  /** True for the paths this endpoint answers (the Batch data plane has no `/subscriptions` or `/localArm` path). */
  handles(rawPath: string): boolean {
    return /^\/(subscriptions|localArm)(\/|$)/i.test(rawPath);
  }

  /** A request without a valid bearer token, but the token request (its credentials are in its body). */
  refuse(request: Omit<ArmHttpRequest, "body">): ArmReply | undefined {
    if (isTokenRequest(request.rawPath)) return undefined;
    const refused = this.issuer.check(request.headers.authorization);
    return refused ? { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: refused } } } : undefined;
  }

  async answer(request: ArmHttpRequest): Promise<ArmReply> {
    try {
      if (isTokenRequest(request.rawPath)) return this.token(request);
      const refused = this.refuse(request);
      if (refused) return refused;
      const segments = request.rawPath.split("/").filter(Boolean).map(decodeSegment);
      const ifNoneMatch = typeof request.headers["if-none-match"] === "string" ? request.headers["if-none-match"] : undefined;
      return await answerArm({ method: request.method, segments, body: parseJson(request.body), ifNoneMatch }, this.account, this.packages, this.pools);
    } catch (error) {
      if (error instanceof BatchServiceError)
        return {
          status: error.statusCode,
          body: { error: { code: error.code, message: error.message, details: error.values.map((v) => ({ code: v.key, message: v.value })) } },
        };
      if (error instanceof ArmError) return { status: error.status, body: { error: { code: error.code, message: error.message, target: error.target } } };
      this.logger.error(`${request.method} ${request.rawPath} failed: ${(error as Error).stack ?? error}`);
      return { status: 500, body: { error: { code: "InternalServerError", message: `The local management endpoint failed: ${(error as Error).message}` } } };
    }
  }

  private token(request: ArmHttpRequest): ArmReply {
    if (request.method !== "POST") throw new ArmError(405, "MethodNotAllowed", `Use POST ${LOCAL_TOKEN_PATH}.`);
    const text = request.body.toString("utf8");
    const fields: Record<string, string | undefined> = text.trim().startsWith("{")
      ? (parseJson(request.body) as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(text));
    const issued = this.issuer.issue(fields.client_id, fields.client_secret);
    if (!issued)
      return { status: 401, body: { error: "invalid_client", error_description: "client_id must be the local account name and client_secret its key." } };
    return { status: 200, body: issued };
  }
}

const isTokenRequest = (rawPath: string) => rawPath.toLowerCase() === LOCAL_TOKEN_PATH.toLowerCase();

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ArmError(400, "InvalidUri", `The path segment '${segment.slice(0, 80)}' is not valid percent-encoding.`);
  }
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  try {
    const value = JSON.parse(body.toString("utf8")) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch (error) {
    throw new ArmError(400, "InvalidRequestContent", `The request body is not valid JSON: ${(error as Error).message}`);
  }
}
