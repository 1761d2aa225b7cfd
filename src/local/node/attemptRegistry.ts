// Why: which attempts run on which node right now, so node removal, pool delete and stop can end them and wait for them.
import { idKey } from "../protocol/ids";
import type { AttemptControl, StopReason } from "./attemptControl";
import type { TaskKind } from "./nodeAgent";

export interface RunningAttempt {
  kind: TaskKind;
  control: AttemptControl;
  done: Promise<unknown>;
}

export const nodeKey = (poolId: string, nodeId: string): string => `${idKey(poolId)}/${idKey(nodeId)}`;

export class AttemptRegistry {
  private readonly byNode = new Map<string, Set<RunningAttempt>>();

  add(key: string, attempt: RunningAttempt): void {
    let set = this.byNode.get(key);
    if (!set) {
      set = new Set();
      this.byNode.set(key, set);
    }
    set.add(attempt);
    const forget = () => {
      set!.delete(attempt);
      if (set!.size === 0 && this.byNode.get(key) === set) this.byNode.delete(key);
    };
    attempt.done.then(forget, forget);
  }

  on(key: string): RunningAttempt[] {
    return [...(this.byNode.get(key) ?? [])];
  }

  /** Attempts of a pool's nodes (keys start with the pool key). */
  ofPool(poolId: string): RunningAttempt[] {
    const prefix = `${idKey(poolId)}/`;
    return [...this.byNode.entries()].filter(([key]) => key.startsWith(prefix)).flatMap(([, set]) => [...set]);
  }

  all(): RunningAttempt[] {
    return [...this.byNode.values()].flatMap((set) => [...set]);
  }

  /** True while a task other than the start task runs on the node. */
  busy(key: string): boolean {
    return this.on(key).some((attempt) => attempt.kind !== "startTask");
  }

  static stopAll(attempts: readonly RunningAttempt[], reason: StopReason): Promise<unknown> {
    for (const attempt of attempts) attempt.control.stop(reason);
    return Promise.allSettled(attempts.map((attempt) => attempt.done));
  }

  /** Resolves once no attempt runs on the node (new ones started meanwhile included). */
  async drained(key: string): Promise<void> {
    for (let attempts = this.on(key); attempts.length > 0; attempts = this.on(key)) await Promise.allSettled(attempts.map((attempt) => attempt.done));
  }
}
