// Why: stages what the .vsix ships in dist/vsix-stage/: self-contained production bundles, and under dist/node_modules only what cannot be
// bundled (esbuild's JavaScript API and its native binary, Azurite's blob service as one bundled file), so `vsce package` packs a few hundred files.
//
//   node scripts/stage-vsix.mjs   (after `node esbuild.mjs` and scripts/pack-cli.sh: it copies their spec, templates and tarballs)
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLI_ENTRY_POINTS, DEBUG_ADAPTER_ENTRY_POINT, NEVER_BUNDLED, nodeBundleOptions, ROOT, requireConditionPlugin } from "./esbuildOptions.mjs";

const stage = path.join(ROOT, "dist", "vsix-stage");
const stagedDist = path.join(stage, "dist");
const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stagedDist, { recursive: true });

// 1. The bundles package.json and the CLI name: every npm package inside, but `vscode`, esbuild and the TypeScript compiler API (the
// extension and the CLI both use it; one copy is staged in dist/node_modules below instead of 3.5 MB in each bundle).
const SHARED_BY_BUNDLES = ["typescript-api"];
const bundleOptions = {
  outdir: stagedDist,
  packages: "bundle",
  external: [...NEVER_BUNDLED, ...SHARED_BY_BUNDLES],
  sourcemap: false,
  minify: true,
  keepNames: true,
  alias: { "whatwg-url": "./scripts/whatwgUrlShim.cjs" },
  plugins: [requireConditionPlugin],
};
await esbuild.build(nodeBundleOptions({ ...bundleOptions, entryPoints: { extension: "src/extension/extension.ts" } }));
// The CLI and the debug adapter share one bundle (most of their code is the same): each runs its entry point when required,
// and dist/cli.js and dist/debugAdapter.js are one-line files that require it (its __dirname is dist/, as theirs is).
const sharedEntries = { cli: CLI_ENTRY_POINTS.cli, debugAdapter: DEBUG_ADAPTER_ENTRY_POINT.debugAdapter };
await esbuild.build(
  nodeBundleOptions({
    ...bundleOptions,
    stdin: {
      contents: Object.entries(sharedEntries)
        .map(([name, entry]) => `exports.${name} = () => require(${JSON.stringify(`./${entry}`)});`)
        .join("\n"),
      resolveDir: ROOT,
      sourcefile: "batch-manager-entries.js",
    },
    outdir: undefined,
    outfile: path.join(stagedDist, "batch-manager.js"),
  }),
);
for (const name of Object.keys(sharedEntries)) {
  const shebang = name === "cli" ? "#!/usr/bin/env node\n" : "";
  fs.writeFileSync(path.join(stagedDist, `${name}.js`), `${shebang}"use strict";\nrequire("./batch-manager.js").${name}();\n`);
}
await esbuild.build(nodeBundleOptions({ ...bundleOptions, entryPoints: { spawnLauncherMain: CLI_ENTRY_POINTS.spawnLauncherMain } }));
fs.chmodSync(path.join(stagedDist, "cli.js"), 0o755);

// 2. What the bundles find beside them at run time (built by esbuild.mjs, scripts/pack-runtime.sh and scripts/pack-cli.sh).
fs.cpSync(path.join(ROOT, "dist", "spec"), path.join(stagedDist, "spec"), { recursive: true });
fs.copyFileSync(path.join(ROOT, "src", "local", "node", "spawn_launcher.py"), path.join(stagedDist, "spawn_launcher.py"));
fs.cpSync(path.join(ROOT, "dist", "scaffold-templates"), path.join(stagedDist, "scaffold-templates"), { recursive: true });
for (const prefix of ["batch-manager-runtime-", "batch-manager-cli-"]) {
  const name = `${prefix}${prefix.includes("runtime") ? JSON.parse(fs.readFileSync(path.join(ROOT, "src", "runtime", "package.json"), "utf8")).version : rootPackage.version}.tgz`;
  if (!fs.existsSync(path.join(ROOT, "dist", name))) throw new Error(`dist/${name} is missing: run scripts/pack-cli.sh first`);
  fs.copyFileSync(path.join(ROOT, "dist", name), path.join(stagedDist, name));
}

// 3. dist/node_modules: what the bundles still require or start (Node resolves it from dist/*.js before any other node_modules).
const stagedModules = path.join(stagedDist, "node_modules");
const copyFromPackage = (name, files) => {
  for (const file of files) {
    const target = path.join(stagedModules, name, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "node_modules", name, file), target);
  }
};
// esbuild: its API (lib/main.js) runs the binary of this platform's @esbuild/<platform>-<arch> package (workload builds for deploy and F5)
copyFromPackage("esbuild", ["package.json", "lib/main.js", "LICENSE.md"]);
const esbuildPlatform = `@esbuild/${process.platform}-${process.arch}`;
copyFromPackage(esbuildPlatform, ["package.json", process.platform === "win32" ? "esbuild.exe" : "bin/esbuild"]);
// Azurite: src/local/storage/azurite.ts starts require.resolve("azurite/dist/src/blob/main.js") as a process; one bundled file answers it
const azurite = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "azurite", "package.json"), "utf8"));
await esbuild.build(
  nodeBundleOptions({
    entryPoints: [path.join(ROOT, "node_modules", "azurite", "dist", "src", "blob", "main.js")],
    outfile: path.join(stagedModules, "azurite", "dist", "src", "blob", "main.js"),
    packages: "bundle",
    // SQL metadata stores (Azurite's --databaseConnectionString); the blob service uses its LokiJS store without them
    external: ["mysql2", "tedious", "pg", "pg-hstore", "sqlite3", "mariadb", "oracledb", "ibm_db", "snowflake-sdk"],
    sourcemap: false,
    minify: true,
  }),
);
fs.writeFileSync(
  path.join(stagedModules, "azurite", "package.json"),
  `${JSON.stringify({ name: "azurite", version: azurite.version, license: azurite.license, description: "Azurite's blob service, bundled into one file for the .vsix" }, null, 2)}\n`,
);
copyFromPackage("azurite", ["LICENSE"]);
// the TypeScript compiler API (add-task edits workload sources with it): its main file, minified, and nothing of its lib/*.d.ts (it only parses)
const typescript = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "typescript-api", "package.json"), "utf8"));
await esbuild.build(
  nodeBundleOptions({
    entryPoints: [path.join(ROOT, "node_modules", "typescript-api", typescript.main)],
    outfile: path.join(stagedModules, "typescript-api", typescript.main),
    packages: "bundle",
    sourcemap: false,
    minify: true,
  }),
);
fs.writeFileSync(
  path.join(stagedModules, "typescript-api", "package.json"),
  `${JSON.stringify({ name: typescript.name, version: typescript.version, license: typescript.license, main: typescript.main }, null, 2)}\n`,
);
copyFromPackage("typescript-api", ["LICENSE.txt"]);

// 4. The manifest (without the build's scripts and dependencies: nothing is installed) and the files it and the README refer to.
const { scripts: _scripts, dependencies: _dependencies, devDependencies: _devDependencies, ...manifest } = rootPackage;
fs.writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
for (const file of ["README.md", "LICENSE", ".vscodeignore"]) fs.copyFileSync(path.join(ROOT, file), path.join(stage, file));
for (const dir of ["media", "syntaxes", "schemas"]) fs.cpSync(path.join(ROOT, dir), path.join(stage, dir), { recursive: true });
// every other relative path the manifest names (a contributed snippet, grammar or icon in another folder) comes along too
const referenced = (value) =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(referenced)
      : value && typeof value === "object"
        ? Object.values(value).flatMap(referenced)
        : [];
for (const value of referenced(manifest.contributes)) {
  const relative = value.replace(/^\.\//, "");
  if (!/^[\w.-]+\/[\w./-]+$/.test(relative) || relative.startsWith("dist/")) continue;
  const source = path.join(ROOT, relative);
  if (fs.existsSync(source) && fs.statSync(source).isFile() && !fs.existsSync(path.join(stage, relative))) {
    fs.mkdirSync(path.dirname(path.join(stage, relative)), { recursive: true });
    fs.copyFileSync(source, path.join(stage, relative));
  }
}
console.log(path.relative(ROOT, stage));
