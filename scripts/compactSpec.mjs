// Why: the shipped copies of the Batch REST specs (dist/spec, the CLI package): what the local service reads of them, without the prose it never uses.
//
//   writeCompactSpecs("spec", "dist/spec")   (esbuild.mjs and scripts/build-cli-package.mjs call it)
import * as fs from "node:fs";
import * as path from "node:path";

/** Documentation members: the service's operation lookup, Ajv schemas and response adapter read none of them. */
const DOC_KEYS = new Set(["description", "title", "summary", "externalDocs", "x-ms-examples"]);
/** Members whose keys are names (a property called `description`, a path, a status code), not schema keywords. */
const NAME_MAPS = new Set(["properties", "definitions", "paths", "parameters", "responses", "headers"]);

function compact(node, keysAreNames = false) {
  if (Array.isArray(node)) return node.map((item) => compact(item));
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (keysAreNames) out[key] = compact(value);
    else if (!DOC_KEYS.has(key)) out[key] = compact(value, NAME_MAPS.has(key) && !Array.isArray(value));
  }
  return out;
}

/** One spec document, minified and without its documentation members. */
export const compactSpec = (text) => JSON.stringify(compact(JSON.parse(text)));

/** Every spec/BatchService-<version>.json as a compact copy in `to`, with the provenance and licence notice beside them. */
export function writeCompactSpecs(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(from)) {
    if (/^BatchService-.+\.json$/.test(name)) fs.writeFileSync(path.join(to, name), compactSpec(fs.readFileSync(path.join(from, name), "utf8")));
    else if (name === "LICENSE-BatchService.md") fs.copyFileSync(path.join(from, name), path.join(to, name));
  }
}
