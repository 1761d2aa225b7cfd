// Why: the one CSP-locked HTML shell every webview of the extension uses (nonce'd style and script, no remote content, theme colours).
import { randomBytes } from "node:crypto";

/** A fresh, unguessable nonce for one page (32 hex digits). */
export function makeNonce(): string {
  return randomBytes(16).toString("hex");
}

/** The Content-Security-Policy of a page: nothing by default; only the nonce'd style and script; images from the webview itself. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource} data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
}

/** A whole page: `title` is escaped by the caller's choice of text; `style`, `body` and `script` are the page's own. */
export function pageHtml(options: { cspSource: string; nonce: string; title: string; style: string; body: string; script: string }): string {
  const { cspSource, nonce } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${options.title}</title>
<style nonce="${nonce}">${options.style}</style>
</head>
<body>
${options.body}
<script nonce="${nonce}">${options.script}</script>
</body>
</html>`;
}
