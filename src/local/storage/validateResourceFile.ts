// Why: add-time checks of a ResourceFile so the REST layer rejects bad input with the Batch error codes instead of failing the task later.
import { invalidPropertyValue, missingRequiredProperty } from "../protocol/batchError";
import { hasParentSegment, isAbsoluteAnywhere } from "./paths";
import { stripSas } from "./secrets";
import type { ResourceFile } from "./types";

const SOURCES = ["httpUrl", "storageContainerUrl", "autoStorageContainerName"] as const;
const CONTAINER_NAME = /^(\$root|[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9])$/;
const FILE_MODE = /^[0-7]{3,4}$/;

/** Throws InvalidPropertyValue unless `value` is an absolute http(s) URL. SAS queries never appear in the error. */
export function checkHttpUrl(property: string, value: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw invalidPropertyValue(
      property,
      stripSas(value),
      "The value must be an absolute http or https URL, for example https://account.blob.core.windows.net/container?<SAS>.",
    );
  }
}

/** Throws InvalidPropertyValue unless the path is relative and stays inside the working directory. */
export function checkRelativePath(property: string, value: string): void {
  if (isAbsoluteAnywhere(value) || hasParentSegment(value) || value.includes("\0")) {
    throw invalidPropertyValue(
      property,
      value,
      "The path must be relative to the task working directory and must not contain '..' segments; use a path such as 'inputs/data.csv'.",
    );
  }
}

/** Add-time validation of one resource file; `propertyPath` is e.g. `resourceFiles[2]`. Throws BatchServiceError. */
export function validateResourceFile(file: ResourceFile, propertyPath: string): void {
  const given = SOURCES.filter((name) => file[name] !== undefined && file[name] !== null);
  if (given.length !== 1) {
    const reason = given.length === 0 ? "None of them was given" : `Only one may be given, but ${given.join(" and ")} were given`;
    throw invalidPropertyValue(
      propertyPath,
      given.join(","),
      `Exactly one of httpUrl, storageContainerUrl or autoStorageContainerName must be specified. ${reason}.`,
    );
  }
  if (file.httpUrl !== undefined) {
    checkHttpUrl(`${propertyPath}.httpUrl`, file.httpUrl);
    if (file.filePath === undefined || file.filePath === "") throw missingRequiredProperty(`${propertyPath}.filePath`);
    if (/[\\/]$/.test(file.filePath)) {
      throw invalidPropertyValue(
        `${propertyPath}.filePath`,
        file.filePath,
        "With httpUrl the filePath is the file to create, including its name; remove the trailing separator.",
      );
    }
    if (file.blobPrefix !== undefined) {
      throw invalidPropertyValue(
        `${propertyPath}.blobPrefix`,
        file.blobPrefix,
        "blobPrefix is only valid with storageContainerUrl or autoStorageContainerName; remove it.",
      );
    }
  }
  if (file.storageContainerUrl !== undefined) checkHttpUrl(`${propertyPath}.storageContainerUrl`, file.storageContainerUrl);
  if (file.autoStorageContainerName !== undefined && !CONTAINER_NAME.test(file.autoStorageContainerName)) {
    throw invalidPropertyValue(
      `${propertyPath}.autoStorageContainerName`,
      file.autoStorageContainerName,
      "A container name has 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.",
    );
  }
  if (file.filePath !== undefined && file.filePath !== "") checkRelativePath(`${propertyPath}.filePath`, file.filePath);
  if (file.fileMode !== undefined && !FILE_MODE.test(file.fileMode)) {
    throw invalidPropertyValue(`${propertyPath}.fileMode`, file.fileMode, "fileMode is an octal permission string such as '0770' or '0644'.");
  }
}
