import { describe, expect, it } from "vitest";
import type { DayRow, ExistingClocking, PersonSummary } from "../../backend";
import { attentionReasons, clockChangeMinutes, explainDay, normalNumber, peopleByNumber, suggestedTime, unmatchedPunchTimes, unpairedKeys } from "./dayDetail";

function day(over: Partial<DayRow> = {}): DayRow {
  return {
    employee_number: "1256",
    email: null,
    date: "2026-11-30",
    iso_week: "2026-W49",
    first_in: "08:00",
    last_out: "16:30",
    sessions: 1,
    worked_minutes: 510,
    lunch_minutes: 0,
    net_minutes: 510,
    lunch_outside_minutes: 0,
    absences: [],
    open_session: false,
    zone: "Europe/Brussels",
    work_logs: [],
    name: null,
    groups: [],
    protime: null,
    difference_minutes: null,
    outside_tolerance: false,
    punches: [punch("2026-11-30 08:00:00", "2026-11-30 16:30:00")],
    absence_details: [],
    default_zone_used: false,
    ...over,
  };
}

function punch(start: string, end: string | null): DayRow["punches"][number] {
  return { start, end, location: null, start_source: null, end_source: null, start_sent_at: null, end_sent_at: null, start_note: null, end_note: null, sent_late: false };
}

const clocking = (time_text: string, kind = "InOut"): ExistingClocking => ({ id: 1, time_text, kind, reason_id: null, generated: false });

const person = (id: number, employee_number: string | null): PersonSummary => ({ id, name: `P${id}`, employee_number, badge_number: null, email: null });

describe("the report's day detail", () => {
  it("compares employee numbers as the merged report does", () => {
    expect(normalNumber(" 01256 ")).toBe("1256");
    expect(normalNumber("0000")).toBe("0");
    expect(normalNumber("A-0012")).toBe("A-0012");
    const index = peopleByNumber([person(1, "01256"), person(2, "77"), person(3, "077"), person(4, null)]);
    expect(index.get("1256")?.id).toBe(1);
    // Two Protime people with one number: neither is guessed.
    expect(index.has("77")).toBe(false);
  });

  it("names the missing out-clocking and suggests TimeClock 365's time for it", () => {
    const row = day();
    const protime = [clocking("08:00")];
    expect(unmatchedPunchTimes(row, protime)).toEqual(["16:30"]);
    expect(suggestedTime(row, protime)).toBe("16:30");
    expect(explainDay(row, protime).map((w) => w.key)).toEqual(["oddClockings", "timesDiffer"]);
    // Within two minutes counts as the same punch; the other kinds are not In/Out.
    expect(unmatchedPunchTimes(row, [clocking("07:59"), clocking("16:32"), clocking("12:00", "Activity")])).toEqual([]);
    expect(suggestedTime(row, [clocking("08:00"), clocking("16:30")])).toBeNull();
    // Paired clockings at other times (an in moved to 08:15): adding one would unpair them.
    expect(suggestedTime(row, [clocking("08:15"), clocking("16:30")])).toBeNull();
    expect(explainDay(row, [clocking("08:15"), clocking("16:30")]).map((w) => w.key)).toEqual(["timesDiffer"]);
    // Nothing in Protime: the in-clocking first.
    expect(suggestedTime(row, [])).toBe("08:00");
    expect(suggestedTime(row, undefined)).toBeNull();
  });

  it("explains an empty Protime day, an open session, a night shift and lunch outside the sessions", () => {
    expect(explainDay(day(), []).map((w) => w.key)).toEqual(["noProtimeClockings"]);
    const night = day({ punches: [punch("2026-11-30 22:00:00", "2026-12-01 06:00:00")], lunch_outside_minutes: 20, open_session: true });
    const why = explainDay(night, [clocking("22:00"), clocking("06:00 (+1)")]);
    expect(why.map((w) => w.key)).toEqual(["openSession", "nightShift", "lunchOutside"]);
    expect(why[1].values).toEqual({ end: "2026-12-01 06:00" });
    // The next day's punch is not suggested for this day.
    expect(unmatchedPunchTimes(night, [clocking("22:00")])).toEqual([]);
  });

  it("lists the days that need attention and drops them once fixed", () => {
    expect(attentionReasons(day())).toEqual([]);
    expect(attentionReasons(day({ open_session: true }))).toEqual(["openSession"]);
    const protime = { normal_minutes: 480, present_minutes: 0, calculated_minutes: 0, flextime_minutes: 0, flextime_balance_minutes: 0, extra: { weekly_hours1_minutes: null, weekly_hours2_minutes: null, weekly_hours3_minutes: null, pay_period_minutes: null, shift_definition_id: null } };
    expect(attentionReasons(day({ protime, difference_minutes: 510, outside_tolerance: true }))).toEqual(["beyondTolerance", "timeclockOnly"]);
    const fixed = { ...protime, present_minutes: 510 };
    expect(attentionReasons(day({ protime: fixed, difference_minutes: 0, outside_tolerance: false }))).toEqual([]);
  });
});

describe("unpaired In/Out days", () => {
  const people: PersonSummary[] = [
    { id: 76503, name: "Lotte Peeters", employee_number: "01256", badge_number: null, email: null },
    { id: 76504, name: "No number", employee_number: null, badge_number: null, email: null },
  ];

  it("puts a day on the attention list when Protime's In/Out clockings do not pair up", () => {
    const keys = unpairedKeys(
      [
        { person_id: 76503, date: "2026-11-30", in_out_count: 1 },
        { person_id: 76504, date: "2026-11-30", in_out_count: 3 },
        { person_id: 99999, date: "2026-11-30", in_out_count: 1 },
      ],
      people,
    );
    // Protime's zero-padded 01256 is the report's 1256; people without a number cannot be matched.
    expect([...keys]).toEqual(["1256|2026-11-30"]);
    expect(attentionReasons(day(), keys)).toEqual(["oddClockings"]);
    expect(attentionReasons(day({ date: "2026-11-29" }), keys)).toEqual([]);
    expect(attentionReasons(day())).toEqual([]);
  });
});

describe("clock changes", () => {
  it("finds the day the clocks move, in any zone and direction", () => {
    expect(clockChangeMinutes("Europe/Brussels", "2026-03-29")).toBe(60);
    expect(clockChangeMinutes("Europe/Brussels", "2026-10-25")).toBe(-60);
    expect(clockChangeMinutes("Europe/Brussels", "2026-10-24")).toBe(0);
    expect(clockChangeMinutes("Europe/Brussels", "2026-10-26")).toBe(0);
    expect(clockChangeMinutes("America/New_York", "2026-11-01")).toBe(-60);
    expect(clockChangeMinutes("Asia/Jerusalem", "2026-10-25")).toBe(-60);
    expect(clockChangeMinutes("Asia/Tokyo", "2026-10-25")).toBe(0);
    expect(clockChangeMinutes("Not/AZone", "2026-10-25")).toBe(0);
  });

  it("explains a night across the change as an hour more than its clock times", () => {
    const night = day({
      date: "2026-10-25",
      punches: [punch("2026-10-25 00:00:00", "2026-10-25 08:00:00")],
    });
    expect(explainDay(night, undefined)).toContainEqual({
      key: "clocksChanged",
      values: { zone: "Europe/Brussels", minutes: 60, context: "back" },
    });
    expect(explainDay(day(), undefined).map((e) => e.key)).not.toContain("clocksChanged");
  });
});
