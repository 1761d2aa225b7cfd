#!/usr/bin/env node
// Why: UI test of the job and pool views in the real web workbench: Open Job View from a 10,000-task job's context menu (the virtualised table, paging on scroll, search, sort, the progress chart) and Open Pool View (the heat map), with screenshots.
//
//   node test/extension/ui/resourceViews.ui.cjs [--out=artifacts/extension/ui]
//
// Needs the harness (scripts/vscode-test/install-harness.sh) and a built dist/extension.js (node scripts/build-extension.mjs).
// Saves job-view.png, job-view-search.png and pool-heat-map.png into --out (resource-views-failure.png on failure).
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

const POOL = "ui-view-pool";
const JOB = "ui-big-job";
const TASKS = 10000;

// The extension's local service keeps its data (and its account key, `<data>/key`) in $BATCH_MANAGER_LOCAL_DATA: a fresh folder unless given.
const ownDataDir = !process.env.BATCH_MANAGER_LOCAL_DATA;
const dataDir = process.env.BATCH_MANAGER_LOCAL_DATA || path.join(fs.mkdtempSync(path.join(require("node:os").tmpdir(), "rv-ui-")), "local");
process.env.BATCH_MANAGER_LOCAL_DATA = dataDir;

/** A client of the local service whose URL the Local item shows, with the data folder's key (the documented well-known key when it has none). */
function clientFor(localLabel) {
  const { BatchServiceClient, BatchSharedKeyCredentials } = require("@azure/batch");
  const url = /https?:\/\/[\w.:]+/.exec(localLabel || "");
  if (!url) throw new Error(`no service URL in the Local item: ${localLabel}`);
  const keyFile = path.join(dataDir, "key");
  const key = fs.existsSync(keyFile)
    ? fs.readFileSync(keyFile, "utf8").trim()
    : "bG9jYWwtYmF0Y2gtd2VsbC1rbm93bi1kZXZlbG9wbWVudC1hY2NvdW50LWtleS1ub3QtYS1zZWNyZXQtMDAwMQ=="; // the documented local account (README)
  return new BatchServiceClient(new BatchSharedKeyCredentials("localbatch", key), url[0]);
}

/**
 * A pool of 3 nodes × 3 slots and a job of 10,000 short tasks (every 25th fails) behind 3 long ones: while the test
 * runs, tasks move from active through running to succeeded or failed, so the chart has something to draw.
 */
async function addJob(client) {
  const vm = { imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts" }, nodeAgentSKUId: "batch.node.ubuntu 22.04" };
  await client.pool.add({ id: POOL, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 3, taskSlotsPerNode: 3 });
  await client.job.add({ id: JOB, poolInfo: { poolId: POOL } });
  await client.task.addCollection(
    JOB,
    [0, 1, 2].map((i) => ({ id: `long-${i}`, commandLine: '/bin/sh -c "sleep 600"' })),
  );
  for (let start = 0; start < TASKS; start += 100) {
    const chunk = Array.from({ length: 100 }, (_, i) => {
      const n = start + i;
      return { id: `task-${String(n).padStart(5, "0")}`, commandLine: n % 25 === 7 ? `/bin/sh -c "exit ${1 + (n % 3)}"` : '/bin/sh -c "sleep 0.2"' };
    });
    await client.task.addCollection(JOB, chunk);
  }
}

/** The webview frame (webviews are nested iframes) in which `selector` matches; polls until `timeout`. */
async function frameWith(page, selector, timeout) {
  const started = Date.now();
  for (;;) {
    for (const frame of page.frames()) {
      const count = await frame
        .locator(selector)
        .count()
        .catch(() => 0);
      if (count > 0) return frame;
    }
    if (Date.now() - started > timeout) throw new Error(`no webview frame with ${selector} within ${timeout} ms`);
    await page.waitForTimeout(200);
  }
}

/** Polls `probe` (in the page) until it returns a truthy value. */
async function until(page, probe, what, timeout = 30000) {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(200);
  }
}

/** The explorer row whose label is exactly `label` (a job's description names its pool, so "contains" is not enough). */
async function rowNamed(page, label) {
  const row = page.locator(`.sidebar .monaco-list-row[aria-label^="${label}, "], .sidebar .monaco-list-row[aria-label="${label}"]`).first();
  await row.waitFor({ timeout: 15000 });
  return row;
}

async function contextCommand(page, item, title) {
  await item.click({ button: "right" });
  const entry = page.locator(".monaco-menu .action-item .action-label", { hasText: title }).first();
  await entry.waitFor({ timeout: 10000 });
  await entry.hover();
  await page.keyboard.press("Enter"); // the hovered entry is the focused one; a click on a menu just opened can be swallowed
  await page.locator(".monaco-menu").first().waitFor({ state: "hidden", timeout: 10000 });
}

(async () => {
  const t0 = Date.now();
  const t = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  let w;
  let client;
  let step = "open the workbench";
  const shot = (name) => w.page.screenshot({ path: path.join(out, `${name}.png`) });
  const ok = (what) => console.log(`ok   ${what} (${t()})`);
  try {
    w = await wb.openWorkbench({
      folder: path.join(root, "test/extension/workspace"),
      extensionDevelopmentPath: root,
      viewport: { width: 1600, height: 1000 },
    });
    const { page } = w;
    ok(step);

    step = "start the local service from the explorer";
    await wb.openViewContainer(page, "Azure Batch");
    await (await wb.treeItem(page, "Start the local Batch service", 60000)).click();
    await wb.treeItem(page, "Jobs", 60000);
    ok(step);

    step = `add pool ${POOL} (3 nodes) and job ${JOB} with ${TASKS} tasks through the SDK`;
    client = clientFor(await (await wb.treeItem(page, "Local")).getAttribute("aria-label"));
    await addJob(client);
    await wb.runCommand(page, "Azure Batch: Refresh");
    await (await wb.treeItem(page, "Jobs", 10000)).click();
    ok(step);

    step = 'right-click the job, "Open Job View": rows, virtualised';
    const opened = Date.now();
    await contextCommand(page, await rowNamed(page, JOB), "Open Job View");
    const job = await frameWith(page, "#window .row", 30000);
    const firstRowsMs = Date.now() - opened;
    const domRows = await job.locator("#window .row").count();
    if (domRows > 120) throw new Error(`${domRows} rows in the DOM: the table is not virtualised`);
    const status = await job.locator("#status").textContent();
    if (!/^250 tasks loaded, more as you scroll/.test(status || "")) throw new Error(`unexpected status: ${status}`);
    ok(`${step} (first rows ${firstRowsMs} ms after the click, ${domRows} rows in the DOM)`);

    step = "scrolling to the end of the loaded rows fetches the next page";
    await job.locator("#scroller").evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await until(page, async () => /^500 tasks loaded/.test((await job.locator("#status").textContent()) || ""), "the second page");
    ok(step);

    step = "the progress chart draws samples of the task counts";
    await until(page, async () => /\b([3-9]|\d\d+) samples/.test((await job.locator("#counts").textContent()) || ""), "three samples", 45000);
    const series = await job.locator("#chart path.series").count();
    if (series !== 4) throw new Error(`the chart has ${series} series, expected 4`);
    await job.locator("#scroller").evaluate((el) => {
      el.scrollTop = 0;
    });
    await wb.settled(job, "#window"); // the rows were redrawn for the scroll before the picture
    await shot("job-view");
    ok(step);

    step = "search task-001 and sort by exit code: the service's matches, sorted in the page";
    await job.locator("#search").fill("task-001");
    await until(
      page,
      async () => /^100 tasks loaded; \$filter=startswith\(id,'task-001'\)/.test((await job.locator("#status").textContent()) || ""),
      "the search",
    );
    const ids = await job.locator("#window .row span:first-child").allTextContents();
    if (!ids.length || ids.some((id) => !id.startsWith("task-001"))) throw new Error(`rows outside the search: ${ids.slice(0, 5)}`);
    await job.locator('#header span[data-key="exitCode"]').click();
    await job.locator('#header span[data-key="exitCode"]').click();
    const exitCodes = await job.locator("#window .row span:nth-child(3)").allTextContents();
    const numbers = exitCodes.filter((c) => c !== "").map(Number);
    if (numbers.length === 0 || numbers.some((c, i) => i > 0 && c > numbers[i - 1])) throw new Error(`exit codes not descending: ${exitCodes.slice(0, 10)}`);
    await shot("job-view-search");
    ok(`${step} (first exit codes ${numbers.slice(0, 4).join(", ")})`);

    step = 'right-click the pool, "Open Pool View": a heat-map cell per node';
    await (await wb.treeItem(page, "Pools", 10000)).click();
    await contextCommand(page, await rowNamed(page, POOL), "Open Pool View");
    const pool = await frameWith(page, "#map g.node", 30000);
    const cells = await pool.locator("#map g.node").count();
    if (cells !== 3) throw new Error(`${cells} cells for 3 nodes`);
    const states = await pool.locator("#map g.node").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-state")));
    if (!states.every((s) => s === "running")) throw new Error(`node states: ${states}`);
    await wb.settled(pool, "#map"); // the heat map finished its layout before the picture
    await shot("pool-heat-map");
    ok(step);

    await client.job.terminate(JOB).catch(() => undefined);
    await wb.runCommand(page, "Azure Batch: Stop Local Batch Service");
    console.log(
      `PASS job and pool views UI (${t()}); first rows of a ${TASKS}-task job ${firstRowsMs} ms after the click; screenshots in ${path.relative(root, out) || out}`,
    );
    await w.close();
    // the service ends with the extension host; a folder this test made is removed
    if (ownDataDir) fs.rmSync(path.dirname(dataDir), { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
    process.exit(0);
  } catch (e) {
    console.error(
      `FAIL ${step}: ${typeof e?.message === "string" && e.message !== "[object Object]" ? e.message.split("\n")[0] : require("node:util").inspect(e, { depth: 3 }).slice(0, 800)}`,
    );
    if (w) {
      await shot("resource-views-failure").catch(() => {});
      await client?.job.terminate(JOB).catch(() => undefined);
      await w.close().catch(() => {});
    }
    process.exit(1);
  }
})();
