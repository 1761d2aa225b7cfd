// Why: sets Content-Length natively before @azure/batch's shared-key signer runs; otherwise the signer measures every body with a pure-JS UTF-8 encoder, the main cost of big addCollection requests.
import type { BatchServiceClient } from "@azure/batch";

type ClientOptions = NonNullable<ConstructorParameters<typeof BatchServiceClient>[2]>;
type PolicyFactories = Extract<NonNullable<ClientOptions["requestPolicyFactories"]>, unknown[]>;
type PolicyFactory = PolicyFactories[number];

const contentLengthPolicy: PolicyFactory = {
  create: (nextPolicy) => ({
    sendRequest: (request) => {
      if (typeof request.body === "string" && !request.headers.get("content-length"))
        request.headers.set("content-length", String(Buffer.byteLength(request.body)));
      return nextPolicy.sendRequest(request);
    },
  }),
};

/** The client options with the content-length policy first in the pipeline (around the signing policy), keeping any caller's factories. */
export function withContentLengthPolicy(options: ClientOptions = {}): ClientOptions {
  const given = options.requestPolicyFactories;
  return {
    ...options,
    requestPolicyFactories: (defaults: PolicyFactories) => {
      const factories = typeof given === "function" ? (given(defaults) ?? defaults) : (given ?? defaults);
      return [contentLengthPolicy, ...factories];
    },
  };
}
