# Why: turning task specifications into Batch tasks and adding them fast, the counterpart of src/runtime/submission.
