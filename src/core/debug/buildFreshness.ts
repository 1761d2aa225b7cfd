// Why: F5 should not pay for an esbuild bundle that is already current: the workload's dist/main.js is reused when nothing it is built from changed.
import * as fs from "node:fs";
import * as path from "node:path";

const INPUTS = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "logging.json",
  "logging.yaml",
  "logging.yml",
  path.join("node_modules", ".package-lock.json"),
];
const MAX_FILES = 5000;

/**
 * True when `<workloadDir>/dist/main.js` and its map are newer than every file under src/ and the project files
 * (package.json, lock files, logging config). Deleting dist/ (or touching a source) forces a build.
 */
export function isWorkloadBuildCurrent(workloadDir: string): boolean {
  const outputs = ["main.js", "main.js.map"].map((name) => path.join(workloadDir, "dist", name));
  const built = Math.min(...outputs.map((file) => mtime(file) ?? 0));
  if (built === 0) return false;
  const inputs = [...INPUTS.map((name) => path.join(workloadDir, name)), ...files(path.join(workloadDir, "src"))];
  return inputs.every((file) => (mtime(file) ?? 0) < built);
}

function mtime(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function files(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (out.length >= MAX_FILES) break;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files(full, out);
    else out.push(full);
  }
  out.push(dir); // a deleted or renamed source changes the folder's mtime
  return out;
}
