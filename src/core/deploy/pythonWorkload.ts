// Why: what deploy and run need to treat a Python workload (pyproject.toml + main.py) like a TypeScript one: its manifest
// from pyproject.toml, its application package folder (no build: the sources and the pure-Python packages beside main.py),
// and the interpreter that runs `main.py submit` on this machine.

import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { listFiles } from "../workload/buildWorkload";
import { applicationIdFromName, type WorkloadManifest } from "./workloadManifest";

/** Folders of the project that never go into the application package. */
const EXCLUDED_FOLDERS = new Set(["tests", "test", "dist", "build", "node_modules", "venv", ".venv", "__pycache__"]);
const LOGGING_FILES = ["logging.yaml", "logging.yml", "logging.json"];

/** A Python workload: pyproject.toml and main.py at the root, and no TypeScript entry (src/main.ts). */
export function isPythonWorkload(workloadDir: string): boolean {
  return (
    fs.existsSync(path.join(workloadDir, "pyproject.toml")) &&
    fs.existsSync(path.join(workloadDir, "main.py")) &&
    !fs.existsSync(path.join(workloadDir, "src", "main.ts"))
  );
}

/** The [project] table's `key = "value"` string (the only TOML form a workload's name and version take). */
function projectString(text: string, key: string): string | undefined {
  const table = /^\[project\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text)?.[1] ?? "";
  return new RegExp(`^${key}\\s*=\\s*["']([^"']*)["']\\s*(#.*)?$`, "m").exec(table)?.[1];
}

export function readPyprojectManifest(workloadDir: string): WorkloadManifest {
  const packageFile = path.join(workloadDir, "pyproject.toml");
  const text = fs.readFileSync(packageFile, "utf8");
  const name = projectString(text, "name");
  if (!name?.trim()) throw new Error(`${packageFile}: [project] 'name' is missing; it names the application package`);
  const version = projectString(text, "version");
  if (!version || !semver.valid(version)) {
    throw new Error(
      `${packageFile}: [project] 'version' must be a SemVer version such as 1.0.0 (got ${JSON.stringify(version ?? null)}); it is the application package version`,
    );
  }
  return { packageFile, name, applicationId: applicationIdFromName(name), version: semver.valid(version)!, language: "python" };
}

/** Replaces [project] version in pyproject.toml, keeping the rest of the file as it was. */
export function writePyprojectVersion(packageFile: string, version: string): void {
  const text = fs.readFileSync(packageFile, "utf8");
  const start = text.search(/^\[project\]\s*$/m);
  const next = text.slice(start + 1).search(/^\[/m);
  const end = next < 0 ? text.length : start + 1 + next;
  const table = text.slice(start, end).replace(/^(version\s*=\s*["'])[^"']*(["'])/m, `$1${version}$2`);
  fs.writeFileSync(packageFile, text.slice(0, start) + table + text.slice(end));
}

/**
 * The application package's files (paths relative to the workload folder): main.py and every other top-level .py file,
 * the logging configuration, and every top-level Python package (a folder with __init__.py: the workload's own and
 * batch_manager) except tests; never __pycache__ or .pyc files.
 */
export function pythonPackageFiles(workloadDir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(workloadDir, { withFileTypes: true })) {
    if (entry.isFile() && (entry.name.endsWith(".py") || LOGGING_FILES.includes(entry.name))) files.push(entry.name);
    const isPackage = entry.isDirectory() && !EXCLUDED_FOLDERS.has(entry.name) && !entry.name.startsWith(".");
    if (isPackage && fs.existsSync(path.join(workloadDir, entry.name, "__init__.py"))) {
      for (const file of listFiles(path.join(workloadDir, entry.name)))
        if (!file.split("/").includes("__pycache__") && !file.endsWith(".pyc")) files.push(`${entry.name}/${file}`);
    }
  }
  if (!files.includes("batch_manager/__init__.py")) {
    throw new Error(
      `${workloadDir} has no batch_manager package beside main.py: copy it from a project made with 'batch-manager new --language python' (or src/runtime-python/batch_manager)`,
    );
  }
  return files.sort();
}

/** Copies the package's files into outDir (emptied first), the folder zipDirectory turns into the application package. */
export function stagePythonPackage(workloadDir: string, outDir: string): string[] {
  const files = pythonPackageFiles(workloadDir);
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(outDir, ...file.split("/"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(workloadDir, ...file.split("/")), target);
  }
  return files;
}

/** The python3 that runs `main.py submit` here: $BATCH_PYTHON, else python3 on PATH (it needs the Azure SDKs). */
export function pythonInterpreter(env: NodeJS.ProcessEnv = process.env): string {
  return env.BATCH_PYTHON?.trim() || "python3";
}
