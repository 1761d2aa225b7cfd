// Why: the generator's promises in-process: names → identifiers and Batch ids, nothing half-written on failure or cancellation,
// and add-task inserting exactly two lines into an otherwise byte-identical workload file.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { UserCancelledError } from "../../src/core/cancellation";
import { addTask } from "../../src/core/scaffold/addTask";
import { locateScaffoldAssets, type ScaffoldAssets } from "../../src/core/scaffold/assets";
import { generateWorkload } from "../../src/core/scaffold/generateWorkload";
import { taskNames, workloadNameProblem, workloadNames } from "../../src/core/scaffold/names";
import { REPO_ROOT, tempDir } from "../support/localService";

/** The clone's templates with stand-in tarballs: what the generator copies, without packing anything. */
function assets(): ScaffoldAssets {
  const dist = tempDir("scaffold-assets");
  fs.writeFileSync(path.join(dist, "batch-manager-runtime-0.1.0.tgz"), "runtime");
  fs.writeFileSync(path.join(dist, "batch-manager-cli-0.1.0.tgz"), "cli");
  const found = locateScaffoldAssets(path.join(REPO_ROOT, "out", "src", "core", "scaffold"));
  return { ...found, runtimeTarball: path.join(dist, "batch-manager-runtime-0.1.0.tgz"), cliTarball: path.join(dist, "batch-manager-cli-0.1.0.tgz") };
}

const leftovers = (dir: string) => fs.readdirSync(dir).filter((name) => name.includes(".scaffold-"));

describe("scaffold generator", () => {
  it("derives identifiers and Batch ids from the workload name, and says what is allowed otherwise", () => {
    assert.deepEqual(workloadNames("image-resize"), { workloadName: "image-resize", className: "ImageResize" });
    assert.deepEqual(workloadNames("My Workload 2"), { workloadName: "my-workload-2", className: "MyWorkload2" });
    assert.deepEqual(workloadNames("imageResize"), { workloadName: "image-resize", className: "ImageResize" });
    for (const bad of ["", "9lives", "a--b", "-a", "ü-name", "a".repeat(51), "a.b"])
      assert.match(workloadNameProblem(bad) ?? "", /workload name (starts with a letter|is empty)|characters long/, bad);
    assert.deepEqual(taskNames("ResizeImage"), {
      taskClass: "ResizeImageTask",
      builderClass: "ResizeImageTaskBuilder",
      argsInterface: "ResizeImageArgs",
      fileName: "resizeImageTask",
    });
    assert.equal(taskNames("GatherTask").taskClass, "GatherTask");
    assert.throws(() => taskNames("JobManager"), /'JobManager' is reserved/);
  });

  it("a cancelled generation leaves neither the project folder nor its staging folder", async () => {
    const parent = tempDir("scaffold-cancel");
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(
      generateWorkload({ targetDir: path.join(parent, "cancelled"), template: "hello-world", force: false, assets: assets(), signal: abort.signal }),
      UserCancelledError,
    );
    assert.deepEqual(fs.readdirSync(parent), []);
  });

  it("a failure while writing (a tarball missing) leaves nothing half-written", async () => {
    const parent = tempDir("scaffold-fail");
    const broken = { ...assets(), runtimeTarball: path.join(parent, "missing.tgz") };
    await assert.rejects(generateWorkload({ targetDir: path.join(parent, "broken"), template: "scatter-gather", force: false, assets: broken }), /ENOENT/);
    assert.deepEqual(fs.readdirSync(parent), []);
    assert.deepEqual(leftovers(parent), []);
  });

  it("add-task inserts exactly the import and the registration; every other byte stays", async () => {
    const parent = tempDir("scaffold-add");
    const { dir } = await generateWorkload({ targetDir: path.join(parent, "adds"), template: "scatter-gather", force: false, assets: assets() });
    const file = path.join(dir, "src", "workload.ts");
    const original = fs.readFileSync(file, "utf8");
    addTask({ workloadDir: dir, name: "Normalize" });
    const updated = fs.readFileSync(file, "utf8").split("\n");
    const inserted = updated.filter((line) => !original.split("\n").includes(line));
    assert.deepEqual(inserted, [
      'import { NormalizeTask, NormalizeTaskBuilder } from "./tasks/normalizeTask";',
      "    this.entryPointsRepository.registerEntryPoint(NormalizeTask, NormalizeTaskBuilder);",
    ]);
    assert.equal(updated.filter((line) => !inserted.includes(line)).join("\n"), original);
    assert.ok(fs.existsSync(path.join(dir, "src", "tasks", "normalizeTask.ts")));
    assert.deepEqual(leftovers(parent), []);
  });
});
