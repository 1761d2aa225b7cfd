// Why: the one workload build and zip: a real esbuild bundle with a source map pointing at the .ts files, and byte-identical zips.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { buildWorkload } from "../../src/core/workload/buildWorkload";
import { zipDirectory } from "../../src/core/workload/zipWorkload";
import { tempDir } from "../support/localService";

function workload(files: Record<string, string>): string {
  const dir = tempDir("build");
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("buildWorkload", () => {
  it("bundles src/main.ts with kept class names and a linked source map naming the .ts sources; copies logging.yaml", async () => {
    const dir = workload({
      "src/main.ts": 'import { Greeter } from "./greeter";\nconsole.log(new Greeter().constructor.name);\n',
      "src/greeter.ts": "export class Greeter {\n  hello(): string {\n    return 'hi';\n  }\n}\n",
      "logging.yaml": "level: info\n",
    });
    const build = await buildWorkload({ workloadDir: dir });
    assert.deepEqual(build.files, ["logging.yaml", "main.js", "main.js.map"]);
    assert.match(fs.readFileSync(build.mainFile, "utf8"), /\/\/# sourceMappingURL=main\.js\.map\s*$/);
    const map = JSON.parse(fs.readFileSync(build.sourceMapFile, "utf8")) as { sources: string[] };
    assert.deepEqual(map.sources.map((s) => path.resolve(path.dirname(build.sourceMapFile), s)).sort(), [
      path.join(dir, "src", "greeter.ts"),
      path.join(dir, "src", "main.ts"),
    ]);
  });

  it("names the file and line of a build error, and refuses a folder without src/main.ts", async () => {
    const broken = workload({ "src/main.ts": 'import "./missing";\n' });
    await assert.rejects(buildWorkload({ workloadDir: broken }), /does not build:[\s\S]*src\/main\.ts:1:8: Could not resolve "\.\/missing"/);
    await assert.rejects(buildWorkload({ workloadDir: workload({ "package.json": "{}" }) }), /no workload entry file at .*src\/main\.ts/);
  });
});

describe("zipDirectory", () => {
  it("gives byte-identical archives for the same files, whatever their timestamps", async () => {
    const dir = workload({ "main.js": "console.log(1)\n", "sub/data.txt": "x\n" });
    const first = await zipDirectory(dir);
    fs.utimesSync(path.join(dir, "main.js"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const second = await zipDirectory(dir);
    assert.ok(first.equals(second), "the archive changed with a file's mtime");
    fs.writeFileSync(path.join(dir, "main.js"), "console.log(2)\n");
    assert.ok(!first.equals(await zipDirectory(dir)), "a changed file must change the archive");
  });
});
