// Why: how a workload names a task's inputs (blobs to download before it runs) and outputs (files to upload after it ends).

/** A blob (or every blob under a prefix) downloaded into the task's working directory before the task runs. */
export interface InputFileSpecification {
  storageAccountName: string;
  containerName: string;
  /** blob name; a name ending in "/" means every blob under that prefix, kept as directories under targetFilePath */
  sourceBlobPath: string;
  /** path relative to the task working directory (a directory when sourceBlobPath ends in "/") */
  targetFilePath: string;
  /** ARM resource id of a user-assigned managed identity of the pool allowed to read the blob; without it a short-lived read SAS is used */
  identityReference?: string;
}

/** A file (or files matching a Batch output-file pattern) the task leaves in its working directory, uploaded when it succeeds. */
export interface OutputFileSpecification {
  /** path or pattern (`*`, `**`, `?`) relative to the task working directory */
  sourceFilePath: string;
  storageAccountName: string;
  containerName: string;
  /** the blob name; for a pattern, the virtual directory the matched files go under */
  targetBlobPath: string;
  /** the task that produces the file (set by TaskSpecification.addOutputFile) */
  taskId?: string;
  /** ARM resource id of a user-assigned managed identity of the pool allowed to write the container; without it a short-lived write SAS is used */
  identityReference?: string;
}

/** The input that downloads what `output` uploads (e.g. a gather task reading a transform task's result). */
export function inputFromOutput(output: OutputFileSpecification, targetFilePath: string): InputFileSpecification {
  if (/[*?[]/.test(output.sourceFilePath)) {
    const prefix = output.targetBlobPath.endsWith("/") || output.targetBlobPath === "" ? output.targetBlobPath : `${output.targetBlobPath}/`;
    return {
      storageAccountName: output.storageAccountName,
      containerName: output.containerName,
      sourceBlobPath: prefix,
      targetFilePath,
      identityReference: output.identityReference,
    };
  }
  return {
    storageAccountName: output.storageAccountName,
    containerName: output.containerName,
    sourceBlobPath: output.targetBlobPath,
    targetFilePath,
    identityReference: output.identityReference,
  };
}
