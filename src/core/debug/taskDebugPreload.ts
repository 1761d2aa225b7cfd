// Why: the job-manager form's switch for which runtime processes wait for a debugger: a `--require` preload that opens the inspector only for selected roles/entry points.
import * as fs from "node:fs";
import * as path from "node:path";

/** The variable carrying the selection ("all" or a JSON list of entry-point names; JobManager and FinalizeTask name those roles). */
export const DEBUG_TASKS_VARIABLE = "BATCH_DEBUG_TASKS";
/** "1": a selected process also stops on the first line of main.js (the launch's `stopOnEntry`). */
export const STOP_ON_ENTRY_VARIABLE = "BATCH_DEBUG_STOP_ON_ENTRY";

/**
 * Runs before the workload's main.js in every node process of the debug job. A selected process opens the inspector on a
 * free loopback port (Node prints `Debugger listening on ws://…` on stderr) and waits until the debugger lets it run,
 * so breakpoints bind before the first workload line; any other process runs at once.
 */
const PRELOAD = `"use strict";
(() => {
  const selection = process.env.${DEBUG_TASKS_VARIABLE};
  const main = process.argv[1] || "";
  if (!selection || !/main\\.js$/.test(main)) return;
  const role = process.argv[2];
  const name = role === "job-manager" ? "JobManager" : role === "finalize" ? "FinalizeTask" : role === "task" ? process.env.BATCH_TASK_ENTRY_POINT : undefined;
  if (!name) return;
  let wanted = selection === "all";
  if (!wanted) { try { wanted = JSON.parse(selection).includes(name); } catch { wanted = false; } }
  if (!wanted) return;
  if (process.env.${STOP_ON_ENTRY_VARIABLE} === "1") {
    // what --inspect-brk does for the main module: a debugger statement before its first line (same line, so the source map holds)
    const Module = require("node:module");
    const compile = Module.prototype._compile;
    const mainFile = require("node:path").resolve(main);
    Module.prototype._compile = function (content, filename) {
      if (filename !== mainFile) return compile.call(this, content, filename);
      Module.prototype._compile = compile;
      const code = content.startsWith("#!") ? content.replace("\\n", "\\ndebugger;") : "debugger;" + content;
      return compile.call(this, code, filename);
    };
  }
  require("node:inspector").open(0, "127.0.0.1", true);
})();
`;

/** Writes the preload under the data folder (nodes run on this machine and read it from there); returns its path. */
export function writeTaskDebugPreload(dataDir: string): string {
  const file = path.join(dataDir, "debug", "task-debug-preload.js");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== PRELOAD) fs.writeFileSync(file, PRELOAD);
  return file;
}
