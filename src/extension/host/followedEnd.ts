// Why: follow mode is `tail -f`: while a followed `batch:` document grows, editors showing its end keep showing it (one scrolled up to read stays put).

import * as vscode from "vscode";
import { BATCH_SCHEME } from "../files/batchUri";

/** How close to the old last line the view's bottom must be for the editor to count as "at the end". */
const AT_END_SLACK_LINES = 2;

export interface FollowedEnds extends vscode.Disposable {
  /** Follow just started in `editor`: show its end. */
  started(editor: vscode.TextEditor): void;
}

export function keepFollowedEndsInView(isFollowing: (uri: vscode.Uri) => boolean): FollowedEnds {
  /** line counts before the latest change, by document URI */
  const lineCounts = new Map<string, number>();
  const revealEnd = (editor: vscode.TextEditor) => {
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
  };
  const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
    const { document } = event;
    if (document.uri.scheme !== BATCH_SCHEME || event.contentChanges.length === 0 || !isFollowing(document.uri)) return;
    const key = document.uri.toString();
    const before = lineCounts.get(key);
    lineCounts.set(key, document.lineCount);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== document) continue;
      const bottom = editor.visibleRanges.at(-1)?.end.line ?? 0;
      if (before === undefined || bottom >= before - 1 - AT_END_SLACK_LINES) revealEnd(editor);
    }
  });
  return {
    started(editor) {
      lineCounts.set(editor.document.uri.toString(), editor.document.lineCount);
      revealEnd(editor);
    },
    dispose() {
      subscription.dispose();
      lineCounts.clear();
    },
  };
}
