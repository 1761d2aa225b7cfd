// Why: what the batch-task adapter tests share: a DebugClient over stdio on dist/debugAdapter.js, output capture, and a tiny CDP client that plays the child session.
import { DebugClient } from "@vscode/debugadapter-testsupport";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../support/localService";

export const ADAPTER = path.join(REPO_ROOT, "dist", "debugAdapter.js");
export { createDebugWorkload } from "./debugWorkloadFixture";

export interface AdapterRun {
  dc: DebugClient;
  /** every output event so far, by category */
  output: Record<string, string>;
}

export async function startAdapter(): Promise<AdapterRun> {
  const dc = new DebugClient("node", ADAPTER, "batch-task", { env: { ...process.env } }, true);
  dc.defaultTimeout = 60_000;
  const output: Record<string, string> = {};
  dc.on("output", (event: DebugProtocol.OutputEvent) => {
    const category = event.body.category ?? "console";
    output[category] = (output[category] ?? "") + event.body.output;
  });
  await dc.start();
  return { dc, output };
}

/** Waits for the `exited` event and the `terminated` event that follows it. */
export async function exitCodeOf(dc: DebugClient, timeoutMs = 60_000): Promise<number> {
  const terminated = dc.waitForEvent("terminated", timeoutMs);
  const exited = (await dc.waitForEvent("exited", timeoutMs)) as DebugProtocol.ExitedEvent;
  await terminated;
  return exited.body.exitCode;
}

const CDP_SCRIPT = `
const [url, expression] = process.argv.slice(1);
const ws = new WebSocket(url);
let id = 0;
const pending = new Map();
const send = (method, params) => new Promise((resolve) => { const n = ++id; pending.set(n, resolve); ws.send(JSON.stringify({ id: n, method, params })); });
ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (msg.id && pending.has(msg.id)) pending.get(msg.id)(msg); };
ws.onopen = async () => {
  let value;
  if (expression) value = (await send("Runtime.evaluate", { expression, returnByValue: true })).result?.result?.value;
  await send("Runtime.runIfWaitingForDebugger", {});
  process.stdout.write(JSON.stringify({ value }));
  ws.close();
};
ws.onerror = (e) => { console.error(String(e.message ?? e)); process.exit(1); };
`;

/** Plays js-debug's part without VS Code: evaluates `expression` in the waiting process, then lets it run (a real CDP session). */
export function releaseInspector(websocketAddress: string, expression?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--experimental-websocket", "--no-warnings", "-e", CDP_SCRIPT, websocketAddress, expression ?? ""],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`CDP client failed: ${stderr || error.message}`));
        resolve((JSON.parse(stdout) as { value?: unknown }).value);
      },
    );
  });
}

export interface StartChildBody {
  jobId: string;
  taskId: string;
  configuration: { type: string; request: string; websocketAddress: string; continueOnAttach: boolean; outFiles?: string[] };
}

/** The child-session request the adapter sends as a custom event. */
export async function nextChildRequest(dc: DebugClient, timeoutMs = 60_000): Promise<StartChildBody> {
  const event = (await dc.waitForEvent("batchTask/startChild", timeoutMs)) as DebugProtocol.Event;
  return event.body as StartChildBody;
}

const ENTRY_PAUSE_SCRIPT = `
const [url] = process.argv.slice(1);
const ws = new WebSocket(url);
let id = 0;
const send = (method, params) => ws.send(JSON.stringify({ id: ++id, method, params }));
const scripts = new Map();
ws.onmessage = (m) => {
  const msg = JSON.parse(m.data);
  if (msg.method === "Debugger.scriptParsed") scripts.set(msg.params.scriptId, msg.params.url);
  if (msg.method !== "Debugger.paused") return;
  const frame = msg.params.callFrames[0];
  process.stdout.write(JSON.stringify({ reason: msg.params.reason, url: scripts.get(frame.location.scriptId) ?? frame.url, line: frame.location.lineNumber }));
  send("Debugger.resume", {});
  setTimeout(() => ws.close(), 50);
};
ws.onopen = () => { send("Debugger.enable", {}); send("Runtime.runIfWaitingForDebugger", {}); };
ws.onerror = (e) => { console.error(String(e.message ?? e)); process.exit(1); };
`;

/** Plays a debugger that lets the waiting process run and reports where it first pauses (then resumes it). */
export function firstPause(websocketAddress: string): Promise<{ reason: string; url: string; line: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--experimental-websocket", "--no-warnings", "-e", ENTRY_PAUSE_SCRIPT, websocketAddress],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`CDP client failed: ${stderr || error.message}`));
        resolve(JSON.parse(stdout) as { reason: string; url: string; line: number });
      },
    );
  });
}

/** Answers the child request as the extension does once startDebugging resolved. */
export function ackChild(dc: DebugClient, taskId: string, started = true): Promise<DebugProtocol.Response> {
  return dc.customRequest("batchTask/childStarted", { taskId, started });
}
