// Why: runs in a real extension host where the .vsix was installed (not loaded from the repo): it activates and its Local account works.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId, EXTENSION_ID } from "../../../src/extension/common/ids";

async function check(): Promise<void> {
  const extension = vscode.extensions.getExtension<BatchManagerApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const expectedDir = process.env.VSIX_EXTENSIONS_DIR;
  assert.ok(
    expectedDir && path.resolve(extension.extensionPath).startsWith(path.resolve(expectedDir)),
    `loaded from ${extension.extensionPath}, not from the installed .vsix`,
  );
  const api = await extension.activate();
  // the Local account starts the service from the CLI bundle and node_modules packed in the .vsix
  await vscode.commands.executeCommand(CommandId.localStart);
  assert.equal(api.localService.state, "running");
  const roots = await api.model.children(undefined);
  const local = (await api.model.children(roots[0])).find((node) => node.label === "Local");
  assert.ok(local, "the Local account is in the explorer");
  const branches = (await api.model.children(local)).map((node) => node.label);
  assert.deepEqual(branches.slice(0, 2), ["Pools", "Jobs"]);
  await vscode.commands.executeCommand(CommandId.localStop);
  await checkUnbundledModules(extension.extensionPath);
  console.log(
    `installed ${extension.id} ${String((extension.packageJSON as { version: string }).version)} from ${extension.extensionPath}: activated, local service started and stopped`,
  );
}

/** What the .vsix ships beside its bundles (scripts/stage-vsix.mjs) loads and works from the installed extension: esbuild (workload builds) and TypeScript (add-task). */
async function checkUnbundledModules(extensionPath: string): Promise<void> {
  const modules = path.join(extensionPath, "dist", "node_modules");
  const esbuild = require(path.join(modules, "esbuild")) as typeof import("esbuild");
  const built = await esbuild.transform("const answer: number = 42; export { answer };", { loader: "ts", format: "cjs" });
  assert.match(built.code, /answer = 42/);
  const ts = require(path.join(modules, "typescript-api")) as typeof import("typescript-api");
  const source = ts.createSourceFile("task.ts", "export class HelloTask {}", ts.ScriptTarget.ES2022, true);
  assert.equal(source.statements.length, 1);
}

export async function run(): Promise<void> {
  try {
    await check();
    console.log("1 passed, 0 failed");
  } catch (error) {
    console.log(`0 passed, 1 failed\n${(error as Error).stack ?? error}`);
    throw error;
  }
}
