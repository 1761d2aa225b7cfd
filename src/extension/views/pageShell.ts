// Why: the CSP-locked HTML shell the job and pool views share (nonce'd style and script, no remote content, VS Code theme colours).

import { pageHtml as webviewPage } from "../common/webviewPage";

export { makeNonce } from "../common/webviewPage";

export const BASE_STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px; }
h1 { font-size: 1.2em; font-weight: 600; margin: 12px 0 4px; }
.summary { color: var(--vscode-descriptionForeground); margin-bottom: 8px; }
.error { color: var(--vscode-errorForeground); white-space: pre-wrap; }
.grid { stroke: var(--vscode-editorWidget-border, var(--vscode-panel-border)); stroke-width: 0.5; }
.tick { fill: var(--vscode-foreground); font-size: 11px; }
`;

/** A view's page: the shared shell with the views' base style first. */
export function pageHtml(options: { cspSource: string; nonce: string; title: string; style: string; body: string; script: string }): string {
  return webviewPage({ ...options, style: `${BASE_STYLE}${options.style}` });
}
