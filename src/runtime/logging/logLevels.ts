// Why: log levels, their order, and the names accepted in logging config files (including the Python logging.yaml spellings).

export type LogLevel = "debug" | "info" | "warning" | "error";

export const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warning: 30, error: 40 };

const ALIASES: Record<string, LogLevel> = {
  debug: "debug",
  info: "info",
  warning: "warning",
  warn: "warning",
  error: "error",
  critical: "error",
  fatal: "error",
};

export function parseLogLevel(raw: unknown, where: string): LogLevel {
  const level = typeof raw === "string" ? ALIASES[raw.toLowerCase()] : undefined;
  if (!level) throw new Error(`${where}: unknown log level ${JSON.stringify(raw)} (use debug, info, warning or error)`);
  return level;
}
