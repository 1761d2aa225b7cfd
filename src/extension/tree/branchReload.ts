// Why: auto-refresh without needless redraws: reload the items a view shows under a branch in place, then name only those whose rendering changed.

import { renderingOf, type ShownTree } from "./shownTree";
import type { TreeNode } from "./treeNode";

export interface BranchReloadHooks {
  /** The children of `node` were read again (the model keeps its list of active branches from them). */
  loaded(node: TreeNode, children: readonly TreeNode[]): void;
  /** Reading the children of `node` failed: it keeps its loaded children (and stays stale), the view keeps showing them. */
  failed(node: TreeNode, error: unknown): void;
}

/**
 * Reads the children of `branch`, and of every node below it whose children the view shows (expanded), again (in place: paged lists read as
 * many pages as are loaded and keep the nodes still listed). Resolves with what to redraw, outermost first and none inside another:
 * a node whose list of children changed (ids added, removed or moved, an error item), else each item whose own rendering changed.
 * Nothing changed: nothing to redraw. Rejects only when `signal` aborts.
 */
export async function reloadShownBranch(branch: TreeNode, shown: ShownTree, hooks: BranchReloadHooks, signal?: AbortSignal): Promise<TreeNode[]> {
  const redraw: TreeNode[] = [];
  await reloadShown(branch, shown, hooks, redraw, signal);
  return outermost(redraw);
}

async function reloadShown(node: TreeNode, shown: ShownTree, hooks: BranchReloadHooks, redraw: TreeNode[], signal?: AbortSignal): Promise<void> {
  const before = shown.childrenOf(node);
  if (!before || !node.getChildren) return;
  node.markStale?.();
  // collapsed: nothing under it is drawn, so nothing is read; it reads again (stale) when the view expands it
  if (shown.isCollapsed(node)) return;
  let children: TreeNode[];
  try {
    children = await node.getChildren(signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    hooks.failed(node, error);
    return;
  }
  signal?.throwIfAborted();
  hooks.loaded(node, children);
  redraw.push(...changesUnder(node, before, children, shown));
  for (const child of children) await reloadShown(child, shown, hooks, redraw, signal);
}

/** What to redraw for the children of `node`: the node itself when its list changed, else each child whose rendering changed. */
function changesUnder(node: TreeNode, before: readonly TreeNode[], after: readonly TreeNode[], shown: ShownTree): TreeNode[] {
  if (before.length !== after.length || before.some((child, i) => child.id !== after[i].id)) return [node];
  const redraw: TreeNode[] = [];
  for (const [i, child] of after.entries()) {
    const held = before[i];
    const same = shown.renderingShown(held) === renderingOf(child);
    // a child built anew (not updated in place): the view holds the old object, which a change event could not name
    if (held !== child && (!same || shown.childrenOf(held))) return [node];
    if (!same) redraw.push(child);
  }
  return redraw;
}

/** Drops every node that lies under another one of `nodes` (a change event redraws the whole subtree of the node it names). */
export function outermost(nodes: readonly TreeNode[]): TreeNode[] {
  const unique = [...new Set(nodes)];
  return unique.filter((node) => !unique.some((other) => other !== node && node.id.startsWith(`${other.id}/`)));
}
