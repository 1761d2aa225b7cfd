// Why: deploy reads a Python workload's name and SemVer version from pyproject.toml's [project] table only, and writes a bump back there alone.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { isPythonWorkload, readPyprojectManifest, writePyprojectVersion } from "../../src/core/deploy/pythonWorkload";
import { readWorkloadManifest, writeWorkloadVersion } from "../../src/core/deploy/workloadManifest";
import { tempDir } from "../support/localService";

const PYPROJECT = `[tool.other]\nversion = "9.9.9"\n\n[project]\nname = "My Sweep"  # the app\nversion = '1.2.3'\n\n[tool.pytest.ini_options]\nversion = "0.0.1"\n`;

function project(pyproject: string, extra: Record<string, string> = { "main.py": "" }): string {
  const dir = tempDir("pyproject");
  fs.writeFileSync(path.join(dir, "pyproject.toml"), pyproject);
  for (const [file, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

describe("Python workload manifest (pyproject.toml)", () => {
  it("takes name and version from [project], not from other tables, and makes the name a Batch application id", () => {
    const manifest = readWorkloadManifest(project(PYPROJECT));
    assert.equal(manifest.language, "python");
    assert.equal(manifest.version, "1.2.3");
    assert.equal(manifest.applicationId, "My-Sweep");
  });

  it("a bump rewrites [project] version only", () => {
    const dir = project(PYPROJECT);
    writeWorkloadVersion(readPyprojectManifest(dir), "1.3.0");
    assert.equal(fs.readFileSync(path.join(dir, "pyproject.toml"), "utf8"), PYPROJECT.replace("version = '1.2.3'", "version = '1.3.0'"));
    writePyprojectVersion(path.join(dir, "pyproject.toml"), "2.0.0");
    assert.equal(readPyprojectManifest(dir).version, "2.0.0");
  });

  it("names the missing or bad field", () => {
    assert.throws(() => readPyprojectManifest(project('[project]\nversion = "1.0.0"\n')), /\[project\] 'name' is missing/);
    assert.throws(
      () => readPyprojectManifest(project('[project]\nname = "w"\n')),
      /\[project\] 'version' must be a SemVer version such as 1\.0\.0 \(got null\)/,
    );
    assert.throws(() => readPyprojectManifest(project('[project]\nname = "w"\nversion = "1.0"\n')), /\(got "1\.0"\)/);
  });

  it("is a Python workload only with main.py and without src/main.ts", () => {
    assert.equal(isPythonWorkload(project(PYPROJECT, {})), false);
    const both = project(PYPROJECT);
    assert.equal(isPythonWorkload(both), true);
    fs.mkdirSync(path.join(both, "src"));
    fs.writeFileSync(path.join(both, "src", "main.ts"), "");
    assert.equal(isPythonWorkload(both), false);
    assert.throws(() => readWorkloadManifest(project(PYPROJECT, {})), /no package\.json .*or pyproject\.toml and main\.py for Python/);
  });
});
