// Why: answers in the shape of the api-version a request names, whatever version stored the entity: the one place versions differ in replies.
import { type ApiVersion, SUPPORTED_API_VERSIONS } from "./apiVersions";
import { type BatchSpec, type RawSchema, refName } from "./spec";
import type { BatchSpecs } from "./specRegistry";

/**
 * Properties a version requires that the local handlers do not produce (they answer in the 2022-10-01.16.0 shape), with the value
 * they have locally: 2024-02-01.19.0 made NodeCounts.upgradingOS required, and no local node ever upgrades its OS.
 */
const REQUIRED_FILLS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  NodeCounts: { upgradingOS: 0 },
};

/** What the adapter needs of one definition: its properties' definitions (objects and arrays of them) and its required ones. */
interface Shape {
  definition: string;
  /** property → the definition of its value or of its items; null: a value the adapter leaves as is (string, number, map, …) */
  properties: ReadonlyMap<string, string | null>;
  required: readonly string[];
}

const shapesBySpec = new WeakMap<BatchSpec, Map<string, Shape | undefined>>();

function shapeOf(spec: BatchSpec, definition: string): Shape | undefined {
  const shapes = shapesBySpec.get(spec) ?? new Map<string, Shape | undefined>();
  shapesBySpec.set(spec, shapes);
  if (shapes.has(definition)) return shapes.get(definition);
  const raw = spec.definition(definition);
  const shape = raw && {
    definition,
    properties: new Map(Object.entries(raw.properties ?? {}).map(([name, schema]) => [name, nestedDefinition(schema) ?? null])),
    required: raw.required ?? [],
  };
  shapes.set(definition, shape);
  return shape;
}

const nestedDefinition = (schema: RawSchema): string | undefined => refName(schema.$ref) ?? refName(schema.items?.$ref);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Shapes a reply body (of the definition the operation's spec gives its status) for one api-version: a property this version does not
 * define but another supported version does (stored by a request of that version, e.g. a pool's upgradePolicy read with
 * 2022-10-01.16.0) is left out; a property this version requires that handlers leave out is filled in. A property no version defines
 * is kept, so spec checks still catch a handler's mistake. Stored objects are never changed: what differs is copied.
 */
export class VersionAdapter {
  /** `definition.property` → whether some supported version defines it (other versions' specs are read only to answer this) */
  private readonly definedSomewhere = new Map<string, boolean>();

  constructor(private readonly specs: BatchSpecs) {}

  adapt(version: ApiVersion, definition: string, body: unknown): unknown {
    const spec = this.specs.get(version);
    return this.adaptValue(spec, definition, body);
  }

  private adaptValue(spec: BatchSpec, definition: string, value: unknown): unknown {
    if (Array.isArray(value)) {
      const items = value.map((item) => this.adaptValue(spec, definition, item));
      return items.some((item, index) => item !== value[index]) ? items : value;
    }
    const shape = isObject(value) ? shapeOf(spec, definition) : undefined;
    if (!shape || !isObject(value)) return value;
    const changes = new Map<string, unknown>(); // property → its new value (undefined: left out)
    for (const key in value) {
      const nested = shape.properties.get(key);
      if (nested === undefined) {
        if (this.definedByAnyVersion(definition, key)) changes.set(key, undefined);
      } else if (nested !== null) {
        const adapted = this.adaptValue(spec, nested, value[key]);
        if (adapted !== value[key]) changes.set(key, adapted);
      }
    }
    const fills = REQUIRED_FILLS[definition];
    for (const key in fills) {
      if (shape.required.includes(key) && !(key in value)) changes.set(key, fills[key]);
    }
    if (changes.size === 0) return value;
    const copy = { ...value };
    for (const [key, changed] of changes) {
      if (changed === undefined) delete copy[key];
      else copy[key] = changed;
    }
    return copy;
  }

  private definedByAnyVersion(definition: string, property: string): boolean {
    const key = `${definition}.${property}`;
    let defined = this.definedSomewhere.get(key);
    if (defined === undefined) {
      // the specs already read first, then the others newest first (versions mostly add properties)
      const loaded = this.specs.loaded();
      const unread = SUPPORTED_API_VERSIONS.filter((version) => !loaded.some((spec) => spec.apiVersion === version)).reverse();
      const defines = (spec: BatchSpec) => shapeOf(spec, definition)?.properties.has(property) === true;
      defined = loaded.some(defines) || unread.some((version) => defines(this.specs.get(version)));
      this.definedSomewhere.set(key, defined);
    }
    return defined;
  }
}
