// Why: every package a source file imports is declared where it is installed from (the bundles, the CLI package and `npm ci` rely on it), found with TypeScript's own import scanner.

import * as assert from "node:assert/strict";
import { builtinModules } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import type * as TypeScript from "typescript-api";

const root = path.resolve(__dirname, "../../../..");
const ts = require("typescript-api") as typeof TypeScript;

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const readManifest = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as Manifest;

/** .ts files under `dir`, without node_modules and the workload templates (their imports belong to the generated projects) */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" || relative === "src/core/scaffold/templates" ? [] : sourceFiles(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

/** The packages a file imports (import, import type, export from, require, import()), by package name; node builtins left out. */
function importedPackages(text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((reference) => reference.fileName)
    .filter((specifier) => !specifier.startsWith(".") && !specifier.startsWith("/") && !specifier.startsWith("node:"))
    .map((specifier) =>
      specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/"),
    )
    .filter((name) => !builtinModules.includes(name));
}

/** "file: package" for each import of `files` that `declared` does not name */
function undeclared(files: string[], declared: Set<string>): string[] {
  return files.flatMap((file) =>
    importedPackages(fs.readFileSync(path.join(root, file), "utf8"))
      .filter((name) => !declared.has(name))
      .map((name) => `${file}: ${name}`),
  );
}

const rootManifest = readManifest("package.json");
const runtimeDependencies = new Set(Object.keys(rootManifest.dependencies ?? {}));
/** the extension host provides `vscode` (its types are the devDependency @types/vscode) */
const HOST_PROVIDED = ["vscode"];

describe("declared dependencies", () => {
  it("the scanner sees every form of import and leaves strings and builtins alone", () => {
    const text = [
      'import type { TokenCredential } from "@azure/core-auth";',
      'import * as fs from "node:fs";',
      'import * as os from "os";',
      'export { x } from "@scope/pkg/deep/path";',
      'const y = require("yaml");',
      'const z = await import("semver");',
      'const template = `import { A } from "@batch-manager/runtime";`;',
      'import { a } from "./local";',
    ].join("\n");
    assert.deepEqual(importedPackages(text).sort(), ["@azure/core-auth", "@scope/pkg", "semver", "yaml"]);
  });

  it("src/ (but the runtime package) imports only packages in package.json dependencies", () => {
    const files = sourceFiles("src").filter((file) => !file.startsWith("src/runtime/"));
    assert.ok(files.length > 100, `only ${files.length} source files found`);
    assert.deepEqual(undeclared(files, new Set([...runtimeDependencies, ...HOST_PROVIDED])), []);
  });

  it("src/runtime/ imports only packages its own package.json declares", () => {
    const manifest = readManifest("src/runtime/package.json");
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    assert.deepEqual(undeclared(sourceFiles("src/runtime"), declared), []);
  });

  it("test/ and bench/ import only packages in package.json dependencies or devDependencies", () => {
    const declared = new Set([...runtimeDependencies, ...Object.keys(rootManifest.devDependencies ?? {}), ...HOST_PROVIDED]);
    assert.deepEqual(undeclared([...sourceFiles("test"), ...sourceFiles("bench")], declared), []);
  });
});
