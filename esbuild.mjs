// Why: bundles the CLI (and the local service it runs) into dist/; type-checking is the separate `tsc` step.
import * as esbuild from "esbuild";
import * as fs from "node:fs";

const watch = process.argv.includes("--watch");
const options = {
  // debugAdapter: the standalone `batch-task` debug adapter (DAP over stdio), package.json contributes.debuggers[].program
  entryPoints: { cli: "src/cli/main.ts", debugAdapter: "src/core/debug/adapterMain.ts" },
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
if (watch) {
  await (await esbuild.context(options)).watch();
} else {
  await esbuild.build(options);
  fs.chmodSync("dist/cli.js", 0o755);
}
