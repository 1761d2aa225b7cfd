// Why: the storage side of Local Batch in one import: Azurite launcher, resource-file download, output-file upload and their validation.
export { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME, startAzurite, type AzuriteInstance, type AzuriteOptions } from "./azurite";
export { FailureCodes, ResourceFileError, type FailureCode } from "./failure";
export { conditionApplies, uploadOutputFiles, type OutputFileContext } from "./outputFiles";
export { downloadResourceFiles, type ResourceFileContext } from "./resourceFiles";
export { stripSas } from "./secrets";
export type * from "./types";
export { UPLOAD_ERR_FILE, UPLOAD_OUT_FILE } from "./uploadLog";
export { validateOutputFile, type OutputFileValidationOptions } from "./validateOutputFile";
export { validateResourceFile } from "./validateResourceFile";
