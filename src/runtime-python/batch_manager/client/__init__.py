# Why: building Azure Batch clients from settings, the counterpart of src/runtime/client.
