// Why: the entry point of `@batch-manager/cli/testing`, the API a workload's own tests use to run it on the local service.
export { runWorkloadLocally } from "./runWorkloadLocally";
export type { JobSummary, RunWorkloadLocallyOptions, WorkloadRun } from "./testingApi";
