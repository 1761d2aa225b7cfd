// Why: runs the local pools' nodes and their tasks as a Batch node agent would (placeholder until the dispatcher lands).
import type { HandlerDeps } from "../api/context";
import type { NodeDispatcher } from "./nodeDispatcher";

export type DispatcherDeps = Omit<HandlerDeps, "dispatcher"> & { maxNodes: number };

export class LocalDispatcher implements NodeDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}
  start(): void {}
  async stop(): Promise<void> {}
  reconcilePool(poolId: string): void {
    const pool = this.deps.state.getPool(poolId);
    if (!pool) return;
    pool.wire.allocationState = "steady";
    this.deps.state.savePool(pool);
  }
  async removePool(poolId: string): Promise<void> {
    this.deps.state.pools.delete(poolId.toLowerCase());
  }
  async killTask(): Promise<void> {}
  async endJob(): Promise<void> {}
  kick(): void {}
}
