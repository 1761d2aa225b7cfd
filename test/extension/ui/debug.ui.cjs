#!/usr/bin/env node
// Why: UI test of F5 on a `batch-task` launch.json configuration: the editor paused in workload code with the task's Batch variables, as a screenshot.
//
//   node test/extension/ui/debug.ui.cjs [--out=artifacts/extension/ui]
//
// Needs the harness, `npx tsc -p .` (out/), dist/extension.js and dist/cli.js. Exit: 0 passed, 1 a step failed.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const wb = require("../../../scripts/vscode-test/lib/workbench.cjs");

const root = path.resolve(__dirname, "../../..");
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => /^--([^=]+)=(.*)$/.exec(a))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
const out = path.resolve(root, args.out || "artifacts/extension/ui");
fs.mkdirSync(out, { recursive: true });
// the session starts (and stops) its own local service in a scratch data folder, never the user's
process.env.BATCH_MANAGER_LOCAL_DATA = process.env.BATCH_MANAGER_LOCAL_DATA || fs.mkdtempSync(path.join(os.tmpdir(), "debug-ui-data-"));

(async () => {
  const t0 = Date.now();
  const t = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  let w;
  let step = "create the workload folder with a launch.json";
  const shot = (name) => w.page.screenshot({ path: path.join(out, `${name}.png`) });
  const ok = (what) => console.log(`ok   ${what} (${t()})`);
  try {
    const { createDebugWorkload, GREET_BREAKPOINT_LINE } = require(path.join(root, "out/test/core/debugWorkloadFixture.js"));
    const workload = createDebugWorkload();
    fs.mkdirSync(path.join(workload.dir, ".vscode"));
    fs.writeFileSync(
      path.join(workload.dir, ".vscode", "launch.json"),
      JSON.stringify(
        {
          version: "0.2.0",
          configurations: [
            {
              type: "batch-task",
              request: "launch",
              name: "Debug GreetTask locally",
              workload: "${workspaceFolder}",
              entryPoint: "GreetTask",
              args: { name: "Batch" },
            },
          ],
        },
        null,
        2,
      ),
    );
    ok(step);

    step = "open the workbench on the workload";
    w = await wb.openWorkbench({ folder: workload.dir, extensionDevelopmentPath: root, viewport: { width: 1600, height: 1000 } });
    ok(step);

    step = `set a breakpoint on src/greetTask.ts:${GREET_BREAKPOINT_LINE}`;
    await wb.openFile(w.page, "src/greetTask.ts", GREET_BREAKPOINT_LINE);
    await wb.toggleBreakpoint(w.page);
    ok(step);

    step = "F5: paused on the breakpoint in the .ts source";
    const state = await wb.startDebuggingAndWaitForPause(w.page, { debuggerLabel: "Azure Batch Task", timeout: 120000 });
    if (state && !/breakpoint/i.test(state)) throw new Error(`paused, but not on a breakpoint: ${state}`);
    await w.page
      .locator(".debug-call-stack .monaco-list-row", { hasText: "GreetTask" })
      .first()
      .waitFor({ timeout: 15000 })
      .catch(() => {});
    ok(step);

    step = "evaluate the task's Batch variables in the Debug Console";
    await wb.runCommand(w.page, "Debug Console: Focus on Debug Console View");
    await w.page.locator(".repl .repl-input-wrapper").first().waitFor({ timeout: 15000 }); // the command focused its input
    await w.page.keyboard.type(
      "Object.fromEntries(Object.entries(process.env).filter(([k]) => /^AZ_BATCH_(TASK_ID|JOB_ID|POOL_ID|NODE_ID|TASK_WORKING_DIR)$/.test(k)))",
    );
    await w.page.keyboard.press("Enter");
    await w.page.locator(".repl", { hasText: "AZ_BATCH_TASK_WORKING_DIR" }).first().waitFor({ timeout: 15000 });
    await wb.settled(w.page, ".repl .monaco-list-rows"); // the REPL tree rendered its rows
    ok(step);
    await shot("debug-paused");

    step = "continue: the task completes and the session ends";
    await wb.runCommand(w.page, "Debug: Continue");
    await w.page.locator(".debug-toolbar").waitFor({ state: "hidden", timeout: 60000 });
    ok(step);

    console.log(`PASS debug UI (${t()}); screenshot ${path.relative(root, path.join(out, "debug-paused.png"))}`);
    await w.close();
    process.exit(0);
  } catch (e) {
    console.error(`FAIL ${step}: ${String(e?.message || e).split("\n")[0]}`);
    if (w) {
      await shot("debug-failure").catch(() => {});
      await w.close().catch(() => {});
    }
    process.exit(1);
  }
})();
