// Why: the checks of what a person types in the create forms and pool actions: each message names the field and says what to type instead.

/** The service's id rule: letters, digits, hyphens and underscores, at most 64 characters. */
export function checkId(field: string, value: string): string | undefined {
  const text = value.trim();
  if (!text) return `${field}: type an id (letters, digits, hyphens and underscores).`;
  if (text.length > 64) return `${field}: an id has at most 64 characters (this one has ${text.length}).`;
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return `${field}: use only letters, digits, hyphens and underscores ("${text}" has other characters).`;
  return undefined;
}

/** A whole number from `min` to `max`. */
export function checkWhole(field: string, value: string, min: number, max: number): string | undefined {
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) return `${field}: type a whole number from ${min} to ${max}.`;
  return undefined;
}

/** An evaluation interval as ISO 8601 minutes (`PT5M`); the service accepts 5 minutes to 168 hours. */
export function checkInterval(field: string, value: string): string | undefined {
  const match = /^PT(\d+)M$/i.exec(value.trim());
  if (!match || Number(match[1]) < 5 || Number(match[1]) > 168 * 60) return `${field}: type minutes as PT<n>M with n from 5 to 10080, e.g. PT5M.`;
  return undefined;
}

export const toWhole = (value: string): number => Number(value.trim());
