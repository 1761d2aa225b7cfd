// Why: each official Batch SDK's SharedKey signer, re-implemented here from its source, must be accepted by the one verifier; tampered requests must not.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { candidateForms, verifySharedKey, type SignedRequest } from "../../src/local/protocol/sharedKey";

const ACCOUNT = "myaccount";
const KEY = "ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZg==";
const OTHER_KEY = Buffer.from("some-other-key-that-is-not-ours").toString("base64");
const DATE = "Tue, 29 Jul 2014 21:49:13 GMT";
const NOW = Date.parse(DATE) + 1000;
const accounts = new Map([[ACCOUNT, KEY]]);
const HOST = "https://myaccount.eastus.batch.azure.com";

/** A request as an SDK's generated code hands it to its signer: headers the SDK (not the HTTP library) set, and the body. */
interface SdkRequest {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What goes over the wire: the request line's target, every header sent (Authorization included) and the body length. */
interface WireRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  bodyLength: number;
}

type Signer = (request: SdkRequest) => WireRequest;

const hmac = (text: string): string => createHmac("sha256", Buffer.from(KEY, "base64")).update(text, "utf8").digest("base64");
const bytes = (body: string | undefined): number => (body === undefined ? 0 : Buffer.byteLength(body));
const formDecode = (text: string): string => decodeURIComponent(text.replace(/\+/g, " "));

function splitUrl(url: string): { path: string; query: string | undefined } {
  const match = /^[a-z]+:\/\/[^/?#]+([^?#]*)(?:\?([^#]*))?/i.exec(url)!;
  return { path: match[1] ?? "", query: match[2] };
}

function queryPairs(query: string | undefined): [string, string][] {
  if (!query) return [];
  return query
    .split("&")
    .filter(Boolean)
    .map((piece) => {
      const eq = piece.indexOf("=");
      return eq < 0 ? [formDecode(piece), ""] : [formDecode(piece.slice(0, eq)), formDecode(piece.slice(eq + 1))];
    });
}

function find(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

function wire(request: SdkRequest, headers: Record<string, string>, text: string, accountInHeader = ACCOUNT): WireRequest {
  const { path, query } = splitUrl(request.url);
  const target = `${path || "/"}${query === undefined ? "" : `?${query}`}`;
  const length = find(headers, "content-length");
  return {
    method: request.method,
    target,
    headers: { ...headers, Authorization: `SharedKey ${accountInHeader}:${hmac(text)}` },
    bodyLength: length === undefined ? bytes(request.body) : Number(length),
  };
}

/**
 * @azure/batch 10.2.0 — Azure/azure-sdk-for-js sdk/batch/batch/src/batchSharedKeyCredentials.ts (shipped as
 * dist-esm/src/batchSharedKeyCredentials.js): ms-rest-js puts `Content-Type: application/json; charset=utf-8` on every
 * request; length = header, else body bytes, else "0" for POST, else ""; `ocp-` names as stored (lower-case), JS sort,
 * empty skipped; url-parse pathname (encoded) and querystringify (decoded, first of a repeated name, names as sent).
 * node-fetch then sends Content-Length for bodies and 0 for a body-less POST/PUT.
 */
const jsBatch10: Signer = (request) => {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value; // ms-rest-js HttpHeaders keys
  if (request.body) headers["content-type"] = "application/json; odata=minimalmetadata; charset=utf-8";
  headers["ocp-date"] ??= DATE;
  const length = headers["content-length"] ?? (request.body ? String(bytes(request.body)) : request.method === "POST" ? "0" : "");
  const slot = (name: string) => headers[name] ?? "";
  let text = [request.method, slot("content-encoding"), slot("content-language"), length, slot("content-md5"), slot("content-type"), slot("date")]
    .concat(["if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"].map(slot))
    .join("\n");
  text += "\n";
  for (const name of Object.keys(headers)
    .filter((n) => n.indexOf("ocp-") === 0)
    .sort())
    if (headers[name]) text += `${name.toLowerCase()}:${headers[name]}\n`;
  const { path, query } = splitUrl(request.url);
  const first = new Map<string, string>();
  for (const [name, value] of queryPairs(query)) if (!first.has(name)) first.set(name, value);
  text += `/${ACCOUNT}${path || "/"}`;
  for (const name of [...first.keys()].sort()) text += `\n${name}:${first.get(name)}`;
  if (request.body) headers["content-length"] = String(bytes(request.body));
  else if (request.method === "POST" || request.method === "PUT") headers["content-length"] = "0";
  return wire(request, headers, text);
};

/** The part shared by both Python signers: `ocp-` substring test, sorted (name, value) pairs, urlparse path, parse_qs (blank values dropped, first value). */
function pythonTail(headers: Record<string, string>, url: string): string {
  let text = "";
  const ocp = Object.entries(headers)
    .filter(([name, value]) => name.includes("ocp-") && value)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  for (const [name, value] of ocp) text += `${name}:${value}\n`;
  const { path, query } = splitUrl(url);
  text += `/${ACCOUNT}${path}`;
  const parsed = new Map<string, string>();
  for (const [name, value] of queryPairs(query)) if (value !== "" && !parsed.has(name)) parsed.set(name, value);
  for (const name of [...parsed.keys()].sort()) text += `\n${name}:${parsed.get(name)}`;
  return text;
}

const PYTHON_SLOTS = ["content-encoding", "content-language", "content-length", "content-md5", "content-type", "date"].concat([
  "if-modified-since",
  "if-match",
  "if-none-match",
  "if-unmodified-since",
  "range",
]);

/**
 * azure-batch 13.x/14.x — Azure/azure-sdk-for-python sdk/batch/azure-batch/azure/batch/batch_auth.py, class SharedKeyAuth
 * (a requests auth hook; the installed copy is /usr/lib/python3/dist-packages/azure/batch/batch_auth.py of python3-azure):
 * requests has already written `Content-Length` (0 for every body-less verb except GET and HEAD); msrest sets Content-Type
 * only with a body; the slots are the non-empty headers by lower-cased name.
 */
const pythonBatch13: Signer = (request) => {
  const headers: Record<string, string> = { ...request.headers };
  if (request.body) {
    headers["Content-Type"] = "application/json; odata=minimalmetadata; charset=utf-8";
    headers["Content-Length"] = String(bytes(request.body));
  } else if (request.method !== "GET" && request.method !== "HEAD") headers["Content-Length"] = "0";
  if (!headers["ocp-date"]) headers["ocp-date"] = DATE;
  const byName = new Map(
    Object.entries(headers)
      .filter(([, value]) => value)
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
  const text = `${request.method}\n${PYTHON_SLOTS.map((name) => byName.get(name) ?? "").join("\n")}\n${pythonTail(headers, request.url)}`;
  return wire(request, headers, text);
};

/**
 * azure-batch 15.x — Azure/azure-sdk-for-python sdk/batch/azure-batch/azure/batch/_patch.py, BatchSharedKeyAuthPolicy
 * (azure-core): Content-Length only for a non-empty body, "0" written into the string for any other verb than GET/HEAD
 * without one; Content-Type `application/json; odata=minimalmetadata`. requests/aiohttp then send Content-Length: 0 on
 * body-less DELETE/POST/PUT/PATCH. API 2024-07-01.20.0 spells the timeout `timeOut`.
 */
const pythonBatch15: Signer = (request) => {
  const headers: Record<string, string> = { ...request.headers };
  if (request.body) {
    headers["Content-Type"] = "application/json; odata=minimalmetadata";
    headers["Content-Length"] = String(bytes(request.body));
  }
  if (!headers["ocp-date"]) headers["ocp-date"] = DATE;
  const byName = new Map(
    Object.entries(headers)
      .filter(([, value]) => value)
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
  if (request.method !== "GET" && request.method !== "HEAD" && !byName.has("content-length")) byName.set("content-length", "0");
  const text = `${request.method}\n${PYTHON_SLOTS.map((name) => byName.get(name) ?? "").join("\n")}\n${pythonTail(headers, request.url)}`;
  if (!request.body && request.method !== "GET" && request.method !== "HEAD") headers["Content-Length"] = "0";
  return wire(request, headers, text);
};

const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Query decoding of .NET's ParseQuery / ParseQueryString: names case-insensitive, repeated values comma-joined in order. */
function dotnetQuery(query: string | undefined): Map<string, string> {
  const merged = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of queryPairs(query)) {
    const entry = merged.get(name.toLowerCase());
    if (entry) entry.values.push(value);
    else merged.set(name.toLowerCase(), { name, values: [value] });
  }
  return new Map([...merged.values()].map((entry) => [entry.name, entry.values.join(",")]));
}

/**
 * Microsoft.Azure.Batch — Azure/azure-sdk-for-net sdk/batch/Microsoft.Azure.Batch/src/Protocol/BatchSharedKeyCredential.cs:
 * a body-less DELETE/PATCH/OPTIONS/POST gets an empty ByteArrayContent (so `0` is signed and sent); content headers carry
 * Content-Type `application/json; odata=minimalmetadata; charset=utf-8`; `ocp-*` of any case, lower-cased, ordinal,
 * CR/LF → space and leading blanks trimmed; `/account/` + AbsolutePath without its leading slashes; query names sorted
 * OrdinalIgnoreCase and lower-cased, values of a repeated name comma-joined.
 */
const dotnetBatch: Signer = (request) => {
  const headers: Record<string, string> = { ...request.headers };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "ocp-date")) headers["ocp-date"] = DATE;
  let length = "";
  if (request.body) {
    headers["Content-Type"] = "application/json; odata=minimalmetadata; charset=utf-8";
    length = String(bytes(request.body));
  } else if (["DELETE", "PATCH", "OPTIONS", "POST"].includes(request.method)) length = "0";
  if (length !== "") headers["Content-Length"] = length;
  const get = (name: string) => find(headers, name) ?? "";
  let text = [request.method, get("Content-Encoding"), get("Content-Language"), length, get("Content-MD5"), get("Content-Type"), get("Date")]
    .concat(["If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"].map(get))
    .join("\n");
  text += "\n";
  const ocp = Object.keys(headers)
    .filter((name) => name.toLowerCase().startsWith("ocp-"))
    .map((name) => name.toLowerCase())
    .sort(ordinal);
  for (const name of ocp)
    text += `${name}:${get(name)
      .replace(/[\r\n]/g, " ")
      .trimStart()}\n`;
  const { path, query } = splitUrl(request.url);
  text += `/${ACCOUNT}/${path.replace(/^\/+/, "")}`;
  if (query) {
    const parsed = dotnetQuery(query);
    for (const name of [...parsed.keys()].sort((a, b) => ordinal(a.toUpperCase(), b.toUpperCase()))) text += `\n${name.toLowerCase()}:${parsed.get(name)}`;
  }
  return wire(request, headers, text);
};

/**
 * Azure.Compute.Batch — Azure/azure-sdk-for-net sdk/batch/Azure.Compute.Batch/src/Custom/BatchNamedKeyCredentialPolicy.cs:
 * ocp-date always (re)set; the length slot is empty for no content and for 0; the Date slot is always empty;
 * Content-Type `application/json; odata=minimalmetadata`; query names ordinal-sorted as sent, then lower-cased.
 * SocketsHttpHandler sends Content-Length: 0 on a body-less POST/PUT/PATCH (not DELETE) after signing.
 */
const dotnetComputeBatch: Signer = (request) => {
  const headers: Record<string, string> = { ...request.headers, "ocp-date": DATE };
  if (request.body) headers["Content-Type"] = "application/json; odata=minimalmetadata";
  const length = request.body ? String(bytes(request.body)) : "";
  const get = (name: string) => find(headers, name) ?? "";
  let text = [request.method, get("Content-Encoding"), get("Content-Language"), length === "0" ? "" : length, get("Content-MD5"), get("Content-Type"), ""]
    .concat(["If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"].map(get))
    .join("\n");
  text += "\n";
  const ocp = Object.keys(headers)
    .filter((name) => name.toLowerCase().startsWith("ocp-"))
    .map((name) => [name.toLowerCase(), headers[name]!] as const)
    .sort((a, b) => ordinal(a[0], b[0]));
  for (const [name, value] of ocp) text += `${name}:${value}\n`;
  const { path, query } = splitUrl(request.url);
  text += `/${ACCOUNT}${path || "/"}`;
  const parsed = dotnetQuery(query);
  for (const name of [...parsed.keys()].sort(ordinal)) text += `\n${name.toLowerCase()}:${parsed.get(name)}`;
  if (request.body) headers["Content-Length"] = length;
  else if (["POST", "PUT", "PATCH"].includes(request.method)) headers["Content-Length"] = "0";
  return wire(request, headers, text);
};

/** Both Java signers: lower-cased `ocp-*`, String order, CR/LF → space, leading spaces cut; `/` + lower-cased account + path; TreeMap of lower-cased names (last value wins). */
function javaTail(headers: Record<string, string>, rawPath: string, decodedQuery: [string, string][] | undefined): string {
  let text = "";
  const ocp = Object.keys(headers)
    .filter((name) => name.toLowerCase().startsWith("ocp-"))
    .map((name) => name.toLowerCase())
    .sort(ordinal);
  for (const name of ocp) text += `${name}:${(find(headers, name) ?? "").replace(/[\r\n]/g, " ").replace(/^ +/, "")}\n`;
  text += `/${ACCOUNT.toLowerCase()}/${rawPath.replace(/^\/+/, "")}`;
  if (decodedQuery) {
    const tree = new Map<string, string>();
    for (const [name, value] of decodedQuery) tree.set(name.toLowerCase(), value);
    for (const name of [...tree.keys()].sort(ordinal)) text += `\n${name}:${tree.get(name)}`;
  }
  return text;
}

/**
 * azure-compute-batch — Azure/azure-sdk-for-java sdk/batch/azure-compute-batch/src/main/java/com/azure/compute/batch/
 * implementation/BatchSharedKeyCredentialsPolicy.java: no ocp-date is added (AddDatePolicy's `Date` header is signed in
 * the Date slot; with a caller's ocp-date the Date slot is left empty while Date is still sent); the length slot copies
 * the header RestProxy sets (0 for every body-less request, GET included); URLDecoder over the raw query.
 */
function javaComputeBatch(options: { callerOcpDate?: boolean; dropZeroLengthOnGet?: boolean } = {}): Signer {
  return (request) => {
    const headers: Record<string, string> = { ...request.headers, Date: DATE };
    if (options.callerOcpDate) headers["ocp-date"] = DATE;
    if (request.body) headers["Content-Type"] = "application/json; odata=minimalmetadata";
    headers["Content-Length"] = String(bytes(request.body));
    const get = (name: string) => find(headers, name) ?? "";
    const dateSlot = find(headers, "ocp-date") === undefined ? get("Date") : "";
    let text = [request.method, get("Content-Encoding"), get("Content-Language"), get("Content-Length"), get("Content-MD5"), get("Content-Type"), dateSlot]
      .concat(["If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"].map(get))
      .join("\n");
    text += "\n";
    const { path, query } = splitUrl(request.url);
    text += javaTail(headers, path, query === undefined ? undefined : queryPairs(query));
    const sent = wire(request, headers, text);
    if (options.dropZeroLengthOnGet && (request.method === "GET" || request.method === "HEAD")) delete sent.headers["Content-Length"];
    return sent;
  };
}

/**
 * microsoft-azure-batch — Azure/azure-sdk-for-java sdk/batch/microsoft-azure-batch/src/main/java/com/microsoft/azure/batch/
 * auth/BatchSharedKeyCredentialsInterceptor.java (OkHttp interceptor): ocp-date added; length = the Retrofit body's
 * (an empty body on POST and DELETE, none on GET/HEAD); every generated method declares
 * `Content-Type: application/json; charset=utf-8`; OkHttp's decoded query is URL-decoded once more.
 */
const javaBatchLegacy: Signer = (request) => {
  const headers: Record<string, string> = {
    ...request.headers,
    "Content-Type": request.body ? "application/json; odata=minimalmetadata; charset=utf-8" : "application/json; charset=utf-8",
  };
  headers["ocp-date"] ??= DATE;
  const hasBody = request.body !== undefined || request.method === "POST" || request.method === "DELETE";
  const length = hasBody ? String(bytes(request.body)) : "";
  if (hasBody) headers["Content-Length"] = length;
  const get = (name: string) => find(headers, name) ?? "";
  let text = [request.method, get("Content-Encoding"), get("Content-Language"), length, get("Content-MD5"), get("Content-Type"), get("Date")]
    .concat(["If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"].map(get))
    .join("\n");
  text += "\n";
  const { path, query } = splitUrl(request.url);
  const twice = query === undefined ? undefined : queryPairs(query).map(([name, value]) => [formDecode(name), formDecode(value)] as [string, string]);
  text += javaTail(headers, path, twice);
  return wire(request, headers, text);
};

/**
 * @azure-rest/batch (Azure/azure-sdk-for-js sdk/batch/batch-rest/src/credentials/batchSharedKeyCredentials.ts) and the
 * TypeSpec @azure/batch 13 beta (sdk/batch/batch/src/credentials/batchSharedKeyCredentials.ts, which sorts the query by
 * `localeCompare(…, "en-US")`): length = header, else body bytes, else "0" for POST, else ""; lower-cased `ocp-*`, empty
 * skipped; WHATWG URL pathname and URLSearchParams (one line per value). Node's http sends Content-Length: 0 for a
 * body-less POST/PUT/PATCH.
 */
function jsTypeSpec(sort: "pairs" | "locale"): Signer {
  return (request) => {
    const headers: Record<string, string> = { ...request.headers };
    if (request.body) headers["Content-Type"] = "application/json; odata=minimalmetadata";
    headers["ocp-date"] ??= DATE;
    const get = (name: string) => find(headers, name) ?? "";
    const length = find(headers, "Content-Length") || (request.body ? String(bytes(request.body)) : request.method === "POST" ? "0" : "");
    let text = [request.method, get("Content-Encoding"), get("Content-Language"), length, get("Content-MD5"), get("Content-Type"), get("Date")]
      .concat(["If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"].map(get))
      .join("\n");
    text += "\n";
    const ocp = Object.keys(headers)
      .map((name) => name.toLocaleLowerCase())
      .filter((name) => name.startsWith("ocp-"))
      .sort();
    for (const name of ocp) if (get(name)) text += `${name}:${get(name)}\n`;
    const url = new URL(request.url);
    text += `/${ACCOUNT}${url.pathname || "/"}`;
    const entries = [...url.searchParams.entries()];
    if (sort === "pairs") entries.sort();
    else entries.sort((a, b) => a[0].localeCompare(b[0], "en-US"));
    for (const [name, value] of entries) text += `\n${name}:${value}`;
    if (request.body) headers["Content-Length"] = String(bytes(request.body));
    else if (["POST", "PUT", "PATCH"].includes(request.method)) headers["Content-Length"] = "0";
    return wire(request, headers, text);
  };
}

/** What the local service's verifier is handed for a request that arrived over HTTP (Node lower-cases header names). */
function received(sent: WireRequest): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sent.headers)) headers[name.toLowerCase()] = value;
  return { method: sent.method, rawUrl: sent.target, headers, bodyLength: sent.bodyLength };
}

const TASK = JSON.stringify({ id: "t1", commandLine: "/bin/sh -c 'echo hi'" });
const PATCH = JSON.stringify({ priority: 100 });

/** The operations every SDK is tried with, for its own api-version and spelling of the timeout parameter. */
function operations(apiVersion: string, timeout: "timeout" | "timeOut", filter: string): [string, SdkRequest][] {
  const api = `api-version=${apiVersion}`;
  return [
    ["lists jobs with $filter", { method: "GET", url: `${HOST}/jobs?${api}&${filter}&maxresults=10&${timeout}=30`, headers: {} }],
    ["adds a task (JSON body)", { method: "POST", url: `${HOST}/jobs/job1/tasks?${api}&${timeout}=30`, headers: {}, body: TASK }],
    ["enables a job (body-less POST)", { method: "POST", url: `${HOST}/jobs/job1/enable?${api}&${timeout}=30`, headers: {} }],
    ["deletes a job", { method: "DELETE", url: `${HOST}/jobs/job1?${api}&${timeout}=30`, headers: {} }],
    ["patches a job with If-Match", { method: "PATCH", url: `${HOST}/jobs/job1?${api}`, headers: { "If-Match": '"0x8D4EDFEBFADF4AB"' }, body: PATCH }],
    [
      "reads a node file's properties (encoded path)",
      { method: "HEAD", url: `${HOST}/pools/p1/nodes/n1/files/startup%2Fwd%2Fhello%20w%C3%B6rld.txt?${api}`, headers: {} },
    ],
  ];
}

const SDKS: [string, Signer, string, "timeout" | "timeOut", string][] = [
  ["@azure/batch 10.2.0", jsBatch10, "2022-10-01.16.0", "timeout", "$filter=state%20eq%20'active'"],
  ["azure-batch 13 (Python, requests hook)", pythonBatch13, "2022-10-01.16.0", "timeout", "%24filter=state+eq+%27active%27"],
  ["azure-batch 15 (Python, azure-core)", pythonBatch15, "2024-07-01.20.0", "timeOut", "%24filter=state+eq+%27active%27"],
  ["Microsoft.Azure.Batch (.NET)", dotnetBatch, "2024-07-01.20.0", "timeout", "%24filter=state%20eq%20%27active%27"],
  ["Azure.Compute.Batch (.NET)", dotnetComputeBatch, "2024-07-01.20.0", "timeOut", "%24filter=state%20eq%20%27active%27"],
  ["azure-compute-batch (Java)", javaComputeBatch(), "2024-07-01.20.0", "timeOut", "%24filter=state%20eq%20%27active%27"],
  [
    "azure-compute-batch (Java) with a caller's ocp-date",
    javaComputeBatch({ callerOcpDate: true }),
    "2024-07-01.20.0",
    "timeOut",
    "%24filter=state%20eq%20%27active%27",
  ],
  [
    "azure-compute-batch (Java), HTTP client dropping Content-Length: 0 on GET/HEAD",
    javaComputeBatch({ dropZeroLengthOnGet: true }),
    "2024-07-01.20.0",
    "timeOut",
    "%24filter=state%20eq%20%27active%27",
  ],
  ["microsoft-azure-batch (Java, OkHttp)", javaBatchLegacy, "2022-10-01.16.0", "timeout", "%24filter=state%20eq%20%27active%27"],
  ["@azure-rest/batch", jsTypeSpec("pairs"), "2024-02-01.19.0", "timeOut", "%24filter=state+eq+%27active%27"],
  ["@azure/batch 13 beta (TypeSpec)", jsTypeSpec("locale"), "2024-07-01.20.0", "timeOut", "%24filter=state+eq+%27active%27"],
];

describe("SharedKey as each official SDK signs it", () => {
  for (const [sdk, signer, apiVersion, timeout, filter] of SDKS) {
    describe(sdk, () => {
      for (const [operation, request] of operations(apiVersion, timeout, filter)) {
        it(`accepts: ${operation}`, () => {
          assert.deepEqual(verifySharedKey(received(signer(request)), accounts, NOW), { ok: true, accountName: ACCOUNT });
        });
      }
    });
  }
});

/** Requests the real azure-batch 13.0.1 client sent to a capture server (shared-key.md §8.6, V9 and V10). */
describe("SharedKey: captured from the real azure-batch 13.0.1 client", () => {
  it("accepts V10 (job.delete: Content-Length: 0, signed '0', timeout=30)", () => {
    const request: SignedRequest = {
      method: "DELETE",
      rawUrl: "/jobs/job1?api-version=2022-10-01.16.0&timeout=30",
      bodyLength: 0,
      headers: {
        "client-request-id": "11111111-2222-3333-4444-555555555555",
        "accept-language": "en-US",
        "return-client-request-id": "false",
        "ocp-date": DATE,
        "content-length": "0",
        authorization: "SharedKey myaccount:0sXmNDcVmjRII4SpTAsSKUD45llT+UUvFEFz/55WYvE=",
      },
    };
    assert.deepEqual(verifySharedKey(request, accounts, NOW), { ok: true, accountName: ACCOUNT });
  });
  it("accepts V9 (repeated $select and an empty $expand, both left out of the signature by parse_qs)", () => {
    const request: SignedRequest = {
      method: "GET",
      rawUrl: "/jobs?api-version=2022-10-01.16.0&timeOut=30&$select=id&$select=state&$expand=&maxresults=10",
      bodyLength: 0,
      headers: { "ocp-date": DATE, authorization: "SharedKey myaccount:HABMrIGxotKcXC9f+bh/JnSidBuS2rPDzB+eckW0LyM=" },
    };
    assert.deepEqual(verifySharedKey(request, accounts, NOW), { ok: true, accountName: ACCOUNT });
  });
});

describe("SharedKey: the documented canonical form (lower-cased names, repeated values sorted and comma-joined)", () => {
  it("accepts a query with a repeated parameter signed as the REST documentation describes", () => {
    const text = `GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:${DATE}\n/${ACCOUNT}/jobs\n$select:id,state\napi-version:2022-10-01.16.0`;
    const request: SignedRequest = {
      method: "GET",
      rawUrl: "/jobs?api-version=2022-10-01.16.0&$select=state&$select=id",
      bodyLength: 0,
      headers: { "ocp-date": DATE, authorization: `SharedKey ${ACCOUNT}:${hmac(text)}` },
    };
    assert.equal(verifySharedKey(request, accounts, NOW).ok, true);
  });
  it("tries few forms: one for a body, two for an empty body, four once a query name has upper-case letters", () => {
    const post = received(jsBatch10({ method: "POST", url: `${HOST}/jobs/j/tasks?api-version=2022-10-01.16.0`, headers: {}, body: TASK }));
    const del = received(jsBatch10({ method: "DELETE", url: `${HOST}/jobs/j?api-version=2022-10-01.16.0`, headers: {} }));
    const get = received(jsTypeSpec("pairs")({ method: "GET", url: `${HOST}/jobs?api-version=2024-07-01.20.0&timeOut=30`, headers: {} }));
    assert.deepEqual([candidateForms(post).length, candidateForms(del).length, candidateForms(get).length], [1, 2, 4]);
  });
});

describe("SharedKey: tampered or mis-signed requests are refused with a reason", () => {
  const base = () =>
    received(
      dotnetComputeBatch({ method: "PATCH", url: `${HOST}/jobs/job1?api-version=2024-07-01.20.0&timeOut=30`, headers: { "If-Match": '"0x1"' }, body: PATCH }),
    );
  const mac = /MAC signature found in the HTTP request is not the same as any computed signature/;
  const refuse = (request: SignedRequest, reason: RegExp, known: ReadonlyMap<string, string> = accounts, now = NOW) => {
    const result = verifySharedKey(request, known, now);
    assert.equal(result.ok, false);
    assert.match((result as { reason: string }).reason, reason);
  };

  it("the untampered request passes (so the refusals below are caused by the change alone)", () => {
    assert.equal(verifySharedKey(base(), accounts, NOW).ok, true);
  });
  it("a changed If-Match header", () => refuse({ ...base(), headers: { ...base().headers, "if-match": '"0x2"' } }, mac));
  it("a changed Content-Type (charset added after signing)", () =>
    refuse({ ...base(), headers: { ...base().headers, "content-type": "application/json; odata=minimalmetadata; charset=utf-8" } }, mac));
  it("an ocp-* header added after signing", () => refuse({ ...base(), headers: { ...base().headers, "ocp-extra": "1" } }, mac));
  it("a changed query value", () => refuse({ ...base(), rawUrl: base().rawUrl.replace("timeOut=30", "timeOut=31") }, mac));
  it("a changed path", () => refuse({ ...base(), rawUrl: base().rawUrl.replace("job1", "job2") }, mac));
  it("a different body length", () => refuse({ ...base(), bodyLength: base().bodyLength + 1 }, mac));
  it("a different method", () => refuse({ ...base(), method: "PUT" }, mac));
  it("the wrong key", () => refuse(base(), mac, new Map([[ACCOUNT, OTHER_KEY]])));
  it("another known account named in the header", () => {
    const request = base();
    request.headers.authorization = String(request.headers.authorization).replace(`SharedKey ${ACCOUNT}:`, "SharedKey otheraccount:");
    refuse(request, mac, new Map([...accounts, ["otheraccount", KEY]]));
  });
  it("an account the service does not know", () => {
    const request = base();
    request.headers.authorization = String(request.headers.authorization).replace(`SharedKey ${ACCOUNT}:`, "SharedKey stranger:");
    refuse(request, /account 'stranger' is not known/);
  });
  it("no ocp-date and no Date header", () => {
    const { "ocp-date": _dropped, ...headers } = base().headers;
    refuse({ ...base(), headers }, /neither an ocp-date nor a Date header/);
  });
  it("an ocp-date that is not an HTTP date", () => refuse({ ...base(), headers: { ...base().headers, "ocp-date": "yesterday" } }, /not a valid HTTP date/));
  it("an ocp-date 16 minutes old", () => refuse(base(), /more than 15 minutes/, accounts, NOW + 16 * 60 * 1000));
  it("a Bearer or malformed Authorization header", () => {
    refuse({ ...base(), headers: { ...base().headers, authorization: "Basic abc" } }, /SharedKey scheme/);
    refuse({ ...base(), headers: { ...base().headers, authorization: "SharedKey no-colon" } }, /not of the form/);
  });
  it("a body with Content-Length signed as 0", () => {
    const sent = received(jsBatch10({ method: "POST", url: `${HOST}/jobs/job1/enable?api-version=2022-10-01.16.0`, headers: {} }));
    refuse({ ...sent, bodyLength: 2 }, mac);
  });
});
