// Why: the one place that lists which groups of operations the local service implements.
import type { Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { registerPoolRoutes } from "./pools";

export function registerRoutes(router: Router, deps: HandlerDeps): void {
  registerPoolRoutes(router, deps);
}
