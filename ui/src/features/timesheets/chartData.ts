import type { DayRow, ReportSource } from "../../backend";

/** One bar group of the hours chart: a day, or an ISO week for long periods. Minutes, summed over the shown rows. */
export type ChartPoint = {
  /** The date (`YYYY-MM-DD`) or ISO week (`2026-W45`) the table filters on when the bar is clicked. */
  key: string;
  /** TimeClock 365's worked time (every source but Protime). */
  worked: number;
  /** Protime's time present (Protime and merged). */
  present: number;
  /** Protime's normal (scheduled) time: what was expected (Protime and merged). */
  expected: number;
  /** Rows of this day or week whose two systems differ beyond the tolerance (merged). */
  beyond: number;
};

/** Periods longer than this many days are charted per ISO week: 90 daily bars are too thin to click. */
export const DAYS_PER_BAR_LIMIT = 35;

/** How many calendar days `from`..`to` spans, both included. */
export function periodDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * The chart's bars from the rows the table shows (after the employee and group filters), in date
 * order. Each figure is the sum of the same rows' minutes, so a bar always agrees with the table.
 */
export function chartPoints(rows: DayRow[], perWeek: boolean): ChartPoint[] {
  const byKey = new Map<string, ChartPoint>();
  for (const r of rows) {
    const key = perWeek ? r.iso_week : r.date;
    let p = byKey.get(key);
    if (!p) {
      p = { key, worked: 0, present: 0, expected: 0, beyond: 0 };
      byKey.set(key, p);
    }
    p.worked += r.worked_minutes;
    p.present += r.protime?.present_minutes ?? 0;
    p.expected += r.protime?.normal_minutes ?? 0;
    if (r.outside_tolerance) p.beyond += 1;
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** Which figures a source's chart shows: worked vs expected, and for merged both systems side by side. */
export function chartSeries(source: ReportSource): (keyof Omit<ChartPoint, "key" | "beyond">)[] {
  return source === "TimeClock" ? ["worked"] : source === "Protime" ? ["present", "expected"] : ["worked", "present", "expected"];
}
