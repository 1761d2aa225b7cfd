// Why: what the explorer view was last handed (each item's rendering, the children of each node it expanded), so auto-refresh redraws only what changed.

import type { TreeNode } from "./treeNode";

/**
 * Everything the view draws for one item (host/explorerTreeProvider.ts toTreeItem), as one comparable string: two equal
 * renderings draw the same row. A command without `args` is passed the node itself, which stays the same object.
 */
export function renderingOf(node: TreeNode): string {
  const { label, description, tooltip, icon, contextValue, collapsible, command } = node;
  const args = command && (command.args === undefined ? "the node" : JSON.stringify(command.args, nodesById));
  return JSON.stringify([label, description, tooltip, icon, contextValue, collapsible, command?.id, command?.title, args]);
}

/** A tree node inside command arguments stands for itself by its id (its parent links would make the JSON circular). */
const nodesById = (_key: string, value: unknown) =>
  value !== null && typeof value === "object" && typeof (value as TreeNode).id === "string" && typeof (value as TreeNode).contextValue === "string"
    ? `node:${(value as TreeNode).id}`
    : value;

/**
 * What the view holds, by node object: the rendering each item was drawn with and the children each node was given when the view
 * asked (objects, not ids: a node built anew under the same id is another item, and whoever asks for a node's children last owns
 * that list). Updated only when the view is handed something: a children list, or a node a change event names.
 */
export class ShownTree {
  private readonly renderings = new WeakMap<TreeNode, string>();
  private childLists = new WeakMap<TreeNode, readonly TreeNode[]>();
  private readonly collapsed = new WeakSet<TreeNode>();

  /** The view asked for the children of `parent` (the roots when undefined) and was given `children`, which it draws now. */
  handed(parent: TreeNode | undefined, children: readonly TreeNode[]): void {
    if (parent) this.childLists.set(parent, children);
    for (const child of children) this.renderings.set(child, renderingOf(child));
  }

  /** The view draws `node` again (a change event named it): its rendering now is what the view shows. */
  redrawn(node: TreeNode): void {
    this.renderings.set(node, renderingOf(node));
  }

  /** The rendering the view drew `node` with (undefined: never handed to it). */
  renderingShown(node: TreeNode): string | undefined {
    return this.renderings.get(node);
  }

  /** The children the view was given under `node`; undefined when it never asked for them. */
  childrenOf(node: TreeNode): readonly TreeNode[] | undefined {
    return this.childLists.get(node);
  }

  /** The view expanded or collapsed `node` (a node it never reported collapsed counts as expanded once it asked for its children). */
  setExpanded(node: TreeNode, expanded: boolean): void {
    if (expanded) this.collapsed.delete(node);
    else this.collapsed.add(node);
  }

  /** Whether the view reported `node` collapsed (and not expanded since): nothing under it is drawn. */
  isCollapsed(node: TreeNode): boolean {
    return this.collapsed.has(node);
  }

  /** Forgets the children the view was given under `node` (under every node when undefined): a refresh dropped them, the view asks again. */
  forgetChildren(node: TreeNode | undefined): void {
    if (node) this.childLists.delete(node);
    else this.childLists = new WeakMap();
  }
}
