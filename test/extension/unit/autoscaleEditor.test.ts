// Why: the vscode-free parts of the autoscale editor in plain node: diagnostics ranges, hover and completion words, the evaluation report, the Simulate inputs, the SVG chart and the CSP-locked page.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateFormula, FUNCTIONS, METRIC_NAMES, RecordedMetrics, simulateAutoScale } from "../../../src/autoscale";
import { evaluationReport, parseResults, serviceErrorOf } from "../../../src/extension/autoscale/evaluationReport";
import { completionsAt } from "../../../src/extension/autoscale/formulaCompletion";
import { formulaDiagnostics } from "../../../src/extension/autoscale/formulaDiagnostics";
import { hoverAt, wordAt } from "../../../src/extension/autoscale/formulaHover";
import { DEFAULT_FORMULA, formulaDocumentText } from "../../../src/extension/autoscale/formulaTemplate";
import { poolIdOf, poolTargetOf } from "../../../src/extension/autoscale/poolTarget";
import { escapeXml, NODE_SERIES, niceScale, simulationSvg, TASK_SERIES } from "../../../src/extension/autoscale/simulationChart";
import { DEFAULT_ANSWERS, parseDuration, parseLoad, simulationOptions, validator } from "../../../src/extension/autoscale/simulationInputs";
import { contentSecurityPolicy, makeNonce, simulationMessage, simulationPageHtml } from "../../../src/extension/autoscale/simulationPage";
import type { TreeNode } from "../../../src/extension/tree/treeNode";

describe("autoscale editor: diagnostics", () => {
  it("the template is clean; a syntax error and an unknown name get 0-based ranges over the offending text", () => {
    assert.deepEqual(formulaDiagnostics(DEFAULT_FORMULA), []);
    const syntax = formulaDiagnostics("$TargetDedicatedNodes = max(1, 2;\n");
    assert.equal(syntax.length, 1);
    assert.equal(syntax[0].code, "AutoScalingFormulaSyntaxError");
    assert.deepEqual([syntax[0].startLine, syntax[0].startCharacter, syntax[0].endLine, syntax[0].endCharacter], [0, 32, 0, 33]);
    const text = "$x = 1;\n$TargetDedicatedNodes = $Foo + 1;";
    const [unknown] = formulaDiagnostics(text);
    assert.equal(unknown.severity, "error");
    assert.match(unknown.message, /\$Foo/);
    assert.equal(text.split("\n")[unknown.startLine].slice(unknown.startCharacter, unknown.endCharacter), "$Foo");
  });

  it("warnings stay warnings; a missing token at the very end is an empty range at the end", () => {
    const [warning] = formulaDiagnostics("$x = 1; 2 + 3;");
    assert.equal(warning.severity, "warning");
    const [atEnd] = formulaDiagnostics("$x = 1 +");
    assert.deepEqual([atEnd.startLine, atEnd.startCharacter, atEnd.endCharacter], [0, 8, 8]);
  });
});

describe("autoscale editor: hover and completion", () => {
  it("hovers service variables (any case), functions, methods, members, constants and keywords; not user variables", () => {
    const text = "$t = $pendingtasks.GetSample(1); $h = time().hour; $i = TimeInterval_Minute; $NodeDeallocationOption = requeue; $m = max($t);";
    const at = (word: string, nth = 0) => {
      let i = -1;
      for (let k = 0; k <= nth; k++) i = text.indexOf(word, i + 1);
      return hoverAt(text, i + 1);
    };
    assert.match(at("$pendingtasks")!.markdown, /\$PendingTasks \(read-only metric\)[\s\S]*\$ActiveTasks \+ \$RunningTasks/);
    assert.match(at("GetSample")!.markdown, /GetSample\(count/);
    assert.match(at("hour")!.markdown, /0–23/);
    assert.match(at("TimeInterval_Minute")!.markdown, /60,000 ms/);
    assert.match(at("requeue")!.markdown, /back in the queue/);
    assert.match(at("max")!.markdown, new RegExp(FUNCTIONS.max.doc.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    assert.equal(at("$t"), undefined, "a user variable has no hover");
    assert.equal(hoverAt(text, text.indexOf("(1)") + 1), undefined, "numbers have none");
    assert.deepEqual(wordAt("a.  hour", 6), { word: "hour", start: 4, end: 8, afterDot: true });
  });

  it("completes variables, functions, constants and keywords; after a dot only methods and members; nothing in comments", () => {
    const labels = (text: string) => completionsAt(text, text.length).map((c) => c.label);
    const top = labels("$x = ");
    for (const name of [...METRIC_NAMES, "$TargetDedicatedNodes", "avg", "TimeInterval_Hour", "taskcompletion"]) assert.ok(top.includes(name), name);
    assert.ok(!top.includes("GetSample"));
    assert.deepEqual(labels("$x = $CPUPercent.Get").sort(), [
      "Count",
      "GetSample",
      "GetSamplePercent",
      "GetSamplePeriod",
      "HistoryBeginTime",
      "day",
      "hour",
      "minute",
      "month",
      "second",
      "weekday",
      "year",
    ]);
    assert.equal(completionsAt("$x = ma", 7).find((c) => c.label === "max")?.insertText, "max(");
    assert.deepEqual(labels("// $Pen"), []);
  });
});

describe("autoscale editor: formula documents and pool items", () => {
  it("a pool's formula as is, else the template with a note naming the pool", () => {
    assert.equal(formulaDocumentText("p", "$TargetDedicatedNodes=1"), "$TargetDedicatedNodes=1\n");
    assert.match(formulaDocumentText("p", undefined), /^\/\/ Pool p has no autoscale formula yet/);
    assert.equal(formulaDocumentText(undefined, "  "), DEFAULT_FORMULA);
  });

  it("reads the pool id of pool items only, and finds the account's client through its Jobs container", async () => {
    const client = { pool: { get: async () => ({}), evaluateAutoScale: async () => ({ timestamp: new Date() }), list: async () => [] } };
    const account: TreeNode = {
      id: "accounts/local",
      label: "Local",
      contextValue: "account.local",
      collapsible: "expanded",
      getChildren: async () => [
        pools,
        Object.assign(
          { id: "accounts/local/jobs", label: "Jobs", contextValue: "jobs", collapsible: "collapsed" as const, parent: account },
          { batchClient: client },
        ),
      ],
    };
    const pools: TreeNode = { id: "accounts/local/pools", label: "Pools", contextValue: "pools", collapsible: "collapsed", parent: account };
    const pool: TreeNode = { id: "accounts/local/pools/pool:p-1", label: "p-1", contextValue: "pool", collapsible: "collapsed", parent: pools };
    assert.equal(poolIdOf(pool), "p-1");
    assert.equal(poolIdOf({ ...pool, contextValue: "computeNode" }), undefined);
    const target = await poolTargetOf(pool);
    assert.equal(target?.poolId, "p-1");
    assert.equal(target?.account, "Local");
    assert.equal(target?.client, client);
    const orphan: TreeNode = { ...pool, parent: { ...pools, parent: { ...account, getChildren: async () => [] } } };
    await assert.rejects(poolTargetOf(orphan), /No Batch client for the account of pool p-1/);
  });
});

describe("autoscale editor: evaluation report", () => {
  it("lists a successful run's variables and the exact results string", () => {
    const metrics = new RecordedMetrics();
    const { run } = evaluateFormula("$v = 2; $TargetDedicatedNodes = $v * 2; $list = $v + 0;", {
      now: new Date("2024-01-01T00:00:00Z"),
      metrics,
      pool: { targetDedicatedNodes: 0, targetLowPriorityNodes: 0, nodeDeallocationOption: "requeue" },
    });
    assert.deepEqual(parseResults(run.results).slice(0, 1), [{ name: "$TargetDedicatedNodes", value: "4" }]);
    assert.deepEqual(parseResults("$x=[1,2];s=a=b;"), [
      { name: "$x", value: "[1,2]" },
      { name: "s", value: "a=b" },
    ]);
    const text = evaluationReport({ poolId: "p", account: "Local", formula: "$TargetDedicatedNodes = 4", run });
    assert.match(text, /^Autoscale evaluation of pool p \(account Local\)/);
    assert.match(text, /\$TargetDedicatedNodes\s+= 4/);
    assert.ok(text.includes(`results string: ${run.results}`));
  });

  it("shows a failed run's error in the service's shape, and a refused request's code, message and values", () => {
    const run = {
      timestamp: new Date(0),
      results: "$TargetDedicatedNodes=0",
      error: { code: "AutoScalingFormulaSyntaxError", message: "bad", values: [{ name: "Message", value: "Line 1, Col 3: x" }] },
    };
    const text = evaluationReport({ poolId: "p", account: "Local", formula: "$x", run });
    assert.match(text, /code: {4}AutoScalingFormulaSyntaxError/);
    assert.match(text, /Message: Line 1, Col 3: x/);
    assert.match(text, /results \(unchanged targets\)/);
    const rest = Object.assign(new Error("fallback"), {
      statusCode: 409,
      code: "AutoScaleNotEnabled",
      body: { code: "AutoScaleNotEnabled", message: { value: "Autoscale is not enabled" }, values: [{ key: "Reason", value: "off" }] },
    });
    const failure = serviceErrorOf(rest)!;
    assert.deepEqual(failure, { statusCode: 409, code: "AutoScaleNotEnabled", message: "Autoscale is not enabled", values: [{ key: "Reason", value: "off" }] });
    assert.match(
      evaluationReport({ poolId: "p", account: "Local", formula: "", failure }),
      /refused the evaluation \(HTTP 409\):\n {2}code: {4}AutoScaleNotEnabled\n {2}message: Autoscale is not enabled\n {2}Reason: off/,
    );
    assert.equal(serviceErrorOf(new Error("plain")), undefined, "a plain error is not a service answer");
  });
});

describe("autoscale editor: Simulate inputs", () => {
  it("reads durations and loads; says what is wrong with bad input", () => {
    assert.equal(parseDuration("90s"), 90_000);
    assert.equal(parseDuration("1.5h"), 5_400_000);
    assert.equal(parseDuration("5"), 300_000, "a bare number is minutes");
    assert.equal(parseDuration("5 parsecs"), undefined);
    assert.deepEqual(parseLoad("40 x 5m @ 0m; 3x30s"), [
      { taskCount: 40, taskDurationMs: 300_000, arrivalMs: 0 },
      { taskCount: 3, taskDurationMs: 30_000, arrivalMs: 0 },
    ]);
    assert.throws(() => parseLoad(""), /at least one batch/);
    assert.throws(() => parseLoad("many tasks"), /is not "N x DURATION @ ARRIVAL"/);
    assert.throws(() => parseLoad("4 x 0s"), /not a positive duration/);
    assert.match(validator(parseLoad)("4 x 5m @ soon") ?? "", /"soon" in "4 x 5m @ soon" is not a duration/);
    assert.equal(validator(parseLoad)(DEFAULT_ANSWERS.load), undefined);
    assert.throws(() => simulationOptions("$x=1", { ...DEFAULT_ANSWERS, horizon: "200h" }), /horizon may be at most 168 hours/);
    assert.throws(() => simulationOptions("$x=1", { ...DEFAULT_ANSWERS, slotsPerNode: "0" }), /whole number from 1 to 256/);
    assert.throws(() => simulationOptions("$x=1", { ...DEFAULT_ANSWERS, nodeStartDelay: "-1m" }), /node start delay/);
    const options = simulationOptions("$x=1", DEFAULT_ANSWERS);
    assert.deepEqual([options.evaluationIntervalMs, options.durationMs, options.taskSlotsPerNode, options.nodeStartDelayMs], [300_000, 7_200_000, 2, 120_000]);
  });
});

describe("autoscale editor: the simulation chart and page", () => {
  const result = simulateAutoScale(simulationOptions(DEFAULT_FORMULA, DEFAULT_ANSWERS));

  it("draws one step path per series, ending at the last point, with nice axes", () => {
    const svg = simulationSvg(result);
    assert.match(svg, /^<svg class="simulation-plot"/);
    const series = [...svg.matchAll(/<path class="series [^"]+" data-series="(\w+)" d="([^"]+)"/g)];
    assert.deepEqual(
      series.map((m) => m[1]),
      [...NODE_SERIES, ...TASK_SERIES].map((s) => s.key),
    );
    for (const [, , d] of series) assert.equal(d.split(" ").filter((c) => c.startsWith("H")).length, result.points.length - 1);
    assert.ok(!/style=|<script/i.test(svg), "no inline styles or scripts: the CSP forbids them");
    assert.deepEqual(niceScale(10), { max: 10, step: 5 });
    assert.deepEqual(niceScale(0.3), { max: 1, step: 1 });
    assert.deepEqual(niceScale(37), { max: 40, step: 10 });
    assert.equal(escapeXml(`<a href="x">&'`), "&#60;a href=&#34;x&#34;&#62;&#38;&#39;");
  });

  it("posts the simulation itself; the page allows only its nonce'd style and script, and no remote content", () => {
    const options = simulationOptions(DEFAULT_FORMULA, DEFAULT_ANSWERS);
    const message = simulationMessage("t <b>", options, result);
    assert.equal(message.result, result);
    assert.equal(message.svg, simulationSvg(result));
    const nonce = makeNonce();
    assert.match(nonce, /^[0-9a-f]{32}$/);
    assert.notEqual(nonce, makeNonce());
    const html = simulationPageHtml("vscode-webview://abc", nonce);
    assert.ok(html.includes(`content="${contentSecurityPolicy("vscode-webview://abc", nonce)}"`));
    assert.equal(contentSecurityPolicy("src", "n"), "default-src 'none'; img-src src data:; style-src 'nonce-n'; script-src 'nonce-n';");
    assert.equal([...html.matchAll(/<script nonce="([^"]+)"/g)].length, 1);
    assert.ok(!/https?:\/\//.test(html.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, "")), "no remote URLs");
    assert.ok(!/#[0-9a-f]{3,6}\b/i.test(html), "colours come from the theme's CSS variables");
  });
});
