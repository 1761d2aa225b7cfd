// Why: the unit tests' one walk over a whole explorer tree, collecting every node id (to check they are unique).

import type { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import type { TreeNode } from "../../../src/extension/tree/treeNode";

/** Every node id of the model's tree, depth first, expanding each node through the model. */
export async function allNodeIds(model: ExplorerModel): Promise<string[]> {
  const ids: string[] = [];
  const walk = async (nodes: TreeNode[]) => {
    for (const node of nodes) {
      ids.push(node.id);
      await walk(await model.children(node));
    }
  };
  await walk(model.roots());
  return ids;
}
