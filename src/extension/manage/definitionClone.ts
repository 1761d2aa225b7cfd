// Why: turns an existing pool, job or task (as the SDK returns it) into the add parameter that creates a copy: only the properties the add definition has, wire names, a fresh id.

import { DEFINITIONS, type DefinitionKind } from "./definitionKinds";

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; items?: Schema };
type SchemaDocument = Schema & { definitions?: Record<string, Schema> };

/** The SDK's property names that differ from the REST names (x-ms-client-name in the spec). */
const CLIENT_NAMES: Readonly<Record<string, string>> = { username: "userName" };

const resolve = (document: SchemaDocument, schema: Schema | undefined): Schema | undefined =>
  schema?.$ref ? document.definitions?.[schema.$ref.replace("#/definitions/", "")] : schema;

/** Keeps what `schema` describes of `value`: unknown properties dropped, Dates as ISO text, SDK names back to REST names. */
function project(document: SchemaDocument, schema: Schema | undefined, value: unknown): unknown {
  const resolved = resolve(document, schema);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => project(document, resolved?.items, item));
  if (!value || typeof value !== "object" || !resolved?.properties) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, propertySchema] of Object.entries(resolved.properties)) {
    if (name === "$schema") continue;
    const item = source[name] ?? source[CLIENT_NAMES[name] ?? name];
    if (item !== undefined && item !== null) out[name] = project(document, propertySchema, item);
  }
  return out;
}

/** `render` → `render-copy`; ids stay within the service's 64 characters. */
export function freshId(id: string): string {
  const suffix = "-copy";
  return `${id.slice(0, 64 - suffix.length)}${suffix}`;
}

/** The add parameter of a copy of `entity` (a CloudPool, CloudJob or CloudTask) with `id`, ready to be shown as JSON. */
export function cloneDefinition(kind: DefinitionKind, entity: object, id: string): Record<string, unknown> {
  const document = DEFINITIONS[kind].schema as SchemaDocument;
  const copy = project(document, document, entity) as Record<string, unknown>;
  if (kind === "pool") {
    // a pool sizes itself by autoscale or by targets, never both
    if (copy.enableAutoScale === true) {
      delete copy.targetDedicatedNodes;
      delete copy.targetLowPriorityNodes;
      delete copy.resizeTimeout;
    } else {
      delete copy.autoScaleFormula;
      delete copy.autoScaleEvaluationInterval;
    }
  }
  const { id: _old, ...rest } = copy;
  return { id, ...rest };
}

/** The text of the new document: the `$schema`-free definition, two-space indented. */
export function definitionText(definition: object): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}

/** SDK names for what the service calls otherwise (the SDK would drop `username` of a container registry). */
export function toClientNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toClientNames);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [CLIENT_NAMES[key] ?? key, toClientNames(item)]));
}
