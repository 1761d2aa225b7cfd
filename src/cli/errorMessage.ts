// Why: turns any error (including @azure/batch's RestError, whose message may be the service's {lang, value} object) into one readable line.

interface BatchLikeError {
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  body?: { code?: string; message?: { value?: string } | string; values?: { key: string; value: string }[] };
}

export function errorMessage(error: unknown): string {
  if (!(error instanceof Object)) return String(error);
  const candidate = error as BatchLikeError;
  const bodyMessage = typeof candidate.body?.message === "string" ? candidate.body.message : candidate.body?.message?.value;
  const raw = bodyMessage ?? (typeof candidate.message === "string" ? candidate.message : (candidate.message as { value?: string } | undefined)?.value);
  const text = (raw ?? String(error)).split("\nRequestId:")[0];
  const code = candidate.body?.code ?? (typeof candidate.code === "string" ? candidate.code : undefined);
  const status = typeof candidate.statusCode === "number" ? ` (HTTP ${candidate.statusCode})` : "";
  const details = (candidate.body?.values ?? []).map((v) => `${v.key}=${v.value}`).join(", ");
  return `${code ? `${code}: ` : ""}${text}${status}${details ? ` [${details}]` : ""}`;
}
