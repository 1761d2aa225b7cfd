// Why: the autoscale formula editor in VS Code: diagnostics from the parser and checker, hover docs, completion and the Evaluate/Simulate CodeLenses of batch-autoscale documents.

import * as vscode from "vscode";
import { completionsAt } from "../autoscale/formulaCompletion";
import { formulaDiagnostics } from "../autoscale/formulaDiagnostics";
import { hoverAt } from "../autoscale/formulaHover";
import type { FormulaWord } from "../autoscale/formulaWords";
import { AUTOSCALE_LANGUAGE, CommandId } from "../common/ids";

const SELECTOR: vscode.DocumentSelector = { language: AUTOSCALE_LANGUAGE };

const COMPLETION_KIND: Record<FormulaWord["kind"], vscode.CompletionItemKind> = {
  settable: vscode.CompletionItemKind.Variable,
  metric: vscode.CompletionItemKind.Variable,
  function: vscode.CompletionItemKind.Function,
  method: vscode.CompletionItemKind.Method,
  member: vscode.CompletionItemKind.Property,
  constant: vscode.CompletionItemKind.Constant,
  keyword: vscode.CompletionItemKind.EnumMember,
};

export interface AutoscaleLanguage {
  readonly diagnostics: vscode.DiagnosticCollection;
}

/** Diagnostics of one document, recomputed from its whole text (formulas are at most 8 KB). */
function diagnose(collection: vscode.DiagnosticCollection, document: vscode.TextDocument): void {
  if (document.languageId !== AUTOSCALE_LANGUAGE) return;
  collection.set(
    document.uri,
    formulaDiagnostics(document.getText()).map((d) => {
      const range = new vscode.Range(d.startLine, d.startCharacter, d.endLine, d.endCharacter);
      const severity = d.severity === "error" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      const diagnostic = new vscode.Diagnostic(range, d.message, severity);
      diagnostic.code = d.code;
      diagnostic.source = "Batch autoscale";
      return diagnostic;
    }),
  );
}

/** Top-of-file actions: evaluate against a pool (the one the document was opened for, when known) and simulate. */
function codeLenses(evaluateTitle: (uri: vscode.Uri) => string): vscode.CodeLensProvider {
  return {
    provideCodeLenses(document) {
      const top = new vscode.Range(0, 0, 0, 0);
      return [
        new vscode.CodeLens(top, { title: evaluateTitle(document.uri), command: CommandId.autoscaleEvaluate, arguments: [document.uri] }),
        new vscode.CodeLens(top, { title: "$(graph-line) Simulate…", command: CommandId.autoscaleSimulate, arguments: [document.uri] }),
      ];
    },
  };
}

export function registerAutoscaleLanguage(subscriptions: vscode.Disposable[], evaluateTitle: (uri: vscode.Uri) => string): AutoscaleLanguage {
  const diagnostics = vscode.languages.createDiagnosticCollection(AUTOSCALE_LANGUAGE);
  subscriptions.push(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument((document) => diagnose(diagnostics, document)),
    vscode.workspace.onDidChangeTextDocument((event) => diagnose(diagnostics, event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(document, position) {
        const hover = hoverAt(document.getText(), document.offsetAt(position));
        if (!hover) return undefined;
        return new vscode.Hover(new vscode.MarkdownString(hover.markdown), new vscode.Range(document.positionAt(hover.start), document.positionAt(hover.end)));
      },
    }),
    vscode.languages.registerCompletionItemProvider(
      SELECTOR,
      {
        provideCompletionItems(document, position) {
          const range = document.getWordRangeAtPosition(position, /\$?[A-Za-z_]\w*|\$/);
          return completionsAt(document.getText(), document.offsetAt(position)).map((c) => {
            const item = new vscode.CompletionItem(c.label, COMPLETION_KIND[c.kind]);
            item.detail = c.detail;
            item.documentation = new vscode.MarkdownString(c.doc);
            item.insertText = c.insertText;
            if (range) item.range = range;
            return item;
          });
        },
      },
      "$",
      ".",
    ),
    vscode.languages.registerCodeLensProvider(SELECTOR, codeLenses(evaluateTitle)),
  );
  for (const document of vscode.workspace.textDocuments) diagnose(diagnostics, document);
  return { diagnostics };
}
