// Why: setupLogging — per-logger levels (dotted prefixes), text and JSON-lines formats, job/task ids on every line, Python logging.yaml spellings.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, it } from "node:test";
import { getLogger, setupLogging } from "../../src/runtime";
import { tempDir } from "../support/localService";

function capture(config: unknown, env: NodeJS.ProcessEnv = {}, extension = "json"): { lines: { line: string; stream: string }[] } {
  const file = path.join(tempDir("logging"), `logging.${extension}`);
  fs.writeFileSync(file, typeof config === "string" ? config : JSON.stringify(config));
  const captured = { lines: [] as { line: string; stream: string }[] };
  setupLogging(file, { env, writer: (line, stream) => captured.lines.push({ line, stream }) });
  return captured;
}

describe("setupLogging", () => {
  afterEach(() => setupLogging(undefined, { env: {}, writer: () => undefined }));

  it("JSON lines carry time, level, logger, job id, task id, fields and errors", () => {
    const out = capture({ format: "json", level: "debug" }, { AZ_BATCH_JOB_ID: "job-7", AZ_BATCH_TASK_ID: "42" });
    getLogger("workload.transform").info("transformed", { lines: 3 });
    getLogger("workload.transform").error("boom", new TypeError("bad input"));
    const [info, error] = out.lines.map(({ line }) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      { ...info, time: undefined },
      { time: undefined, level: "info", logger: "workload.transform", message: "transformed", jobId: "job-7", taskId: "42", fields: { lines: 3 } },
    );
    assert.ok(!Number.isNaN(Date.parse(info!.time as string)));
    const reported = error!.error as { type: string; message: string; stack: string };
    assert.deepEqual([reported.type, reported.message], ["TypeError", "bad input"]);
    assert.match(reported.stack, /^TypeError: bad input\n\s+at /);
    assert.ok(out.lines.every(({ stream }) => stream === "stderr"));
  });

  it("text lines show level, logger, ids and key=value fields; errors add their stack", () => {
    const out = capture({ format: "text", stream: "stdout" }, { AZ_BATCH_JOB_ID: "job-7", AZ_BATCH_TASK_ID: "42" });
    getLogger("runtime.task").info("started", { entryPoint: "Transform Task", attempt: 1 });
    getLogger("runtime.task").error("failed", new Error("nope"));
    assert.match(out.lines[0]!.line, /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {4}runtime\.task \[job=job-7 task=42\] started entryPoint="Transform Task" attempt=1$/);
    assert.match(out.lines[1]!.line, /^\S+ ERROR {3}runtime\.task \[job=job-7 task=42\] failed\nError: nope\n\s+at /);
    assert.equal(out.lines[0]!.stream, "stdout");
  });

  it("without job and task ids (a developer machine) the ids are simply absent", () => {
    const out = capture({ format: "json" });
    getLogger("runtime.submit").info("hello");
    const line = JSON.parse(out.lines[0]!.line) as Record<string, unknown>;
    assert.equal("jobId" in line, false);
    assert.equal("taskId" in line, false);
  });

  it("levels apply per logger, the most specific dotted prefix winning", () => {
    const out = capture({ format: "json", level: "warning", loggers: { workload: "info", "workload.noisy": "error", "workload.noisy.debugged": "debug" } });
    getLogger("runtime").info("hidden: root is warning");
    getLogger("runtime").warning("shown");
    getLogger("workload.transform").info("shown: workload is info");
    getLogger("workload.transform").debug("hidden");
    getLogger("workload.noisy").warning("hidden: noisy is error");
    getLogger("workload.noisy.debugged").debug("shown: most specific");
    getLogger("workloadish").info("hidden: not under workload");
    assert.deepEqual(
      out.lines.map(({ line }) => (JSON.parse(line) as { message: string }).message),
      ["shown", "shown: workload is info", "shown: most specific"],
    );
  });

  it("accepts the Python dictConfig spellings (root.level, loggers.<name>.level, WARNING/CRITICAL)", () => {
    const out = capture({ root: { level: "WARNING" }, loggers: { "workload.a": { level: "DEBUG" }, "workload.b": { level: "CRITICAL" } } });
    getLogger("workload.a").debug("a");
    getLogger("workload.b").warning("b hidden");
    getLogger("other").info("hidden");
    assert.equal(out.lines.length, 1);
    assert.match(out.lines[0]!.line, / DEBUG +workload\.a a$/);
  });

  it("rejects unknown levels and formats, naming the file and key", () => {
    assert.throws(() => capture({ loggers: { "workload.a": "loud" } }), /logging\.json: loggers\.workload\.a: unknown log level "loud"/);
    assert.throws(() => capture({ format: "xml" }), /format must be "text" or "json"/);
  });

  it("reads YAML configs with the Python logging.yaml spellings", () => {
    const yamlText = "format: json\nlevel: info\nloggers:\n  workload:\n    level: DEBUG\n";
    const out = capture(yamlText, {}, "yaml");
    getLogger("workload.x").debug("from yaml");
    assert.equal(out.lines.length, 1);
    assert.equal(JSON.parse(out.lines[0].line).message, "from yaml");
  });
});
