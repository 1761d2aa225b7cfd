#!/usr/bin/env node
// Why: UI smoke test of the Azure Batch explorer in the real web workbench (code-server + headless chromium via Playwright).
//
//   node test/extension/ui/explorer.ui.cjs [--out=artifacts/extension/ui]
//
// Needs the harness (scripts/vscode-test/install-harness.sh) and a built dist/extension.js
// (node scripts/build-extension.mjs). Saves a PNG per step into --out (and failure.png on failure).
// Exit: 0 passed, 1 a step failed.
"use strict";
const fs = require("node:fs");
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

/** Adds pool ui-pool, job ui-job and a completed task ui-task to the local service whose URL the Local item shows. */
async function addTaskThroughSdk(localLabel) {
  const { BatchServiceClient, BatchSharedKeyCredentials } = require("@azure/batch");
  const url = /https?:\/\/[\w.:]+/.exec(localLabel || "");
  if (!url) throw new Error(`no service URL in the Local item: ${localLabel}`);
  // the key of the service the extension started: `local status --show-key` for its data folder (keys are private to a data folder)
  const dataArgs = process.env.BATCH_MANAGER_LOCAL_DATA ? ["--data", process.env.BATCH_MANAGER_LOCAL_DATA] : [];
  const status = require("node:child_process").execFileSync(
    process.execPath,
    [path.join(root, "dist", "cli.js"), "local", "status", ...dataArgs, "--show-key"],
    {
      encoding: "utf8",
    },
  );
  const key = JSON.parse(status.trim().split("\n").pop()).accountKey;
  if (!key) throw new Error(`local status --show-key printed no key: ${status}`);
  const client = new BatchServiceClient(new BatchSharedKeyCredentials("localbatch", key), url[0]);
  const vm = { imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts" }, nodeAgentSKUId: "batch.node.ubuntu 22.04" };
  await client.pool.add({ id: "ui-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 });
  await client.job.add({ id: "ui-job", poolInfo: { poolId: "ui-pool" } });
  await client.task.add("ui-job", { id: "ui-task", commandLine: '/bin/sh -c "echo hello from the UI smoke test"' });
  for (const started = Date.now(); (await client.task.get("ui-job", "ui-task")).state !== "completed"; ) {
    if (Date.now() - started > 60000) throw new Error("ui-task did not complete within 60 s");
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Runs "Azure Batch: Refresh" and returns once the explorer's rows were redrawn after it: the checks that follow a
 * refresh must see the redrawn tree, so the redraw is waited for (DOM changes under the tree's rows), not slept for.
 */
async function refreshExplorer(page) {
  await page.evaluate(() => {
    const accounts = [...document.querySelectorAll(".sidebar .monaco-list-row")].find((row) => (row.getAttribute("aria-label") || "").startsWith("Accounts"));
    const rows = accounts?.closest(".monaco-list-rows");
    if (!rows) throw new Error("no explorer tree with an Accounts row in the sidebar");
    window.__explorerRedraw?.observer.disconnect();
    const redraw = { changes: 0, observer: new MutationObserver((changes) => (redraw.changes += changes.length)) };
    redraw.observer.observe(rows, { subtree: true, childList: true, characterData: true });
    window.__explorerRedraw = redraw;
  });
  await wb.runCommand(page, "Azure Batch: Refresh");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 10000 });
  await page.waitForFunction(() => window.__explorerRedraw.changes > 0, null, { timeout: 15000 });
  await page.evaluate(() => window.__explorerRedraw.observer.disconnect());
}

/** Expands `label` until `child` shows under it: a click that lands while the row is redrawn is lost, so it is clicked again. */
async function expandUntil(page, label, child, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const row = await wb.treeItem(page, label, Math.max(1, deadline - Date.now()));
    if ((await row.getAttribute("aria-expanded")) !== "true") await row.click();
    try {
      return await wb.treeItem(page, child, Math.max(1, Math.min(3000, deadline - Date.now())));
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
  }
}

(async () => {
  const t0 = Date.now();
  const t = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  let w;
  let step = "open the workbench";
  const shot = (name) => w.page.screenshot({ path: path.join(out, `${name}.png`) });
  const ok = (what) => console.log(`ok   ${what} (${t()})`);
  try {
    w = await wb.openWorkbench({ folder: path.join(root, "test/extension/workspace"), extensionDevelopmentPath: root });
    ok(step);
    await shot("01-workbench");

    step = 'open the "Azure Batch" view container';
    await wb.openViewContainer(w.page, "Azure Batch");
    ok(step);

    step = 'tree item "Local" under "Accounts"';
    await wb.treeItem(w.page, "Accounts");
    await wb.treeItem(w.page, "Local");
    await wb.treeItem(w.page, "Start the local Batch service");
    ok(step);
    await shot("02-explorer");

    step = 'run "Azure Batch: Refresh" from the command palette';
    await refreshExplorer(w.page);
    await wb.treeItem(w.page, "Local", 10000);
    await wb.treeItem(w.page, "Start the local Batch service", 10000);
    const errors = await w.page.locator(".notification-toast .codicon-error").count();
    if (errors > 0) throw new Error(`${errors} error notification(s) shown after refresh`);
    ok(step);
    await shot("03-refreshed");

    step = 'click "Start the local Batch service": Local shows Pools and Jobs';
    await (await wb.treeItem(w.page, "Start the local Batch service")).click();
    await wb.treeItem(w.page, "Pools", 60000);
    await wb.treeItem(w.page, "Jobs", 10000);
    ok(step);
    await shot("04-local-running");

    step = "a task's files: expand Local → Jobs → ui-job → ui-task and open stdout.txt";
    await addTaskThroughSdk(await (await wb.treeItem(w.page, "Local")).getAttribute("aria-label"));
    await refreshExplorer(w.page);
    await expandUntil(w.page, "Jobs", "ui-job");
    await expandUntil(w.page, "ui-job", "ui-task");
    await expandUntil(w.page, "ui-task", "stderr.txt");
    await shot("04a-task-files");
    await (await wb.treeItem(w.page, "stdout.txt")).click();
    // one click is enough: ui-task completed before it was expanded, so nothing under ui-job changes any more and auto-refresh
    // redraws none of it (a redraw of the clicked item, or of an item above it, while the click lands is what drops its command:
    // VS Code's "Actual command not found"; that can only happen when the item's data really changes at that moment)
    await w.page
      .locator(".tabs-container .tab", { hasText: "stdout.txt" })
      .first()
      .waitFor({ timeout: 15000 })
      .catch(async (error) => {
        const staleCommand = w.page.locator(".notifications-toasts", { hasText: "Actual command not found" }).first();
        if (await staleCommand.isVisible()) throw new Error("the click on stdout.txt lost its command to a redraw, though nothing under ui-job changed");
        throw error;
      });
    await w.page.locator(".monaco-editor .view-lines", { hasText: "hello from the UI smoke test" }).first().waitFor({ timeout: 15000 });
    ok(step);
    await shot("04b-stdout-open");

    step = 'run "Azure Batch: Stop Local Batch Service": the start action is back';
    await wb.runCommand(w.page, "Azure Batch: Stop Local Batch Service");
    await wb.treeItem(w.page, "Start the local Batch service", 30000);
    ok(step);
    await shot("05-local-stopped");

    console.log(`PASS explorer UI smoke (${t()}); screenshots in ${path.relative(root, out) || out}`);
    await w.close();
    process.exit(0);
  } catch (e) {
    console.error(`FAIL ${step}: ${String(e?.message || e).split("\n")[0]}`);
    if (w) {
      await shot("failure").catch(() => {});
      await w.close().catch(() => {});
    }
    process.exit(1);
  }
})();
