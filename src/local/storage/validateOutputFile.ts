// Why: add-time checks of an OutputFile so the REST layer rejects bad input (missing URL, bad condition, escaping pattern) up front.
import * as path from "node:path";
import { invalidPropertyValue, missingRequiredProperty } from "../protocol/batchError";
import { hasWildcard } from "./outputPattern";
import { isInside } from "./paths";
import type { OutputFile } from "./types";
import { checkHttpUrl } from "./validateResourceFile";

const CONDITIONS = ["tasksuccess", "taskfailure", "taskcompletion"];
const ESCAPE_REASON =
  "The pattern must stay inside the task directory: a relative pattern is resolved against the task working directory and may go up at most one level (for example '../std*.txt'); an absolute pattern must point into the task directory.";

export interface OutputFileValidationOptions {
  /** when known, absolute patterns are checked against it too (otherwise only at upload time) */
  taskDir?: string;
}

/** Lexical check of the part before the first wildcard; patterns using variables are checked at upload time. */
function escapesTaskDir(pattern: string, taskDir: string | undefined): boolean {
  if (/[$%]/.test(pattern)) return false;
  const slashed = process.platform === "win32" ? pattern.replace(/\\/g, "/") : pattern;
  const parts = slashed.split("/");
  const firstWildcard = parts.findIndex((part) => hasWildcard(part));
  const literal = (firstWildcard < 0 ? parts : parts.slice(0, firstWildcard)).join("/");
  if (path.isAbsolute(slashed)) return taskDir !== undefined && !isInside(taskDir, path.resolve(`${literal}/`));
  const normalized = path.posix.normalize(literal === "" ? "." : literal);
  return normalized === "../.." || normalized.startsWith("../../");
}

/** Add-time validation of one output file; `propertyPath` is e.g. `outputFiles[0]`. Throws BatchServiceError. */
export function validateOutputFile(file: OutputFile, propertyPath: string, options: OutputFileValidationOptions = {}): void {
  if (typeof file.filePattern !== "string" || file.filePattern.trim() === "") throw missingRequiredProperty(`${propertyPath}.filePattern`);
  if (escapesTaskDir(file.filePattern, options.taskDir)) throw invalidPropertyValue(`${propertyPath}.filePattern`, file.filePattern, ESCAPE_REASON);
  if (!file.destination) throw missingRequiredProperty(`${propertyPath}.destination`);
  const container = file.destination.container;
  if (!container) throw missingRequiredProperty(`${propertyPath}.destination.container`);
  if (typeof container.containerUrl !== "string" || container.containerUrl === "")
    throw missingRequiredProperty(`${propertyPath}.destination.container.containerUrl`);
  checkHttpUrl(`${propertyPath}.destination.container.containerUrl`, container.containerUrl);
  (container.uploadHeaders ?? []).forEach((header, index) => {
    if (typeof header?.name !== "string" || header.name.trim() === "")
      throw missingRequiredProperty(`${propertyPath}.destination.container.uploadHeaders[${index}].name`);
  });
  const condition = file.uploadOptions?.uploadCondition;
  if (condition !== undefined && !CONDITIONS.includes(String(condition).toLowerCase())) {
    throw invalidPropertyValue(
      `${propertyPath}.uploadOptions.uploadCondition`,
      condition,
      "uploadCondition must be one of tasksuccess, taskfailure or taskcompletion.",
    );
  }
}
