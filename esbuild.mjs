// Why: bundles the CLI (and the local service it runs) into dist/; type-checking is the separate `tsc` step.
import * as esbuild from "esbuild";
import * as fs from "node:fs";

const watch = process.argv.includes("--watch");
const options = {
  // debugAdapter: the standalone `batch-task` debug adapter (DAP over stdio), package.json contributes.debuggers[].program
  // spawnLauncherMain: the local service's small task-spawning process (src/local/node/spawnLauncher.ts finds it beside cli.js)
  entryPoints: { cli: "src/cli/main.ts", debugAdapter: "src/core/debug/adapterMain.ts", spawnLauncherMain: "src/local/node/spawnLauncherMain.ts" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  outdir: "dist",
  sourcemap: true,
  packages: "external",
  logLevel: "info",
};

fs.mkdirSync("dist/spec", { recursive: true });
fs.copyFileSync("spec/BatchService-2022-10-01.16.0.json", "dist/spec/BatchService-2022-10-01.16.0.json");
// the workload templates `batch-manager new` and "Batch: New Workload…" copy (src/core/scaffold/assets.ts finds them here)
fs.rmSync("dist/scaffold-templates", { recursive: true, force: true });
fs.cpSync("src/core/scaffold/templates", "dist/scaffold-templates", { recursive: true });
// Python projects get a copy of the pure-Python runtime package (src/core/scaffold/assets.ts PYTHON_RUNTIME_IN_TEMPLATES)
fs.cpSync("src/runtime-python/batch_manager", "dist/scaffold-templates/python/runtime/batch_manager", {
  recursive: true,
  filter: (src) => !src.includes("__pycache__"),
});
if (watch) {
  await (await esbuild.context(options)).watch();
} else {
  await esbuild.build(options);
  fs.chmodSync("dist/cli.js", 0o755);
}
