// Why: the committed schemas/*.schema.json are exactly what scripts/generate-batch-schemas.mjs makes of the local service's REST spec, and package.json validates each file pattern with its schema.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { DEFINITIONS } from "../../../src/extension/manage/definitionKinds";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");

interface Generator {
  SPEC_FILE: string;
  BATCH_SCHEMAS: Record<string, { definition: string; fileMatch: string }>;
  generateBatchSchemas(specText: string): Record<string, string>;
}

const generator = (): Promise<Generator> => import(pathToFileURL(path.join(ROOT, "scripts", "generate-batch-schemas.mjs")).href);

describe("generated Batch schemas", () => {
  it("are generated from the spec the local service speaks", async () => {
    const { SPEC_FILE } = await generator();
    const spec = fs.readFileSync(path.join(ROOT, "src", "local", "protocol", "spec.ts"), "utf8");
    const version = /API_VERSION = "([^"]+)"/.exec(spec)?.[1];
    assert.equal(SPEC_FILE, `spec/BatchService-${version}.json`);
  });

  it("are committed exactly as the generator writes them (run node scripts/generate-batch-schemas.mjs after changing it)", async () => {
    const { SPEC_FILE, generateBatchSchemas } = await generator();
    const generated = generateBatchSchemas(fs.readFileSync(path.join(ROOT, SPEC_FILE), "utf8"));
    assert.ok(Object.keys(generated).length >= 4);
    for (const [file, text] of Object.entries(generated)) {
      assert.equal(fs.readFileSync(path.join(ROOT, "schemas", file), "utf8"), text, `schemas/${file} differs from the generator's output`);
    }
  });

  it("each describes its definition, closed like the service's bodies, with the spec's required properties", async () => {
    const { SPEC_FILE, BATCH_SCHEMAS } = await generator();
    const spec = JSON.parse(fs.readFileSync(path.join(ROOT, SPEC_FILE), "utf8")) as { definitions: Record<string, { required?: string[] }> };
    for (const [file, { definition }] of Object.entries(BATCH_SCHEMAS)) {
      const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", file), "utf8"));
      assert.equal(schema.additionalProperties, false, file);
      assert.deepEqual(schema.required, spec.definitions[definition].required, file);
      assert.doesNotMatch(JSON.stringify(schema), /"x-ms-|"#\/definitions\/(?![A-Za-z])/, `${file} has spec extensions or broken refs`);
      for (const ref of JSON.stringify(schema).matchAll(/"#\/definitions\/([A-Za-z]+)"/g))
        assert.ok(schema.definitions[ref[1]], `${file}: ${ref[1]} is referenced but not defined`);
    }
  });

  it("package.json validates *.pool.json, *.job.json, *.task.json and *.starttask.json with them, and the extension bundles the same files", async () => {
    const { BATCH_SCHEMAS } = await generator();
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      contributes: { jsonValidation: { fileMatch: string; url: string }[] };
    };
    for (const [file, { fileMatch }] of Object.entries(BATCH_SCHEMAS)) {
      assert.ok(
        manifest.contributes.jsonValidation.some((entry) => entry.fileMatch === fileMatch && entry.url === `./schemas/${file}`),
        `no jsonValidation entry for ${fileMatch} → ./schemas/${file}`,
      );
    }
    for (const info of Object.values(DEFINITIONS)) {
      const entry = Object.entries(BATCH_SCHEMAS).find(([, s]) => s.definition === info.definition);
      assert.ok(entry, info.definition);
      assert.equal(`*${info.suffix}`, entry[1].fileMatch);
      assert.deepEqual(info.schema, JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", entry[0]), "utf8")));
    }
  });
});
