// Why: tokenizes autoscale formulas with the real TextMate engine (vscode-textmate + Oniguruma WASM) to pin the scopes syntaxes/batch-autoscale.tmLanguage.json gives them, and that every word of src/autoscale's vocabulary is coloured.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { OnigScanner, OnigString, loadWASM } from "vscode-oniguruma";
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from "vscode-textmate";
import {
  DEALLOCATION_OPTIONS,
  FUNCTIONS,
  METRIC_NAMES,
  SAMPLE_METHOD_ARITY,
  SETTABLE_ALIASES,
  SETTABLE_VARIABLES,
  TIME_INTERVALS,
  TIMESTAMP_MEMBERS,
} from "../../../src/autoscale";
import { DEFAULT_FORMULA } from "../../../src/extension/autoscale/formulaTemplate";
import { AUTOSCALE_LANGUAGE } from "../../../src/extension/common/ids";

const root = path.resolve(__dirname, "../../../..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const contributed = pkg.contributes.grammars.find((g: { language: string }) => g.language === AUTOSCALE_LANGUAGE);
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

/** Every token of `text` (state carried from line to line) as [token text, scopes]. */
function tokenize(text: string): [string, string[]][] {
  let state: StateStack = INITIAL;
  return text.split("\n").flatMap((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t): [string, string[]] => [line.slice(t.startIndex, t.endIndex), t.scopes]);
  });
}

/** The scopes of the first token of `text` that is exactly `token` (fails when there is none). */
function scopesOf(text: string, token: string): string[] {
  const tokens = tokenize(text);
  const found = tokens.find(([t]) => t === token);
  assert.ok(found, `no token ${JSON.stringify(token)} in ${JSON.stringify(tokens)}`);
  return found[1];
}

function assertScope(text: string, token: string, scope: string): void {
  const scopes = scopesOf(text, token);
  assert.ok(scopes.includes(scope), `${JSON.stringify(token)} in ${JSON.stringify(text)} lacks ${scope}: ${scopes.join(" ")}`);
}

describe("batch-autoscale grammar (vscode-textmate + Oniguruma)", () => {
  it("is contributed for .batchscale with a language configuration, and every regex compiles in Oniguruma", () => {
    const language = pkg.contributes.languages.find((l: { id: string }) => l.id === AUTOSCALE_LANGUAGE);
    assert.deepEqual(language.extensions, [".batchscale"]);
    assert.ok(fs.existsSync(path.join(root, language.configuration)), "language configuration file missing");
    assert.equal(contributed.scopeName, "source.batch-autoscale");
    const sources: string[] = [];
    JSON.parse(fs.readFileSync(path.join(root, contributed.path), "utf8"), (key, value) => {
      if (["match", "begin", "end"].includes(key)) sources.push(value);
      return value;
    });
    assert.ok(sources.length >= 15);
    for (const source of sources) assert.doesNotThrow(() => new OnigScanner([source]).dispose(), source);
  });

  it("a whole formula: comment, settable and metric variables, method, constant, numbers, operators, keyword", () => {
    const text =
      "// scale on the queue\n$tasks = max(0, $PendingTasks.GetSample(1));\n$TargetDedicatedNodes = $tasks > 10 ? 10 : $tasks * 0.5;\n$NodeDeallocationOption = taskcompletion;";
    assertScope(text, "// scale on the queue", "comment.line.double-slash.batch-autoscale");
    assertScope(text, "$tasks", "variable.other.batch-autoscale");
    assertScope(text, "max", "support.function.builtin.batch-autoscale");
    assertScope(text, "$PendingTasks", "variable.language.metric.batch-autoscale");
    assertScope(text, ".", "punctuation.accessor.batch-autoscale");
    assertScope(text, "GetSample", "support.function.sample-method.batch-autoscale");
    assertScope(text, "$TargetDedicatedNodes", "variable.language.settable.batch-autoscale");
    assertScope(text, "0.5", "constant.numeric.batch-autoscale");
    assertScope(text, "?", "keyword.operator.ternary.batch-autoscale");
    assertScope(text, ">", "keyword.operator.comparison.batch-autoscale");
    assertScope(text, "=", "keyword.operator.assignment.batch-autoscale");
    assertScope(text, ";", "punctuation.terminator.statement.batch-autoscale");
    assertScope(text, "taskcompletion", "constant.language.deallocation.batch-autoscale");
  });

  it("strings, timestamp members, exponents, logical operators; an unknown member is marked", () => {
    const text = '$t = time("2024-03-04T10:15:30Z"); $w = $t.weekday >= 1 && $t.hour < 18 || !0; $n = 1.5e3; $bad = $t.hours;';
    assertScope(text, '"', "string.quoted.double.batch-autoscale");
    assertScope(text, "2024-03-04T10:15:30Z", "string.quoted.double.batch-autoscale");
    assertScope(text, "time", "support.function.builtin.batch-autoscale");
    assertScope(text, "weekday", "variable.other.property.batch-autoscale");
    assertScope(text, "&&", "keyword.operator.logical.batch-autoscale");
    assertScope(text, "||", "keyword.operator.logical.batch-autoscale");
    assertScope(text, "!", "keyword.operator.logical.batch-autoscale");
    assertScope(text, "1.5e3", "constant.numeric.batch-autoscale");
    assertScope(text, "hours", "invalid.illegal.member.batch-autoscale");
  });

  it("names are not coloured by their parts: a user variable named like a function or keyword, a metric prefix, digits inside names", () => {
    // `$round` is a legal user variable (a real results string has one); `requeueCount` is not the keyword
    assertScope("$round = 3;", "$round", "variable.other.batch-autoscale");
    assertScope("requeueCount = 1;", "requeueCount", "variable.other.batch-autoscale");
    assertScope("$PendingTasksSeen = 1;", "$PendingTasksSeen", "variable.other.batch-autoscale");
    assertScope("x2 = 1;", "x2", "variable.other.batch-autoscale");
    assert.ok(!scopesOf("max = 1;", "max").includes("support.function.builtin.batch-autoscale"), "a name not followed by ( is not a call");
    assertScope("$targetdedicatednodes = 1;", "$targetdedicatednodes", "variable.language.settable.batch-autoscale");
  });

  it("colours every word of the core vocabulary (a word added to src/autoscale must be added to the grammar)", () => {
    for (const name of METRIC_NAMES) assertScope(`$x = ${name};`, name, "variable.language.metric.batch-autoscale");
    for (const name of [...SETTABLE_VARIABLES, ...Object.keys(SETTABLE_ALIASES)])
      assertScope(`${name} = 1;`, name, "variable.language.settable.batch-autoscale");
    for (const name of Object.keys(FUNCTIONS)) assertScope(`$x = ${name}(1);`, name, "support.function.builtin.batch-autoscale");
    for (const name of Object.keys(SAMPLE_METHOD_ARITY)) assertScope(`$x = $CPUPercent.${name}(1);`, name, "support.function.sample-method.batch-autoscale");
    for (const name of Object.keys(TIMESTAMP_MEMBERS)) assertScope(`$x = time().${name};`, name, "variable.other.property.batch-autoscale");
    for (const name of Object.keys(TIME_INTERVALS)) assertScope(`$x = ${name};`, name, "constant.language.time-interval.batch-autoscale");
    for (const name of DEALLOCATION_OPTIONS) assertScope(`$NodeDeallocationOption = ${name};`, name, "constant.language.deallocation.batch-autoscale");
  });

  it("the template every new formula starts with has no uncoloured words", () => {
    const plain = tokenize(DEFAULT_FORMULA).filter(([text, scopes]) => /\w/.test(text) && scopes.length === 1);
    assert.deepEqual(plain, []);
  });
});
