// Why: what the scaffold tests share: the CLI tarball built and installed like a user installs it, and running it and npm in a project.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, tempDir } from "../support/localService";

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (bounded), never through a shell. */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    // a nested `node --test` (a generated project's npm test) must report to its own stdout, not to this test runner
    const { NODE_TEST_CONTEXT: _nested, ...inherited } = process.env;
    const child = spawn(command, args, { cwd: options.cwd, env: { ...inherited, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish within ${options.timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 300_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export const NPM_QUICK = ["--prefer-offline", "--no-audit", "--no-fund"];

/** Packs the runtime and the CLI from this working tree, then `npm install -g --prefix <tmp> <tarball>`: the CLI as a user gets it. */
export function installCliFromTarball(): { binary: string; tarball: string; prefix: string } {
  execFileSync("bash", ["scripts/pack-runtime.sh"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const tarball = path.join(
    REPO_ROOT,
    execFileSync("bash", ["scripts/pack-cli.sh"], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
      .trim()
      .split("\n")
      .pop()!,
  );
  const prefix = tempDir("batch-manager-cli");
  execFileSync("npm", ["install", "-g", "--prefix", prefix, tarball, ...NPM_QUICK], { cwd: prefix, stdio: ["ignore", "ignore", "inherit"] });
  const binary = path.join(prefix, "bin", "batch-manager");
  if (!fs.existsSync(binary)) throw new Error(`npm install -g did not create ${binary}`);
  return { binary, tarball, prefix };
}

/** Every file under dir (relative, sorted) with its bytes: to prove a failed command changed nothing. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(full);
      } else files.set(path.relative(dir, full), fs.readFileSync(full).toString("base64"));
    }
  };
  walk(dir);
  return files;
}
