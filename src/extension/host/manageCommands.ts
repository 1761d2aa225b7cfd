// Why: registers the create and manage commands (pools, jobs, tasks, nodes) over one shared context.

import { type ManageContext, type ManageDeps, manageContext } from "./manageContext";
import { registerManageCreateCommands } from "./manageCreateCommands";
import { registerManagePoolCommands } from "./managePoolCommands";

export function registerManageCommands(deps: ManageDeps): ManageContext {
  const context = manageContext(deps);
  registerManageCreateCommands(context);
  registerManagePoolCommands(context);
  return context;
}
