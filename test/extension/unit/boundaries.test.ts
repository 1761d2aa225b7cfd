// Why: keeps the vscode boundary, the one UI seam and the manifest honest: only allowed places import `vscode`, only the EditorUi implementation prompts, package.json ids match src/extension/common/ids.ts.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as fs from "node:fs";
import * as path from "node:path";
import { CommandId, ViewId } from "../../../src/extension/common/ids";

const root = path.resolve(__dirname, "../../../..");
const IMPORTS_VSCODE = /(?:from\s+|require\(\s*|import\(\s*)["']vscode["']/;
/** vscode.window calls that ask or tell the user something, or show progress (showTextDocument and tree views are not prompts). */
const SHOWS_UI =
  /\bwindow\s*\.\s*(?:showQuickPick|showInputBox|showInformationMessage|showWarningMessage|showErrorMessage|withProgress|createQuickPick|createInputBox|showOpenDialog|showSaveDialog)\b/;
const UI_SEAM_IMPLEMENTATION = "src/extension/host/vscodeEditorUi.ts";

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join("/");

describe("extension boundaries", () => {
  it("the repo root is found", () => {
    assert.ok(fs.existsSync(path.join(root, "package.json")), `no package.json in ${root}`);
  });

  it("only the places on the allow-list import vscode (a new folder cannot slip through)", () => {
    const offenders = [...tsFiles(path.join(root, "src")), ...tsFiles(path.join(root, "test"))]
      .map(rel)
      .filter((file) => IMPORTS_VSCODE.test(fs.readFileSync(path.join(root, file), "utf8")))
      .filter((file) => !mayImportVscode(file));
    assert.deepEqual(offenders, []);
  });

  it("prompts, messages and progress go through the one EditorUi seam (only its editor implementation calls vscode.window for them)", () => {
    const offenders = tsFiles(path.join(root, "src"))
      .map(rel)
      .filter((file) => file !== UI_SEAM_IMPLEMENTATION && SHOWS_UI.test(fs.readFileSync(path.join(root, file), "utf8")));
    assert.deepEqual(offenders, [], "ask, tell and show progress through EditorUi (src/extension/common/editorUi.ts)");
    assert.ok(SHOWS_UI.test(fs.readFileSync(path.join(root, UI_SEAM_IMPLEMENTATION), "utf8")), "the pattern still matches the implementation");
  });

  it("package.json contributes exactly the ids in ids.ts", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    assert.equal(pkg.main, "./dist/extension.js");
    const commands = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual(commands, Object.values(CommandId).sort());
    assert.deepEqual(
      pkg.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id),
      [ViewId.container],
    );
    assert.deepEqual(
      pkg.contributes.views[ViewId.container].map((v: { id: string }) => v.id),
      [ViewId.explorer],
    );
    assert.ok(pkg.activationEvents.includes(`onView:${ViewId.explorer}`));
    // VS Code >= 1.74 activates on every contributed command by itself (engines.vscode is ^1.100), so a command needs
    // an explicit onCommand event only if it is not contributed; the check above makes every id contributed.
    assert.ok(
      /^\^1\.(\d+)/.test(pkg.engines.vscode) && Number(/^\^1\.(\d+)/.exec(pkg.engines.vscode)![1]) >= 74,
      "implicit onCommand activation needs VS Code >= 1.74",
    );
    assert.ok(fs.existsSync(path.join(root, pkg.contributes.viewsContainers.activitybar[0].icon)), "activity-bar icon missing");
  });
});

/**
 * The only places allowed to import `vscode`: the extension's host layer and entry point, and the tests that run
 * inside the extension host. Everything else — src/core, src/local, src/runtime, src/cli, the extension's view
 * models, and the debug adapter's standalone entry — must run in plain Node.
 */
const VSCODE_ALLOWED: readonly RegExp[] = [
  /^src\/extension\/host\//,
  /^src\/extension\/extension\.ts$/,
  /^test\/extension\/suite\//,
  /^test\/extension\/reload\//,
  /^test\/extension\/vsix\//,
];

function mayImportVscode(file: string): boolean {
  return VSCODE_ALLOWED.some((pattern) => pattern.test(file));
}
