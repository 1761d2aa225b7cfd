// Why: keeps the runtime a standalone package: no vscode, no src/local (it reaches Batch only through @azure/batch), a "why" line atop every file.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../support/localService";

const RUNTIME = path.join(REPO_ROOT, "src", "runtime");
const sources = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith(".ts") ? [path.join(dir, entry.name)] : []));

const importsOf = (file: string): string[] => [...fs.readFileSync(file, "utf8").matchAll(/(?:from|import\(|require\()\s*"([^"]+)"/g)].map((match) => match[1]!);

describe("runtime package boundaries", () => {
  const files = sources(RUNTIME);
  const manifest = JSON.parse(fs.readFileSync(path.join(RUNTIME, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.optionalDependencies ?? {})]);

  it("imports only node:*, its own files and its declared dependencies (never vscode or src/local)", () => {
    for (const file of files) {
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith(".")) {
          const target = path.resolve(path.dirname(file), specifier);
          assert.ok(target.startsWith(RUNTIME + path.sep), `${path.relative(REPO_ROOT, file)} reaches outside src/runtime: ${specifier}`);
        } else if (!specifier.startsWith("node:")) {
          const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
          assert.ok(declared.has(name), `${path.relative(REPO_ROOT, file)} imports ${specifier}, not a dependency of @batch-manager/runtime`);
        }
      }
    }
  });

  it("every file starts with a one-line comment saying why it exists", () => {
    for (const file of files) assert.match(fs.readFileSync(file, "utf8"), /^\/\/ Why: \S/, path.relative(REPO_ROOT, file));
  });

  it("the package manifest is the one the build packs", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(RUNTIME, "package.json"), "utf8")) as Record<string, unknown>;
    assert.deepEqual([pkg.name, pkg.version, pkg.main, pkg.types], ["@batch-manager/runtime", "0.1.0", "index.js", "types/index.d.ts"]);
    assert.equal(manifest.dependencies["@azure/batch"], "10.2.0");
  });
});
