// Why: the one error type for launch-configuration mistakes: it names the attribute, and the session ends before anything runs.

/** A configuration mistake: names the attribute and says how to fix it. */
export class DebugConfigurationError extends Error {
  constructor(
    readonly attribute: string,
    message: string,
  ) {
    super(`${attribute}: ${message}`);
    this.name = "DebugConfigurationError";
  }
}
