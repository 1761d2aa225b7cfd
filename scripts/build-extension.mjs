#!/usr/bin/env node
// Why: bundles the VS Code extension (src/extension/extension.ts) into dist/extension.js, the file package.json "main" names.
//
//   node scripts/build-extension.mjs [--production] [--watch]
//
// `vscode` is provided by the extension host and every npm package stays external too
// (`packages: "external"`): @azure/batch & co. load from node_modules at run time. Our own
// sources (src/extension, src/local, ...) are bundled. Type-checking is tsc's job (`npx tsc -p .`).
import * as esbuild from "esbuild";
import { nodeBundleOptions } from "./esbuildOptions.mjs";

const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

/** Prints errors in the `esbuild-problem-matchers` format, so a VS Code watch task can show them. */
const problemMatcherPlugin = {
  name: "problem-matcher",
  setup(build) {
    build.onStart(() => console.log("[watch] build started"));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log("[watch] build finished");
    });
  },
};

const options = nodeBundleOptions({
  entryPoints: ["src/extension/extension.ts"],
  outfile: "dist/extension.js",
  external: ["vscode"],
  sourcemap: production ? false : "linked",
  sourcesContent: false,
  minify: production,
  logLevel: watch ? "silent" : "warning",
  plugins: watch ? [problemMatcherPlugin] : [],
});

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  const t0 = Date.now();
  await esbuild.build(options);
  console.log(`dist/extension.js built in ${Date.now() - t0} ms${production ? " (production)" : ""}`);
}
