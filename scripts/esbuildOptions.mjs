// Why: the esbuild options every Node bundle of this repo shares (esbuild.mjs, build-extension.mjs, build-cli-package.mjs, build-runtime.mjs, stage-vsix.mjs), so each script says only what it bundles and where.
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** the repository root */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Node 20, CommonJS, linked source maps; our sources are bundled and npm packages stay external (loaded from node_modules at run time),
 * unless `overrides` says otherwise (the .vsix bundles everything but what `NEVER_BUNDLED` names).
 */
export function nodeBundleOptions(overrides = {}) {
  return {
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: true,
    packages: "external",
    logLevel: "warning",
    ...overrides,
  };
}

/** The CLI's bundles: the command line, and the local service's small task-spawning process (src/local/node/spawnLauncher.ts finds it beside cli.js). */
export const CLI_ENTRY_POINTS = { cli: "src/cli/main.ts", spawnLauncherMain: "src/local/node/spawnLauncherMain.ts" };

/** The standalone `batch-task` debug adapter (DAP over stdio), package.json contributes.debuggers[].program. */
export const DEBUG_ADAPTER_ENTRY_POINT = { debugAdapter: "src/core/debug/adapterMain.ts" };

/**
 * What a self-contained bundle still loads from node_modules: `vscode` (the extension host provides it), `esbuild` (its JavaScript API
 * drives a native binary and refuses to be bundled) and `azurite` (not imported: src/local/storage/azurite.ts starts its blob service as a process).
 */
export const NEVER_BUNDLED = ["vscode", "esbuild", "azurite"];

/**
 * For bundles that take npm packages in: resolves every bare import as `require` would (the "require" export condition), so a dual
 * package contributes the CommonJS build Node loads from node_modules, not an ESM build whose `import.meta.url` is empty in a CJS bundle.
 */
export const requireConditionPlugin = {
  name: "require-condition",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== "import-statement" && args.kind !== "dynamic-import") return undefined;
      const resolved = await build.resolve(args.path, { kind: "require-call", resolveDir: args.resolveDir, importer: args.importer });
      if (resolved.errors.length > 0) return undefined;
      return { path: resolved.path, external: resolved.external, namespace: resolved.namespace, sideEffects: resolved.sideEffects };
    });
  },
};
