/**
 * The clocking the form describes, as a person reads it: "Eitan Levi · Mon 30 Nov 2026 · 09:30 ·
 * In/Out", with the reason's or the activities' names. Names come from the lists the form already
 * holds; a reference the form cannot name is shown as typed.
 */
export interface WordsContext {
  language: string;
  /** The person's name, or the reference as typed ("@badge-number=1955"). */
  who: string;
  kindLabel: string;
  /** "next day" / "previous day" when the clock time is not on the date itself. */
  dayNote?: string;
  /** The reason's name (Reason clockings). */
  reason?: string;
  /** The chosen activities' names, level by level. */
  activities: string[];
}

/** "Mon 30 Nov 2026" in the language's own order and words; the date as given if it is not a day. */
export function dayInWords(date: string, language: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(language, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(at);
}

/**
 * The parts (who, day, clock time, what), to be shown joined by " · ", each isolated for direction:
 * a Hebrew name beside an English date must not reorder them.
 */
export function clockingInWords(date: string, time: string, c: WordsContext): string[] {
  const clock = c.dayNote ? `${time} (${c.dayNote})` : time;
  const what = [c.kindLabel, c.reason, c.activities.length > 0 ? c.activities.join(" › ") : undefined].filter(Boolean).join(": ");
  return [c.who, dayInWords(date, c.language), clock, what];
}
