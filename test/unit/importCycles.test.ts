// Why: keeps the layering one-directional: fails on any import cycle between folders of src/, naming the cycle and the files that make it.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { collapseGraph, describeCycle, findCycles, folderImportGraph } from "../support/importGraph";

const ROOT = path.resolve(__dirname, "../../..");

/** The folders whose imports are checked (each with every folder below it). */
const CHECKED_FOLDERS = ["src/core", "src/runtime", "src/extension", "src/cli", "src/local", "src/autoscale"];

const failureText = (cycles: ReturnType<typeof findCycles>) => `import cycles between folders:\n${cycles.map(describeCycle).join("\n")}`;

describe("import cycles", () => {
  const graph = folderImportGraph(ROOT, CHECKED_FOLDERS);

  it("reads the real imports (a parent folder importing its subfolder is an edge)", () => {
    assert.ok(fs.existsSync(path.join(ROOT, "package.json")), `no package.json in ${ROOT}`);
    assert.ok(graph.get("src/extension")?.has("src/extension/host"), "src/extension/extension.ts imports host/ but no edge was found");
    assert.ok(graph.get("src/runtime/application")?.has("src/runtime/contract"));
    assert.ok(graph.get("src/cli")?.has("src/core/localService"));
    assert.ok(graph.get("src/local")?.has("src/local/api"), "src/local/service.ts imports api/ but no edge was found");
  });

  it("no folder of src/ imports, directly or through others, a folder that imports it", () => {
    const cycles = findCycles(graph);
    assert.equal(cycles.length, 0, failureText(cycles));
  });

  it("no cycles between the top folders of src/ (core, runtime, extension, cli, …)", () => {
    const cycles = findCycles(collapseGraph(graph, 2));
    assert.equal(cycles.length, 0, failureText(cycles));
  });
});

describe("import cycle detection", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "import-cycles-"));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  it("names each folder of a cycle and one file per step, whatever the import form", () => {
    write("src/app/main.ts", 'import { tree } from "./tree";\nexport const main = tree;\n');
    write("src/app/tree/index.ts", 'export type { Account } from "../accounts/account";\nexport const tree = 1;\n');
    write("src/app/accounts/account.ts", 'export interface Account { id: string }\nexport const load = () => import("../tree/index.js");\n');
    write("src/app/accounts/other.ts", 'const same = require("./account");\n// import "../../lib/never" is a comment\nexport { same };\n');
    write("src/lib/util.ts", "export const util = 1;\n");

    const cycles = findCycles(folderImportGraph(root, ["src"]));
    assert.deepEqual(cycles, [{ folders: ["src/app/accounts", "src/app/tree"], importers: ["src/app/accounts/account.ts", "src/app/tree/index.ts"] }]);
    assert.equal(
      describeCycle(cycles[0]!),
      "src/app/accounts → src/app/tree (src/app/accounts/account.ts), src/app/tree → src/app/accounts (src/app/tree/index.ts)",
    );
  });

  it("finds a cycle through a parent folder and a longer cycle between top folders", () => {
    write("src/app/tree/leaf.ts", 'import { main } from "../main";\nexport const leaf = main;\n');
    write("src/lib/uses.ts", 'import { main } from "../app/main";\nexport const uses = main;\n');
    write("src/app/common/shared.ts", 'import { util } from "../../lib/util";\nexport const shared = util;\n');
    const graph = folderImportGraph(root, ["src"]);

    const nested = findCycles(graph).map((cycle) => cycle.folders);
    assert.ok(
      nested.some((folders) => folders.includes("src/app") && folders.includes("src/app/tree")),
      `src/app ↔ src/app/tree not found in ${JSON.stringify(nested)}`,
    );
    assert.ok(!nested.flat().includes("src/app/common"), "src/app/common imports only src/lib: it is on no cycle of folders");
    assert.deepEqual(
      findCycles(collapseGraph(graph, 2)).map((cycle) => cycle.folders),
      [["src/app", "src/lib"]],
    );
  });

  it("an acyclic tree has no cycles", () => {
    const clean = fs.mkdtempSync(path.join(root, "clean-"));
    fs.mkdirSync(path.join(clean, "src/a/b"), { recursive: true });
    fs.writeFileSync(path.join(clean, "src/a/b/leaf.ts"), "export const leaf = 1;\n");
    fs.writeFileSync(path.join(clean, "src/a/top.ts"), 'import { leaf } from "./b/leaf";\nimport { x } from "./missing";\nexport const top = leaf + x;\n');
    const graph = folderImportGraph(clean, ["src"]);
    assert.deepEqual([...graph.keys()], ["src/a"]);
    assert.deepEqual(findCycles(graph), []);
  });
});
