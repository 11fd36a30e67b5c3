// Turns what the form holds into the ClockingDraft Rust validates. Only the clock-time text is parsed
// here (to compute timeOfDayInMinutes); every other rule lives in Rust and comes back in the preview.
import type { ClockingDraftInput, ClockingKind, Reference } from "../../backend";
import { isStrictDate, todayText } from "../../components/dates";

/** The date issue's marker: the form shows the translated "Enter the date as YYYY-MM-DD …" for it. */
export const INVALID_DATE = "invalid-date";

/** Which day the entered clock time is on, relative to the clocking's date. */
export type DayOffset = "PreviousDay" | "SameDay" | "NextDay";

export type PersonMode = "pick" | "reference";

export interface FormState {
  personMode: PersonMode;
  personId: string | null;
  personRefName: string;
  personRefValue: string;
  date: string;
  time: string;
  day: DayOffset;
  kind: ClockingKind;
  reasonId: string | null;
  isOpen: boolean;
  /** Chosen activity definition id per level. */
  activities: Record<number, string>;
  /** Activities picked from the structure, or given by external reference per level. */
  activityMode: "pick" | "reference";
  /** Per level: reference name (`@data-entry-code`, `@external-reference`, custom) and value. */
  activityRefs: Record<number, { name: string; value: string }>;
  terminal: string;
  latitude: string;
  longitude: string;
}

export function today(): string {
  return todayText();
}

export const emptyForm = (): FormState => ({
  personMode: "pick",
  personId: null,
  personRefName: "@badge-number",
  personRefValue: "",
  date: today(),
  time: "",
  day: "SameDay",
  kind: "InOut",
  reasonId: null,
  isOpen: false,
  activities: {},
  activityMode: "pick",
  activityRefs: {},
  terminal: "",
  latitude: "",
  longitude: "",
});

/** `HH:MM` → minutes since midnight, or null when it is not a time of day. */
export function parseClockTime(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

const DAY_SHIFT: Record<DayOffset, number> = { PreviousDay: -1440, SameDay: 0, NextDay: 1440 };

/** An id, or `<reference>=<value>` such as `@external-code=T1`. */
export function parseReference(text: string): Reference | null {
  const t = text.trim();
  if (!t) return null;
  const eq = t.indexOf("=");
  if (eq < 0) return { by: "Id", id: t };
  return { by: "External", name: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim() };
}

function parseNumber(text: string): number | null {
  const t = text.trim().replace(",", ".");
  if (!t) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
}

export interface BuiltDraft {
  draft: ClockingDraftInput | null;
  /** Problems found before Rust sees the draft (field → message). */
  localIssues: Record<string, string>;
}

export function buildDraft(f: FormState): BuiltDraft {
  const localIssues: Record<string, string> = {};
  // The date goes out exactly as typed, and only when it is a real YYYY-MM-DD date.
  const dateOk = isStrictDate(f.date);
  if (!dateOk) localIssues.date = INVALID_DATE;
  const minutes = parseClockTime(f.time);
  if (minutes === null) localIssues.time = f.time.trim() ? "Use HH:MM, for example 08:30 (00:00 to 23:59)" : "Enter the time";
  let person: Reference | null = null;
  if (f.personMode === "pick") {
    if (f.personId) person = { by: "Id", id: f.personId };
    else localIssues.person = "Choose a person";
  } else if (f.personRefName.trim() && f.personRefValue.trim()) {
    person = { by: "External", name: f.personRefName.trim(), value: f.personRefValue.trim() };
  } else {
    localIssues.person = "Enter the reference value, e.g. the badge number";
  }
  const latitude = parseNumber(f.latitude);
  const longitude = parseNumber(f.longitude);
  if (Number.isNaN(latitude)) localIssues.latitude = "Latitude must be a number";
  if (Number.isNaN(longitude)) localIssues.longitude = "Longitude must be a number";
  if (!dateOk || minutes === null || person === null || Number.isNaN(latitude) || Number.isNaN(longitude)) {
    return { draft: null, localIssues };
  }
  const activityLevels =
    f.kind !== "Activity"
      ? []
      : f.activityMode === "pick"
        ? Object.entries(f.activities)
            .filter(([, id]) => id)
            .map(([level, id]) => ({ level: Number(level), activity: { by: "Id" as const, id } }))
            .sort((a, b) => a.level - b.level)
        : Object.entries(f.activityRefs)
            .filter(([, r]) => r.value.trim())
            .map(([level, r]) => ({
              level: Number(level),
              activity: { by: "External" as const, name: r.name.trim(), value: r.value.trim() },
            }))
            .sort((a, b) => a.level - b.level);
  const draft: ClockingDraftInput = {
    person,
    date: f.date,
    time_of_day_in_minutes: minutes + DAY_SHIFT[f.day],
    kind: f.kind,
    reason: f.kind === "Reason" && f.reasonId ? { by: "Id", id: f.reasonId } : null,
    is_open: f.kind === "Reason" ? f.isOpen : null,
    activity_levels: activityLevels,
    terminal: parseReference(f.terminal),
    latitude,
    longitude,
  };
  return { draft, localIssues };
}
