// Why: Batch writes fileuploadout.txt (progress) and fileuploaderr.txt (errors) in the task directory on every upload attempt.
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { scrubText } from "./secrets";

export const UPLOAD_OUT_FILE = "fileuploadout.txt";
export const UPLOAD_ERR_FILE = "fileuploaderr.txt";

/** Appends scrubbed, timestamped lines to both files in order; the files are truncated when opened. */
export class UploadLog {
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly outPath: string,
    private readonly errPath: string,
  ) {}

  static async open(taskDir: string): Promise<UploadLog> {
    await fs.mkdir(taskDir, { recursive: true });
    const log = new UploadLog(path.join(taskDir, UPLOAD_OUT_FILE), path.join(taskDir, UPLOAD_ERR_FILE));
    await Promise.all([fs.writeFile(log.outPath, ""), fs.writeFile(log.errPath, "")]);
    return log;
  }

  info(message: string): void {
    this.append(this.outPath, "INFO", message);
  }

  error(message: string): void {
    this.append(this.outPath, "ERROR", message);
    this.append(this.errPath, "ERROR", message);
  }

  /** Waits for every line to reach the disk. */
  async flush(): Promise<void> {
    await this.pending;
  }

  private append(file: string, level: string, message: string): void {
    const line = `${new Date().toISOString()} ${level} ${scrubText(message)}\n`;
    this.pending = this.pending.then(() => fs.appendFile(file, line)).catch(() => undefined);
  }
}
