// Why: the data folder's private account key: random, made on the first start, kept in `<data>/key` (mode 0600) and reused by every later start and client.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Where a data folder keeps its account key: one line of base64, readable by its owner only. */
export const KEY_FILE = "key";

/** Which key a running service answers to (recorded in its service.json, so clients know where to read it). */
export type AccountKeySource = "keyFile" | "wellKnown" | "environment";

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export const keyFileOf = (dataDir: string) => path.join(dataDir, KEY_FILE);

/** The key in `<data>/key`, or undefined when there is none yet; a damaged file or one others can read is an error naming the fix. */
export function readAccountKey(dataDir: string): string | undefined {
  const file = keyFileOf(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const key = text.trim();
  if (!BASE64.test(key) || Buffer.from(key, "base64").length < 32)
    throw new Error(`${file} does not hold an account key (one line of base64, at least 32 bytes); remove it and start the service again to make a new one`);
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`${file} can be read by other users (mode ${mode.toString(8).padStart(4, "0")}); run 'chmod 600 ${file}'`);
  return key;
}

/**
 * The data folder's key, made on first use: 64 random bytes (the size of a Batch account key), base64, written aside with
 * mode 0600 and linked into place, so two processes starting at once end up with the same key.
 */
export function ensureAccountKey(dataDir: string): string {
  const existing = readAccountKey(dataDir);
  if (existing) return existing;
  fs.mkdirSync(dataDir, { recursive: true });
  const file = keyFileOf(dataDir);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(temporary, `${randomBytes(64).toString("base64")}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  return readAccountKey(dataDir)!;
}
