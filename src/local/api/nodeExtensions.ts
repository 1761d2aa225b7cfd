// Why: ComputeNodeExtension_List/Get: local nodes install no VM extensions (a pool asking for any is refused at add), so a node lists none.
import { notFound } from "../protocol/batchError";
import type { Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { listReply } from "./listing";
import { requireNode } from "./nodes";

export function registerNodeExtensionRoutes(router: Router, deps: HandlerDeps): void {
  router.on("ComputeNodeExtension_List", (context) => {
    requireNode(deps, context.params.poolId, context.params.nodeId);
    return listReply(context, [], { present: (extension: Record<string, unknown>) => extension });
  });

  router.on("ComputeNodeExtension_Get", (context) => {
    requireNode(deps, context.params.poolId, context.params.nodeId);
    // [unverified] code: the node has no extension of that name
    throw notFound("NodeExtensionNotFound", "extension");
  });
}
