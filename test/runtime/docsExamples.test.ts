// Why: the code in docs/runtime.md and the README is what users copy: every ```ts block must compile, strict, against the packed runtime.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../support/localService";
import { WorkloadProject } from "./support/workloadProject";

interface CodeBlock {
  /** where the block goes in the project: its first line `// src/x.ts` (or `// x.ts`) names it, else snippet-<n>.ts */
  readonly file: string;
  readonly code: string;
  readonly line: number;
}

/** The ```ts blocks of a markdown file, each with the file it says it is. */
function typeScriptBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const pattern = /^```ts\n([\s\S]*?)^```/gm;
  for (const match of markdown.matchAll(pattern)) {
    const code = match[1];
    const named = /^\/\/ (?:src\/)?([\w./-]+\.ts)\b/.exec(code);
    const line = markdown.slice(0, match.index).split("\n").length;
    blocks.push({ file: path.join("src", named ? named[1] : `snippet-${blocks.length + 1}.ts`), code, line });
  }
  return blocks;
}

/** Writes the blocks into a scratch workload project (the packed runtime installed) and type-checks it; tsc's output on failure. */
function compileBlocks(blocks: readonly CodeBlock[]): string | undefined {
  const project = WorkloadProject.create();
  fs.rmSync(path.join(project.dir, "src"), { recursive: true, force: true });
  for (const block of blocks) {
    const file = path.join(project.dir, block.file);
    assert.ok(!fs.existsSync(file), `two blocks name ${block.file}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, block.code);
  }
  try {
    project.typeCheck();
    return undefined;
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe("documentation code compiles", () => {
  for (const doc of ["docs/runtime.md", "README.md"]) {
    it(`every TypeScript block of ${doc}`, () => {
      const blocks = typeScriptBlocks(fs.readFileSync(path.join(REPO_ROOT, doc), "utf8"));
      assert.ok(blocks.length > 0, `${doc} has TypeScript blocks`);
      const errors = compileBlocks(blocks);
      const where = blocks.map((b) => `${b.file} (line ${b.line})`).join(", ");
      assert.equal(errors, undefined, `${doc}: ${where}\n${errors}`);
    });
  }

  it("fails on a block that does not compile (the check can fail)", () => {
    const errors = compileBlocks(typeScriptBlocks("```ts\n// src/broken.ts\nconst n: number = GatherTask;\n```\n"));
    assert.match(errors ?? "", /Cannot find name 'GatherTask'/);
  });
});
