// Why: the extension half of the child-session launcher: a `batch-task` session's startChild event becomes a js-debug attach child session.
import * as vscode from "vscode";
import { CHILD_STARTED_REQUEST, START_CHILD_EVENT } from "../../core/debug/batchTaskSession";
import type { ChildSessionRequest } from "../../core/debug/childSessionLauncher";
import type { Logger } from "../../local/logger";
import { DEBUG_TYPE } from "../ids";

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
      started = await vscode.debug.startDebugging(
        event.session.workspaceFolder,
        { ...request.configuration },
        {
          parentSession: event.session,
          lifecycleManagedByParent: true,
          consoleMode: vscode.DebugConsoleMode.MergeWithParent,
        },
      );
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
