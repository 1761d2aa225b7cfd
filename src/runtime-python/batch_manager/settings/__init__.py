# Why: the runtime's settings (environment variables and/or a JSON settings file), the counterpart of src/runtime/settings.
