// Why: the Batch service's rules for ids of pools, jobs, tasks and applications, applied before anything is stored.
import { invalidPropertyValue, missingRequiredProperty } from "./batchError";

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
export const MAX_ID_LENGTH = 64;

/** Throws the service's error when `id` is missing or breaks the id rules; `property` is the JSON path reported. */
export function assertValidId(id: unknown, property = "id"): string {
  if (id === undefined || id === null || id === "") throw missingRequiredProperty(property);
  if (typeof id !== "string") throw invalidPropertyValue(property, id, "The id must be a string.");
  if (id.length > MAX_ID_LENGTH) throw invalidPropertyValue(property, id, `The id can be at most ${MAX_ID_LENGTH} characters long.`);
  if (!ID_PATTERN.test(id)) {
    throw invalidPropertyValue(property, id, "The id can contain any combination of alphanumeric characters, hyphens and underscores.");
  }
  return id;
}

/** Ids are case-preserving and case-insensitive: this is the key they are stored under. */
export const idKey = (id: string): string => id.toLowerCase();
