// Why: the runtime's spans through @opentelemetry/api alone (no-ops unless tracing is on): start/stop of the SDK, spans around work, the W3C TRACEPARENT that carries a trace from submit into every task, ids for log lines.
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import type { TracingSdk } from "./tracingSdk";
import { readTracingSettings } from "./tracingSettings";

/** The environment variables of the W3C trace-context convention for processes. */
export const TRACEPARENT_VARIABLE = "TRACEPARENT";
export const TRACESTATE_VARIABLE = "TRACESTATE";

const TRACER_NAME = "@batch-manager/runtime";
let sdk: TracingSdk | undefined;

/** `a=b,c=d` (OTEL_RESOURCE_ATTRIBUTES) as attributes. */
function resourceAttributes(env: NodeJS.ProcessEnv): Record<string, string> {
  const pairs = (env.OTEL_RESOURCE_ATTRIBUTES ?? "").split(",").map((pair) => pair.split("="));
  return Object.fromEntries(
    pairs.filter((pair) => pair.length === 2 && pair[0]!.trim()).map(([key, value]) => [key!.trim(), decodeURIComponent(value!.trim())]),
  );
}

/**
 * Starts the OpenTelemetry SDK when OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set; loads it only then.
 * Returns whether tracing is on. A bad endpoint throws a SettingsError naming the variable.
 */
export async function startTracing(env: NodeJS.ProcessEnv, resource: Record<string, string>): Promise<boolean> {
  const settings = readTracingSettings(env);
  if (!settings || sdk) return sdk !== undefined;
  const { startTracingSdk } = await import("./tracingSdk.js");
  sdk = startTracingSdk(settings, { ...resourceAttributes(env), ...resource });
  return true;
}

/** Exports the spans still buffered; call before the process exits. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}

export const isTracing = (): boolean => sdk !== undefined;

/** The context a process continues: the span named by TRACEPARENT in its environment, if any. */
export function parentContext(env: NodeJS.ProcessEnv): Context {
  const traceparent = env[TRACEPARENT_VARIABLE];
  if (!traceparent) return ROOT_CONTEXT;
  const carrier: Record<string, string> = { traceparent, ...(env[TRACESTATE_VARIABLE] ? { tracestate: env[TRACESTATE_VARIABLE]! } : {}) };
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** TRACEPARENT (and TRACESTATE) for a task created now: its process continues the current span. Empty when tracing is off. */
export function traceEnvironment(): { name: string; value: string }[] {
  if (!sdk) return [];
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return [
    ...(carrier.traceparent ? [{ name: TRACEPARENT_VARIABLE, value: carrier.traceparent }] : []),
    ...(carrier.tracestate ? [{ name: TRACESTATE_VARIABLE, value: carrier.tracestate }] : []),
  ];
}

/** Runs `work` in a span (a child of the current one, or of `parent`); an error is recorded on the span and rethrown. */
export async function withSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T> | T, parent?: Context): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(name, { attributes }, parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The ids of the current span, for log lines (undefined when tracing is off or no span is active). */
export function currentTraceIds(): { traceId: string; spanId: string } | undefined {
  if (!sdk) return undefined;
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
