// Why: the application operations (list, get) over the local application-package store (`<data>/applications`).
import { ApplicationStore, type ApplicationInfo } from "../applications/applicationStore";
import { notFound } from "../protocol/batchError";
import type { Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { listReply } from "./listing";

/** An ApplicationSummary: exactly the spec's id, displayName and versions (the default version is not part of it). */
const presentApplication = (info: ApplicationInfo): Record<string, unknown> => ({ id: info.id, displayName: info.displayName, versions: info.versions });

export function registerApplicationRoutes(router: Router, deps: HandlerDeps): void {
  // the store reads its folder on every call, so packages added while the service runs show up at once
  const store = new ApplicationStore(deps.account.dataDir);

  router.on("Application_List", (context) => listReply(context, store.list(), { present: presentApplication }));

  router.on("Application_Get", (context) => {
    const info = store.get(context.params.applicationId);
    if (!info) throw notFound("ApplicationNotFound", "application");
    return { status: 200, body: presentApplication(info) };
  });
}
