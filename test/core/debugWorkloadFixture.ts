// Why: the debug fixture workload as a scratch project against the packed runtime, for the adapter tests and the extension-host tests alike.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/localService";
import { WorkloadProject } from "../runtime/support/workloadProject";

export const DEBUG_WORKLOAD_FIXTURE = path.join(REPO_ROOT, "test", "core", "fixtures", "debug-workload");
/** The line of `console.log(greeting)` in src/greetTask.ts (1-based): where the breakpoint tests stop. */
export const GREET_BREAKPOINT_LINE = 18;
/** The `for` line of GreetJobManager.createJob in src/debugWorkload.ts (1-based). */
export const JOB_MANAGER_BREAKPOINT_LINE = 11;
/** The `console.log` line of DebugWorkload.onJobCompleted in src/debugWorkload.ts (1-based): run by the FinalizeTask. */
export const FINALIZE_BREAKPOINT_LINE = 35;

/**
 * The fixture as a workload project against the packed runtime; every dependency the packed runtime declares is linked
 * from the repository's node_modules (offline), so the esbuild bundle resolves them.
 */
export function createDebugWorkload(): WorkloadProject {
  const project = WorkloadProject.create(DEBUG_WORKLOAD_FIXTURE);
  const runtime = JSON.parse(fs.readFileSync(path.join(project.dir, "node_modules", "@batch-manager", "runtime", "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  for (const name of Object.keys(runtime.dependencies ?? {})) {
    const link = path.join(project.dir, "node_modules", name);
    if (fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", name), link, "dir");
  }
  return project;
}
