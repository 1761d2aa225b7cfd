// Why: checks syntaxes/batch-task-log.tmLanguage.json without vscode-textmate/vscode-oniguruma (not installed): valid structure, every regex compiles in JS, and sample task-log lines get the expected scopes from a small TextMate-like scanner.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { TASK_LOG_LANGUAGE } from "../../../src/extension/ids";

const root = path.resolve(__dirname, "../../../..");
const GRAMMAR_PATH = "syntaxes/batch-task-log.tmLanguage.json";

interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar = JSON.parse(fs.readFileSync(path.join(root, GRAMMAR_PATH), "utf8")) as Grammar;

/** Includes resolved: the flat, ordered list of rules that can match at a position. */
function flatten(rules: Rule[]): Rule[] {
  return rules.flatMap((rule) => {
    if (rule.include) {
      const target = grammar.repository[rule.include.replace(/^#/, "")];
      assert.ok(target, `unknown include ${rule.include}`);
      return target.match || target.begin ? [target] : flatten(target.patterns ?? []);
    }
    return [rule];
  });
}

/**
 * A TextMate-like scan of one line: at each position the rule matching earliest wins (ties: the first rule); a begin/end
 * rule scans the rest of the line (every `end` in this grammar is `$`) with its own patterns. Returns [text, scopes] pairs.
 */
function tokenize(line: string, rules: Rule[] = flatten(grammar.patterns), outer: string[] = []): [string, string][] {
  const tokens: [string, string][] = [];
  let position = 0;
  while (position < line.length) {
    let best: { rule: Rule; match: RegExpExecArray } | undefined;
    for (const rule of rules) {
      const regex = new RegExp((rule.match ?? rule.begin)!, "g");
      regex.lastIndex = position;
      const match = regex.exec(line);
      if (match && (!best || match.index < best.match.index)) best = { rule, match };
    }
    if (!best) break;
    const { rule, match } = best;
    const scopes = [...outer, ...(rule.name ? rule.name.split(" ") : [])];
    if (rule.begin) {
      tokens.push(...tokenize(line.slice(match.index), flatten(rule.patterns ?? []), scopes));
      break;
    }
    tokens.push([match[0], scopes.join(" ")]);
    match.slice(1).forEach((text, index) => {
      const capture = rule.captures?.[String(index + 1)];
      if (text !== undefined && capture) tokens.push([text, [...scopes, ...capture.name.split(" ")].join(" ")]);
    });
    position = match.index + Math.max(1, match[0].length);
  }
  return tokens;
}

/** The scopes given to `text` on `line`. */
function scopesOf(line: string, text: string): string {
  return tokenize(line)
    .filter(([token]) => token === text)
    .map(([, scopes]) => scopes)
    .join(" ");
}

function allRules(rules: Rule[]): Rule[] {
  return rules.flatMap((rule) => [rule, ...allRules(rule.patterns ?? [])]);
}

describe("batch-task-log grammar", () => {
  it("is contributed for the batch-task-log language with a valid structure", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const language = pkg.contributes.languages.find((l: { id: string }) => l.id === TASK_LOG_LANGUAGE);
    assert.ok(language?.extensions.includes(".batchlog"));
    const contributed = pkg.contributes.grammars.find((g: { language: string }) => g.language === TASK_LOG_LANGUAGE);
    assert.equal(contributed.scopeName, grammar.scopeName);
    assert.equal(path.normalize(contributed.path), path.normalize(`./${GRAMMAR_PATH}`));
    assert.equal(grammar.scopeName, "source.batch-task-log");
    const rules = allRules([...grammar.patterns, ...Object.values(grammar.repository)]);
    for (const rule of rules) {
      const kinds = [rule.include, rule.match, rule.begin, rule.patterns].filter((k) => k !== undefined).length;
      assert.ok(kinds >= 1, `a rule does nothing: ${JSON.stringify(rule)}`);
      assert.equal(rule.begin !== undefined, rule.end !== undefined, "begin and end come together");
      for (const capture of Object.values(rule.captures ?? {})) assert.equal(typeof capture.name, "string");
    }
    flatten(grammar.patterns); // every include resolves
  });

  it("every regex compiles as a JavaScript regex (kept Oniguruma- and JS-compatible)", () => {
    const rules = allRules([...grammar.patterns, ...Object.values(grammar.repository)]);
    const sources = rules.flatMap((rule) => [rule.match, rule.begin, rule.end].filter((s): s is string => s !== undefined));
    assert.ok(sources.length > 15);
    for (const source of sources) assert.doesNotThrow(() => new RegExp(source), source);
  });

  it("log levels, upper- and lower-case", () => {
    assert.match(scopesOf("ERROR could not open", "ERROR"), /log\.error/);
    assert.match(scopesOf("something error happened", "error"), /log\.error/);
    assert.match(scopesOf("WARN disk almost full", "WARN"), /log\.warning/);
    assert.match(scopesOf("warning: retrying", "warning"), /log\.warning/);
    assert.match(scopesOf("INFO started", "INFO"), /log\.info/);
    assert.match(scopesOf("debug: x=1", "debug"), /log\.debug/);
    assert.equal(scopesOf("errors are counted", "errors"), "", "whole words only");
  });

  it("the runtime's text lines: ISO timestamp, padded level, job and task ids", () => {
    const line = "2026-11-29T02:40:51.123Z ERROR   app.worker [job=job-1 task=t_7] failed item=3";
    assert.match(scopesOf(line, "2026-11-29T02:40:51.123Z"), /constant\.numeric\.date\.timestamp/);
    assert.match(scopesOf(line, "ERROR"), /log\.error/);
    assert.match(scopesOf(line, "job-1"), /entity\.name\.job/);
    assert.match(scopesOf(line, "t_7"), /entity\.name\.task/);
    assert.match(scopesOf("2026-01-02 03:04:05,678 INFO x", "2026-01-02 03:04:05,678"), /timestamp/);
  });

  it("the runtime's JSON lines", () => {
    const line = '{"time":"2026-11-29T02:40:51.123Z","level":"error","logger":"app","message":"boom","jobId":"j1","fields":{"n":3}}';
    const tokens = tokenize(line);
    assert.ok(tokens.every(([, scopes]) => scopes.startsWith("meta.json-line")), JSON.stringify(tokens));
    assert.match(scopesOf(line, '"error"'), /log\.error/);
    assert.match(scopesOf(line, '"2026-11-29T02:40:51.123Z"'), /timestamp/);
    assert.match(scopesOf(line, '"logger"'), /property-name/);
    assert.match(scopesOf(line, '"boom"'), /string\.quoted/);
    assert.match(scopesOf('{"time":"t","level":"warn","message":"m"}', '"warn"'), /log\.warning/);
    assert.match(scopesOf('{"time":"t","level":"info","message":"m"}', '"info"'), /log\.info/);
  });

  it("JavaScript stack traces", () => {
    const frame = "    at processItem (/mnt/batch/tasks/workitems/job-1/job-1/t1/wd/app.js:10:5)";
    assert.match(scopesOf(frame, "processItem"), /entity\.name\.function/);
    assert.match(scopesOf(frame, "/mnt/batch/tasks/workitems/job-1/job-1/t1/wd/app.js"), /path/);
    assert.match(scopesOf(frame, "10"), /constant\.numeric\.line/);
    assert.match(scopesOf(frame, "5"), /constant\.numeric\.column/);
    assert.match(scopesOf("    at node:internal/main/run_main_module:28:49", "28"), /line/);
    assert.match(scopesOf("TypeError: x is not a function", "TypeError"), /exception/);
  });

  it("Python tracebacks", () => {
    assert.match(scopesOf("Traceback (most recent call last):", "Traceback (most recent call last):"), /traceback/);
    const frame = '  File "/mnt/batch/tasks/workitems/j/job-1/t/wd/main.py", line 42, in <module>';
    assert.match(scopesOf(frame, '"/mnt/batch/tasks/workitems/j/job-1/t/wd/main.py"'), /path/);
    assert.match(scopesOf(frame, "42"), /constant\.numeric\.line/);
    assert.match(scopesOf(frame, "<module>"), /entity\.name\.function/);
    assert.match(scopesOf("ValueError: bad input", "ValueError"), /exception/);
  });

  it("AZ_BATCH_* variables, workitems paths and the truncation banner", () => {
    assert.match(scopesOf("cd $AZ_BATCH_TASK_WORKING_DIR && run", "$AZ_BATCH_TASK_WORKING_DIR"), /variable\.other\.environment/);
    assert.match(scopesOf("AZ_BATCH_NODE_ID=node-1", "AZ_BATCH_NODE_ID"), /variable\.other\.environment/);
    assert.match(scopesOf("wrote /mnt/batch/tasks/workitems/j1/job-1/t1/wd/out.txt, done", "/mnt/batch/tasks/workitems/j1/job-1/t1/wd/out.txt"), /path\.workitems/);
    assert.match(scopesOf("[Azure Batch] Truncated: showing the last 4.0 MiB", "[Azure Batch] Truncated: showing the last 4.0 MiB"), /comment/);
  });
});
