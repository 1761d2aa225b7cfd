# Why: the runtime's logging (config file, line formats, job/task context), the counterpart of src/runtime/logging.
