// Why: maps OutputFile uploadHeaders (Put Blob request headers) onto @azure/storage-blob upload options; unknown ones are sent verbatim.
import type { BlobHTTPHeaders, BlockBlobParallelUploadOptions, BlockBlobTier } from "@azure/storage-blob";
import type { HttpHeader } from "./types";

type PropertyName = keyof BlobHTTPHeaders;

/** Put Blob headers that set blob properties; the x-ms-blob-* form wins over the standard one. */
const PROPERTY_HEADERS: Record<string, { property: PropertyName; priority: number }> = {
  "x-ms-blob-content-type": { property: "blobContentType", priority: 2 },
  "content-type": { property: "blobContentType", priority: 1 },
  "x-ms-blob-content-encoding": { property: "blobContentEncoding", priority: 2 },
  "content-encoding": { property: "blobContentEncoding", priority: 1 },
  "x-ms-blob-content-language": { property: "blobContentLanguage", priority: 2 },
  "content-language": { property: "blobContentLanguage", priority: 1 },
  "x-ms-blob-cache-control": { property: "blobCacheControl", priority: 2 },
  "cache-control": { property: "blobCacheControl", priority: 1 },
  "x-ms-blob-content-disposition": { property: "blobContentDisposition", priority: 2 },
  "x-ms-blob-content-md5": { property: "blobContentMD5", priority: 2 },
};

export interface MappedHeaders {
  options: Pick<BlockBlobParallelUploadOptions, "blobHTTPHeaders" | "metadata" | "tags" | "tier">;
  /** headers with no typed option, added to the PUT requests as they are */
  extra: [string, string][];
}

export function mapUploadHeaders(headers: readonly HttpHeader[] | undefined): MappedHeaders {
  const blobHTTPHeaders: BlobHTTPHeaders = {};
  const priorities = new Map<PropertyName, number>();
  const metadata: Record<string, string> = {};
  const extra: [string, string][] = [];
  let tags: Record<string, string> | undefined;
  let tier: BlockBlobTier | undefined;
  for (const { name, value = "" } of headers ?? []) {
    const lower = name.trim().toLowerCase();
    const known = PROPERTY_HEADERS[lower];
    if (known) {
      if ((priorities.get(known.property) ?? 0) > known.priority) continue;
      priorities.set(known.property, known.priority);
      if (known.property === "blobContentMD5") blobHTTPHeaders.blobContentMD5 = Buffer.from(value, "base64");
      else blobHTTPHeaders[known.property] = value;
    } else if (lower.startsWith("x-ms-meta-")) {
      metadata[lower.slice("x-ms-meta-".length)] = value;
    } else if (lower === "x-ms-tags") {
      tags = Object.fromEntries(new URLSearchParams(value));
    } else if (lower === "x-ms-access-tier") {
      tier = value as BlockBlobTier;
    } else {
      extra.push([name.trim(), value]);
    }
  }
  const options: MappedHeaders["options"] = {};
  if (Object.keys(blobHTTPHeaders).length > 0) options.blobHTTPHeaders = blobHTTPHeaders;
  if (Object.keys(metadata).length > 0) options.metadata = metadata;
  if (tags) options.tags = tags;
  if (tier) options.tier = tier;
  return { options, extra };
}
