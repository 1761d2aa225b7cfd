// Why: runs a long explorer action under a cancellable vscode.window.withProgress, handing the body an AbortSignal and a reporter.

import * as vscode from "vscode";
import { abortAware } from "../actions/batchActions";

export type Report = (message: string, increment?: number) => void;

export function withCancellableProgress<T>(title: string, body: (signal: AbortSignal, report: Report) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    try {
      return await abortAware(abort.signal, () => body(abort.signal, (message, increment) => progress.report({ message, increment })));
    } finally {
      subscription.dispose();
    }
  });
}
