// Why: what the extension-host benchmarks share: a job of N active tasks on a node-less pool (added 100 at a time, 8 in flight), and tree lookups by label.
import type { BatchServiceClient } from "@azure/batch";
import type { BatchManagerApi } from "../../src/extension/extension";
import type { TreeNode } from "../../src/extension/tree/treeNode";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";

/** Adds `jobId` with `tasks` tasks on pool `poolId` (no nodes: the tasks stay active, as in a big job waiting for capacity). */
export async function addLargeJob(client: BatchServiceClient, poolId: string, jobId: string, tasks: number): Promise<void> {
  await client.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 0, virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION });
  await client.job.add({ id: jobId, poolInfo: { poolId } });
  let next = 0;
  const worker = async () => {
    while (next < tasks) {
      const start = next;
      next += 100;
      const chunk = Array.from({ length: Math.min(100, tasks - start) }, (_, i) => ({
        id: `task-${String(start + i).padStart(6, "0")}`,
        commandLine: "/bin/true",
      }));
      await client.task.addCollection(jobId, chunk);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** The child of `parent` whose label is (or starts with) `label`. */
export async function childNamed(api: BatchManagerApi, parent: TreeNode | undefined, label: string): Promise<TreeNode> {
  const children = await api.model.children(parent);
  const found = children.find((child) => child.label === label || child.label.startsWith(label));
  if (!found) throw new Error(`no '${label}' under ${parent?.label ?? "the root"}: ${children.map((c) => c.label).join(", ")}`);
  return found;
}
