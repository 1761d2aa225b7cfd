// Why: task constraints carry ISO 8601 durations (maxWallClockTime, retentionTime) and the local-only delay options take them; the node needs milliseconds.

const PATTERN =
  /^(-)?P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Years and months have no fixed length; like .NET's XmlConvert they count as 365 and 30 days. */
const UNITS = [365 * DAY, 30 * DAY, 7 * DAY, DAY, HOUR, MINUTE, SECOND];

/**
 * Milliseconds of an ISO 8601 duration such as `PT1H30M`, `P1DT2.5S` or .NET's TimeSpan.MaxValue
 * `P10675199DT2H48M5.4775807S`; undefined when the text is not a duration (or is negative).
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match || match[1] === "-") return undefined;
  const parts = match.slice(2);
  if (parts.every((part) => part === undefined)) return undefined;
  if (/T$/i.test(text.trim())) return undefined;
  return parts.reduce((total, part, index) => total + (part === undefined ? 0 : Number(part.replace(",", ".")) * UNITS[index]), 0);
}

/** The longest delay a local-only delay option (--allocation-delay, --scheduling-delay, …) accepts: an hour. */
export const MAX_LOCAL_DELAY_MS = 3_600_000;

/**
 * A local-only delay option: whole milliseconds (`1500`) or an ISO 8601 duration (`PT1.5S`), from 0 to an hour;
 * undefined when the text is neither or out of range.
 */
export function parseLocalDelay(text: string): number | undefined {
  const ms = /^\d+$/.test(text.trim()) ? Number(text.trim()) : parseIsoDuration(text);
  if (ms === undefined || !Number.isFinite(ms) || ms > MAX_LOCAL_DELAY_MS) return undefined;
  return Math.round(ms);
}
