// Why: the one shape of every workflow (scaffold, deploy, run, debug set-up): prompt steps fill a typed context, then execute steps do the work with progress and cancellation.

import { UserCancelledError } from "../cancellation";

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

/**
 * Everything a workflow may ask a person. The extension implements it with quick picks, input boxes and modal
 * dialogs; the CLI with flags, `--yes` and terminal prompts; tests with scripted answers. Every method resolves
 * undefined (or false) when the person dismisses it, which the wizard turns into a UserCancelledError.
 */
export interface PromptUi {
  pick<T>(items: readonly PickItem<T>[], options: { readonly title: string; readonly placeholder?: string }): Promise<T | undefined>;
  input(options: {
    readonly title: string;
    readonly prompt: string;
    readonly value?: string;
    readonly validate?: (value: string) => string | undefined;
  }): Promise<string | undefined>;
  /** A modal question in the editor, a y/N prompt (or `--yes`) in the CLI; true only for an explicit yes. */
  confirm(message: string, options: { readonly confirmLabel: string; readonly detail?: string }): Promise<boolean>;
}

/** Progress of the execute steps: a line per step, optionally with an increment out of 100. */
export interface ProgressSink {
  report(message: string, increment?: number): void;
}

export interface PromptStep<C> {
  /** false: the context already has the answer (from flags, settings or a default), so nothing is asked */
  shouldPrompt?(context: C): boolean;
  prompt(context: C, ui: PromptUi): Promise<void>;
}

export interface ExecuteStep<C> {
  /** what the progress line says while this step runs */
  readonly title: string;
  shouldExecute?(context: C): boolean;
  execute(context: C, progress: ProgressSink, signal: AbortSignal): Promise<void>;
}

export interface Workflow<C> {
  readonly prompts: readonly PromptStep<C>[];
  readonly executes: readonly ExecuteStep<C>[];
}

/** Asks what is missing, then runs the steps in order; a cancelled prompt or an aborted signal ends it with UserCancelledError. */
export async function runWorkflow<C>(workflow: Workflow<C>, context: C, ui: PromptUi, progress: ProgressSink, signal: AbortSignal): Promise<C> {
  for (const step of workflow.prompts) {
    if (signal.aborted) throw new UserCancelledError();
    if (step.shouldPrompt?.(context) === false) continue;
    await step.prompt(context, ui);
  }
  const steps = workflow.executes.filter((step) => step.shouldExecute?.(context) !== false);
  for (const [index, step] of steps.entries()) {
    if (signal.aborted) throw new UserCancelledError(step.title);
    progress.report(`${step.title} (${index + 1}/${steps.length})`, index === 0 ? undefined : 100 / steps.length);
    await step.execute(context, progress, signal);
  }
  return context;
}

/** The answer, or UserCancelledError naming what was being asked. */
export function answered<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new UserCancelledError(what);
  return value;
}

/** A PromptUi that answers from a script (tests, and the CLI with every value given as a flag): a missing answer is an error naming it. */
export function scriptedPromptUi(answers: { picks?: unknown[]; inputs?: string[]; confirms?: boolean[] }): PromptUi {
  const picks = [...(answers.picks ?? [])];
  const inputs = [...(answers.inputs ?? [])];
  const confirms = [...(answers.confirms ?? [])];
  return {
    async pick(items, options) {
      if (!picks.length) throw new Error(`no scripted answer for the pick "${options.title}"`);
      const wanted = picks.shift();
      const item = items.find((candidate) => candidate.value === wanted || candidate.label === wanted);
      if (!item) throw new Error(`the scripted answer ${JSON.stringify(wanted)} is not among the choices of "${options.title}"`);
      return item.value;
    },
    async input(options) {
      if (!inputs.length) throw new Error(`no scripted answer for the input "${options.title}"`);
      const value = inputs.shift()!;
      const problem = options.validate?.(value);
      if (problem) throw new Error(`the scripted answer ${JSON.stringify(value)} to "${options.title}" is invalid: ${problem}`);
      return value;
    },
    async confirm(message) {
      if (!confirms.length) throw new Error(`no scripted answer for the confirmation "${message}"`);
      return confirms.shift()!;
    },
  };
}
