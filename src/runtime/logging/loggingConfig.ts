// Why: reads a logging config file (YAML or JSON) — the counterpart of the Python model's logging.yaml.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { LogFormat } from "./logFormat";
import { parseLogLevel, type LogLevel } from "./logLevels";

/**
 * `{ "format": "text" | "json", "level": "info", "stream": "stderr" | "stdout", "loggers": { "workload.transform": "debug" } }`.
 * Python dictConfig spellings are accepted too: `root: { level: INFO }` and `loggers: { name: { level: DEBUG } }`.
 */
export interface LoggingConfig {
  format: LogFormat;
  level: LogLevel;
  stream: "stderr" | "stdout";
  loggers: Record<string, LogLevel>;
}

export const DEFAULT_LOGGING_CONFIG: LoggingConfig = { format: "text", level: "info", stream: "stderr", loggers: {} };

function parseFileText(file: string, text: string): unknown {
  return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
}

const levelOf = (value: unknown): unknown => (typeof value === "object" && value !== null ? (value as { level?: unknown }).level : value);

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new Error(`${where} must be an object`);
  return value as Record<string, unknown>;
}

export function parseLoggingConfig(raw: unknown, file: string): LoggingConfig {
  const root = asObject(raw, file);
  const format = root.format ?? DEFAULT_LOGGING_CONFIG.format;
  if (format !== "text" && format !== "json") throw new Error(`${file}: format must be "text" or "json" (got ${JSON.stringify(format)})`);
  const stream = root.stream ?? DEFAULT_LOGGING_CONFIG.stream;
  if (stream !== "stderr" && stream !== "stdout") throw new Error(`${file}: stream must be "stderr" or "stdout" (got ${JSON.stringify(stream)})`);
  const rootLevel = root.level ?? levelOf(root.root);
  const loggers: Record<string, LogLevel> = {};
  for (const [name, value] of Object.entries(asObject(root.loggers, `${file}: loggers`))) {
    loggers[name] = parseLogLevel(levelOf(value), `${file}: loggers.${name}`);
  }
  return { format, stream, loggers, level: rootLevel === undefined ? DEFAULT_LOGGING_CONFIG.level : parseLogLevel(rootLevel, `${file}: level`) };
}

export function readLoggingConfig(file: string): LoggingConfig {
  const resolved = path.resolve(file);
  return parseLoggingConfig(parseFileText(resolved, fs.readFileSync(resolved, "utf8")), resolved);
}

/** The level for `name`: the most specific configured dotted prefix ("a.b" covers "a.b.c"), else the root level. */
export function levelFor(config: LoggingConfig, name: string): LogLevel {
  let best: string | undefined;
  for (const configured of Object.keys(config.loggers)) {
    const covers = name === configured || name.startsWith(`${configured}.`);
    if (covers && (best === undefined || configured.length > best.length)) best = configured;
  }
  return best === undefined ? config.level : config.loggers[best]!;
}
