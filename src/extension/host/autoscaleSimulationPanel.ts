// Why: the Simulate webview panel: a CSP-locked page (autoscale/simulationPage.ts) that the extension posts the simulation to once the page says it is ready.

import * as vscode from "vscode";
import { makeNonce, type SimulationMessage, simulationPageHtml, type WebviewMessage } from "../autoscale/simulationPage";

/** One opened simulation: what was posted to the page, and what the page reported drawing. */
export interface SimulationView {
  readonly panel: vscode.WebviewPanel;
  readonly message: SimulationMessage;
  /** resolves with the page's "rendered" answer (the series it drew, the points and evaluations it got) */
  readonly rendered: Promise<Extract<WebviewMessage, { type: "rendered" }>>;
  /** every message the extension posted to the page */
  readonly posted: SimulationMessage[];
}

export const SIMULATION_VIEW_TYPE = "batchManager.autoscaleSimulation";

export function openSimulationPanel(message: SimulationMessage): SimulationView {
  const panel = vscode.window.createWebviewPanel(
    SIMULATION_VIEW_TYPE,
    message.title,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { enableScripts: true, localResourceRoots: [] },
  );
  const posted: SimulationMessage[] = [];
  let resolveRendered: (value: Extract<WebviewMessage, { type: "rendered" }>) => void = () => undefined;
  const rendered = new Promise<Extract<WebviewMessage, { type: "rendered" }>>((resolve) => (resolveRendered = resolve));
  const subscription = panel.webview.onDidReceiveMessage((received: WebviewMessage) => {
    if (received?.type === "ready") {
      posted.push(message);
      void panel.webview.postMessage(message);
    } else if (received?.type === "rendered") {
      resolveRendered(received);
    }
  });
  panel.onDidDispose(() => subscription.dispose());
  panel.webview.html = simulationPageHtml(panel.webview.cspSource, makeNonce());
  return { panel, message, rendered, posted };
}
