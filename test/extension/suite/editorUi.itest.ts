// Why: the one UI seam in the REAL extension host: commands ask, tell and show progress only through api.ui (answers, password input, modal confirm, errors, cancellation).

import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { EditorInputOptions, EditorUi } from "../../../src/extension/common/editorUi";
import { CommandId } from "../../../src/extension/common/ids";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { activeApi, scriptedUi } from "./harness";

suite("One UI seam: commands ask and tell through api.ui", () => {
  let api: BatchManagerApi;
  let original: EditorUi;
  const inputs: EditorInputOptions[] = [];
  const confirms: { message: string; confirmLabel: string }[] = [];
  const errors: string[] = [];
  const progressTitles: string[] = [];

  /** The editor's UI answering from `answers` and recording what the commands asked and showed. */
  const recording = (answers: Parameters<typeof scriptedUi>[1], overrides: Pick<Partial<EditorUi>, "progress"> = {}): EditorUi => {
    const scripted = scriptedUi(original, answers);
    return {
      ...scripted,
      input: (options) => {
        inputs.push(options);
        return scripted.input(options);
      },
      confirm: (message, options) => {
        confirms.push({ message, confirmLabel: options.confirmLabel });
        return scripted.confirm(message, options);
      },
      error: async (message) => void errors.push(message),
      progress: (title, body, options) => {
        progressTitles.push(title);
        return (overrides.progress ?? original.progress)(title, body, options);
      },
    };
  };

  suiteSetup(async () => {
    api = await activeApi();
    original = api.ui.current;
  });

  setup(() => {
    inputs.length = 0;
    confirms.length = 0;
    errors.length = 0;
    progressTitles.length = 0;
  });

  teardown(() => {
    api.ui.current = original;
  });

  suiteTeardown(async () => {
    for (const account of api.accounts.sharedKey.list().filter((a) => a.accountName === "seamaccount")) await api.accounts.sharedKey.remove(account.id);
  });

  test("Add Shared Key Account asks through the seam: the URL is validated, the key is a password; Remove picks through it", async () => {
    const url = "https://seamaccount.westeurope.batch.azure.com";
    api.ui.current = recording({ inputs: [url, "seamaccount", "c2VhbS1rZXk="] });
    const id = await vscode.commands.executeCommand<string>(CommandId.accountsAddSharedKey);
    assert.ok(id, `no account added; errors: ${errors.join("; ")}`);
    assert.deepEqual(
      inputs.map((options) => options.prompt),
      ["Batch account URL", "Batch account name", `Key of Batch account "seamaccount" (kept in VS Code's secret storage)`],
    );
    assert.equal(inputs[0]!.validate?.("not a url"), "Enter the account's http(s) URL");
    assert.equal(inputs[1]!.value, "seamaccount", "the name is prefilled from the URL");
    assert.deepEqual([inputs[0]!.password, inputs[2]!.password], [undefined, true]);
    assert.equal(await api.accounts.sharedKey.getKey(id), "c2VhbS1rZXk=");

    api.ui.current = recording({ picks: ["seamaccount"] });
    await vscode.commands.executeCommand(CommandId.accountsRemove);
    assert.ok(!api.accounts.sharedKey.list().some((account) => account.id === id), "the picked account is removed");
    assert.deepEqual(errors, []);
  });

  test("dismissing a prompt cancels quietly: nothing is added and no error is shown", async () => {
    const before = api.accounts.sharedKey.list().length;
    const ui = recording({ inputs: ["https://seamaccount.westeurope.batch.azure.com", "seamaccount"] });
    // the person presses Escape at the key prompt
    api.ui.current = { ...ui, input: async (options) => (options.password ? undefined : ui.input(options)) };
    assert.equal(await vscode.commands.executeCommand(CommandId.accountsAddSharedKey), undefined);
    assert.equal(inputs.length, 2, "asked the URL and the name, then the key was dismissed");
    assert.equal(api.accounts.sharedKey.list().length, before);
    assert.deepEqual(errors, []);
  });

  test("a destructive action confirms through the seam first; a failure is shown once through ui.error", async () => {
    assert.equal(await vscode.commands.executeCommand(CommandId.localStop), "stopped");
    api.ui.current = recording({ inputs: ["some-job"], confirms: [true] });
    assert.equal(await vscode.commands.executeCommand(CommandId.jobTerminate), undefined, "a failed command resolves undefined");
    assert.deepEqual(confirms, [{ message: 'Terminate job "some-job"? Its running tasks are stopped.', confirmLabel: "Terminate" }]);
    assert.deepEqual(errors, ["The local Batch service is not running."]);
    assert.deepEqual(progressTitles, ["Terminating job some-job"]);

    api.ui.current = recording({ inputs: ["some-job"], confirms: [false] });
    assert.equal(await vscode.commands.executeCommand(CommandId.jobTerminate), undefined);
    assert.deepEqual(progressTitles, ["Terminating job some-job"], "declined: nothing ran");
    assert.deepEqual(errors, ["The local Batch service is not running."], "declining is no error");
  });

  test("cancelling a command's progress aborts it quietly (Start Local Service)", async () => {
    // as the notification's Cancel button does: the body's signal is aborted
    api.ui.current = recording(
      {},
      { progress: (title, body, options) => original.progress(title, (_signal, report) => body(AbortSignal.abort(), report), options) },
    );
    assert.equal(await vscode.commands.executeCommand(CommandId.localStart), undefined);
    assert.deepEqual(progressTitles, ["Starting the local Batch service"]);
    assert.equal(api.localService.state, "stopped");
    assert.deepEqual(errors, []);
  });
});
