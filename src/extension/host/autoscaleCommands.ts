// Why: the autoscale commands: New and Edit Autoscale Formula (a pool's formula in a batch-autoscale document), Evaluate (the service's evaluateAutoScale, shown as a report) and Simulate (the pure simulation, plotted in a webview).

import * as path from "node:path";
import * as vscode from "vscode";
import { simulateAutoScale } from "../../autoscale";
import { evaluationReport, type EvaluationReportInput, serviceErrorOf } from "../autoscale/evaluationReport";
import { formulaDocumentText } from "../autoscale/formulaTemplate";
import { type AutoscaleClient, isAutoscaleClient, type PoolTarget, poolTargetOf } from "../autoscale/poolTarget";
import {
  DEFAULT_ANSWERS,
  parseDelay,
  parseLoad,
  parsePositiveDuration,
  parseWhole,
  type SimulationAnswers,
  simulationOptions,
  validator,
} from "../autoscale/simulationInputs";
import { simulationMessage } from "../autoscale/simulationPage";
import type { EditorUi } from "../common/editorUi";
import { isUserCancelled, UserCancelledError } from "../common/errors";
import { AUTOSCALE_LANGUAGE, CommandId } from "../common/ids";
import type { TreeNode } from "../tree/treeNode";
import { type AutoscaleLanguage, registerAutoscaleLanguage } from "./autoscaleLanguage";
import { openSimulationPanel, type SimulationView } from "./autoscaleSimulationPanel";
import type { CommandRegistry } from "./commands";

/** The read-only documents Evaluate opens its reports in. */
export const EVALUATION_SCHEME = "batch-autoscale-evaluation";

export interface AutoscaleDeps {
  readonly subscriptions: vscode.Disposable[];
  readonly commands: CommandRegistry;
  readonly ui: () => EditorUi;
  /** the running local service's client (undefined while it is not running) */
  readonly localClient: () => unknown;
}

/** What tests (and callers) can see: diagnostics, which pool each document belongs to, the last evaluation and simulation. */
export interface AutoscaleFeatures {
  readonly language: AutoscaleLanguage;
  /** document URI → the pool it was opened for (or last evaluated against) */
  readonly pools: Map<string, PoolTarget>;
  lastEvaluation?: EvaluationResult;
  lastSimulation?: SimulationView;
}

export interface EvaluationResult extends EvaluationReportInput {
  readonly report: vscode.Uri;
}

/** The formula document a command acts on: its URI argument (CodeLens, editor title), else the active batch-autoscale editor. */
async function formulaDocument(arg: unknown): Promise<vscode.TextDocument> {
  const uri = arg instanceof vscode.Uri ? arg : undefined;
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== AUTOSCALE_LANGUAGE) {
    throw new Error("Open an autoscale formula (a .batchscale document) first, e.g. with Edit Autoscale Formula on a pool or New Autoscale Formula.");
  }
  return document;
}

const required = async <T>(answer: Promise<T | undefined>): Promise<T> => {
  const value = await answer;
  if (value === undefined) throw new UserCancelledError();
  return value;
};

export function registerAutoscaleFeatures(deps: AutoscaleDeps): AutoscaleFeatures {
  const { commands, ui } = deps;
  const pools = new Map<string, PoolTarget>();
  const reports = new Map<string, string>();
  const reportChanged = new vscode.EventEmitter<vscode.Uri>();
  deps.subscriptions.push(
    reportChanged,
    vscode.workspace.registerTextDocumentContentProvider(EVALUATION_SCHEME, {
      onDidChange: reportChanged.event,
      provideTextDocumentContent: (uri) => reports.get(uri.toString()) ?? "",
    }),
    vscode.workspace.onDidCloseTextDocument((document) => pools.delete(document.uri.toString())),
  );
  const language = registerAutoscaleLanguage(deps.subscriptions, (uri) => {
    const pool = pools.get(uri.toString());
    return pool ? `$(play) Evaluate on pool ${pool.poolId} (${pool.account})` : "$(play) Evaluate on a pool…";
  });
  const features: AutoscaleFeatures = { language, pools };

  const openFormula = async (text: string, pool?: PoolTarget): Promise<vscode.TextDocument> => {
    const document = await vscode.workspace.openTextDocument({ language: AUTOSCALE_LANGUAGE, content: text });
    if (pool) pools.set(document.uri.toString(), pool);
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  };

  /** A pool of the running local service with autoscale on (evaluateAutoScale needs it), picked by the user. */
  const pickLocalPool = async (signal?: AbortSignal): Promise<PoolTarget> => {
    const client = deps.localClient();
    if (!isAutoscaleClient(client)) {
      throw new Error(
        "The formula is not tied to a pool and the local Batch service is not running: use Edit Autoscale Formula on a pool in the explorer, or start the local service.",
      );
    }
    const listed = await client.pool.list({ poolListOptions: { select: "id,enableAutoScale" }, abortSignal: signal });
    const items = listed
      .filter((p) => p.id)
      .map((p) => ({ label: p.id!, description: p.enableAutoScale ? "autoscale on" : "autoscale off: the service refuses to evaluate", value: p.id! }));
    if (items.length === 0) throw new Error("The local Batch service has no pools: add a pool with enableAutoScale first.");
    const poolId = await required(ui().pick(items, { title: "Evaluate on which pool?", placeholder: "A pool of the local Batch service" }));
    return { poolId, account: "Local", client: client as AutoscaleClient };
  };

  commands.registerCommand(CommandId.autoscaleNew, async () => (await openFormula(formulaDocumentText(undefined, undefined))).uri.toString());

  commands.registerCommand(CommandId.autoscaleEdit, async (node?: TreeNode) => {
    if (!node) return (await openFormula(formulaDocumentText(undefined, undefined))).uri.toString();
    const { target, formula } = await ui().progress("Reading the pool's autoscale formula", async (signal) => {
      const target = await poolTargetOf(node, signal);
      if (!target) throw new Error("Edit Autoscale Formula works on a pool item of the Batch explorer.");
      const pool = await target.client.pool.get(target.poolId, { abortSignal: signal });
      return { target, formula: pool.autoScaleFormula };
    });
    return (await openFormula(formulaDocumentText(target.poolId, formula), target)).uri.toString();
  });

  commands.registerCommand(CommandId.autoscaleEvaluate, async (arg?: unknown): Promise<EvaluationResult> => {
    const document = await formulaDocument(arg);
    const formula = document.getText();
    const input = await ui().progress("Evaluating the autoscale formula", async (signal, report): Promise<EvaluationReportInput> => {
      const target = pools.get(document.uri.toString()) ?? (await pickLocalPool(signal));
      pools.set(document.uri.toString(), target);
      report(`on pool ${target.poolId} (${target.account})`);
      const base = { poolId: target.poolId, account: target.account, formula };
      try {
        const run = await target.client.pool.evaluateAutoScale(target.poolId, formula, { abortSignal: signal });
        return { ...base, run: { timestamp: run.timestamp, results: run.results, error: run.error } };
      } catch (error) {
        const failure = signal.aborted || isUserCancelled(error) ? undefined : serviceErrorOf(error);
        if (!failure) throw error;
        return { ...base, failure };
      }
    });
    const uri = vscode.Uri.from({ scheme: EVALUATION_SCHEME, path: `/${input.poolId} evaluation ${new Date().toISOString().replace(/[:.]/g, "-")}.txt` });
    reports.set(uri.toString(), evaluationReport(input));
    reportChanged.fire(uri);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
      viewColumn: vscode.ViewColumn.Beside,
      preview: true,
      preserveFocus: true,
    });
    features.lastEvaluation = { ...input, report: uri };
    return features.lastEvaluation;
  });

  commands.registerCommand(CommandId.autoscaleSimulate, async (arg?: unknown) => {
    const document = await formulaDocument(arg);
    const ask = (title: string, prompt: string, value: string, validate: (text: string) => string | undefined) =>
      required(ui().input({ title: `Simulate: ${title}`, prompt, value, validate }));
    const answers: SimulationAnswers = {
      load: await ask("load", "Batches of tasks: N x DURATION @ ARRIVAL, separated by ;", DEFAULT_ANSWERS.load, validator(parseLoad)),
      interval: await ask(
        "evaluation interval",
        "How often the formula is evaluated (30s, 5m, 15m)",
        DEFAULT_ANSWERS.interval,
        validator(parsePositiveDuration("evaluation interval")),
      ),
      horizon: await ask("horizon", "How much time to simulate (up to 168h)", DEFAULT_ANSWERS.horizon, validator(parsePositiveDuration("horizon"))),
      slotsPerNode: await ask(
        "task slots per node",
        "Tasks a node runs at once",
        DEFAULT_ANSWERS.slotsPerNode,
        validator(parseWhole("task slots per node", 1, 256)),
      ),
      nodeStartDelay: await ask("node start delay", "How long a new node takes before it runs tasks", DEFAULT_ANSWERS.nodeStartDelay, validator(parseDelay)),
    };
    const options = simulationOptions(document.getText(), answers);
    const result = await ui().progress("Simulating the autoscale formula", async (signal) => {
      const simulated = simulateAutoScale(options);
      if (signal.aborted) throw new UserCancelledError();
      return simulated;
    });
    const name = document.isUntitled ? "formula" : path.basename(document.fileName);
    features.lastSimulation = openSimulationPanel(simulationMessage(`Autoscale simulation: ${name}, ${answers.load}`, options, result));
    return features.lastSimulation.message;
  });

  return features;
}
