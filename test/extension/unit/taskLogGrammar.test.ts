// Why: tokenizes sample task-log lines with the real TextMate engine (vscode-textmate + Oniguruma WASM) to pin the scopes syntaxes/batch-task-log.tmLanguage.json gives them.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { OnigScanner, OnigString, loadWASM } from "vscode-oniguruma";
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from "vscode-textmate";
import { truncationBanner } from "../../../src/extension/files/tailView";
import { TASK_LOG_LANGUAGE } from "../../../src/extension/common/ids";
import { formatRecord, type LogRecord } from "../../../src/runtime/logging/logFormat";

const root = path.resolve(__dirname, "../../../..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const contributed = pkg.contributes.grammars.find((g: { language: string }) => g.language === TASK_LOG_LANGUAGE);
let grammar: IGrammar;

before(async () => {
  await loadWASM(fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm")));
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (sources) => new OnigScanner(sources), createOnigString: (text) => new OnigString(text) }),
    loadGrammar: async (scopeName) => {
      const file = path.join(root, contributed.path);
      return scopeName === contributed.scopeName ? parseRawGrammar(fs.readFileSync(file, "utf8"), file) : null;
    },
  });
  grammar = (await registry.loadGrammar(contributed.scopeName))!;
});

/** Every token of `text` (one or more lines, state carried from line to line) as [token text, scopes]. */
function tokenize(text: string): [string, string[]][] {
  let state: StateStack = INITIAL;
  return text.split("\n").flatMap((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t): [string, string[]] => [line.slice(t.startIndex, t.endIndex), t.scopes]);
  });
}

/** Asserts that `token` is a whole token of `text` (its first such occurrence) and has every one of `scopes`. */
function assertScopes(text: string, token: string, ...scopes: string[]): void {
  const tokens = tokenize(text);
  const found = tokens.find(([t]) => t === token);
  assert.ok(found, `no token ${JSON.stringify(token)} in ${JSON.stringify(tokens)}`);
  for (const scope of scopes) assert.ok(found[1].includes(scope), `${JSON.stringify(token)} lacks ${scope}: ${found[1].join(" ")}`);
}

const record: LogRecord = {
  time: new Date("2026-11-29T02:40:51.123Z"),
  level: "error",
  logger: "app.worker",
  message: "failed",
  jobId: "job-1",
  taskId: "t_7",
  fields: { item: 3 },
};
const workitemsFile = "/mnt/batch/tasks/workitems/job-1/job-1/t_7/wd/app.js";

describe("batch-task-log grammar (vscode-textmate + Oniguruma)", () => {
  it("is contributed for the batch-task-log language and every regex compiles in Oniguruma", () => {
    assert.ok(pkg.contributes.languages.find((l: { id: string }) => l.id === TASK_LOG_LANGUAGE)?.extensions.includes(".batchlog"));
    assert.equal(contributed.scopeName, "source.batch-task-log");
    const sources: string[] = [];
    JSON.parse(fs.readFileSync(path.join(root, contributed.path), "utf8"), (key, value) => {
      if (["match", "begin", "end"].includes(key)) sources.push(value);
      return value;
    });
    assert.ok(sources.length > 15);
    for (const source of sources) assert.doesNotThrow(() => new OnigScanner([source]).dispose(), source);
  });

  it("log levels, upper- and lower-case, whole words only", () => {
    assertScopes("ERROR could not open", "ERROR", "log.error");
    assertScopes("something error happened", "error", "log.error");
    assertScopes("WARN disk almost full", "WARN", "log.warning");
    assertScopes("warning: retrying", "warning", "log.warning");
    assertScopes("INFO started", "INFO", "log.info");
    assertScopes("info started", "info", "log.info");
    assertScopes("DEBUG x=1", "DEBUG", "log.debug");
    assertScopes("debug: x=1", "debug", "log.debug");
    assert.deepEqual(tokenize("errors are counted"), [["errors are counted", ["source.batch-task-log"]]]);
  });

  it("ISO timestamps", () => {
    assertScopes("2026-11-29T02:40:51.123Z started", "2026-11-29T02:40:51.123Z", "constant.numeric.date.timestamp.batch-task-log");
    assertScopes("at 2026-01-02T03:04:05+01:00 done", "2026-01-02T03:04:05+01:00", "constant.numeric.date.timestamp.batch-task-log");
    assertScopes("2026-01-02 03:04:05,678 INFO x", "2026-01-02 03:04:05,678", "constant.numeric.date.timestamp.batch-task-log");
  });

  it("the runtime's text format, with an error stack on the following lines", () => {
    const error = { type: "TypeError", message: "x is not a function", stack: `TypeError: x is not a function\n    at processItem (${workitemsFile}:10:5)` };
    const text = formatRecord({ ...record, error }, "text");
    assertScopes(text, "2026-11-29T02:40:51.123Z", "constant.numeric.date.timestamp.batch-task-log");
    assertScopes(text, "ERROR", "log.error");
    assertScopes(text, "job-1", "entity.name.job.batch-task-log");
    assertScopes(text, "t_7", "entity.name.task.batch-task-log");
    assertScopes(text, "TypeError", "invalid.illegal.exception.name.batch-task-log");
    assertScopes(text, "processItem", "entity.name.function.batch-task-log");
    assertScopes(formatRecord({ ...record, error: { type: "Error", message: "boom" } }, "text"), "Error", "invalid.illegal.exception.name.batch-task-log");
    for (const level of ["warning", "info", "debug"] as const) assertScopes(formatRecord({ ...record, level }, "text"), level.toUpperCase(), `log.${level}`);
  });

  it("the runtime's JSON-lines format", () => {
    const line = formatRecord(record, "json");
    assert.ok(
      tokenize(line).every(([, scopes]) => scopes[1] === "meta.json-line.batch-task-log"),
      line,
    );
    assertScopes(line, '"error"', "log.error");
    assertScopes(line, '"2026-11-29T02:40:51.123Z"', "constant.numeric.date.timestamp.batch-task-log");
    assertScopes(line, '"logger"', "support.type.property-name.json");
    assertScopes(line, '"failed"', "string.quoted.double.json");
    assertScopes(line, "3", "constant.numeric.json");
    for (const level of ["warning", "info", "debug"] as const) assertScopes(formatRecord({ ...record, level }, "json"), `"${level}"`, `log.${level}`);
  });

  it("JavaScript stack frames", () => {
    const frame = `    at processItem (${workitemsFile}:10:5)`;
    assertScopes(frame, "at", "meta.stack-frame.javascript.batch-task-log", "keyword.other.batch-task-log");
    assertScopes(frame, "processItem", "entity.name.function.batch-task-log");
    assertScopes(frame, workitemsFile, "string.unquoted.path.batch-task-log");
    assertScopes(frame, "10", "constant.numeric.line.batch-task-log");
    assertScopes(frame, "5", "constant.numeric.column.batch-task-log");
    assertScopes("    at foo (/path/file.js:10:5)", "/path/file.js", "string.unquoted.path.batch-task-log");
    assertScopes("    at node:internal/main/run_main_module:28:49", "28", "constant.numeric.line.batch-task-log");
    assertScopes("    at file:///home/x/app.mjs:3:7", "file:///home/x/app.mjs", "string.unquoted.path.batch-task-log");
  });

  it("Python tracebacks", () => {
    assertScopes("Traceback (most recent call last):", "Traceback (most recent call last):", "invalid.illegal.traceback.header.batch-task-log");
    const frame = '  File "x.py", line 3, in f';
    assertScopes(frame, "File", "meta.stack-frame.python.batch-task-log", "keyword.other.batch-task-log");
    assertScopes(frame, '"x.py"', "string.quoted.double.path.batch-task-log");
    assertScopes(frame, "3", "constant.numeric.line.batch-task-log");
    assertScopes(frame, "f", "entity.name.function.batch-task-log");
    assertScopes('  File "/mnt/batch/tasks/workitems/j/job-1/t/wd/main.py", line 42, in <module>', "<module>", "entity.name.function.batch-task-log");
    assertScopes("ValueError: bad input", "ValueError", "invalid.illegal.exception.name.batch-task-log");
  });

  it("AZ_BATCH_* variables, workitems paths and the truncation banner", () => {
    assertScopes("cd $AZ_BATCH_TASK_WORKING_DIR && run", "$AZ_BATCH_TASK_WORKING_DIR", "variable.other.environment.batch-task-log");
    assertScopes("echo ${AZ_BATCH_JOB_ID}", "${AZ_BATCH_JOB_ID}", "variable.other.environment.batch-task-log");
    assertScopes("AZ_BATCH_NODE_ID=node-1", "AZ_BATCH_NODE_ID", "variable.other.environment.batch-task-log");
    assertScopes(
      "wrote /mnt/batch/tasks/workitems/j1/job-1/t1/wd/out.txt, done",
      "/mnt/batch/tasks/workitems/j1/job-1/t1/wd/out.txt",
      "string.unquoted.path.workitems.batch-task-log",
    );
    const banner = truncationBanner(10 * 1024 * 1024, 6 * 1024 * 1024).trimEnd();
    assertScopes(`${banner}\nINFO next`, banner, "comment.line.banner.batch-task-log");
  });
});
