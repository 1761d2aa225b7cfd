#!/usr/bin/env node
// Why: a generic, flag-driven UI smoke test for quick manual checks; the project's own UI test is test/extension/ui/explorer.ui.cjs.
"use strict";
//
// UI-level smoke test of an extension in the real VS Code web workbench (code-server + headless chromium).
// Every step is optional; each one that runs leaves a PNG in --out.
//
// usage: e2e-smoke.cjs --extensionDevelopmentPath=DIR --folder=DIR [--out=DIR]
//          [--viewContainer="Activity bar title"] [--treeItem="label"]
//          [--command="Palette title"] [--notification="text"]
//          [--debugFile=rel/path.js --debugLine=N [--debugger="Node.js"]]
// exit: 0 all requested steps passed, 1 a step failed (message + failure PNG), 2 usage.
const path = require("node:path");
const fs = require("node:fs");
const wb = require("./lib/workbench.cjs");

const a = {};
for (const arg of process.argv.slice(2)) {
  const m = /^--([^=]+)=(.*)$/.exec(arg);
  if (m) a[m[1]] = m[2];
}
if (!a.folder) {
  console.error("usage: see header of e2e-smoke.cjs");
  process.exit(2);
}
const out = path.resolve(a.out || "e2e-out");
fs.mkdirSync(out, { recursive: true });

(async () => {
  const t0 = Date.now();
  const t = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  let w,
    step = "open workbench";
  const shot = (name) => w.page.screenshot({ path: path.join(out, `${name}.png`) });
  try {
    w = await wb.openWorkbench({ folder: a.folder, extensionDevelopmentPath: a.extensionDevelopmentPath && path.resolve(a.extensionDevelopmentPath) });
    console.log(`ok   workbench open (${t()})`);
    await shot("01-workbench");
    if (a.viewContainer) {
      step = `open view container "${a.viewContainer}"`;
      await wb.openViewContainer(w.page, a.viewContainer);
      console.log(`ok   ${step} (${t()})`);
    }
    if (a.treeItem) {
      step = `tree item "${a.treeItem}"`;
      await wb.treeItem(w.page, a.treeItem);
      console.log(`ok   ${step} visible (${t()})`);
      await shot("02-tree");
    }
    if (a.command) {
      step = `command "${a.command}"`;
      await wb.runCommand(w.page, a.command);
      console.log(`ok   ${step} run (${t()})`);
    }
    if (a.notification) {
      step = `notification "${a.notification}"`;
      await wb.notification(w.page, a.notification);
      console.log(`ok   ${step} shown (${t()})`);
      await wb.settled(w.page, ".notifications-toasts");
      await shot("03-command");
    }
    if (a.debugFile) {
      step = `breakpoint at ${a.debugFile}:${a.debugLine}`;
      await wb.openFile(w.page, a.debugFile, Number(a.debugLine || 1));
      await wb.toggleBreakpoint(w.page);
      console.log(`ok   ${step} set (${t()})`);
      step = "debug session paused";
      const state = await wb.startDebuggingAndWaitForPause(w.page, { debuggerLabel: a.debugger || "Node.js" });
      console.log(`ok   ${step}: call stack says "${state}" (${t()})`);
      await shot("04-paused");
    }
    console.log(`PASS (${t()}); screenshots in ${out}`);
    await w.close();
    process.exit(0);
  } catch (e) {
    console.error(`FAIL ${step}: ${e.message.split("\n")[0]}`);
    if (w) {
      await shot("failure").catch(() => {});
      await w.close();
    }
    process.exit(1);
  }
})();
