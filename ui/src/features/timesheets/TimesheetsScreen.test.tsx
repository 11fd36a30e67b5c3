import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import "../../i18n";
import { BackendContext, type Backend, type DayRow, type Report, type SourceOptions } from "../../backend";
import { TimesheetsScreen } from "./TimesheetsScreen";

const totals = {
  days: 0,
  sessions: 0,
  worked_minutes: 0,
  lunch_minutes: 0,
  net_minutes: 0,
  open_sessions: 0,
  normal_minutes: 0,
  present_minutes: 0,
  calculated_minutes: 0,
  flextime_minutes: 0,
  difference_minutes: 0,
  outside_tolerance: 0,
};

function row(number: string, worked: number, calculated: number | null, tolerance: number): DayRow {
  const difference = calculated === null ? null : worked - calculated;
  return {
    employee_number: number,
    email: null,
    date: "2026-03-02",
    iso_week: "2026-W10",
    first_in: "08:00",
    last_out: "16:00",
    sessions: 1,
    worked_minutes: worked,
    lunch_minutes: 0,
    net_minutes: worked,
    lunch_outside_minutes: 0,
    absences: [],
    open_session: false,
    zone: "Europe/Brussels",
    work_logs: [],
    name: calculated === null ? null : `Person ${number}`,
    groups: [number === "1001" ? "Belgium" : "Israel", "Support"],
    protime:
      calculated === null
        ? null
        : { normal_minutes: 480, present_minutes: calculated + 30, calculated_minutes: calculated, flextime_minutes: 0, flextime_balance_minutes: 0 },
    difference_minutes: difference,
    outside_tolerance: difference !== null && Math.abs(difference) > tolerance,
  };
}

function reportFor(source: SourceOptions): Report {
  const rows = source.source === "TimeClock" ? [row("1001", 480, null, 0), row("1002", 300, null, 0)] : [row("1001", 483, 480, source.tolerance_minutes), row("1002", 400, 480, source.tolerance_minutes)];
  return {
    from: "2026-03-02",
    to: "2026-03-08",
    options: { rounding: "None", rounding_scope: "PerSession", night_shifts: "StartDay" },
    rows,
    per_employee: rows.map((r) => ({ ...totals, key: r.employee_number, days: 1, sessions: 1, worked_minutes: r.worked_minutes, net_minutes: r.net_minutes })),
    per_week: [],
    overall: { key: "All", ...totals, outside_tolerance: rows.filter((r) => r.outside_tolerance).length },
    warnings: [],
    source: source.source,
    tolerance_minutes: source.tolerance_minutes,
    expected: rows.map((r) => ({ employee_number: r.employee_number, minutes: 450 })),
    matching:
      source.source === "Merged"
        ? {
            matched: 2,
            conflicts: 1,
            only_timeclock: 0,
            only_protime: 0,
            people: [
              {
                employee_number: "1024",
                status: "Conflict",
                timeclock_email: "a@x.test",
                protime_ids: [76523],
                protime_name: "Ann",
                protime_email: "b@x.test",
                note: "Employee number 1024 has e-mail a@x.test in TimeClock 365 but b@x.test in Protime",
              },
            ],
          }
        : null,
  };
}

describe("Timesheets screen sources", () => {
  it("asks for the merged report, shows the matching table, the difference column and the sync time", async () => {
    const asked: SourceOptions[] = [];
    const refreshes: boolean[] = [];
    const backend = {
      timesheetReport: async (_id: string, _f: string, _t: string, _o: unknown, source: SourceOptions) => {
        asked.push(source);
        return reportFor(source);
      },
      protimeTotalsStatus: async () => ({ window_from: "2026-03-02", window_to: "2026-03-08", last_synced: "2026-03-09T08:00:00Z", rows: 14, load_in_progress: false }),
      protimeTotalsRefresh: async (_f: string, _t: string, force: boolean) => {
        refreshes.push(force);
        return { window_from: "2026-03-02", window_to: "2026-03-08", last_synced: "2026-03-09T09:00:00Z", rows: 14, load_in_progress: false };
      },
    } as unknown as Backend;
    render(
      <BackendContext.Provider value={backend}>
        <QueryClientProvider client={new QueryClient()}>
          <MantineProvider>
            <TimesheetsScreen />
          </MantineProvider>
        </QueryClientProvider>
      </BackendContext.Provider>,
    );
    await screen.findByLabelText("Report summary");
    expect(screen.queryByLabelText("Sort by Difference")).toBeNull();
    fireEvent.click(screen.getByText("Merged"));
    const table = await screen.findByRole("table", { name: "People matching" });
    expect(within(table).getByText("Conflict")).toBeTruthy();
    expect(within(table).getByText(/in TimeClock 365 but b@x.test in Protime/)).toBeTruthy();
    expect(screen.getByText("2 matched · 1 conflicts · 0 only in TimeClock 365 · 0 only in Protime")).toBeTruthy();
    expect(screen.getByLabelText("Sort by Difference")).toBeTruthy();
    expect(screen.getByLabelText("Sort by Calc. presence")).toBeTruthy();
    expect(screen.getByText("1 days differ by more than 5 min")).toBeTruthy();
    expect(asked[asked.length - 1]).toEqual({ source: "Merged", tolerance_minutes: 5 });
    await screen.findByText(/^Protime totals last synced /);
    fireEvent.click(screen.getByRole("button", { name: "Refresh from Protime" }));
    await waitFor(() => expect(refreshes).toEqual([true]));
  });

  it("filters the rows by group", async () => {
    const backend = {
      timesheetReport: async (_id: string, _f: string, _t: string, _o: unknown, source: SourceOptions) => reportFor(source),
      timesheetSuggestPath: async () => "/home/hr/Downloads/t.csv",
    } as unknown as Backend;
    render(
      <BackendContext.Provider value={backend}>
        <QueryClientProvider client={new QueryClient()}>
          <MantineProvider>
            <TimesheetsScreen />
          </MantineProvider>
        </QueryClientProvider>
      </BackendContext.Provider>,
    );
    const summary = await screen.findByLabelText("Report summary");
    expect(summary.textContent).toBe("2 rows · 2 employees · 13:00 worked");
    fireEvent.click(screen.getByRole("textbox", { name: "Group" }));
    fireEvent.click(await screen.findByRole("option", { name: "Israel", hidden: true }));
    await waitFor(() => expect(screen.getByLabelText("Report summary").textContent).toBe("1 rows · 1 employees · 5:00 worked"));
    const perEmployee = screen.getByRole("table", { name: "Totals per employee" });
    expect(within(perEmployee).queryByText("1001")).toBeNull();
    expect(within(perEmployee).getByText("1002")).toBeTruthy();
    expect(within(perEmployee).getByText("All")).toBeTruthy();
    // 1002 worked 5:00 of an expected 7:30.
    const row1002 = within(perEmployee).getByText("1002").closest("tr")!;
    expect(row1002.textContent).toContain("7:30");
    expect(row1002.textContent).toContain("-2:30");
    fireEvent.click(screen.getByRole("textbox", { name: "Group" }));
    fireEvent.click(await screen.findByRole("option", { name: "Support", hidden: true }));
    await waitFor(() => expect(screen.getByLabelText("Report summary").textContent).toBe("2 rows · 2 employees · 13:00 worked"));
  });
});
