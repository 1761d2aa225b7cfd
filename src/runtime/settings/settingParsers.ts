// Why: the small value checks settings are made of; each throws a message that completes "<VARIABLE> …".
import { isLoopbackHost } from "./loopback";

export type Parser<T> = (raw: string) => T;

export const text: Parser<string> = (raw) => raw;

export function oneOf<T extends string>(...choices: T[]): Parser<T> {
  return (raw) => {
    const found = choices.find((choice) => choice.toLowerCase() === raw.toLowerCase());
    if (found === undefined) throw new Error(`must be one of ${choices.join(", ")} (got "${raw}")`);
    return found;
  };
}

/** An http(s) URL; plain http only for a loopback host (the local service), so keys and tokens never travel unencrypted. */
export const serviceUrl: Parser<string> = (raw) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`is not a valid URL (got "${raw}")`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new Error(`must be an https URL (http is accepted only for localhost/127.0.0.1/::1; got "${raw}")`);
  }
  return raw.replace(/\/+$/, "");
};

export const base64Key: Parser<string> = (raw) => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || raw.length % 4 !== 0) throw new Error("is not a base64 key");
  return raw;
};

export const guid: Parser<string> = (raw) => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw)) throw new Error(`must be a GUID (client id of a user-assigned managed identity; got "${raw}")`);
  return raw;
};

export function positiveInteger(max: number): Parser<number> {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`must be a whole number from 1 to ${max} (got "${raw}")`);
    return value;
  };
}

/** Batch ids: letters, digits, hyphens and underscores, at most 64 characters. */
export const batchId: Parser<string> = (raw) => {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw new Error(`must be 1-64 letters, digits, hyphens or underscores (got "${raw}")`);
  return raw;
};

/** Blob container names: 3-63 lower-case letters, digits and single hyphens. */
export const containerName: Parser<string> = (raw) => {
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(raw)) throw new Error(`is not a valid blob container name (got "${raw}")`);
  return raw;
};
