// Why: the fixed words of the formula language (service variables, TimeInterval_* constants, deallocation keywords) with one-line docs, shared by the checker, the evaluator and the editor's hover/completion.

export const DEALLOCATION_OPTIONS = ["requeue", "terminate", "taskcompletion", "retaineddata"] as const;
export type DeallocationOption = (typeof DEALLOCATION_OPTIONS)[number];

const MS = 1;
const SECOND = 1000 * MS;
const DAY = 86_400 * SECOND;

/** TimeInterval_* constants in milliseconds. Choice: TimeInterval_Year is 365 days (the reference leaves its length unspecified). */
export const TIME_INTERVALS: Readonly<Record<string, number>> = {
  TimeInterval_Zero: 0,
  TimeInterval_100ns: 0.0001,
  TimeInterval_Microsecond: 0.001,
  TimeInterval_Millisecond: MS,
  TimeInterval_Second: SECOND,
  TimeInterval_Minute: 60 * SECOND,
  TimeInterval_Hour: 3600 * SECOND,
  TimeInterval_Day: DAY,
  TimeInterval_Week: 7 * DAY,
  TimeInterval_Year: 365 * DAY,
};

export type SettableVariable = "$TargetDedicatedNodes" | "$TargetLowPriorityNodes" | "$NodeDeallocationOption";
export const SETTABLE_VARIABLES: readonly SettableVariable[] = ["$TargetDedicatedNodes", "$TargetLowPriorityNodes", "$NodeDeallocationOption"];

/** Older names still accepted; when a formula assigns both, the full name's value wins. */
export const SETTABLE_ALIASES: Readonly<Record<string, SettableVariable>> = {
  $TargetDedicated: "$TargetDedicatedNodes",
  $TargetLowPriority: "$TargetLowPriorityNodes",
};

export const SETTABLE_DOCS: Readonly<Record<SettableVariable, string>> = {
  $TargetDedicatedNodes: "Desired number of dedicated nodes. Read before assigning: the pool's current target. Fractions are truncated when applied.",
  $TargetLowPriorityNodes: "Desired number of Spot/low-priority nodes. Read before assigning: the pool's current target.",
  $NodeDeallocationOption: "What happens to running tasks on nodes removed by this step: requeue (default), terminate, taskcompletion, retaineddata.",
};

/** The read-only service variables: each is a sample history (GetSample, ...) and, used as a number, its current value. */
export const METRIC_DOCS = {
  $CPUPercent: "Mean CPU utilisation of the pool's nodes, in percent.",
  $WallClockSeconds: "Wall-clock seconds consumed.",
  $MemoryBytes: "Mean memory in use (documented in megabytes despite the name).",
  $DiskBytes: "Mean local-disk space in use (documented in gigabytes).",
  $DiskReadBytes: "Bytes read from disk.",
  $DiskWriteBytes: "Bytes written to disk.",
  $DiskReadOps: "Number of disk read operations.",
  $DiskWriteOps: "Number of disk write operations.",
  $NetworkInBytes: "Inbound network bytes.",
  $NetworkOutBytes: "Outbound network bytes.",
  $SampleNodeCount: "Number of nodes contributing to the sample.",
  $ActiveTasks: "Tasks ready to run but not yet running (active, dependencies satisfied).",
  $RunningTasks: "Tasks in the running state.",
  $PendingTasks: "$ActiveTasks + $RunningTasks.",
  $SucceededTasks: "Tasks that finished successfully.",
  $FailedTasks: "Tasks that failed.",
  $TaskSlotsPerNode: "Task slots per node of the pool (concurrent tasks per node).",
  $CurrentDedicatedNodes: "Dedicated nodes currently in the pool.",
  $CurrentLowPriorityNodes: "Spot/low-priority nodes currently in the pool, including preempted ones.",
  $PreemptedNodeCount: "Nodes currently in the preempted state.",
  $UsableNodeCount: "Number of usable nodes.",
} as const;

export type MetricName = keyof typeof METRIC_DOCS;
export const METRIC_NAMES = Object.keys(METRIC_DOCS) as MetricName[];

const SERVICE_NAMES = new Map<string, string>(
  [...SETTABLE_VARIABLES, ...Object.keys(SETTABLE_ALIASES), ...METRIC_NAMES].map((name) => [name.toLowerCase(), name]),
);

/**
 * The canonical spelling of a service variable, or undefined for a user variable.
 * Choice: service variable names are matched case-insensitively ($targetDedicatedNodes works); user names are case-sensitive.
 */
export function serviceVariable(name: string): string | undefined {
  return name.startsWith("$") ? SERVICE_NAMES.get(name.toLowerCase()) : undefined;
}

export function isMetric(name: string): name is MetricName {
  return name in METRIC_DOCS;
}

export function isSettable(name: string): name is SettableVariable {
  return (SETTABLE_VARIABLES as readonly string[]).includes(name);
}

/** the settable variable a (canonical) name writes, through its alias */
export function settableTarget(name: string): SettableVariable | undefined {
  return isSettable(name) ? name : SETTABLE_ALIASES[name];
}

export function isDeallocationOption(word: string): word is DeallocationOption {
  return (DEALLOCATION_OPTIONS as readonly string[]).includes(word);
}
