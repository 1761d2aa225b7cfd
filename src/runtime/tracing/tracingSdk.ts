// Why: the OpenTelemetry SDK set-up (tracer provider, OTLP/HTTP exporter, async context, W3C propagation) — loaded only when tracing is configured, so untraced runs never evaluate it.
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import type { TracingSettings } from "./tracingSettings";

export interface TracingSdk {
  /** exports what is left and stops; never throws */
  shutdown(): Promise<void>;
}

export function startTracingSdk(settings: TracingSettings, resource: Record<string, string>): TracingSdk {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ ...resource, "service.name": settings.serviceName ?? resource["service.name"] ?? "batch-workload" }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.tracesUrl }), scheduledDelayMillis: 1000 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    shutdown: () => provider.shutdown().catch(() => undefined),
  };
}
