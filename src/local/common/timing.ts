// Why: the local-only delays that make pools, nodes and scheduling take observable time, and their named presets.

/** How long the local service makes things take, in ms (0 = at once). */
export interface LocalTiming {
  allocationDelayMs: number;
  nodeStartDelayMs: number;
  schedulingDelayMs: number;
  deallocationDelayMs: number;
}

/**
 * `fast` (the default): everything at once. `realistic`: about what Azure Batch typically takes for a Linux marketplace
 * image (allocation and node start are a few minutes together, a task waits seconds before it is scheduled, nodes take
 * under a minute to leave); chosen figures, not measured guarantees: Azure's vary with region, VM size and image.
 */
export const TIMING_PRESETS = {
  fast: { allocationDelayMs: 0, nodeStartDelayMs: 0, schedulingDelayMs: 0, deallocationDelayMs: 0 },
  realistic: { allocationDelayMs: 90_000, nodeStartDelayMs: 60_000, schedulingDelayMs: 2_000, deallocationDelayMs: 45_000 },
} as const satisfies Record<string, LocalTiming>;

export type TimingPreset = keyof typeof TIMING_PRESETS;

/** The preset's delays, each overridden by its own option where one is given. */
export function localTiming(
  preset: TimingPreset,
  overrides: { allocationDelay?: number; nodeStartDelay?: number; schedulingDelay?: number; deallocationDelay?: number },
): LocalTiming {
  const base = TIMING_PRESETS[preset];
  return {
    allocationDelayMs: overrides.allocationDelay ?? base.allocationDelayMs,
    nodeStartDelayMs: overrides.nodeStartDelay ?? base.nodeStartDelayMs,
    schedulingDelayMs: overrides.schedulingDelay ?? base.schedulingDelayMs,
    deallocationDelayMs: overrides.deallocationDelay ?? base.deallocationDelayMs,
  };
}
