// Why: the wire (REST JSON) shapes of resource files, output files and task failure info this module reads and produces.

/** ComputeNodeIdentityReference: a user-assigned managed identity (only its presence matters locally). */
export interface ComputeNodeIdentityReference {
  resourceId?: string;
}

/** ResourceFile as sent on the wire (2022-10-01.16.0). */
export interface ResourceFile {
  autoStorageContainerName?: string;
  storageContainerUrl?: string;
  httpUrl?: string;
  blobPrefix?: string;
  filePath?: string;
  fileMode?: string;
  identityReference?: ComputeNodeIdentityReference;
}

export interface HttpHeader {
  name: string;
  value?: string;
}

export interface OutputFileBlobContainerDestination {
  path?: string;
  containerUrl: string;
  identityReference?: ComputeNodeIdentityReference;
  uploadHeaders?: HttpHeader[];
}

export interface OutputFileDestination {
  container?: OutputFileBlobContainerDestination;
}

export type OutputFileUploadCondition = "tasksuccess" | "taskfailure" | "taskcompletion";

export interface OutputFileUploadOptions {
  uploadCondition?: OutputFileUploadCondition;
}

/** OutputFile as sent on the wire; `uploadOptions` is required by the spec but defaults to taskcompletion here. */
export interface OutputFile {
  filePattern: string;
  destination: OutputFileDestination;
  uploadOptions?: OutputFileUploadOptions;
}

export interface NameValuePair {
  name: string;
  value: string;
}

/** TaskFailureInformation: what `executionInfo.failureInfo` holds. */
export interface TaskFailureInformation {
  category: "usererror" | "servererror";
  code?: string;
  message?: string;
  details?: NameValuePair[];
}

/** The Batch account's linked auto-storage account (locally: Azurite, shared key). */
export interface AutoStorageAccount {
  blobEndpoint: string;
  accountName: string;
  accountKey: string;
}
