// Why: bundles the CLI (and the local service it runs) into dist/; type-checking is the separate `tsc` step.
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import { CLI_ENTRY_POINTS, DEBUG_ADAPTER_ENTRY_POINT, nodeBundleOptions } from "./scripts/esbuildOptions.mjs";
import { writeCompactSpecs } from "./scripts/compactSpec.mjs";

const watch = process.argv.includes("--watch");
const options = nodeBundleOptions({ entryPoints: { ...CLI_ENTRY_POINTS, ...DEBUG_ADAPTER_ENTRY_POINT }, outdir: "dist", logLevel: "info" });

// compact copies of every api-version's spec (the service reads each when a request first names that version)
writeCompactSpecs("spec", "dist/spec");
// the workload templates `batch-manager new` and "Batch: New Workload…" copy (src/core/scaffold/assets.ts finds them here)
fs.rmSync("dist/scaffold-templates", { recursive: true, force: true });
fs.cpSync("src/core/scaffold/templates", "dist/scaffold-templates", { recursive: true });
// Python projects get a copy of the pure-Python runtime package (src/core/scaffold/assets.ts PYTHON_RUNTIME_IN_TEMPLATES)
fs.cpSync("src/runtime-python/batch_manager", "dist/scaffold-templates/python/runtime/batch_manager", {
  recursive: true,
  filter: (src) => !src.includes("__pycache__"),
});
// the spawn launcher the local service runs with Python where it can (src/local/node/spawnLauncher.ts finds it beside cli.js)
fs.copyFileSync("src/local/node/spawn_launcher.py", "dist/spawn_launcher.py");
if (watch) {
  await (await esbuild.context(options)).watch();
} else {
  await esbuild.build(options);
  fs.chmodSync("dist/cli.js", 0o755);
}
