// Why: the record a running local service leaves in its data folder, so `status` and `stop` can find it.
import * as fs from "node:fs";
import * as path from "node:path";

export interface ServiceFile {
  pid: number;
  batchUrl: string;
  accountName: string;
  blobEndpoint: string;
  dataDir: string;
  startedAt: string;
}

const fileIn = (dataDir: string) => path.join(dataDir, "service.json");

export function writeServiceFile(info: ServiceFile): void {
  fs.writeFileSync(fileIn(info.dataDir), JSON.stringify(info, null, 2) + "\n");
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

/** Linux: state "Z" in /proc/<pid>/stat (the field after the parenthesised command name). Elsewhere: never. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}
