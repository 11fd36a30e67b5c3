import type { DayRow, OptionalColumn } from "../../backend";

/** Every optional column in the order the exports write them (the backend's `optional_columns::ALL`). */
export const OPTIONAL_COLUMNS: OptionalColumn[] = [
  "WeeklyHours1",
  "WeeklyHours2",
  "WeeklyHours3",
  "PayPeriodHours",
  "ShiftDefinition",
  "Location",
  "PunchSource",
  "StartSentAt",
  "EndSentAt",
  "SentLate",
  "PunchNotes",
  "AbsenceNotes",
  "AbsenceApproval",
  "AbsenceCodes",
  "WorkLogs",
  "DefaultZoneUsed",
];

/** Columns that exist only where the report has Protime's calculated totals. */
export const PROTIME_ONLY: ReadonlySet<OptionalColumn> = new Set(["WeeklyHours1", "WeeklyHours2", "WeeklyHours3", "PayPeriodHours", "ShiftDefinition"]);

/** Duration columns: shown in the chosen hours format, sorted by minutes. */
export const DURATION: ReadonlySet<OptionalColumn> = new Set(["WeeklyHours1", "WeeklyHours2", "WeeklyHours3", "PayPeriodHours"]);

const unique = (parts: (string | null | undefined)[]) => [...new Set(parts.filter((p): p is string => !!p))].join(" | ");

/** `web → phone`, as the exports write it. */
export function punchSources(p: DayRow["punches"][number]): string | null {
  if (p.start_source === null && p.end_source === null) return null;
  return `${p.start_source ?? "?"} → ${p.end_source ?? (p.end ? "?" : "open")}`;
}

/** The minutes of a duration column (`null`: the tenant sends none), or `undefined` for text columns. */
export function minutesOf(c: OptionalColumn, r: DayRow): number | null | undefined {
  const x = r.protime?.extra;
  switch (c) {
    case "WeeklyHours1":
      return x?.weekly_hours1_minutes ?? null;
    case "WeeklyHours2":
      return x?.weekly_hours2_minutes ?? null;
    case "WeeklyHours3":
      return x?.weekly_hours3_minutes ?? null;
    case "PayPeriodHours":
      return x?.pay_period_minutes ?? null;
    default:
      return undefined;
  }
}

/** The text of a non-duration column, in the words the exports use. */
export function textOf(c: OptionalColumn, r: DayRow, yes: string, no: string): string {
  switch (c) {
    case "ShiftDefinition":
      return r.protime?.extra.shift_definition_id?.toString() ?? "";
    case "Location":
      return unique(r.punches.map((p) => p.location));
    case "PunchSource":
      return unique(r.punches.map(punchSources));
    case "StartSentAt":
      return unique(r.punches.map((p) => p.start_sent_at));
    case "EndSentAt":
      return unique(r.punches.map((p) => p.end_sent_at));
    case "SentLate":
      return r.punches.some((p) => p.sent_late) ? yes : no;
    case "PunchNotes":
      return unique(
        r.punches.map((p) =>
          [p.start_note ? `in: ${p.start_note}` : null, p.end_note ? `out: ${p.end_note}` : null].filter(Boolean).join("; ") || null,
        ),
      );
    case "AbsenceNotes":
      return unique(r.absence_details.map((a) => a.note));
    case "AbsenceApproval":
      return r.absence_details
        .map((a) => `${a.name}: ${a.approved_at || a.approved_by ? ["approved", a.approved_at, a.approved_by ? `by ${a.approved_by}` : null].filter(Boolean).join(" ") : "not approved"}`)
        .join(" | ");
    case "AbsenceCodes":
      return r.absence_details
        .filter((a) => a.code_days || a.code_hours)
        .map((a) => `${a.name}: ${[a.code_days ? `days ${a.code_days}` : null, a.code_hours ? `hours ${a.code_hours}` : null].filter(Boolean).join(" / ")}`)
        .join(" | ");
    case "WorkLogs":
      return r.work_logs
        .map((w) => `${w.name ?? "(no name)"}${w.external_id ? ` [${w.external_id}]` : ""} ${w.start}-${w.end ?? "open"} ${Math.floor(w.minutes / 60)}:${String(w.minutes % 60).padStart(2, "0")}`)
        .join(" | ");
    case "DefaultZoneUsed":
      return r.default_zone_used ? yes : no;
    default:
      return "";
  }
}

const STORAGE_KEY = "timebridge.timesheets.extraColumns";

/** The columns chosen last time (kept in this browser profile), unknown names dropped. */
export function loadChosen(): OptionalColumn[] {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]") as unknown;
    return Array.isArray(raw) ? OPTIONAL_COLUMNS.filter((c) => raw.includes(c)) : [];
  } catch {
    return [];
  }
}

export function saveChosen(columns: OptionalColumn[]) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(columns));
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this session only.
  }
}
