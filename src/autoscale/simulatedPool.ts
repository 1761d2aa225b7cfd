// Why: the pool model the autoscale simulation steps: nodes that take time to start, a FIFO task queue filling task slots, and resizes that honour $NodeDeallocationOption.

import type { MetricFigures } from "./recordedMetrics";
import type { DeallocationOption } from "./vocabulary";

interface SimNode {
  lowPriority: boolean;
  readyAtMs: number;
  /** set when chosen for removal under taskcompletion/retaineddata: takes no new tasks, leaves when idle */
  draining: boolean;
  /** end times of the tasks running on it */
  running: { endsAtMs: number; durationMs: number }[];
}

export class SimulatedPool {
  private nodes: SimNode[] = [];
  /** durations of queued tasks, first in first out */
  private readonly queue: number[] = [];
  succeeded = 0;
  failed = 0;

  constructor(
    private readonly slotsPerNode: number,
    private readonly startDelayMs: number,
  ) {}

  /** Nodes present at the start are already running. */
  addReadyNodes(count: number, lowPriority: boolean): void {
    for (let i = 0; i < count; i++) this.nodes.push({ lowPriority, readyAtMs: 0, draining: false, running: [] });
  }

  enqueue(count: number, durationMs: number): void {
    for (let i = 0; i < count; i++) this.queue.push(durationMs);
  }

  /** Finishes tasks due by `nowMs`, lets idle draining nodes go, then starts queued tasks on free slots of ready nodes. */
  advance(nowMs: number): void {
    for (const node of this.nodes) {
      const before = node.running.length;
      node.running = node.running.filter((t) => t.endsAtMs > nowMs);
      this.succeeded += before - node.running.length;
    }
    this.nodes = this.nodes.filter((n) => !(n.draining && n.running.length === 0));
    for (const node of this.nodes) {
      if (node.draining || node.readyAtMs > nowMs) continue;
      while (node.running.length < this.slotsPerNode && this.queue.length > 0) {
        const durationMs = this.queue.shift()!;
        node.running.push({ endsAtMs: nowMs + durationMs, durationMs });
      }
    }
  }

  /** Moves the pool towards the targets: new nodes start after the start delay; removed nodes are chosen starting first, then idle, then newest. */
  resize(nowMs: number, dedicated: number, lowPriority: number, option: DeallocationOption): void {
    for (const [lowPri, target] of [
      [false, dedicated],
      [true, lowPriority],
    ] as const) {
      const staying = this.nodes.filter((n) => n.lowPriority === lowPri && !n.draining);
      for (let i = staying.length; i < target; i++)
        this.nodes.push({ lowPriority: lowPri, readyAtMs: nowMs + this.startDelayMs, draining: false, running: [] });
      const order = [...staying].reverse().sort((a, b) => rank(a, nowMs) - rank(b, nowMs));
      for (const node of order.slice(0, Math.max(0, staying.length - target))) this.remove(node, option);
    }
  }

  private remove(node: SimNode, option: DeallocationOption): void {
    if (option === "taskcompletion" || option === "retaineddata") {
      // retained data is not modelled: retaineddata drains like taskcompletion
      node.draining = true;
      if (node.running.length > 0) return;
    } else if (option === "requeue") {
      this.queue.unshift(...node.running.map((t) => t.durationMs));
    } else {
      this.failed += node.running.length;
    }
    this.nodes = this.nodes.filter((n) => n !== node);
  }

  figures(nowMs: number): MetricFigures & { readyNodes: number } {
    const ready = this.nodes.filter((n) => n.readyAtMs <= nowMs);
    const running = this.nodes.reduce((sum, n) => sum + n.running.length, 0);
    const slots = ready.length * this.slotsPerNode;
    return {
      $ActiveTasks: this.queue.length,
      $RunningTasks: running,
      $PendingTasks: this.queue.length + running,
      $SucceededTasks: this.succeeded,
      $FailedTasks: this.failed,
      $TaskSlotsPerNode: this.slotsPerNode,
      $CurrentDedicatedNodes: this.nodes.filter((n) => !n.lowPriority).length,
      $CurrentLowPriorityNodes: this.nodes.filter((n) => n.lowPriority).length,
      $CPUPercent: slots > 0 ? (running / slots) * 100 : 0,
      $SampleNodeCount: ready.length,
      $UsableNodeCount: ready.length,
      readyNodes: ready.length,
    };
  }
}

/** removal preference: nodes still starting, then idle nodes, then busy ones */
function rank(node: SimNode, nowMs: number): number {
  if (node.readyAtMs > nowMs) return 0;
  return node.running.length === 0 ? 1 : 2;
}
