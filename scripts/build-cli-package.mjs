// Why: builds the installable `@batch-manager/cli` npm package into dist/cli-package/ (bundled cli.js and testing.js, the REST
// spec, the workload templates, the runtime tarball new projects get, a package.json listing what the bundles require) for `npm pack`.
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLI_ENTRY_POINTS, nodeBundleOptions, ROOT as root } from "./esbuildOptions.mjs";
import { writeCompactSpecs } from "./compactSpec.mjs";

const out = path.join(root, "dist", "cli-package");
const rootPackage = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
/** required at run time without an import esbuild can see (require.resolve of Azurite's entry) */
const UNSEEN_DEPENDENCIES = ["azurite"];

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

const result = await esbuild.build(
  nodeBundleOptions({ entryPoints: { ...CLI_ENTRY_POINTS, testing: "src/core/scaffold/testing/index.ts" }, outdir: out, metafile: true }),
);
fs.chmodSync(path.join(out, "cli.js"), 0o755);

// the package's dependencies: every bare import left external in the bundles, at the version installed here
const imported = new Set(UNSEEN_DEPENDENCIES);
for (const output of Object.values(result.metafile.outputs)) {
  for (const { path: specifier, external } of output.imports) {
    if (!external || specifier.startsWith("node:")) continue;
    imported.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]);
  }
}
const dependencies = {};
for (const name of [...imported].sort()) {
  const declared = rootPackage.dependencies?.[name] ?? rootPackage.devDependencies?.[name];
  if (declared?.startsWith("npm:")) dependencies[name] = declared;
  else dependencies[name] = JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version;
}

// testing.d.ts: the public types, with the runtime's types taken from the workload's own @batch-manager/runtime
const typesDir = fs.mkdtempSync(path.join(out, ".types-"));
const tsc = path.join(root, "node_modules", ".bin", "tsc");
fs.writeFileSync(
  path.join(typesDir, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      declaration: true,
      emitDeclarationOnly: true,
      noCheck: true,
      skipLibCheck: true,
      target: "ES2022",
      module: "node16",
      moduleResolution: "node16",
      types: ["node"],
      typeRoots: [path.join(root, "node_modules", "@types")],
      rootDir: path.join(root, "src"),
      outDir: typesDir,
    },
    files: [path.join(root, "src/core/scaffold/testing/testingApi.ts")],
  }),
);
execFileSync(tsc, ["-p", path.join(typesDir, "tsconfig.json")], { cwd: root, stdio: "inherit" });
const declarations = fs
  .readFileSync(path.join(typesDir, "core/scaffold/testing/testingApi.d.ts"), "utf8")
  .replace(/from "(\.\.\/)+runtime"/g, 'from "@batch-manager/runtime"');
fs.writeFileSync(
  path.join(out, "testing.d.ts"),
  `${declarations}\n/** Starts or joins the local Batch service, deploys the workload, uploads inputs, runs the job and returns its summary and outputs. */\nexport declare function runWorkloadLocally(options: RunWorkloadLocallyOptions): Promise<WorkloadRun>;\n`,
);
fs.rmSync(typesDir, { recursive: true, force: true });

writeCompactSpecs(path.join(root, "spec"), path.join(out, "spec"));
fs.cpSync(path.join(root, "src", "core", "scaffold", "templates"), path.join(out, "scaffold-templates"), { recursive: true });
fs.cpSync(path.join(root, "src", "runtime-python", "batch_manager"), path.join(out, "scaffold-templates", "python", "runtime", "batch_manager"), {
  recursive: true,
  filter: (src) => !src.includes("__pycache__"),
});
const runtimeTarball = fs
  .readdirSync(path.join(root, "dist"))
  .find((name) => name === `batch-manager-runtime-${JSON.parse(fs.readFileSync(path.join(root, "src", "runtime", "package.json"), "utf8")).version}.tgz`);
if (!runtimeTarball) throw new Error("dist/batch-manager-runtime-<version>.tgz is missing: run scripts/pack-runtime.sh first");
fs.copyFileSync(path.join(root, "dist", runtimeTarball), path.join(out, runtimeTarball));
fs.copyFileSync(path.join(root, "docs", "scaffold.md"), path.join(out, "README.md"));
fs.copyFileSync(path.join(root, "src", "local", "node", "spawn_launcher.py"), path.join(out, "spawn_launcher.py"));

const cliPackage = {
  name: "@batch-manager/cli",
  version: rootPackage.version,
  description: "The batch-manager command line: the local Batch service, workload scaffolding (new, add-task), and a testing API for workloads.",
  license: rootPackage.license,
  bin: { "batch-manager": "cli.js" },
  main: "cli.js",
  exports: { "./testing": { types: "./testing.d.ts", default: "./testing.js" }, "./package.json": "./package.json" },
  files: [
    "cli.js",
    "cli.js.map",
    "testing.js",
    "testing.js.map",
    "spawnLauncherMain.js",
    "spawnLauncherMain.js.map",
    "spawn_launcher.py",
    "testing.d.ts",
    "spec/",
    "scaffold-templates/",
    runtimeTarball,
    "README.md",
  ],
  engines: { node: ">=20" },
  peerDependencies: { "@batch-manager/runtime": rootPackage.version },
  peerDependenciesMeta: { "@batch-manager/runtime": { optional: true } },
  dependencies,
};
fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(cliPackage, null, 2)}\n`);
console.log(`built ${path.relative(root, out)} (${Object.keys(dependencies).length} dependencies)`);
