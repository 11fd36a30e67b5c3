// Turns what the form holds into the ClockingEntry Rust validates. The clock time goes as typed with its
// day; Rust computes timeOfDayInMinutes and every rule lives there, coming back in the preview.
import type { ClockingEntryInput, ClockingKind, Reference } from "../../backend";
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
  /** The reason picked from the list, or typed as Protime's id. */
  reasonMode: "pick" | "id";
  reasonText: string;
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
  reasonMode: "pick",
  reasonText: "",
  isOpen: false,
  activities: {},
  activityMode: "pick",
  activityRefs: {},
  terminal: "",
  latitude: "",
  longitude: "",
});

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
  draft: ClockingEntryInput | null;
  /** Problems found before Rust sees the draft (field → message). */
  localIssues: Record<string, string>;
}

export function buildDraft(f: FormState): BuiltDraft {
  const localIssues: Record<string, string> = {};
  // The date goes out exactly as typed, and only when it is a real YYYY-MM-DD date.
  const dateOk = isStrictDate(f.date);
  if (!dateOk) localIssues.date = INVALID_DATE;
  let person: Reference | null = null;
  if (f.personMode === "pick") {
    // A missing person is Rust's to report, with the other problems of the entry.
    if (f.personId) person = { by: "Id", id: f.personId };
  } else if (f.personRefName.trim() && f.personRefValue.trim()) {
    person = { by: "External", name: f.personRefName.trim(), value: f.personRefValue.trim() };
  } else {
    localIssues.person = "Enter the reference value, e.g. the badge number";
  }
  const latitude = parseNumber(f.latitude);
  const longitude = parseNumber(f.longitude);
  if (Number.isNaN(latitude)) localIssues.latitude = "Latitude must be a number";
  if (Number.isNaN(longitude)) localIssues.longitude = "Longitude must be a number";
  if (!dateOk || (f.personMode === "reference" && person === null) || Number.isNaN(latitude) || Number.isNaN(longitude)) {
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
  const reasonId = f.reasonMode === "pick" ? f.reasonId : f.reasonText.trim() || null;
  const draft: ClockingEntryInput = {
    person,
    date: f.date,
    time: f.time,
    day: f.day,
    kind: f.kind,
    reason: f.kind === "Reason" && reasonId ? { by: "Id", id: reasonId } : null,
    // Sent only when asked for: no seed example carries isOpen.
    is_open: f.kind === "Reason" && f.isOpen ? true : null,
    activity_levels: activityLevels,
    terminal: parseReference(f.terminal),
    latitude,
    longitude,
  };
  return { draft, localIssues };
}
