import { describe, expect, it } from "vitest";
import type { DayRow } from "../../backend";
import { chartPoints, chartSeries, periodDays } from "./chartData";

function day(date: string, week: string, worked: number, protime: { present: number; normal: number } | null, beyond = false): DayRow {
  return {
    employee_number: "1",
    date,
    iso_week: week,
    worked_minutes: worked,
    outside_tolerance: beyond,
    protime: protime && { present_minutes: protime.present, normal_minutes: protime.normal },
  } as unknown as DayRow;
}

describe("the hours chart's data", () => {
  const rows = [
    day("2026-11-03", "2026-W45", 480, { present: 470, normal: 456 }, true),
    day("2026-11-02", "2026-W45", 300, null),
    day("2026-11-02", "2026-W45", 200, { present: 200, normal: 456 }),
    day("2026-11-09", "2026-W46", 60, { present: 0, normal: 456 }, true),
  ];

  it("sums each day's shown rows, in date order, counting the rows beyond tolerance", () => {
    expect(chartPoints(rows, false)).toEqual([
      { key: "2026-11-02", worked: 500, present: 200, expected: 456, beyond: 0 },
      { key: "2026-11-03", worked: 480, present: 470, expected: 456, beyond: 1 },
      { key: "2026-11-09", worked: 60, present: 0, expected: 456, beyond: 1 },
    ]);
  });

  it("sums per ISO week for long periods, and the weeks add up to the days", () => {
    const weeks = chartPoints(rows, true);
    expect(weeks.map((w) => [w.key, w.worked, w.beyond])).toEqual([
      ["2026-W45", 980, 1],
      ["2026-W46", 60, 1],
    ]);
    const sum = (ps: { worked: number }[]) => ps.reduce((s, p) => s + p.worked, 0);
    expect(sum(weeks)).toBe(sum(chartPoints(rows, false)));
  });

  it("shows worked vs expected per source, and both systems for merged", () => {
    expect(chartSeries("TimeClock")).toEqual(["worked"]);
    expect(chartSeries("Protime")).toEqual(["present", "expected"]);
    expect(chartSeries("Merged")).toEqual(["worked", "present", "expected"]);
  });

  it("counts the period's days with both ends", () => {
    expect(periodDays("2026-11-01", "2026-11-30")).toBe(30);
    expect(periodDays("2026-03-28", "2026-03-30")).toBe(3);
  });
});
