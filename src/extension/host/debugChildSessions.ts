// Why: the extension half of the child-session launcher: a `batch-task` session's startChild event becomes a js-debug attach child session.
import * as vscode from "vscode";
import { CHILD_STARTED_REQUEST, START_CHILD_EVENT } from "../../core/debug/batchTaskSession";
import type { ChildSessionRequest } from "../../core/debug/childSessionLauncher";
import type { Logger } from "../../local/logger";
import type { EditorUi } from "../common/editorUi";
import { DEBUG_TYPE } from "../common/ids";

/** The extension that contributes the `debugpy` debug type (Python tasks' child sessions). */
const PYTHON_DEBUGGER_EXTENSION = "ms-python.debugpy";

/**
 * Starts each requested `pwa-node` attach session as a child of the Batch session (its stop/restart go to the parent,
 * which stops the task through the service; its console merges into the parent's), then tells the parent whether it started.
 */
export function registerChildSessionLauncher(logger: Logger, ui: () => EditorUi): vscode.Disposable {
  return vscode.debug.onDidReceiveDebugSessionCustomEvent(async (event) => {
    if (event.session.type !== DEBUG_TYPE || event.event !== START_CHILD_EVENT) return;
    const request = event.body as ChildSessionRequest;
    let started = false;
    // a Python task's child is a `debugpy` attach, which only the Python Debugger extension provides
    const missing = request.configuration.type === "debugpy" && !vscode.extensions.getExtension(PYTHON_DEBUGGER_EXTENSION);
    if (missing) {
      const message = `Task ${request.taskId} of job ${request.jobId} is a Python task: install the Python Debugger extension (${PYTHON_DEBUGGER_EXTENSION}) to debug it. The waiting task is stopped.`;
      logger.warn(message);
      void ui().error(message);
    }
    try {
      started =
        !missing &&
        (await vscode.debug.startDebugging(
          event.session.workspaceFolder,
          { ...request.configuration },
          {
            parentSession: event.session,
            lifecycleManagedByParent: true,
            consoleMode: vscode.DebugConsoleMode.MergeWithParent,
          },
        ));
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
