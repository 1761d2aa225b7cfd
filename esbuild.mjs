// Why: bundles the CLI (and the local service it runs) into dist/; type-checking is the separate `tsc` step.
import * as esbuild from "esbuild";
import * as fs from "node:fs";

const watch = process.argv.includes("--watch");
const options = {
  entryPoints: { cli: "src/cli/main.ts" },
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
if (watch) {
  await (await esbuild.context(options)).watch();
} else {
  await esbuild.build(options);
  fs.chmodSync("dist/cli.js", 0o755);
}
