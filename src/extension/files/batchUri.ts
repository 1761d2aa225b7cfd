// Why: the `batch:` URI scheme of task and node files (format and parse), vscode-free so the tree, the provider and tests agree.

export const BATCH_SCHEME = "batch";
/** The authority of the local service's account; shared-key and Azure accounts have `<name>@<host>` (accounts/sharedKeyAccounts.ts, accounts/azureFileClients.ts). */
export const LOCAL_AUTHORITY = "local";

/** Whose files: a task's directory or a compute node's root directory. */
export type FileOwner =
  | { readonly kind: "task"; readonly jobId: string; readonly taskId: string }
  | { readonly kind: "node"; readonly poolId: string; readonly nodeId: string };

/** One file or folder: `path` is `/`-separated and relative to the owner's directory ("" is the directory itself). */
export interface BatchFileRef {
  readonly account: string;
  readonly owner: FileOwner;
  readonly path: string;
}

const enc = (segment: string) => encodeURIComponent(segment);

/** `batch://local/jobs/<job>/tasks/<task>/files/<path>` or `batch://local/pools/<pool>/nodes/<node>/files/<path>`. */
export function formatBatchUri(ref: BatchFileRef): string {
  const owner =
    ref.owner.kind === "task" ? `jobs/${enc(ref.owner.jobId)}/tasks/${enc(ref.owner.taskId)}` : `pools/${enc(ref.owner.poolId)}/nodes/${enc(ref.owner.nodeId)}`;
  const file = ref.path ? `/${ref.path.split("/").map(enc).join("/")}` : "";
  return `${BATCH_SCHEME}://${enc(ref.account)}/${owner}/files${file}`;
}

/** Parses a URI's authority and its DECODED path (what vscode.Uri.path holds); undefined when it names no task or node file. */
export function parseBatchPath(authority: string, path: string): BatchFileRef | undefined {
  const parts = path.split("/").filter((part) => part !== "");
  if (parts.length < 5 || parts[4] !== "files" || !authority) return undefined;
  const [collection, ownerId, children, childId] = parts;
  const rest = parts.slice(5).join("/");
  if (collection === "jobs" && children === "tasks") return { account: authority, owner: { kind: "task", jobId: ownerId, taskId: childId }, path: rest };
  if (collection === "pools" && children === "nodes") return { account: authority, owner: { kind: "node", poolId: ownerId, nodeId: childId }, path: rest };
  return undefined;
}

/** The last path segment ("stdout.txt"), or the owner's id for its root directory. */
export function fileName(ref: BatchFileRef): string {
  if (ref.path) return ref.path.slice(ref.path.lastIndexOf("/") + 1);
  return ref.owner.kind === "task" ? ref.owner.taskId : ref.owner.nodeId;
}

/** Files written by a task while it runs, worth following: stdout.txt / stderr.txt at the top of a task directory. */
export function isFollowable(ref: BatchFileRef): boolean {
  return ref.owner.kind === "task" && (ref.path === "stdout.txt" || ref.path === "stderr.txt");
}

/** Task output that gets the `batch-task-log` language when opened from `batch:`. */
export function isTaskLog(ref: BatchFileRef): boolean {
  return /^(stdout|stderr)\.txt$|^fileupload[^/]*\.txt$/.test(fileName(ref));
}
