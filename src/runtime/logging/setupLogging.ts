// Why: setupLogging(configFile) — applies a logging config file and the node's job/task ids to every logger of the process.
import { configureLogging, type LogContext, type LogWriter } from "./logger";
import { DEFAULT_LOGGING_CONFIG, readLoggingConfig, type LoggingConfig } from "./loggingConfig";

export interface SetupLoggingOptions {
  /** defaults to process.env: AZ_BATCH_JOB_ID / AZ_BATCH_TASK_ID give every line its ids */
  env?: NodeJS.ProcessEnv;
  /** defaults to writing to the process's stderr/stdout */
  writer?: LogWriter;
}

/** Configures logging from `configFile` (JSON or YAML); without a file, text at info level to stderr. Returns the config applied. */
export function setupLogging(configFile?: string, options: SetupLoggingOptions = {}): LoggingConfig {
  const env = options.env ?? process.env;
  const config = configFile ? readLoggingConfig(configFile) : DEFAULT_LOGGING_CONFIG;
  const context: LogContext = { jobId: env.AZ_BATCH_JOB_ID || undefined, taskId: env.AZ_BATCH_TASK_ID || undefined };
  configureLogging(config, context, options.writer);
  return config;
}
