// What a report day needs to be explained and fixed: the Protime person behind an employee number,
// why the two systems disagree (as far as the data can say), the time the other system suggests for
// a missing clocking, and which days of the period need attention.
import type { DayRow, ExistingClocking, PersonSummary, UnpairedDay } from "../../backend";

/**
 * An employee number as the report compares it: trimmed, and without leading zeros when it is all
 * digits (Protime's `01256` is TimeClock 365's `1256`), the same rule as the merged report's matching.
 */
export function normalNumber(raw: string): string {
  const n = raw.trim();
  return /^\d+$/.test(n) ? n.replace(/^0+(?=\d)/, "") : n;
}

/** Protime people by normal employee number; a number two people share is left out (no guessing). */
export function peopleByNumber(people: PersonSummary[]): Map<string, PersonSummary> {
  const found = new Map<string, PersonSummary>();
  const shared = new Set<string>();
  for (const p of people) {
    if (!p.employee_number) continue;
    const key = normalNumber(p.employee_number);
    if (found.has(key)) shared.add(key);
    else found.set(key, p);
  }
  for (const key of shared) found.delete(key);
  return found;
}

/** One reason a day's figures differ, as a translation key under `timesheets.why` and its values. */
export interface Explanation {
  key: "openSession" | "oddClockings" | "noProtimeClockings" | "nightShift" | "clocksChanged" | "lunchOutside" | "timesDiffer" | "absence";
  values?: Record<string, string | number>;
}

/** `HH:MM` of a TimeClock 365 local timestamp (`YYYY-MM-DD HH:MM:SS`) and whether it is on `date`. */
function clockOf(stamp: string, date: string): { time: string; sameDay: boolean } {
  return { time: stamp.slice(11, 16), sameDay: stamp.slice(0, 10) === date };
}

/** Minutes of `HH:MM` (Protime's `time_text` may carry a `(−1)`/`(+1)` day note after it). */
function minutesOf(text: string): number {
  const [h, m] = text.slice(0, 5).split(":").map(Number);
  return h * 60 + m;
}

const inOut = (clockings: ExistingClocking[]) => clockings.filter((c) => c.kind === "InOut");

/** Same-day punch times TimeClock 365 has that no Protime In/Out clocking matches within `slack` minutes. */
export function unmatchedPunchTimes(row: DayRow, clockings: ExistingClocking[], slack = 2): string[] {
  const protime = inOut(clockings).map((c) => minutesOf(c.time_text));
  const times: string[] = [];
  for (const p of row.punches) {
    for (const stamp of [p.start, p.end]) {
      if (!stamp) continue;
      const { time, sameDay } = clockOf(stamp, row.date);
      if (!sameDay) continue;
      const m = minutesOf(time);
      if (!protime.some((t) => Math.abs(t - m) <= slack) && !times.includes(time)) times.push(time);
    }
  }
  return times;
}

/** The zone's UTC offset at `instant`, in minutes (e.g. 60 for GMT+01:00). */
function offsetMinutes(zone: string, instant: number): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(instant)
    .find((p) => p.type === "timeZoneName")?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * How many minutes the clocks of `zone` moved on the local `date` (+60 when they sprang forward,
 * −60 when they fell back), or 0. Samples every hour around the day and keeps the instants whose
 * local date is `date`, so it holds for any zone and any hour of change. 0 for an unknown zone.
 */
export function clockChangeMinutes(zone: string, date: string): number {
  const [y, mo, d] = date.split("-").map(Number);
  const dayStart = Date.UTC(y, mo - 1, d);
  let local: Intl.DateTimeFormat;
  try {
    local = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
  } catch {
    return 0;
  }
  const offsets: number[] = [];
  for (let hour = -15; hour <= 39; hour++) {
    const instant = dayStart + hour * 3_600_000;
    if (local.format(instant) === date) offsets.push(offsetMinutes(zone, instant));
  }
  return offsets.length === 0 ? 0 : offsets[offsets.length - 1] - offsets[0];
}

/**
 * Why TimeClock 365 and Protime disagree on this day, in the order HR would check: what is missing
 * first, then what is counted differently. `clockings` is Protime's day (undefined while loading).
 */
export function explainDay(row: DayRow, clockings: ExistingClocking[] | undefined): Explanation[] {
  const why: Explanation[] = [];
  if (row.open_session) why.push({ key: "openSession" });
  if (clockings) {
    const pairs = inOut(clockings);
    if (pairs.length === 0 && row.punches.length > 0) why.push({ key: "noProtimeClockings" });
    else if (pairs.length % 2 === 1) why.push({ key: "oddClockings", values: { count: pairs.length } });
    const missing = unmatchedPunchTimes(row, clockings);
    if (pairs.length > 0 && missing.length > 0) why.push({ key: "timesDiffer", values: { times: missing.join(", ") } });
  }
  const overnight = row.punches.find((p) => p.end && p.end.slice(0, 10) !== row.date);
  if (overnight) why.push({ key: "nightShift", values: { end: overnight.end!.slice(0, 16) } });
  // Worked time is real elapsed time; on the day clocks change, a shift across the change lasts an
  // hour more or less than its clock times say, and a system that subtracts clock times disagrees.
  const change = row.punches.length > 0 ? clockChangeMinutes(row.zone, row.date) : 0;
  if (change !== 0) why.push({ key: "clocksChanged", values: { zone: row.zone, minutes: Math.abs(change), context: change > 0 ? "forward" : "back" } });
  if (row.lunch_outside_minutes > 0) why.push({ key: "lunchOutside", values: { minutes: row.lunch_outside_minutes } });
  if (row.absences.length > 0) why.push({ key: "absence", values: { names: row.absences.join(", ") } });
  return why;
}

/**
 * The clock time TimeClock 365 suggests for the clocking Protime lacks: the first same-day punch
 * time no Protime In/Out matches, offered only when Protime's In/Out clockings do not pair up (none,
 * or an odd number). When they pair up but their times differ, a new clocking would unpair them:
 * nothing is suggested and the user decides. Null while Protime's day is loading.
 */
export function suggestedTime(row: DayRow, clockings: ExistingClocking[] | undefined): string | null {
  if (!clockings) return null;
  const count = inOut(clockings).length;
  if (count > 0 && count % 2 === 0) return null;
  return unmatchedPunchTimes(row, clockings)[0] ?? null;
}

/** Why a day is on the "needs attention" list, as translation keys under `timesheets.attention`. */
export type AttentionReason = "openSession" | "oddClockings" | "beyondTolerance" | "protimeOnly" | "timeclockOnly";

/** A person's day as the attention list matches it: normal employee number and date. */
export const dayKey = (employeeNumber: string, date: string) => `${normalNumber(employeeNumber)}|${date}`;

/**
 * The keys (`dayKey`) of the days Protime's In/Out clockings do not pair up, with the people's
 * employee numbers looked up by Protime id; a person without a number cannot be matched to a row.
 */
export function unpairedKeys(days: UnpairedDay[], people: PersonSummary[]): Set<string> {
  const numbers = new Map(people.filter((p) => p.employee_number).map((p) => [p.id, p.employee_number!]));
  const keys = new Set<string>();
  for (const d of days) {
    const number = numbers.get(d.person_id);
    if (number) keys.add(dayKey(number, d.date));
  }
  return keys;
}

/**
 * Days of the report that need a look: open TimeClock 365 sessions, days whose Protime In/Out
 * clockings do not pair up (`unpaired`, see `unpairedKeys`), merged days beyond tolerance, and
 * merged days where only one system has time. Fixed days drop out when the report refreshes.
 */
export function attentionReasons(row: DayRow, unpaired?: Set<string>): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  if (row.open_session) reasons.push("openSession");
  if (unpaired?.has(dayKey(row.employee_number, row.date))) reasons.push("oddClockings");
  if (row.outside_tolerance) reasons.push("beyondTolerance");
  if (row.protime && row.difference_minutes !== null && row.difference_minutes !== undefined) {
    if (row.worked_minutes === 0 && row.protime.present_minutes > 0) reasons.push("protimeOnly");
    else if (row.worked_minutes > 0 && row.protime.present_minutes === 0) reasons.push("timeclockOnly");
  }
  return reasons;
}

export const rowKey = (r: Pick<DayRow, "employee_number" | "date">) => `${r.employee_number}|${r.date}`;
