// Why: how the debug engine asks for a child `pwa-node` attach session on a task's inspector, without knowing who starts it (VS Code, a DAP client, a test).
import type { DebugpyAttachConfiguration } from "./pythonDebugTask";

/** A child debug session the engine wants started for one task process waiting under `--inspect-brk`. */
export interface ChildSessionRequest {
  readonly jobId: string;
  readonly taskId: string;
  /** a `pwa-node` attach configuration for js-debug, or a `debugpy` one (Python tasks) for the Python Debugger extension */
  readonly configuration: NodeAttachConfiguration | DebugpyAttachConfiguration;
  /** how long the launcher may take before the engine gives up and stops the waiting task */
  readonly timeoutMs: number;
}

export interface NodeAttachConfiguration {
  readonly type: "pwa-node";
  readonly request: "attach";
  readonly name: string;
  readonly websocketAddress: string;
  /** resume the `--inspect-brk` pause once breakpoints are bound (false = stop on entry) */
  readonly continueOnAttach: boolean;
  readonly outFiles?: readonly string[];
  readonly resolveSourceMapLocations?: readonly string[];
  readonly skipFiles: readonly string[];
  readonly sourceMaps: true;
  readonly attachExistingChildren: false;
  /** "std": js-debug leaves console.* output alone; the parent streams stdout/stderr from the task files (one source per stream) */
  readonly outputCapture: "std";
}

/** Starts child sessions; resolves true once the child session started, false when it could not be. */
export interface ChildSessionLauncher {
  startChild(request: ChildSessionRequest): Promise<boolean>;
}

export interface AttachOptions {
  readonly jobId: string;
  readonly taskId: string;
  readonly websocketAddress: string;
  readonly stopOnEntry: boolean;
  /** folders whose bundles carry the source maps (a workload's dist/) */
  readonly codeFolders?: readonly string[];
  readonly label?: string;
}

export function nodeAttachConfiguration(options: AttachOptions): NodeAttachConfiguration {
  const folders = options.codeFolders ?? [];
  return {
    type: "pwa-node",
    request: "attach",
    name: options.label ?? `Batch task ${options.taskId} (job ${options.jobId})`,
    websocketAddress: options.websocketAddress,
    continueOnAttach: !options.stopOnEntry,
    ...(folders.length > 0
      ? { outFiles: folders.map((f) => `${f}/**/*.js`), resolveSourceMapLocations: [...folders.map((f) => `${f}/**`), "!**/node_modules/**"] }
      : {}),
    skipFiles: ["<node_internals>/**"],
    sourceMaps: true,
    attachExistingChildren: false,
    outputCapture: "std",
  };
}
