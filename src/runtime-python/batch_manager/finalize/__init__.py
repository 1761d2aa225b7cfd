# Why: the FinalizeTask: job summary and callback delivery, the counterpart of src/runtime/finalize.
