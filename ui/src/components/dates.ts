// The one date parser every date field uses. A date is accepted only when it is typed exactly in the
// format the field shows (YYYY-MM-DD) and names a real calendar day with a year in 1900..=2199;
// anything else is refused, never "corrected" into another date (29/11/2026 is not 0029-01-01,
// 2026-11-31 is not 2026-12-01).

export const DATE_FORMAT = "YYYY-MM-DD";
export const DATE_EXAMPLE = "2026-11-29";
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The text itself when it is a valid `YYYY-MM-DD` date, else null. Never returns another date. */
export function parseStrictDate(text: string): string | null {
  const m = SHAPE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return text;
}

export const isStrictDate = (text: string): boolean => parseStrictDate(text) !== null;

/** For fields that may stay empty ("any date"): empty is fine, anything typed must be a valid date. */
export const isBlankOrStrictDate = (text: string): boolean => text === "" || isStrictDate(text);

/** Today in the user's local calendar, as `YYYY-MM-DD`. */
export function todayText(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * A moment as the rest of the app writes dates: local `YYYY-MM-DD HH:MM`, the same in every
 * language (a US "12/2/2026, 3:57:11 AM" beside ISO dates reads as another date format).
 */
export function localDateTimeText(moment: string | Date): string {
  const d = typeof moment === "string" ? new Date(moment) : moment;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${todayText(d)} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
