// Why: the formula a new autoscale document starts with (and what "Edit Autoscale Formula" opens for a pool without one): a queue-driven formula that checks clean.

/** One node per queued or running task slot, up to 10; idle pools shrink to 0 after their tasks finish. */
export const DEFAULT_FORMULA = `// Autoscale formula: one node per pending task slot, at most 10 dedicated nodes.
// Hover a name for its documentation; Evaluate runs it against a pool, Simulate replays it over a load.
$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 2);
$tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1)) : max($PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 2)));
$TargetDedicatedNodes = min(10, ($tasks + $TaskSlotsPerNode - 1) / $TaskSlotsPerNode);
$NodeDeallocationOption = taskcompletion;
`;

/** The untitled document's text for a pool: its formula, or the template with a note saying the pool has none. */
export function formulaDocumentText(poolId: string | undefined, formula: string | undefined): string {
  if (formula?.trim()) return formula.endsWith("\n") ? formula : `${formula}\n`;
  return poolId ? `// Pool ${poolId} has no autoscale formula yet; this is a template.\n${DEFAULT_FORMULA}` : DEFAULT_FORMULA;
}
