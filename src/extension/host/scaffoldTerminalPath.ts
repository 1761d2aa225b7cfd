// Why: puts the extension's bundled `batch-manager` CLI on the PATH of integrated terminals (as the Functions extension does for
// Core Tools), and points it at the explorer's data folder, so `batch-manager local status` there sees the service the explorer started.

import * as fs from "node:fs";
import * as path from "node:path";
import type * as vscode from "vscode";

export interface TerminalPathOptions {
  readonly context: vscode.ExtensionContext;
  /** the resolved data folder of the explorer's local service */
  readonly dataDir: () => string;
  /** whether the person set batchManager.local.dataDir (otherwise the CLI's own default is already the same folder) */
  readonly dataDirConfigured: () => boolean;
}

/** Writes the shim and updates the terminals' environment now and whenever the data-folder setting changes. */
export function registerTerminalPath(options: TerminalPathOptions): { readonly binDir: string; update(): void } {
  const { context } = options;
  const binDir = path.join(context.globalStorageUri.fsPath, "bin");
  writeShim(binDir, path.join(context.extensionPath, "dist", "cli.js"));
  const collection = context.environmentVariableCollection;
  collection.description = "Adds the batch-manager CLI of Azure Batch Manager to PATH";
  collection.prepend("PATH", `${binDir}${path.delimiter}`);
  const update = () => {
    if (options.dataDirConfigured()) collection.replace("BATCH_MANAGER_LOCAL_DATA", options.dataDir());
    else collection.delete("BATCH_MANAGER_LOCAL_DATA");
  };
  update();
  return { binDir, update };
}

function writeShim(binDir: string, cliPath: string): void {
  fs.mkdirSync(binDir, { recursive: true });
  const quoted = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;
  // `node` from the terminal's PATH when there is one; else the editor's own runtime (Electron as Node)
  const script = `#!/bin/sh
# batch-manager from the Azure Batch Manager extension (written by the extension; changes are overwritten)
if command -v node >/dev/null 2>&1; then exec node ${quoted(cliPath)} "$@"; fi
ELECTRON_RUN_AS_NODE=1 exec ${quoted(process.execPath)} ${quoted(cliPath)} "$@"
`;
  const shim = path.join(binDir, "batch-manager");
  fs.writeFileSync(`${shim}.tmp`, script, { mode: 0o755 });
  fs.renameSync(`${shim}.tmp`, shim);
}
