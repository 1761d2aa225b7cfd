// Why: who owns an editor-started local service (the process it watches), so a reloaded window can adopt a service that outlives its old extension host.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isSameProcess, processStartTime } from "./serviceFile";

/*
 * `<data>/service.owner`, written (aside, then renamed: a reader never sees half a file) by `local start --parent-pid
 * --parent-grace` with its parent, and rewritten by a controller that adopts the service (its own pid) or lets it go
 * (`released`: the window is closing or reloading). The service's watch loop reads it every tick; it never holds the key.
 */
export interface OwnerFile {
  /** the service process this record is about (a stale file of an earlier service is ignored) */
  readonly servicePid: number;
  /** the process the service watches */
  readonly pid: number;
  readonly processStart?: string;
  /** tells apart two controllers of the same process (tests, a re-activated extension); absent for the service's first parent */
  readonly ownerId?: string;
  /** the owner let the service go: it keeps running for the grace period unless adopted */
  readonly released?: boolean;
  readonly graceSeconds: number;
  readonly since: string;
}

export const ownerFileIn = (dataDir: string) => path.join(dataDir, "service.owner");

export function readOwnerFile(dataDir: string): OwnerFile | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(ownerFileIn(dataDir), "utf8")) as Partial<OwnerFile>;
    return typeof value.pid === "number" && typeof value.servicePid === "number" && typeof value.graceSeconds === "number" ? (value as OwnerFile) : undefined;
  } catch {
    return undefined;
  }
}

export function writeOwnerFile(dataDir: string, owner: Omit<OwnerFile, "since" | "processStart">): OwnerFile {
  const record: OwnerFile = { ...owner, processStart: processStartTime(owner.pid), since: new Date().toISOString() };
  const file = ownerFileIn(dataDir);
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
  return record;
}

export function removeOwnerFile(dataDir: string, servicePid: number): void {
  if (readOwnerFile(dataDir)?.servicePid === servicePid) fs.rmSync(ownerFileIn(dataDir), { force: true });
}

/** The owner still watches over the service: it runs and has not let it go. */
export function ownerIsLive(owner: OwnerFile): boolean {
  return !owner.released && isSameProcess(owner.pid, owner.processStart);
}

/** Same owner: same process and same controller. */
export function sameOwner(a: Pick<OwnerFile, "pid" | "ownerId">, b: Pick<OwnerFile, "pid" | "ownerId">): boolean {
  return a.pid === b.pid && a.ownerId === b.ownerId;
}
