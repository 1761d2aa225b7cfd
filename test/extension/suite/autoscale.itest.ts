// Why: the autoscale formula editor in the REAL extension host: diagnostics at the parser's positions, hover and completion, Edit/Evaluate against a pool of the real local service, and Simulate's webview drawing exactly the simulation.

import type { BatchServiceClient } from "@azure/batch";
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { simulateAutoScale } from "../../../src/autoscale";
import { DEFAULT_FORMULA } from "../../../src/extension/autoscale/formulaTemplate";
import { type SimulationAnswers, simulationOptions } from "../../../src/extension/autoscale/simulationInputs";
import type { SimulationMessage } from "../../../src/extension/autoscale/simulationPage";
import type { EditorUi } from "../../../src/extension/common/editorUi";
import { AUTOSCALE_LANGUAGE, CommandId } from "../../../src/extension/common/ids";
import type { BatchManagerApi } from "../../../src/extension/extension";
import type { EvaluationResult } from "../../../src/extension/host/autoscaleCommands";
import { localBatchClient, openExplorer, poll, resetLocalDataFolder, scriptedUi, treeLookup, vm } from "./harness";

const AUTOSCALE_POOL = "as-pool";
const PLAIN_POOL = "as-plain";

suite("Autoscale formula editor in a real extension host", () => {
  let api: BatchManagerApi;
  let original: EditorUi;
  let client: BatchServiceClient;
  const errors: string[] = [];
  const { child } = treeLookup(() => api);
  const run = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args);
  const withAnswers = (answers: Parameters<typeof scriptedUi>[1]) => {
    api.ui.current = scriptedUi(original, answers, { error: async (message: string) => void errors.push(message) });
  };
  const formulaDocument = async (content: string) => {
    const document = await vscode.workspace.openTextDocument({ language: AUTOSCALE_LANGUAGE, content });
    await vscode.window.showTextDocument(document);
    return document;
  };
  const replaceText = async (document: vscode.TextDocument, text: string) => {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
  };
  const diagnosticsOf = (document: vscode.TextDocument) => vscode.languages.getDiagnostics(document.uri);

  suiteSetup(async () => {
    api = await openExplorer();
    original = api.ui.current;
  });

  suiteTeardown(async () => {
    api.ui.current = original;
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await resetLocalDataFolder(api);
  });

  test("diagnostics: a syntax error and an unknown name at the parser's and checker's positions; fixing the formula clears them", async () => {
    const document = await formulaDocument("$TargetDedicatedNodes = max(1, 2;\n");
    const [syntax] = await poll(() => (diagnosticsOf(document).length ? diagnosticsOf(document) : undefined), "diagnostics of the bad formula");
    assert.equal(syntax.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(syntax.code, "AutoScalingFormulaSyntaxError");
    assert.deepEqual([syntax.range.start.line, syntax.range.start.character, syntax.range.end.line, syntax.range.end.character], [0, 32, 0, 33]);
    assert.equal(document.getText(syntax.range), ";");

    await replaceText(document, "$x = 1;\n$TargetDedicatedNodes = $Foo + $x;\n");
    const [unknown] = await poll(() => {
      const found = diagnosticsOf(document);
      return found.length === 1 && found[0].code === "AutoScalingFormulaEvaluationError" ? found : undefined;
    }, "the unknown-variable diagnostic");
    assert.equal(document.getText(unknown.range), "$Foo");
    assert.equal(unknown.range.start.line, 1);

    await replaceText(document, DEFAULT_FORMULA);
    await poll(() => (diagnosticsOf(document).length === 0 ? true : undefined), "no diagnostics for the template");
  });

  test("hover documents service variables and functions; completion offers variables and functions, methods after a dot", async () => {
    const document = await formulaDocument("$q = $PendingTasks.GetSample(1);\n$TargetDedicatedNodes = max(0, $q);\n$x = $CPUPercent.");
    const hoverText = async (line: number, character: number) => {
      const hovers = await run<vscode.Hover[]>("vscode.executeHoverProvider", document.uri, new vscode.Position(line, character));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    };
    assert.match(await hoverText(0, 8), /\$PendingTasks \(read-only metric\)[\s\S]*\$ActiveTasks \+ \$RunningTasks/);
    assert.match(await hoverText(0, 21), /GetSample\(count/);
    assert.match(await hoverText(1, 25), /max\(doubleVecList\)[\s\S]*Largest value/);
    assert.match(await hoverText(1, 3), /Desired number of dedicated nodes/);
    assert.equal(await hoverText(0, 1), "", "a user variable has no hover");

    const labels = async (line: number, character: number) => {
      const list = await run<vscode.CompletionList>("vscode.executeCompletionItemProvider", document.uri, new vscode.Position(line, character));
      return list.items.map((item) => (typeof item.label === "string" ? item.label : item.label.label));
    };
    const afterDot = await labels(2, 17);
    assert.ok(afterDot.includes("GetSample") && afterDot.includes("GetSamplePercent"), afterDot.join(","));
    assert.ok(!afterDot.includes("$PendingTasks"), "no variables after a dot");
    const atStart = await labels(1, 24);
    for (const name of ["$PendingTasks", "$TaskSlotsPerNode", "max", "avg", "TimeInterval_Minute", "taskcompletion"])
      assert.ok(atStart.includes(name), `${name} in ${atStart.length} items`);
  });

  test("Edit Autoscale Formula on a pool item opens its formula; Evaluate shows the service's results and errors", async () => {
    assert.equal(await run(CommandId.localStart), "running");
    client = localBatchClient(api);
    const formula = "$TargetDedicatedNodes = 0;";
    await client.pool.add({ id: AUTOSCALE_POOL, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, enableAutoScale: true, autoScaleFormula: formula });
    await client.pool.add({ id: PLAIN_POOL, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0 });
    await run(CommandId.refresh);
    const pools = await child(await child(await child(undefined, "Accounts"), "Local"), "Pools");
    const poolNode = await child(pools, AUTOSCALE_POOL);

    withAnswers({});
    const uri = await run<string>(CommandId.autoscaleEdit, poolNode);
    assert.ok(uri, `Edit failed: ${errors.join("; ")}`);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
    assert.equal(document.languageId, AUTOSCALE_LANGUAGE);
    assert.equal(document.getText(), `${formula}\n`);
    assert.equal(api.autoscale.pools.get(uri)?.poolId, AUTOSCALE_POOL);

    const good = "$v = $CurrentDedicatedNodes + 3;\n$TargetDedicatedNodes = min($v, 2);\n";
    await replaceText(document, good);
    const expected = await client.pool.evaluateAutoScale(AUTOSCALE_POOL, good);
    const evaluated = await run<EvaluationResult>(CommandId.autoscaleEvaluate, document.uri);
    assert.ok(evaluated?.run, `Evaluate failed: ${errors.join("; ")}`);
    assert.equal(evaluated.run.results, expected.results);
    assert.equal(evaluated.run.error, undefined);
    assert.match(evaluated.run.results ?? "", /^\$TargetDedicatedNodes=2;.*\$v=3$/);
    const report = await vscode.workspace.openTextDocument(evaluated.report);
    assert.match(report.getText(), /Autoscale evaluation of pool as-pool \(account Local\)/);
    assert.match(report.getText(), /\$TargetDedicatedNodes\s+= 2\n/);
    assert.ok(
      vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === evaluated.report.toString()),
      "the report is shown",
    );

    const bad = "$TargetDedicatedNodes = $nope;\n";
    await replaceText(document, bad);
    const expectedError = (await client.pool.evaluateAutoScale(AUTOSCALE_POOL, bad)).error;
    const failed = await run<EvaluationResult>(CommandId.autoscaleEvaluate, document.uri);
    assert.ok(failed?.run?.error, "the run's error comes back");
    assert.deepEqual(
      { code: failed.run.error.code, message: failed.run.error.message, values: failed.run.error.values },
      { code: expectedError?.code, message: expectedError?.message, values: expectedError?.values },
    );
    assert.match(
      (await vscode.workspace.openTextDocument(failed.report)).getText(),
      /code: {4}AutoScalingFormulaEvaluationError[\s\S]*Message: Line 1, Col 25:/,
    );
  });

  test("Evaluate on a formula not tied to a pool asks for a local pool; a pool without autoscale gives the service's 409 as is; dismissing cancels", async () => {
    withAnswers({});
    const uri = await run<string>(CommandId.autoscaleNew);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
    assert.equal(document.getText(), DEFAULT_FORMULA);
    assert.equal(api.autoscale.pools.get(uri), undefined);

    const refusal = await client.pool.evaluateAutoScale(PLAIN_POOL, DEFAULT_FORMULA).then(
      () => assert.fail("the service evaluated on a pool without autoscale"),
      (error: { statusCode?: number; code?: string }) => error,
    );
    withAnswers({ picks: [PLAIN_POOL] });
    const result = await run<EvaluationResult>(CommandId.autoscaleEvaluate, document.uri);
    assert.ok(result?.failure, `no failure: ${errors.join("; ")}`);
    assert.equal(result.failure.statusCode, 409);
    assert.equal(result.failure.code, refusal.code);
    assert.equal(result.failure.code, "AutoScaleNotEnabled");
    assert.match((await vscode.workspace.openTextDocument(result.report)).getText(), /refused the evaluation \(HTTP 409\):\n {2}code: {4}AutoScaleNotEnabled/);

    const other = await formulaDocument("$TargetDedicatedNodes = 1;");
    const before = api.autoscale.lastEvaluation;
    api.ui.current = { ...original, pick: async () => undefined };
    assert.equal(await run(CommandId.autoscaleEvaluate, other.uri), undefined, "dismissing the pool pick cancels quietly");
    assert.equal(api.autoscale.lastEvaluation, before);
  });

  test("Simulate asks for the load, runs the simulation and opens a webview whose posted data match it", async () => {
    const document = await formulaDocument(DEFAULT_FORMULA);
    const answers: SimulationAnswers = { load: "12 x 5m @ 0m; 6 x 10m @ 20m", interval: "5m", horizon: "1h", slotsPerNode: "2", nodeStartDelay: "1m" };
    withAnswers({ inputs: [answers.load, answers.interval, answers.horizon, answers.slotsPerNode, answers.nodeStartDelay] });
    const message = await run<SimulationMessage>(CommandId.autoscaleSimulate, document.uri);
    assert.ok(message, `Simulate failed: ${errors.join("; ")}`);
    const expected = simulateAutoScale(simulationOptions(DEFAULT_FORMULA, answers));
    assert.deepEqual(message.result, expected);
    assert.ok(Math.max(...expected.points.map((p) => p.dedicatedNodes)) > 0, "the load makes the pool grow");

    const view = api.autoscale.lastSimulation!;
    const rendered = await Promise.race([
      view.rendered,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the webview did not report drawing the chart within 30 s")), 30_000)),
    ]);
    assert.deepEqual(view.posted, [message], "the page got the simulation, once");
    assert.equal(view.panel.visible, true);
    assert.equal(rendered.points, expected.points.length);
    assert.equal(rendered.evaluations, expected.evaluations.length);
    assert.deepEqual(rendered.last, expected.points.at(-1), "the page received the simulation's data");
    assert.deepEqual(rendered.series, ["targetDedicatedNodes", "dedicatedNodes", "readyNodes", "pendingTasks", "runningTasks"]);
    assert.match(view.panel.webview.html, /Content-Security-Policy" content="default-src 'none';/);
    view.panel.dispose();
  });

  test("Simulate refuses bad input with the reason, and needs a formula document", async () => {
    const document = await formulaDocument(DEFAULT_FORMULA);
    errors.length = 0;
    withAnswers({ inputs: ["lots of tasks"] });
    assert.equal(await run(CommandId.autoscaleSimulate, document.uri), undefined);
    assert.match(errors.join("\n"), /is invalid: "lots of tasks" is not "N x DURATION @ ARRIVAL"/);

    errors.length = 0;
    const plain = await vscode.workspace.openTextDocument({ language: "plaintext", content: "not a formula" });
    await vscode.window.showTextDocument(plain);
    assert.equal(await run(CommandId.autoscaleSimulate), undefined);
    assert.match(errors.join("\n"), /Open an autoscale formula \(a \.batchscale document\) first/);
  });
});
