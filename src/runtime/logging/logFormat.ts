// Why: turns one log record into one line, as readable text or as a JSON object (JSON lines), always with job and task ids when known (and trace and span ids when tracing).
import type { LogLevel } from "./logLevels";

export type LogFormat = "text" | "json";

export interface LogRecord {
  time: Date;
  level: LogLevel;
  logger: string;
  message: string;
  jobId?: string;
  taskId?: string;
  /** with tracing on: the current span's trace and span ids (W3C hex), to find the line's trace */
  traceId?: string;
  spanId?: string;
  fields?: Record<string, unknown>;
  error?: { type: string; message: string; stack?: string };
}

function textValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text !== undefined && /[\s"=]/.test(text) ? JSON.stringify(text) : String(text);
}

function textLine(record: LogRecord): string {
  const ids = [
    record.jobId && `job=${record.jobId}`,
    record.taskId && `task=${record.taskId}`,
    record.traceId && `trace=${record.traceId}`,
    record.spanId && `span=${record.spanId}`,
  ]
    .filter(Boolean)
    .join(" ");
  const fields = Object.entries(record.fields ?? {})
    .map(([key, value]) => ` ${key}=${textValue(value)}`)
    .join("");
  const head = `${record.time.toISOString()} ${record.level.toUpperCase().padEnd(7)} ${record.logger}${ids ? ` [${ids}]` : ""} ${record.message}${fields}`;
  return record.error ? `${head}\n${record.error.stack ?? `${record.error.type}: ${record.error.message}`}` : head;
}

function jsonLine(record: LogRecord): string {
  const { time, fields, ...rest } = record;
  return JSON.stringify({ time: time.toISOString(), ...rest, ...(fields && Object.keys(fields).length > 0 ? { fields } : {}) });
}

export function formatRecord(record: LogRecord, format: LogFormat): string {
  return format === "json" ? jsonLine(record) : textLine(record);
}
