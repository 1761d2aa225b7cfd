#!/usr/bin/env node
// Why: UI test of the autoscale formula editor in the real web workbench: New Autoscale Formula, Simulate through the real input boxes, and the plot drawn in the webview, as a screenshot.
//
//   node test/extension/ui/autoscale.ui.cjs [--out=artifacts/extension/ui]
//
// Needs the harness (scripts/vscode-test/install-harness.sh) and a built dist/extension.js
// (node scripts/build-extension.mjs). Saves autoscale-simulation.png into --out (autoscale-failure.png on failure).
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

/** The Simulate prompts, in order, with what the test types (the load differs from the default, so the plot shows it). */
const ANSWERS = [
  ["Simulate: load", "40 x 5m @ 0m; 30 x 10m @ 50m"],
  ["Simulate: evaluation interval", "5m"],
  ["Simulate: horizon", "2h"],
  ["Simulate: task slots per node", "2"],
  ["Simulate: node start delay", "2m"],
];

/** The frame (webviews are nested iframes) whose document has the drawn chart; polls until `timeout`. */
async function chartFrame(page, timeout) {
  const started = Date.now();
  for (;;) {
    for (const frame of page.frames()) {
      const paths = await frame
        .locator("svg.simulation-plot path.series")
        .count()
        .catch(() => 0);
      if (paths > 0) return { frame, paths };
    }
    if (Date.now() - started > timeout) throw new Error(`no webview frame with the simulation chart within ${timeout} ms`);
    await page.waitForTimeout(250);
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
    w = await wb.openWorkbench({ folder: path.join(root, "test/extension/workspace"), extensionDevelopmentPath: root, viewport: { width: 1600, height: 900 } });
    ok(step);

    step = 'run "Azure Batch: New Autoscale Formula": the template opens, coloured by the grammar';
    await wb.runCommand(w.page, "Azure Batch: New Autoscale Formula");
    await w.page.locator(".monaco-editor .view-lines", { hasText: "TargetDedicatedNodes" }).first().waitFor({ timeout: 30000 });
    // the grammar's scopes become theme token classes: more than one colour on the settable-variable line
    const colours = await w.page
      .locator(".monaco-editor .view-line", { hasText: "$TargetDedicatedNodes" })
      .first()
      .locator("span span")
      .evaluateAll((spans) => new Set(spans.map((s) => s.className)).size);
    if (colours < 3) throw new Error(`the formula line has ${colours} token classes: the grammar is not applied`);
    ok(step);

    step = 'run "Azure Batch: Simulate Autoscale Formula…" and answer its input boxes';
    await wb.runCommand(w.page, "Azure Batch: Simulate Autoscale Formula");
    for (const [title, answer] of ANSWERS) {
      await w.page.locator(".quick-input-widget .quick-input-title", { hasText: title }).first().waitFor({ timeout: 15000 });
      const input = w.page.locator(".quick-input-widget input.input");
      await input.fill(answer);
      await w.page.keyboard.press("Enter");
    }
    ok(step);

    step = "the webview draws nodes and tasks over time";
    const { frame, paths } = await chartFrame(w.page, 30000);
    if (paths !== 5) throw new Error(`the chart has ${paths} series, expected 5`);
    const summary = await frame.locator("#summary").textContent();
    if (!/241 steps, 25 evaluations; peak \d+ dedicated nodes/.test(summary || "")) throw new Error(`unexpected summary: ${summary}`);
    const title = await frame.locator("#title").textContent();
    if (!title?.includes("40 x 5m @ 0m; 30 x 10m @ 50m")) throw new Error(`the page shows another load: ${title}`);
    await wb.settled(frame, "body"); // the panel finished its layout before the picture
    await shot("autoscale-simulation");
    ok(step);

    console.log(`PASS autoscale UI (${t()}); screenshot ${path.relative(root, path.join(out, "autoscale-simulation.png"))}`);
    await w.close();
    process.exit(0);
  } catch (e) {
    console.error(`FAIL ${step}: ${String(e?.message || e).split("\n")[0]}`);
    if (w) {
      await shot("autoscale-failure").catch(() => {});
      await w.close().catch(() => {});
    }
    process.exit(1);
  }
})();
