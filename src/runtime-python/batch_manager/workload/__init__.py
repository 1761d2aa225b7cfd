# Why: the workload programming model (tasks, job manager, workload), the counterpart of src/runtime/workload.
