// Why: the README promises its `npx batch-manager …` lines work right after `npm ci`: a fresh copy of this working tree,
// `npm ci` (whose prepare step builds dist/), then each line in order, exactly as written.
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, tempDir } from "../support/localService";
import { NPM_QUICK, run } from "./scaffoldSupport";

/** Every `npx batch-manager …` line of the README's bash blocks, without its trailing comment. */
export function readmeCommandLines(readme: string): string[] {
  const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks.flatMap((block) => block.split("\n")).map((line) => line.replace(/\s+#.*$/, "").trim()).filter((line) => line.startsWith("npx batch-manager "));
}

/** A fresh clone of the working tree: tracked and new (not ignored) files, no node_modules, no dist/. */
function copyWorkingTree(target: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    const source = path.join(REPO_ROOT, file);
    if (!fs.existsSync(source) || fs.statSync(source).isDirectory()) continue; // deleted in the working tree, or a submodule
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(source, path.join(target, file));
  }
}

/** Splits `npx batch-manager local start --port 0` into argv (the README's lines have no quoting). */
const argv = (line: string) => line.split(/\s+/);

describe("README: every npx batch-manager line works after npm ci in a fresh clone", () => {
  const clone = tempDir("readme-clone");
  const env = { BATCH_MANAGER_LOCAL_DATA: tempDir("readme-local-data"), AZURITE_DISABLE_TELEMETRY: "true" };
  const foreground: ChildProcess[] = [];

  before(async () => {
    copyWorkingTree(clone);
    const install = await run("npm", ["ci", ...NPM_QUICK], { cwd: clone, env, timeoutMs: 600_000 });
    assert.equal(install.code, 0, `npm ci failed:\n${install.stderr.slice(-4000)}`);
  });

  after(async () => {
    await run("npx", ["batch-manager", "local", "stop"], { cwd: clone, env, timeoutMs: 60_000 });
    for (const child of foreground) if (child.exitCode === null) child.kill("SIGTERM");
  });

  it("the README's lines run in order, each succeeding", { timeout: 600_000 }, async () => {
    const lines = readmeCommandLines(fs.readFileSync(path.join(clone, "README.md"), "utf8"));
    assert.ok(lines.includes("npx batch-manager local start") && lines.includes("npx batch-manager local status"), `the README's local-service lines: ${lines.join(" | ")}`);
    for (const line of lines) {
      const [npx, ...args] = argv(line);
      if (args[1] === "local" && args[2] === "start" && !args.includes("--detach")) {
        // the foreground service: running once it prints its connection line; stopped by a later `local stop`
        const child = spawn(npx!, args, { cwd: clone, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        foreground.push(child);
        const first = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${line} printed nothing within 120 s`)), 120_000);
          child.once("exit", (code) => reject(new Error(`${line} exited with ${code} before printing its connection line`)));
          readline.createInterface({ input: child.stdout! }).once("line", (text) => {
            clearTimeout(timer);
            resolve(text);
          });
        });
        assert.match(JSON.parse(first).batchUrl, /^http:\/\/127\.0\.0\.1:\d+$/, line);
        continue;
      }
      const result = await run(npx!, args, { cwd: clone, env, timeoutMs: 300_000 });
      assert.equal(result.code, 0, `${line} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    }
  });
});
