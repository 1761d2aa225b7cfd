// Why: the `batch-task` configurations VS Code offers (one per task class of each workload in the workspace) and the defaults F5 fills in.
import * as path from "node:path";
import type * as vscode from "vscode";
import { findPythonEntryPoints } from "../../core/debug/pythonDebugTask";
import { findWorkloadEntryPoints } from "../../core/debug/workloadEntryPoints";
import { workloadFolders } from "../../core/debug/workloadFolders";
import { isPythonWorkload } from "../../core/deploy/pythonWorkload";
import type { EditorUi } from "../common/editorUi";
import { DEBUG_TYPE } from "../common/ids";

/** Launch configurations for every registered task class and the job manager of each workload under `root`. */
export function workloadConfigurations(root: string): vscode.DebugConfiguration[] {
  const configurations: vscode.DebugConfiguration[] = [];
  for (const dir of workloadFolders(root)) {
    const relative = path.relative(root, dir);
    const workload = relative ? `\${workspaceFolder}/${relative.split(path.sep).join("/")}` : "${workspaceFolder}";
    const label = relative || path.basename(root);
    for (const entry of isPythonWorkload(dir) ? findPythonEntryPoints(dir) : findWorkloadEntryPoints(dir)) {
      configurations.push({ type: DEBUG_TYPE, request: "launch", name: `Debug ${entry.name} (${label})`, workload, entryPoint: entry.name, args: {} });
    }
    configurations.push({ type: DEBUG_TYPE, request: "launch", name: `Debug job (${label})`, workload, jobManager: true, jobArgs: {}, debugTasks: "all" });
  }
  return configurations;
}

export class BatchTaskConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly dataDir: () => string,
    private readonly ui: () => EditorUi,
  ) {}

  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    const found = folder ? workloadConfigurations(folder.uri.fsPath) : [];
    return found.length > 0 ? found : [{ type: DEBUG_TYPE, request: "launch", name: "Debug a Batch task file", taskFile: "${workspaceFolder}/task.json" }];
  }

  /** F5 without launch.json debugs the first task class of the folder's workload; every configuration gets cwd and the data folder. */
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, configuration: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    let resolved = configuration;
    if (!resolved.type && !resolved.request && !resolved.name) {
      const first = folder ? workloadConfigurations(folder.uri.fsPath)[0] : undefined;
      if (!first) {
        void this.ui().error(
          "No Batch workload here to debug: open a workload folder (src/main.ts, or pyproject.toml + main.py) or add a batch-task configuration to launch.json.",
        );
        return undefined;
      }
      resolved = first;
    }
    return {
      ...resolved,
      cwd: resolved.cwd ?? folder?.uri.fsPath,
      dataDir: resolved.dataDir ?? this.dataDir(),
    };
  }
}
