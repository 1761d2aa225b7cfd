// Why: a small local HTTPS stand-in for Azure Resource Manager (subscriptions, Batch accounts) that checks bearer tokens, for the Azure tree tests.

import type { AdditionalPolicyConfig } from "@azure/core-client";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface StubSubscription {
  readonly subscriptionId: string;
  readonly displayName: string;
  /** Batch accounts: name -> data-plane endpoint (a local service URL) */
  readonly accounts: Record<string, string>;
}

export interface ArmStub {
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** client options that make the ARM SDKs trust the stub's self-signed certificate */
  readonly clientOptions: { additionalPolicies: AdditionalPolicyConfig[] };
  /** every request: path and Authorization header */
  readonly requests: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

/** A throwaway self-signed certificate for 127.0.0.1 (openssl is part of the base image). */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arm-stub-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Serves `GET /subscriptions` (one subscription per page, following nextLink) and
 * `GET /subscriptions/{id}/providers/Microsoft.Batch/batchAccounts`; answers 401 unless `Authorization: Bearer <token>`.
 */
export async function startArmStub(token: string, subscriptions: readonly StubSubscription[]): Promise<ArmStub> {
  const { key, cert } = selfSignedCertificate();
  const requests: ArmStub["requests"] = [];
  const server = https.createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://stub");
    requests.push({ path: url.pathname, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(401, { error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." } });
    if (url.pathname === "/subscriptions") {
      const index = Number(url.searchParams.get("page") ?? "0");
      const s = subscriptions[index];
      const nextLink = index + 1 < subscriptions.length ? `${base}/subscriptions?api-version=2022-12-01&page=${index + 1}` : undefined;
      return send(200, {
        value: s ? [{ id: `/subscriptions/${s.subscriptionId}`, subscriptionId: s.subscriptionId, displayName: s.displayName, state: "Enabled" }] : [],
        nextLink,
      });
    }
    const match = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Batch\/batchAccounts$/.exec(url.pathname);
    const s = match && subscriptions.find((x) => x.subscriptionId === match[1]);
    if (!s) return send(404, { error: { code: "NotFound", message: `no route ${url.pathname}` } });
    return send(200, {
      value: Object.entries(s.accounts).map(([name, endpoint]) => ({
        id: `/subscriptions/${s.subscriptionId}/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/${name}`,
        name,
        type: "Microsoft.Batch/batchAccounts",
        location: "westeurope",
        properties: { accountEndpoint: endpoint, provisioningState: "Succeeded" },
      })),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new https.Agent({ ca: cert });
  return {
    url: base,
    requests,
    clientOptions: {
      additionalPolicies: [{ position: "perCall", policy: { name: "trustArmStub", sendRequest: (request, next) => next(Object.assign(request, { agent })) } }],
    },
    close: () => {
      agent.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
