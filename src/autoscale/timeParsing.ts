// Why: `time(string)` accepts exactly the two documented formats, W3C-DTF (an ISO-8601 profile) and RFC 1123, and says which it expected when a string is neither.

import { LanguageError } from "./errors";

const W3C_DTF = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
const RFC_1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UTC|Z)$/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Choice: at most 7 fractional-second digits (100 ns, the service's resolution); the real service rejected 9. */
const MAX_FRACTION_DIGITS = 7;

const FORMATS_HINT = 'Use W3C-DTF ("2024-03-04T10:15:30Z") or RFC 1123 ("Mon, 04 Mar 2024 10:15:30 GMT").';

/** Milliseconds since the epoch for a documented time string. Choice: a W3C-DTF date without a time is midnight UTC. */
export function parseTimeString(text: string): number {
  const iso = W3C_DTF.exec(text);
  if (iso) {
    const [, y, mo = "01", d = "01", h = "00", mi = "00", s = "00", fraction = "", zone = "Z"] = iso;
    if (fraction.length > MAX_FRACTION_DIGITS) {
      throw new LanguageError(`time("${text}"): at most ${MAX_FRACTION_DIGITS} digits of fractional seconds are accepted.`);
    }
    const ms = checkedUtc(text, +y, +mo, +d, +h, +mi, +s) + (fraction ? Number(`0.${fraction}`) * 1000 : 0);
    return ms - zoneOffsetMs(zone);
  }
  const rfc = RFC_1123.exec(text);
  if (rfc) {
    const [, dayName, d, monthName, y, h, mi, s] = rfc;
    const ms = checkedUtc(text, +y, MONTHS.indexOf(monthName) + 1, +d, +h, +mi, +s);
    if (DAYS[new Date(ms).getUTCDay()] !== dayName) throw new LanguageError(`time("${text}"): ${d} ${monthName} ${y} is not a ${dayName}.`);
    return ms;
  }
  throw new LanguageError(`time("${text}"): not a recognised date and time. ${FORMATS_HINT}`);
}

function checkedUtc(text: string, y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  const same = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && back.getUTCHours() === h;
  if (!same || mi > 59 || s > 59) throw new LanguageError(`time("${text}"): the date or time is out of range. ${FORMATS_HINT}`);
  return ms;
}

function zoneOffsetMs(zone: string): number {
  if (zone === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const [hh, mm] = zone.slice(1).split(":").map(Number);
  return sign * (hh * 60 + mm) * 60_000;
}
