// Why: named loggers that follow the current logging setup (levels, format, job/task context) and write one line per record.
import { formatRecord, type LogRecord } from "./logFormat";
import { DEFAULT_LOGGING_CONFIG, levelFor, type LoggingConfig } from "./loggingConfig";
import { LEVEL_ORDER, type LogLevel } from "./logLevels";
import { currentTraceIds } from "../tracing/tracing";

export interface LogContext {
  jobId?: string;
  taskId?: string;
}

/** Where lines go; replaceable for tests. */
export type LogWriter = (line: string, stream: "stderr" | "stdout") => void;

const writeToProcess: LogWriter = (line, stream) => {
  (stream === "stdout" ? process.stdout : process.stderr).write(`${line}\n`);
};

interface LoggingState {
  config: LoggingConfig;
  context: LogContext;
  writer: LogWriter;
}

const state: LoggingState = { config: DEFAULT_LOGGING_CONFIG, context: {}, writer: writeToProcess };

export function configureLogging(config: LoggingConfig, context: LogContext, writer: LogWriter = writeToProcess): void {
  state.config = config;
  state.context = { ...context };
  state.writer = writer;
}

/** Adds ids that become known later (e.g. the job id once submit has created the job). */
export function setLogContext(context: LogContext): void {
  state.context = { ...state.context, ...context };
}

function describeError(error: unknown): LogRecord["error"] {
  if (error instanceof Error) return { type: error.name || error.constructor.name, message: error.message, stack: error.stack };
  return { type: typeof error, message: String(error) };
}

export class Logger {
  constructor(readonly name: string) {}

  child(suffix: string): Logger {
    return new Logger(`${this.name}.${suffix}`);
  }

  isEnabled(level: LogLevel): boolean {
    return LEVEL_ORDER[level] >= LEVEL_ORDER[levelFor(state.config, this.name)];
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.log("debug", message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.log("info", message, fields);
  }
  warning(message: string, fields?: Record<string, unknown>): void {
    this.log("warning", message, fields);
  }
  /** `error` may be an Error (its type, message and stack are logged) or fields. */
  error(message: string, error?: unknown, fields?: Record<string, unknown>): void {
    this.log("error", message, fields, error);
  }

  log(level: LogLevel, message: string, fields?: Record<string, unknown>, error?: unknown): void {
    if (!this.isEnabled(level)) return;
    const trace = currentTraceIds();
    const record: LogRecord = {
      time: new Date(),
      level,
      logger: this.name,
      message,
      ...(state.context.jobId ? { jobId: state.context.jobId } : {}),
      ...(state.context.taskId ? { taskId: state.context.taskId } : {}),
      ...(trace ? { traceId: trace.traceId, spanId: trace.spanId } : {}),
      ...(fields ? { fields } : {}),
      ...(error !== undefined ? { error: describeError(error) } : {}),
    };
    state.writer(formatRecord(record, state.config.format), state.config.stream);
  }
}

export function getLogger(name: string): Logger {
  return new Logger(name);
}
