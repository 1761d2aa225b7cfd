// Why: the record a running local service leaves in its data folder, so `status` and `stop` can find it.
import * as fs from "node:fs";
import * as path from "node:path";
import type { AccountKeySource } from "../../local/common/accountKey";

export interface ServiceFile {
  pid: number;
  batchUrl: string;
  accountName: string;
  /** where clients read the key (never the key itself); absent in files of services started before keys were private */
  accountKeySource?: AccountKeySource;
  blobEndpoint: string;
  dataDir: string;
  startedAt: string;
  /** the process's start time as the OS counts it (Linux: clock ticks after boot), to tell a reused pid apart */
  processStart?: string;
}

const fileIn = (dataDir: string) => path.join(dataDir, "service.json");

/** Written aside and renamed, so a reader never sees half a file. */
export function writeServiceFile(info: ServiceFile): void {
  const temporary = `${fileIn(info.dataDir)}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify({ processStart: processStartTime(info.pid), ...info }, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, fileIn(info.dataDir));
}

/** The service the file names, if that very process still runs (not a zombie, not another process that got its pid). */
export function liveServiceFile(dataDir: string): ServiceFile | undefined {
  const file = readServiceFile(dataDir);
  return file && isSameProcess(file.pid, file.processStart) ? file : undefined;
}

export function readServiceFile(dataDir: string): ServiceFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(fileIn(dataDir), "utf8")) as ServiceFile;
  } catch {
    return undefined;
  }
}

export function removeServiceFile(dataDir: string, pid: number): void {
  if (readServiceFile(dataDir)?.pid === pid) fs.rmSync(fileIn(dataDir), { force: true });
}

/** True while the process runs; a zombie (exited, not yet reaped by its parent) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !isZombie(pid);
}

/** Linux: field 22 of /proc/<pid>/stat (start time in clock ticks after boot); undefined elsewhere or when gone. */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

/** The process runs and, where the OS tells start times, is the one that started at `start`. */
export function isSameProcess(pid: number, start: string | undefined): boolean {
  if (!isAlive(pid)) return false;
  const current = processStartTime(pid);
  return start === undefined || current === undefined || current === start;
}

/** The fields of /proc/<pid>/stat after the command name: [state, ppid, …]. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Linux: state "Z" in /proc/<pid>/stat (the field after the parenthesised command name). Elsewhere: never. */
function isZombie(pid: number): boolean {
  return procStat(pid)?.[0] === "Z";
}
