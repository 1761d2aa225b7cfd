// Why: the one registerCommand wrapper every command goes through: disposables kept, errors logged and shown once, cancellation silent.

import * as vscode from "vscode";
import type { Logger } from "../../local/common/logger";
import type { EditorUi } from "../common/editorUi";
import { errorMessage, isUserCancelled, markReported, wasReported } from "../common/errors";
import type { CommandId } from "../common/ids";

// biome-ignore lint/suspicious/noExplicitAny: commands receive whatever VS Code (tree node, URI) or the calling code passes.
export type CommandCallback = (...args: any[]) => unknown;

export class CommandRegistry {
  constructor(
    private readonly subscriptions: { push(...items: vscode.Disposable[]): unknown },
    private readonly logger: Logger,
    /** the extension's EditorUi (of which the wrapper only shows errors) */
    private readonly ui: () => Pick<EditorUi, "error">,
  ) {}

  /** Registers `id` and keeps its disposable in the extension's subscriptions. */
  registerCommand(id: CommandId | string, callback: CommandCallback): vscode.Disposable {
    const disposable = vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, callback, args));
    this.subscriptions.push(disposable);
    return disposable;
  }

  /**
   * Runs a command body. Resolves to its result, or to undefined when it was cancelled or failed.
   * It never rejects, so VS Code does not add its own second error toast; an error that some inner
   * step already showed (markReported) is logged but not shown again.
   */
  async run(id: string, callback: CommandCallback, args: readonly unknown[]): Promise<unknown> {
    const started = Date.now();
    try {
      const result = await callback(...args);
      this.logger.debug(`${id} finished in ${Date.now() - started} ms`);
      return result;
    } catch (error) {
      if (isUserCancelled(error)) {
        this.logger.debug(`${id} cancelled after ${Date.now() - started} ms`);
        return undefined;
      }
      const message = errorMessage(error);
      const stack = error instanceof Error && error.stack ? `\n${error.stack}` : "";
      this.logger.error(`${id} failed: ${message}${stack}`);
      if (!wasReported(error)) {
        markReported(error);
        void Promise.resolve(this.ui().error(message)).catch(() => undefined);
      }
      return undefined;
    }
  }
}
