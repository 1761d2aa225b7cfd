// Why: the shared process plumbing (code-server, chromium, payload URL, cleanup) behind the test runner and the Playwright helpers.
"use strict";
// Shared plumbing: start code-server on 127.0.0.1, open its web workbench in headless
// Debian chromium via playwright-core, clean up every process we started.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const http = require("node:http");
const crypto = require("node:crypto");

const HARNESS = process.env.VSCODE_TEST_HOME || path.join(os.homedir(), ".cache", "vscode-test-offline");
const CODE_SERVER_ENTRY = path.join(HARNESS, "node_modules", "code-server", "out", "node", "entry.js");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

const DEFAULT_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "update.mode": "none",
  "window.restoreWindows": "none",
  "chat.disableAIFeatures": true, // VS Code >= 1.104; ignored by older ones
  "git.enabled": false,
};

function requirePlaywright() {
  return require(path.join(HARNESS, "node_modules", "playwright-core"));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function get(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

/**
 * Start code-server. Returns { host, url, stop(), dataDir, logFile }.
 * opts: { dataDir, settings, logFile, extraArgs, env }
 */
async function startServer(opts = {}) {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server not found at ${CODE_SERVER_ENTRY}; run install-harness.sh first`);
  }
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir || fs.mkdtempSync(path.join(os.tmpdir(), "vscode-test-"));
  const ud = path.join(dataDir, "user-data");
  const exts = path.join(dataDir, "extensions");
  fs.mkdirSync(path.join(ud, "User"), { recursive: true });
  fs.mkdirSync(exts, { recursive: true });
  fs.writeFileSync(path.join(ud, "User", "settings.json"), JSON.stringify({ ...DEFAULT_SETTINGS, ...(opts.settings || {}) }, null, 2));
  const config = path.join(dataDir, "config.yaml");
  fs.writeFileSync(config, "auth: none\n"); // keeps code-server from writing ~/.config/code-server/config.yaml
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const runId = crypto.randomUUID();
  const logFile = opts.logFile || path.join(dataDir, "code-server.log");
  const out = fs.openSync(logFile, "a");
  const args = [
    CODE_SERVER_ENTRY,
    "--config",
    config,
    "--auth",
    "none",
    "--bind-addr",
    host,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    "--user-data-dir",
    ud,
    "--extensions-dir",
    exts,
    ...(opts.extraArgs || []),
  ];
  const child = spawn(process.execPath, args, {
    detached: true, // own process group, so we can kill the whole tree
    stdio: ["ignore", out, out],
    env: { ...process.env, ...(opts.env || {}), VSCODE_TEST_RUN_ID: runId, EXTENSIONS_GALLERY: "{}" },
  });
  const t0 = Date.now();
  while (true) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (code ${child.exitCode}); see ${logFile}`);
    if ((await get(`http://${host}/healthz`)) === 200) break;
    if (Date.now() - t0 > 60000) throw new Error(`code-server did not answer on ${host} within 60s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
    killByRunId(runId); // debuggees that js-debug spawned detached (own session) carry our marker
    if (ownDir && !process.env.VSCODE_TEST_KEEP_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { host, url: `http://${host}`, stop, dataDir, logFile, runId, pid: child.pid };
}

/** Kill every process whose environment has VSCODE_TEST_RUN_ID=runId (i.e. only ones we started). */
function killByRunId(runId) {
  const marker = Buffer.from(`VSCODE_TEST_RUN_ID=${runId}\0`);
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/environ`).includes(marker)) process.kill(Number(d), "SIGKILL");
    } catch {
      /* gone or not ours */
    }
  }
}

async function launchBrowser(opts = {}) {
  const { chromium } = requirePlaywright();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vscode-test-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport || { width: 1400, height: 900 },
  });
  const page = context.pages()[0] || (await context.newPage());
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, page, close };
}

function remoteUri(authority, p) {
  return `vscode-remote://${authority}${path.resolve(p).split(path.sep).map(encodeURIComponent).join("/")}`;
}

function fetchText(url, redirects = 5) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && redirects > 0) {
          res.resume();
          return resolve(fetchText(new URL(res.headers.location, url).toString(), redirects - 1));
        }
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

const CONFIG_RE = /(<meta id="vscode-workbench-web-configuration" data-settings=")([^"]*)(")/;
const unescapeHtml = (s) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The workbench's embedded web configuration (as served; code-server's client replaces remoteAuthority "remote" by location.host). */
async function webConfig(host) {
  const m = CONFIG_RE.exec(await fetchText(`http://${host}/`));
  if (!m) throw new Error("workbench configuration <meta> not found in code-server page");
  return JSON.parse(unescapeHtml(m[2]));
}

/**
 * Make the page's workbench honour the payload's extensionDevelopmentPath / extensionTestsPath.
 * Built VS Code >= ~1.10x ignores them unless developmentOptions.enableSmokeTestDriver is set,
 * which the VS Code server only sets for --enable-smoke-test-driver, a flag code-server's CLI
 * rejects ("Unknown option"). So we set it in the page's configuration <meta> before the
 * workbench reads it. Harmless on 1.100.
 */
async function enableDevPayload(page) {
  // An init script (not page.route: a document fulfilled by Playwright counts as "public" for
  // Chromium's Local Network Access checks, which then block the workbench's ws://127.0.0.1
  // connections with net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
  await page.addInitScript(() => {
    if (window.top !== window) return;
    const patch = () => {
      const el = document.getElementById("vscode-workbench-web-configuration");
      if (!el || el.dataset.devPatched) return !!el;
      const cfg = JSON.parse(el.getAttribute("data-settings"));
      cfg.developmentOptions = { ...(cfg.developmentOptions || {}), enableSmokeTestDriver: true };
      el.setAttribute("data-settings", JSON.stringify(cfg));
      el.dataset.devPatched = "1";
      return true;
    };
    const obs = new MutationObserver(() => {
      if (patch()) obs.disconnect();
    });
    obs.observe(document, { childList: true, subtree: true });
  });
}

/**
 * Workbench URL; payload entries are what VS Code web reads (extensionDevelopmentPath, extensionTestsPath, ...).
 * `authority` is the workbench's remote authority, which in code-server is the page's host:port.
 */
function workbenchUrl(host, { authority = host, folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  const payload = [["skipWelcome", "true"]];
  if (extensionDevelopmentPath) {
    for (const p of [].concat(extensionDevelopmentPath)) payload.push(["extensionDevelopmentPath", remoteUri(authority, p)]);
  }
  if (extensionTestsPath) payload.push(["extensionTestsPath", remoteUri(authority, extensionTestsPath)]);
  q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `http://${host}/?${q.join("&")}`;
}

/** Navigate `page` to the workbench with the dev payload honoured. */
async function gotoWorkbench(page, host, opts = {}) {
  await enableDevPayload(page);
  await page.goto(workbenchUrl(host, { ...opts, authority: host }));
}

module.exports = { HARNESS, startServer, launchBrowser, workbenchUrl, gotoWorkbench, webConfig, enableDevPayload, remoteUri, killByRunId, requirePlaywright };
