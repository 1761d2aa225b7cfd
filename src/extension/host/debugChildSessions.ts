// Why: the extension half of the child-session launcher: a `batch-task` session's startChild event becomes a js-debug attach child session.
import * as vscode from "vscode";
import { CHILD_STARTED_REQUEST, START_CHILD_EVENT } from "../../core/debug/batchTaskSession";
import type { ChildSessionRequest } from "../../core/debug/childSessionLauncher";
import type { Logger } from "../../local/common/logger";
import { DEBUG_TYPE, DEBUGPY_DIRECT_TYPE } from "../common/ids";
import type { DebugpyAttachConfiguration } from "../../core/debug/pythonDebugTask";

/** The extension that contributes the `debugpy` debug type (Python tasks' child sessions, when installed). */
const PYTHON_DEBUGGER_EXTENSION = "ms-python.debugpy";

/**
 * Starts each requested `pwa-node` attach session as a child of the Batch session (its stop/restart go to the parent,
 * which stops the task through the service; its console merges into the parent's), then tells the parent whether it started.
 */
export function registerChildSessionLauncher(logger: Logger): vscode.Disposable {
  return vscode.debug.onDidReceiveDebugSessionCustomEvent(async (event) => {
    if (event.session.type !== DEBUG_TYPE || event.event !== START_CHILD_EVENT) return;
    const request = event.body as ChildSessionRequest;
    let started = false;
    try {
      started = await vscode.debug.startDebugging(event.session.workspaceFolder, childConfiguration(request, logger), {
        parentSession: event.session,
        lifecycleManagedByParent: true,
        consoleMode: vscode.DebugConsoleMode.MergeWithParent,
      });
    } catch (error) {
      logger.error(`Starting the debugger for task ${request.taskId} of job ${request.jobId} failed: ${(error as Error).message}`);
    }
    try {
      await event.session.customRequest(CHILD_STARTED_REQUEST, { taskId: request.taskId, started });
    } catch (error) {
      logger.warn(`The Batch debug session ended before task ${request.taskId}'s debugger was confirmed: ${(error as Error).message}`);
    }
  });
}

/**
 * A Python task's `debugpy` attach goes to the Python Debugger extension when it is installed; without it, to the
 * built-in DEBUGPY_DIRECT_TYPE, whose adapter is the task's own debugpy adapter reached over TCP (it speaks DAP).
 */
function childConfiguration(request: ChildSessionRequest, logger: Logger): vscode.DebugConfiguration {
  if (request.configuration.type !== "debugpy" || vscode.extensions.getExtension(PYTHON_DEBUGGER_EXTENSION)) return { ...request.configuration };
  const { connect, type: _debugpy, ...attach } = request.configuration as DebugpyAttachConfiguration;
  logger.info(`Task ${request.taskId}: the Python Debugger extension is not installed; attaching to debugpy at ${connect.host}:${connect.port} directly`);
  return { ...attach, type: DEBUGPY_DIRECT_TYPE, debugpyHost: connect.host, debugpyPort: connect.port };
}

/** DEBUGPY_DIRECT_TYPE sessions: VS Code connects to the debugpy adapter the task listens with. */
export function registerDirectDebugpyAdapter(): vscode.Disposable {
  return vscode.debug.registerDebugAdapterDescriptorFactory(DEBUGPY_DIRECT_TYPE, {
    createDebugAdapterDescriptor: (session) => {
      const { debugpyHost, debugpyPort } = session.configuration as { debugpyHost?: string; debugpyPort?: number };
      if (!debugpyHost || !debugpyPort) throw new Error(`${DEBUGPY_DIRECT_TYPE} sessions are started by Batch debug sessions for their Python tasks`);
      return new vscode.DebugAdapterServer(debugpyPort, debugpyHost);
    },
  });
}
