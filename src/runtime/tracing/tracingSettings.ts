// Why: whether tracing is on and where spans go — the standard OTEL_* variables, checked like every other setting (a bad endpoint names the variable and the fix).
import { SettingsError, type SettingProblem } from "../settings/settingsSchema";

/** The OTEL_* variables submit passes on to every task of the job (OTEL_EXPORTER_OTLP_HEADERS, which may hold keys, is not among them). */
export const FORWARDED_OTEL_VARIABLES = [
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
  "OTEL_SERVICE_NAME",
  "OTEL_RESOURCE_ATTRIBUTES",
  "OTEL_SDK_DISABLED",
  "OTEL_TRACES_EXPORTER",
] as const;

export interface TracingSettings {
  /** the OTLP/HTTP traces URL (…/v1/traces) */
  tracesUrl: string;
  serviceName?: string;
}

function checkedUrl(variable: string, raw: string, problems: SettingProblem[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push({ variable, message: `is not a valid URL (got "${raw}"): set it to the OTLP/HTTP endpoint of your collector, e.g. http://localhost:4318` });
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    problems.push({ variable, message: `must be an http or https URL of an OTLP/HTTP receiver (got "${url.protocol}//${url.host}")` });
  else if (url.username || url.password)
    problems.push({ variable, message: "must not carry credentials (they would reach every task's environment): put them in OTEL_EXPORTER_OTLP_HEADERS" });
  else return url;
  return undefined;
}

/** Undefined when tracing is off (no endpoint, or OTEL_SDK_DISABLED=true); throws a SettingsError for a bad endpoint. */
export function readTracingSettings(env: NodeJS.ProcessEnv): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true" || env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === "none") return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!traces && !base) return undefined;
  const problems: SettingProblem[] = [];
  const url = traces ? checkedUrl("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces, problems) : checkedUrl("OTEL_EXPORTER_OTLP_ENDPOINT", base!, problems);
  if (!url) throw new SettingsError(problems);
  // the base endpoint gets the signal's path appended, as the OTLP exporter specification says
  const tracesUrl = traces ? url.href : `${url.href.replace(/\/+$/, "")}/v1/traces`;
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  return { tracesUrl, ...(serviceName ? { serviceName } : {}) };
}

/** The OTEL_* settings of this process that the job's tasks need to export to the same place. */
export function forwardedOtelEnvironment(env: NodeJS.ProcessEnv): { name: string; value: string }[] {
  return FORWARDED_OTEL_VARIABLES.flatMap((name) => (env[name]?.trim() ? [{ name, value: env[name]!.trim() }] : []));
}
