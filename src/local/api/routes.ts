// Why: the one place that lists which groups of operations the local service implements.
import type { Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { registerPoolRoutes } from "./pools";
import { registerJobRoutes } from "./jobs";
import { registerTaskRoutes } from "./tasks";
import { registerNodeRoutes } from "./nodes";
import { registerNodeExtensionRoutes } from "./nodeExtensions";
import { registerNodeLifecycleRoutes } from "./nodeLifecycle";
import { registerNodeUserRoutes } from "./nodeUsers";
import { registerFileRoutes } from "./files";
import { registerApplicationRoutes } from "./applications";
import { registerAutoScaleRoutes } from "./autoscale";
import { registerJobScheduleRoutes } from "./jobSchedules";
import { registerAccountRoutes } from "./account";
import { registerStatisticsRoutes } from "./lifetimeStatistics";

export function registerRoutes(router: Router, deps: HandlerDeps): void {
  registerPoolRoutes(router, deps);
  registerJobRoutes(router, deps);
  registerTaskRoutes(router, deps);
  registerNodeRoutes(router, deps);
  registerNodeLifecycleRoutes(router, deps);
  registerNodeExtensionRoutes(router, deps);
  registerNodeUserRoutes(router, deps);
  registerFileRoutes(router, deps);
  registerApplicationRoutes(router, deps);
  registerAutoScaleRoutes(router, deps);
  registerJobScheduleRoutes(router, deps);
  registerAccountRoutes(router, deps);
  registerStatisticsRoutes(router, deps);
}
