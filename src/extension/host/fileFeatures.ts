// Why: wires task and node files into VS Code: the `batch:` provider, open/follow/unfollow commands, the task-log language, follow clean-up.

import * as vscode from "vscode";
import { type BatchFilesClientLike, filesClientOf } from "../files/batchFileClient";
import { BATCH_SCHEME, isTaskLog, parseBatchPath } from "../files/batchUri";
import { DEFAULT_MAX_OPEN_BYTES } from "../files/tailView";
import type { EditorUi } from "../common/editorUi";
import { CommandId, FOLLOWING_CONTEXT_KEY, Setting, TASK_LOG_LANGUAGE } from "../common/ids";
import { BatchFileSystemProvider } from "./batchFileSystemProvider";
import type { CommandRegistry } from "./commands";
import { keepFollowedEndsInView } from "./followedEnd";

export interface FileFeaturesDeps {
  readonly subscriptions: vscode.Disposable[];
  readonly commands: CommandRegistry;
  /** The client of a `batch:` authority; "local" is the local service's, `<name>@<host>` a shared-key account's (looked up, so maybe a promise). */
  readonly clientFor: (account: string) => unknown;
  /** where a follow that stopped on an error says so */
  readonly ui: () => EditorUi;
}

export interface FileFeatures {
  readonly provider: BatchFileSystemProvider;
}

/** A command's argument: a URI (string or Uri), a tree FileNode (`uri`), else the active editor's document. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === "string") return vscode.Uri.parse(arg, true);
  const fromNode = (arg as { uri?: unknown } | undefined)?.uri;
  if (typeof fromNode === "string") return vscode.Uri.parse(fromNode, true);
  return vscode.window.activeTextEditor?.document.uri;
}

function batchUri(arg: unknown): vscode.Uri {
  const uri = targetUri(arg);
  if (!uri || uri.scheme !== BATCH_SCHEME) throw new Error("Pick a task or node file (a batch: document) first.");
  return uri;
}

/** stdout.txt, stderr.txt and fileupload*.txt from `batch:` get the task-log language (contributing filenames would claim local files too). */
async function applyTaskLogLanguage(document: vscode.TextDocument): Promise<vscode.TextDocument> {
  if (document.uri.scheme !== BATCH_SCHEME || document.languageId === TASK_LOG_LANGUAGE) return document;
  const ref = parseBatchPath(document.uri.authority, document.uri.path);
  return ref && isTaskLog(ref) ? vscode.languages.setTextDocumentLanguage(document, TASK_LOG_LANGUAGE) : document;
}

async function show(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await applyTaskLogLanguage(await vscode.workspace.openTextDocument(uri));
  return vscode.window.showTextDocument(document, { preview: true });
}

/** Every `batch:` URI shown in some tab. */
function openBatchUris(): Set<string> {
  const uris = new Set<string>();
  for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
    if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === BATCH_SCHEME) uris.add(tab.input.uri.toString());
  }
  return uris;
}

export function registerFileFeatures(deps: FileFeaturesDeps): FileFeatures {
  const settings = () => vscode.workspace.getConfiguration(Setting.section);
  const provider = new BatchFileSystemProvider({
    clientFor: async (account): Promise<BatchFilesClientLike | undefined> => filesClientOf(await deps.clientFor(account)),
    maxOpenBytes: () => Math.max(0, settings().get<number>(Setting.maxOpenBytes) ?? DEFAULT_MAX_OPEN_BYTES),
  });
  const { commands, subscriptions } = deps;
  subscriptions.push(provider, vscode.workspace.registerFileSystemProvider(BATCH_SCHEME, provider, { isCaseSensitive: true, isReadonly: true }));

  const publishFollowing = () =>
    void vscode.commands.executeCommand("setContext", FOLLOWING_CONTEXT_KEY, provider.isFollowing(vscode.window.activeTextEditor?.document.uri));

  const followedEnds = keepFollowedEndsInView((uri) => provider.isFollowing(uri));
  subscriptions.push(followedEnds);
  commands.registerCommand(CommandId.filesOpen, async (arg?: unknown) => (await show(batchUri(arg))).document.uri.toString());
  commands.registerCommand(CommandId.filesFollow, async (arg?: unknown) => {
    const uri = batchUri(arg);
    await provider.follow(uri);
    followedEnds.started(await show(uri));
    publishFollowing();
    return true;
  });
  commands.registerCommand(CommandId.filesUnfollow, (arg?: unknown) => {
    const stopped = provider.unfollow(batchUri(arg));
    publishFollowing();
    return stopped;
  });

  subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => void applyTaskLogLanguage(document).then(undefined, () => undefined)),
    // following ends when no tab shows the file any more (documents outlive their tabs, so tabs are what counts)
    vscode.window.tabGroups.onDidChangeTabs((event) => {
      if (event.closed.length === 0) return;
      const open = openBatchUris();
      for (const tab of event.closed) {
        if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === BATCH_SCHEME && !open.has(tab.input.uri.toString()))
          provider.unfollow(tab.input.uri);
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(publishFollowing),
    provider.onDidEndFollow(({ uri, end }) => {
      publishFollowing();
      if (end.reason === "failed") void deps.ui().warn(`Stopped following ${uri.path}: ${end.message}`);
    }),
  );
  return { provider };
}
