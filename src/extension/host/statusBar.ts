// Why: the status bar item: the local service's state and its number of active jobs; a click shows the explorer or starts the service.

import * as vscode from "vscode";
import { countActiveJobs, statusText, statusTooltip } from "../actions/statusSummary";
import { CommandId, ViewId } from "../common/ids";
import type { LocalServiceController } from "../../core/localService/localServiceController";
import type { BatchClientLike } from "../common/batchClientLike";
import type { CommandRegistry } from "./commands";

const RECOUNT_DEBOUNCE_MS = 300;

export class BatchStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem("batchManager.status", vscode.StatusBarAlignment.Left, 50);
  private activeJobs: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: { dispose(): void };

  constructor(
    commands: CommandRegistry,
    private readonly controller: LocalServiceController,
    private readonly client: () => BatchClientLike | undefined,
  ) {
    this.item.name = "Azure Batch: local service";
    this.item.command = CommandId.statusBarClick;
    commands.registerCommand(CommandId.statusBarClick, () =>
      vscode.commands.executeCommand(controller.state === "running" ? `${ViewId.explorer}.focus` : CommandId.localStart),
    );
    this.subscription = controller.onDidChangeState(() => this.scheduleRecount());
    this.render();
    this.item.show();
  }

  /** Counts the active jobs again soon (several changes in a row count once). */
  scheduleRecount(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.recount(), RECOUNT_DEBOUNCE_MS);
  }

  /** Counts now and updates the item; never rejects (a failed count shows just the state). */
  async recount(): Promise<string> {
    const client = this.controller.state === "running" ? this.client() : undefined;
    try {
      this.activeJobs = client ? await countActiveJobs(client) : undefined;
    } catch {
      this.activeJobs = undefined;
    }
    this.render();
    return this.item.text;
  }

  private render(): void {
    this.item.text = statusText(this.controller.state, this.activeJobs);
    this.item.tooltip = statusTooltip(this.controller.state, this.controller.connection?.batchUrl);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
