// Why: reusable Playwright steps (open view container, find tree item, run palette command, ...) for UI tests such as test/extension/ui/*.ui.cjs.
"use strict";
// Playwright helpers for driving the VS Code web workbench served by code-server
// (selectors checked against VS Code 1.100.3 / code-server 4.100.3).
const { startServer, launchBrowser, gotoWorkbench } = require("./harness.cjs");

/**
 * Start code-server + headless chromium and open the workbench.
 * opts: { folder, extensionDevelopmentPath, settings, viewport }
 * Returns { page, server, browser, close() }.
 */
async function openWorkbench(opts = {}) {
  const server = await startServer({ settings: opts.settings });
  let browser;
  try {
    browser = await launchBrowser({ viewport: opts.viewport });
    const { page } = browser;
    await gotoWorkbench(page, server.host, { folder: opts.folder, extensionDevelopmentPath: opts.extensionDevelopmentPath });
    await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
    await page.locator(".statusbar").waitFor({ timeout: 60000 });
    if (opts.folder) {
      // explorer shows the folder once the remote connection is up
      await page
        .locator(".explorer-folders-view, .explorer-viewlet")
        .first()
        .waitFor({ timeout: 60000 })
        .catch(() => {});
    }
    const close = async () => {
      await browser.close();
      await server.stop();
    };
    return { page, server, browser, close };
  } catch (e) {
    if (browser) await browser.close();
    await server.stop();
    throw e;
  }
}

/** Click an activity-bar entry (view container) by its title, e.g. 'Explorer' or your viewsContainers title. */
async function openViewContainer(page, title) {
  const item = page.locator(`.activitybar .action-item a.action-label[aria-label^="${title}"]`).first();
  await item.waitFor({ timeout: 30000 });
  const li = item.locator("xpath=..");
  if (!((await li.getAttribute("class")) || "").includes("checked")) await item.click();
  await page
    .locator(`.sidebar .composite.title h2[title^="${title}"], .sidebar .composite.title h2:has-text("${title}")`)
    .first()
    .waitFor({ timeout: 15000 })
    .catch(() => {});
}

/** Wait for a tree item (by its label text) in the sidebar and return its locator. */
async function treeItem(page, label, timeout = 30000) {
  const row = page.locator(`.sidebar .monaco-list-row[aria-label*="${label}"]`).first();
  await row.waitFor({ timeout });
  return row;
}

/** Run a command from the command palette by its title, e.g. 'Probe: Add Pool'; the palette is opened again until it lists the command (up to timeout ms). */
async function runCommand(page, title, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.keyboard.press("Escape");
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input.input");
    await input.waitFor({ timeout: 15000 });
    await input.fill(`>${title}`);
    const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${title}"]`).first();
    try {
      await row.waitFor({ timeout: Math.max(1, Math.min(5000, deadline - Date.now())) });
    } catch (error) {
      // the palette lists the commands known when it opened: one of an extension registered since needs it opened again
      if (Date.now() >= deadline) throw error;
      continue;
    }
    await row.click();
    return;
  }
}

/**
 * Wait for a notification containing text: as a toast, else in the notification center
 * (VS Code 1.139 in code-server put ours there without a toast).
 */
async function notification(page, text, timeout = 15000) {
  const toast = page.locator(".notification-toast .notification-list-item-message", { hasText: text }).first();
  try {
    await toast.waitFor({ timeout: Math.min(timeout, 5000) });
    return toast;
  } catch {
    /* fall through */
  }
  await runCommand(page, "Notifications: Show Notifications");
  const item = page.locator(".notifications-center .notification-list-item-message", { hasText: text }).first();
  await item.waitFor({ timeout });
  return item;
}

/** Open a workspace file with Quick Open, optionally go to a 1-based line. */
async function openFile(page, relPath, line) {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input.input");
  await input.waitFor({ timeout: 15000 });
  await input.fill(relPath);
  await page.locator(".quick-input-list .monaco-list-row").first().waitFor({ timeout: 15000 });
  await page.keyboard.press("Enter");
  const base = relPath.split("/").pop();
  await page.locator(`.tabs-container .tab[aria-label*="${base}"]`).first().waitFor({ timeout: 15000 });
  if (line) await goToLine(page, line);
}

async function goToLine(page, line) {
  await runCommand(page, "Go to Line/Column...");
  const input = page.locator(".quick-input-widget input.input");
  await input.fill(`:${line}`);
  await page.keyboard.press("Enter");
}

/** Toggle a breakpoint on the cursor line of the active editor (palette command = F9). */
async function toggleBreakpoint(page) {
  await runCommand(page, "Debug: Toggle Breakpoint");
  await page.locator(".codicon-debug-breakpoint, .codicon-debug-breakpoint-unverified").first().waitFor({ timeout: 10000 });
}

/** Debug: Start Debugging (F5; uses the selected/first launch.json configuration; picks `debuggerLabel` if VS Code asks). Waits until paused. */
async function startDebuggingAndWaitForPause(page, { debuggerLabel = "Node.js", timeout = 60000 } = {}) {
  await runCommand(page, "Debug: Start Debugging"); // = F5
  const picker = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${debuggerLabel}"]`).first();
  const paused = page.locator(".debug-top-stack-frame-line, .debug-top-stack-frame").first();
  const first = await Promise.race([picker.waitFor({ timeout }).then(() => "picker"), paused.waitFor({ timeout }).then(() => "paused")]);
  if (first === "picker") {
    await picker.click();
    await paused.waitFor({ timeout });
  }
  await page.locator(".debug-toolbar").waitFor({ timeout: 10000 });
  // the paused session's label in the CALL STACK view ('Paused on breakpoint'); with child sessions (a parent that stays
  // "Running" above a paused child) the first label is not necessarily the paused one
  const states = page.locator(".debug-call-stack .state.label, .debug-call-stack .state");
  return states
    .filter({ hasText: /paused/i })
    .first()
    .textContent({ timeout: 5000 })
    .catch(() => states.first().textContent({ timeout: 5000 }))
    .catch(() => null);
}

/**
 * Resolves once the first element `selector` matches in `scope` (a page or a webview frame) has kept its box, its number
 * of descendants and its text length for three animation frames in a row: a picture taken then shows the view laid out.
 * A condition, not a sleep: it returns as soon as the view is still, and fails if it keeps changing for `timeout` ms.
 */
async function settled(scope, selector, timeout = 10000) {
  await scope.locator(selector).first().waitFor({ timeout });
  await scope.evaluate(
    async ({ selector, timeout }) => {
      const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      const shape = () => {
        const element = document.querySelector(selector);
        if (!element) return "gone";
        const box = element.getBoundingClientRect();
        return [box.x, box.y, box.width, box.height, element.querySelectorAll("*").length, element.textContent.length].join();
      };
      await document.fonts.ready;
      const started = performance.now();
      let last = shape();
      for (let still = 0; still < 3; ) {
        await nextFrame();
        const now = shape();
        still = now === last ? still + 1 : 0;
        last = now;
        if (performance.now() - started > timeout) throw new Error(`${selector} was still changing after ${timeout} ms`);
      }
    },
    { selector, timeout },
  );
}

module.exports = {
  openWorkbench,
  openViewContainer,
  treeItem,
  runCommand,
  notification,
  openFile,
  goToLine,
  toggleBreakpoint,
  startDebuggingAndWaitForPause,
  settled,
};
