// Why: the packed runtime must declare the same dependency versions the repository pins and tests (one @azure/identity, fit for Node 20).

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../support/localService";

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")) as { dependencies: Record<string, string> };

describe("the runtime package manifest", () => {
  it("declares exactly the versions of its dependencies that the repository installs and tests", () => {
    const runtime = read("src/runtime/package.json").dependencies;
    const repository = read("package.json").dependencies;
    for (const [name, range] of Object.entries(runtime)) {
      assert.equal(range, repository[name], `src/runtime/package.json declares ${name}@${range}; the repository pins ${repository[name]}`);
    }
  });
});
