// Why: the one UI seam of every editor command and wizard (prompts, messages, progress), vscode-free so tests and core workflows share its shape.

import type { PromptUi } from "../../core/wizard/wizard";

/** What a progress body reports: a line, optionally with an increment (out of 100) of the bar. */
export type Report = (message: string, increment?: number) => void;

export interface EditorInputOptions {
  readonly title: string;
  readonly prompt: string;
  readonly value?: string;
  readonly placeholder?: string;
  /** hides what is typed (keys, passwords) */
  readonly password?: boolean;
  readonly validate?: (value: string) => string | undefined;
}

export interface ProgressOptions {
  /** "notification" (default): a cancellable notification; "statusBar": a spinner in the status bar, not cancellable */
  readonly location?: "notification" | "statusBar";
}

/**
 * Everything a command may ask or show. The extension's implementation is host/vscodeEditorUi.ts; the extension API
 * exposes it as `ui.current`, which tests replace (or spread and override) to answer prompts and record messages.
 * It is a PromptUi, so core workflows (scaffold, deploy, run) ask through it too.
 */
export interface EditorUi extends PromptUi {
  /** Resolves undefined when dismissed; `password` hides the typed text. */
  input(options: EditorInputOptions): Promise<string | undefined>;
  /** An information message; resolves the action button clicked, if any. Commands do not wait for it unless they offer actions. */
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string): Promise<unknown>;
  error(message: string): Promise<unknown>;
  /**
   * Runs `body` under a progress indicator. Cancelling the notification aborts `signal`; a body that fails after that
   * (the SDK's aborted calls reject with a plain RestError) rejects with the silent UserCancelledError.
   */
  progress<T>(title: string, body: (signal: AbortSignal, report: Report) => Promise<T>, options?: ProgressOptions): Promise<T>;
  /** Opens a URL in the browser (the Azure portal). */
  openExternal(url: string): Promise<void>;
  /** Shows a folder in the OS file manager (the local data folder). */
  revealInOs(folder: string): Promise<void>;
}
