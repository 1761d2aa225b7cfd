// Why: the README promises its commands work right after `npm ci`: a fresh copy of this working tree, `npm ci` (whose
// prepare step builds dist/), then each of its bash blocks in order, exactly as written.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, tempDir } from "../support/localService";
import { NPM_QUICK, run } from "./scaffoldSupport";

/** The README's bash blocks after the first (the first is `npm run demo` and `npm test`, which CI and the demo's own test run). */
function readmeScripts(readme: string): string[] {
  return [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!).slice(1);
}

/** A fresh clone of the working tree: tracked and new (not ignored) files, no node_modules, no dist/. */
function copyWorkingTree(target: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    const source = path.join(REPO_ROOT, file);
    if (!fs.existsSync(source) || fs.statSync(source).isDirectory()) continue; // deleted in the working tree, or a submodule
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(source, path.join(target, file));
  }
}

describe("README: every command it shows works after npm ci in a fresh clone", () => {
  const clone = tempDir("readme-clone");
  const env = { BATCH_MANAGER_LOCAL_DATA: tempDir("readme-local-data"), AZURITE_DISABLE_TELEMETRY: "true" };

  before(async () => {
    copyWorkingTree(clone);
    const install = await run("npm", ["ci", ...NPM_QUICK], { cwd: clone, env, timeoutMs: 600_000 });
    assert.equal(install.code, 0, `npm ci failed:\n${install.stderr.slice(-4000)}`);
  });

  after(async () => {
    await run("npx", ["batch-manager", "local", "stop"], { cwd: clone, env, timeoutMs: 60_000 });
  });

  it("each bash block runs as written, in order, from the clone's root (set -euo pipefail)", { timeout: 900_000 }, async () => {
    const scripts = readmeScripts(fs.readFileSync(path.join(clone, "README.md"), "utf8"));
    const lines = scripts.join("\n");
    for (const expected of [
      "npx batch-manager local start",
      "npx batch-manager local status",
      "npx batch-manager new ",
      "npx batch-manager deploy",
      "npx batch-manager run --wait",
    ]) {
      assert.ok(lines.includes(expected), `the README shows no '${expected}' line`);
    }
    for (const script of scripts) {
      const result = await run("bash", ["-euo", "pipefail", "-c", script], { cwd: clone, env, timeoutMs: 600_000 });
      assert.equal(
        result.code,
        0,
        `this README block failed (exit ${result.code}):\n${script}\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-6000)}`,
      );
    }
    assert.ok(fs.existsSync(path.join(clone, "hello-batch", "src", "tasks", "resizeImageTask.ts")), "add-task created src/tasks/resizeImageTask.ts");
    assert.match(
      fs.readFileSync(path.join(clone, "hello-batch", "src", "workload.ts"), "utf8"),
      /registerEntryPoint\(ResizeImageTask/,
      "add-task registered the task",
    );
  });
});
