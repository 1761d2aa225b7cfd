# Why: Application and its four roles (submit, job-manager, task, finalize), the counterpart of src/runtime/application.
