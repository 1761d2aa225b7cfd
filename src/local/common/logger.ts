// Why: a small logger interface the core writes to; the CLI binds it to a file, the extension to a LogOutputChannel.

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const SECRET_PATTERNS: [RegExp, string][] = [
  [/([?&]sig=)[^&\s"']+/gi, "$1REDACTED"],
  [/(SharedKey\s+[^:\s]+:)[A-Za-z0-9+/=]+/g, "$1REDACTED"],
  [/(AccountKey=)[^;\s"']+/gi, "$1REDACTED"],
  [/("?accountKey"?\s*[:=]\s*"?)[A-Za-z0-9+/=]{20,}/gi, "$1REDACTED"],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, "$1REDACTED"],
];

/** Removes SAS signatures, account keys and tokens from a log line. */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger writing redacted, timestamped lines to a sink (a file, stderr, an output channel). */
export function createLineLogger(write: (line: string) => void, minimum: LogLevel = "info"): Logger {
  const emit = (level: LogLevel) => (message: string) => {
    if (ORDER[level] >= ORDER[minimum]) write(`${new Date().toISOString()} [${level}] ${redactSecrets(message)}`);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
