// Why: writes one downloaded file atomically inside the working directory, refusing paths that escape it (also through symlinks).
import { randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { FailureCodes, type FailureCode } from "./failure";
import { isInside, isReallyInside } from "./paths";

/** A local file-system failure, already mapped to a Batch failure code. */
export class LocalFileProblem extends Error {
  constructor(
    readonly code: FailureCode,
    reason: string,
  ) {
    super(reason);
    this.name = "LocalFileProblem";
  }
}

const DISK_FULL = new Set(["ENOSPC", "EDQUOT"]);
const FILE_SYSTEM = new Set(["EACCES", "EPERM", "EISDIR", "ENOTDIR", "EROFS", "EEXIST", "ENOTEMPTY", "ENAMETOOLONG", "EMFILE", "ENFILE", "EBUSY", "ELOOP"]);

/** Node fs error codes that mean "our disk", not "the remote side". */
export function isLocalFsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return typeof code === "string" && (DISK_FULL.has(code) || FILE_SYSTEM.has(code));
}

function problem(error: unknown, fallback: FailureCode, what: string): LocalFileProblem {
  const code = (error as NodeJS.ErrnoException)?.code ?? "error";
  return new LocalFileProblem(DISK_FULL.has(code) ? FailureCodes.DiskFull : fallback, `${what} (${code})`);
}

/**
 * Creates `destination` (inside `root`) from what `fill` writes to a temporary sibling, then applies `mode`
 * (ignored on Windows) and renames it into place, so a symlink at the destination is replaced, never followed.
 * Errors thrown by `fill` itself propagate unchanged.
 */
export async function writeInside(root: string, destination: string, mode: number, fill: (tempPath: string) => Promise<void>): Promise<void> {
  const relative = path.relative(root, destination);
  if (!isInside(root, destination) || relative === "") {
    throw new LocalFileProblem(FailureCodes.ResourceFileCreateFailed, `the destination '${relative}' is outside the task working directory`);
  }
  const directory = path.dirname(destination);
  await fs.mkdir(directory, { recursive: true }).catch((error: unknown) => {
    throw problem(error, FailureCodes.ResourceDirectoryCreateFailed, `cannot create directory '${path.relative(root, directory) || "."}'`);
  });
  if (!(await isReallyInside(root, directory))) {
    throw new LocalFileProblem(
      FailureCodes.ResourceFileCreateFailed,
      `the destination '${relative}' leaves the task working directory through a symbolic link`,
    );
  }
  const temp = path.join(directory, `.${path.basename(destination)}.${randomBytes(4).toString("hex")}.download`);
  try {
    await fill(temp);
    if (process.platform !== "win32") {
      await fs.chmod(temp, mode).catch((error: unknown) => {
        throw problem(error, FailureCodes.ResourceFileWriteFailed, `cannot set the mode of '${relative}'`);
      });
    }
    await fs.rename(temp, destination).catch((error: unknown) => {
      throw problem(error, FailureCodes.ResourceFileCreateFailed, `cannot create '${relative}'`);
    });
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}
