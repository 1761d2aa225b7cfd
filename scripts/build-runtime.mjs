// Why: builds the @batch-manager/runtime package into dist/runtime/ (bundled index.js, type declarations, package.json, README) for `npm pack`.
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeBundleOptions, ROOT as root } from "./esbuildOptions.mjs";

const source = path.join(root, "src", "runtime");
const out = path.join(root, "dist", "runtime");

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

// the package's dependencies (@azure/*, yaml) are installed beside it, not bundled (nodeBundleOptions keeps packages external)
await esbuild.build(nodeBundleOptions({ entryPoints: [path.join(source, "index.ts")], outfile: path.join(out, "index.js") }));

const tsc = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "tsc.cmd" : "tsc");
execFileSync(tsc, ["-p", path.join(source, "tsconfig.json")], { stdio: "inherit", cwd: root });

fs.copyFileSync(path.join(source, "package.json"), path.join(out, "package.json"));
fs.copyFileSync(path.join(root, "docs", "runtime.md"), path.join(out, "README.md"));
console.log(`built ${path.relative(root, out)}`);
