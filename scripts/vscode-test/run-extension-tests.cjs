#!/usr/bin/env node
// Why: runs test/extension/suite in a real VS Code extension host offline (code-server + headless chromium); used by scripts/test-extension.sh.
"use strict";
//
// Run a VS Code extension's integration tests in a REAL extension host, offline:
// code-server (VS Code server 1.100.3) runs the extension host as a Node process;
// headless chromium loads the web workbench with the extensionDevelopmentPath /
// extensionTestsPath payload; VS Code calls window.codeAutomationExit(code) at the end.
//
// usage: run-extension-tests.cjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE
//          [--folder=DIR] [--timeout=SECONDS] [--screenshot=FILE.png] [--logs=DIR] [--verbose]
//          [--dataDir=DIR]   (user data + extensions dir; e.g. with a .vsix installed into DIR/extensions)
// exit code: the extension tests' exit code (0 = passed), 2 = harness error, 3 = timeout.
const path = require("node:path");
const fs = require("node:fs");
const util = require("node:util");
const { startServer, launchBrowser, gotoWorkbench } = require("./lib/harness.cjs");

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) {
      o._ = o._ || [];
      o._.push(argv[i]);
      continue;
    }
    o[m[1]] = m[2] !== undefined ? m[2] : argv[i + 1] && !argv[i + 1].startsWith("--") ? argv[++i] : true;
  }
  return o;
}

// Workbench log lines that are expected offline and only add noise.
const NOISE = [
  /Ignoring fetching additional builtin extensions from gallery/,
  /open-vsx\.org/,
  /ENOTFOUND/,
  /Resolving connection token/,
  /Resolved connection token/,
  /Creating a socket/,
  /Service Worker/,
  /Updating additional builtin extensions cache/,
  /ChatSessionStore/,
  /\[AgentHost\] No signed-in session/,
  /\[ChatModelSelection\]/,
  /\[AccountPolicyGate\]/,
  /^\s*at /,
];

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const ext = a.extensionDevelopmentPath && path.resolve(a.extensionDevelopmentPath);
  const tests = a.extensionTestsPath && path.resolve(a.extensionTestsPath);
  if (!ext || !tests) {
    console.error(
      "usage: run-extension-tests.cjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--folder=DIR] [--timeout=S] [--screenshot=PNG] [--logs=DIR] [--verbose]",
    );
    process.exit(2);
  }
  const timeoutMs = Number(a.timeout || 300) * 1000;
  const logs = a.logs ? path.resolve(a.logs) : undefined;
  if (logs) fs.mkdirSync(logs, { recursive: true });
  const consoleLog = logs ? fs.createWriteStream(path.join(logs, "browser-console.log")) : undefined;

  const t0 = Date.now();
  const stamp = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  let server,
    browser,
    code = 2;
  const cleanup = async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  };
  process.on("SIGINT", () => cleanup().then(() => process.exit(130)));
  process.on("SIGTERM", () => cleanup().then(() => process.exit(143)));
  try {
    server = await startServer({ dataDir: a.dataDir ? path.resolve(a.dataDir) : undefined, logFile: logs ? path.join(logs, "code-server.log") : undefined });
    console.error(`[harness] code-server up on ${server.url} after ${stamp()}`);
    browser = await launchBrowser();
    const { page } = browser;
    let resolveExit;
    const exited = new Promise((r) => {
      resolveExit = r;
    });
    // The screenshot is taken when the suite prints its "N passed, N failed" summary: the extension
    // host is still alive then, so its views show data. At codeAutomationExit the host is already gone
    // (views say "There is no data provider registered"); the end-of-run screenshot is only a fallback.
    let shot;
    const takeScreenshot = () => {
      if (!shot) shot = page.screenshot({ path: path.resolve(a.screenshot) }).catch((e) => console.error("[harness] screenshot failed:", e.message));
      return shot;
    };
    await page.exposeFunction("codeAutomationLog", async (_type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (a.screenshot && /^\d+ passed, \d+ failed/m.test(line)) await takeScreenshot();
      if (a.verbose || !NOISE.some((re) => re.test(line))) {
        for (const l of line.split("\n")) if (a.verbose || !NOISE.some((re) => re.test(l))) console.log(l);
      }
    });
    await page.exposeFunction("codeAutomationExit", (c) => resolveExit(c));
    page.on("console", (m) => consoleLog?.write(`[${m.type()}] ${m.text()}\n`));
    page.on("pageerror", (e) => {
      consoleLog?.write(`[pageerror] ${e.stack || e.message}\n`);
    });
    await gotoWorkbench(page, server.host, {
      folder: a.folder ? path.resolve(a.folder) : undefined,
      extensionDevelopmentPath: ext,
      extensionTestsPath: tests,
    });
    console.error(`[harness] workbench loading (${stamp()})`);
    const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), timeoutMs))]);
    if (a.screenshot) await takeScreenshot();
    if (result === "timeout") {
      console.error(`[harness] TIMEOUT after ${timeoutMs / 1000}s waiting for the extension tests to finish`);
      code = 3;
    } else {
      code = Number(result);
      console.error(`[harness] extension tests exited with code ${code} after ${stamp()}`);
    }
  } catch (e) {
    console.error("[harness] error:", e?.stack || e);
    code = 2;
  } finally {
    await cleanup();
    if (consoleLog) consoleLog.end();
  }
  process.exit(code);
}
main();
