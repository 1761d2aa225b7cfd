# Why: task inputs/outputs and storage access, the counterpart of src/runtime/files.
