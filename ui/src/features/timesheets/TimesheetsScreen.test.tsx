import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it, onTestFinished } from "vitest";
import "../../i18n";
import { BackendContext, type Backend, type ClockingEntryInput, type DayRow, type Report, type ReportPreset, type SourceOptions } from "../../backend";
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
        : {
            normal_minutes: 480,
            present_minutes: calculated + 30,
            calculated_minutes: calculated,
            flextime_minutes: 0,
            flextime_balance_minutes: 0,
            extra: { weekly_hours1_minutes: calculated, weekly_hours2_minutes: null, weekly_hours3_minutes: 0, pay_period_minutes: null, shift_definition_id: 11 },
          },
    difference_minutes: difference,
    outside_tolerance: difference !== null && Math.abs(difference) > tolerance,
    punches: [
      {
        start: "2026-03-02 08:00:00",
        end: "2026-03-02 16:00:00",
        location: "office",
        start_source: "web",
        end_source: "phone",
        start_sent_at: "2026-03-02 08:00:02",
        end_sent_at: number === "1002" ? "2026-03-03 09:30:00" : "2026-03-02 16:00:01",
        start_note: number === "1002" ? "badge forgotten" : null,
        end_note: null,
        sent_late: number === "1002",
      },
    ],
    absence_details:
      number === "1002" ? [{ name: "Doctor", note: "dentist", approved_at: "2026-03-01 10:00:00", approved_by: "Dana", code_days: null, code_hours: "D7" }] : [],
    default_zone_used: number === "1002",
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
            rule: "Employee numbers are compared trimmed",
            matched: 2,
            conflicts: 1,
            only_timeclock: 0,
            only_protime: 0,
            people: [
              {
                employee_number: "1024",
                timeclock_number: "1024",
                protime_numbers: ["001024"],
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

/**
 * Saved reports kept in memory as the backend keeps them per profile: the same name (case and
 * spaces ignored) replaces, the list comes back sorted by name.
 */
function presetStore(saved: ReportPreset[] = []) {
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  return {
    saved,
    reportPresets: async () => [...saved],
    reportPresetSave: async (p: ReportPreset) => {
      const preset = { ...p, name: p.name.trim() };
      const at = saved.findIndex((x) => same(x.name, preset.name));
      if (at >= 0) saved[at] = preset;
      else saved.push(preset);
      saved.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
      return [...saved];
    },
    reportPresetDelete: async (name: string) => {
      saved.splice(
        saved.findIndex((x) => same(x.name, name)),
        1,
      );
      return [...saved];
    },
  };
}

/** The screen alone, on a fresh query cache, talking to `backend` (saved reports: none, unless given). */
function renderScreen(backend: Backend) {
  const withPresets = { ...presetStore(), ...backend } as Backend;
  render(
    <BackendContext.Provider value={withPresets}>
      <QueryClientProvider client={new QueryClient()}>
        <MantineProvider>
          <TimesheetsScreen />
        </MantineProvider>
      </QueryClientProvider>
    </BackendContext.Provider>,
  );
}

describe("Timesheets screen sources", () => {
  it("asks for the merged report, shows the matching table, the difference column and the sync time", async () => {
    const asked: SourceOptions[] = [];
    const refreshes: boolean[] = [];
    const backend = {
      timesheetReport: async (_id: string, _period: unknown, _o: unknown, source: SourceOptions) => {
        asked.push(source);
        return reportFor(source);
      },
      protimeTotalsStatus: async () => ({ window_from: "2026-03-02", window_to: "2026-03-08", last_synced: "2026-03-09T08:00:00Z", rows: 14, load_in_progress: false }),
      protimeTotalsRefresh: async (_period: unknown, force: boolean) => {
        refreshes.push(force);
        return { window_from: "2026-03-02", window_to: "2026-03-08", last_synced: "2026-03-09T09:00:00Z", rows: 14, load_in_progress: false };
      },
    } as unknown as Backend;
    renderScreen(backend);
    await screen.findByLabelText("Report summary");
    expect(screen.queryByLabelText("Sort by Difference")).toBeNull();
    fireEvent.click(screen.getByText("Merged"));
    fireEvent.click(await screen.findByRole("tab", { name: "People matching" }));
    const table = await screen.findByRole("table", { name: "People matching" });
    expect(within(table).getByText("Conflict")).toBeTruthy();
    expect(within(table).getByText(/in TimeClock 365 but b@x.test in Protime/)).toBeTruthy();
    expect(screen.getByText("2 matched · 1 conflicts · 0 only in TimeClock 365 · 0 only in Protime")).toBeTruthy();
    // The rule and each system's own spelling of the number.
    expect(screen.getByTestId("matching-rule").textContent).toMatch(/without leading zeros/);
    expect(within(table).getByTestId("protime-numbers").textContent).toBe("001024");
    expect(within(table).getByTestId("timeclock-number").textContent).toBe("1024");
    fireEvent.click(screen.getByRole("tab", { name: "Days" }));
    expect(await screen.findByLabelText("Sort by Difference")).toBeTruthy();
    expect(screen.getByLabelText("Sort by Calc. presence")).toBeTruthy();
    expect(screen.getByText("1 days differ by more than 5 min")).toBeTruthy();
    expect(asked[asked.length - 1]).toEqual({ source: "Merged", tolerance_minutes: 5 });
    await screen.findByText(/^Protime totals last synced /);
    fireEvent.click(screen.getByRole("button", { name: "Refresh from Protime" }));
    await waitFor(() => expect(refreshes).toEqual([true]));
  }, 20_000);

  it("filters the rows by group", async () => {
    const backend = {
      timesheetReport: async (_id: string, _period: unknown, _o: unknown, source: SourceOptions) => reportFor(source),
      timesheetSuggestPath: async () => "/home/hr/Downloads/t.csv",
    } as unknown as Backend;
    renderScreen(backend);
    const summary = await screen.findByLabelText("Report summary");
    expect(summary.textContent).toBe("2 rows · 2 employees · 13:00 worked");
    fireEvent.click(screen.getByRole("textbox", { name: "Group" }));
    fireEvent.click(await screen.findByRole("option", { name: "Israel", hidden: true }));
    await waitFor(() => expect(screen.getByLabelText("Report summary").textContent).toBe("1 rows · 1 employees · 5:00 worked"));
    fireEvent.click(screen.getByRole("tab", { name: "Employees" }));
    const perEmployee = await screen.findByRole("table", { name: "Totals per employee" });
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

  it("adds chosen columns to the table and the export, flags assumed zones and opens a day's details", async () => {
    localStorage.clear();
    // jsdom has no layout: give the report's scroll area a size so the virtual list renders rows.
    const sized = (v: number) => ({
      configurable: true,
      get(this: HTMLElement) {
        return this.dataset?.testid === "report-scroll" ? v : 0;
      },
    });
    const original = {
      clientHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight"),
      clientWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientWidth"),
    };
    Object.defineProperty(HTMLElement.prototype, "clientHeight", sized(420));
    Object.defineProperty(HTMLElement.prototype, "clientWidth", sized(1200));
    onTestFinished(() => {
      for (const [k, d] of Object.entries(original)) if (d) Object.defineProperty(HTMLElement.prototype, k, d);
    });
    const exported: unknown[] = [];
    const backend = {
      timesheetReport: async (_id: string, _period: unknown, _o: unknown, source: SourceOptions) => reportFor(source),
      timesheetSuggestPath: async () => "/home/hr/Downloads/t.csv",
      taskStage: async () => null,
      timesheetExport: async (_id: string, { format }: { format: unknown }) => {
        exported.push(format);
        return { path: "/home/hr/Downloads/t.csv", rows: 2 };
      },
      protimeTotalsStatus: async () => ({ window_from: "2026-03-02", window_to: "2026-03-08", last_synced: "2026-03-09T08:00:00Z", rows: 14, load_in_progress: false }),
    } as unknown as Backend;
    renderScreen(backend);
    await screen.findByLabelText("Report summary");
    // 1002's session had no zone: the note and the flag column appear without being chosen.
    expect(screen.getByTestId("zone-assumed-note").textContent).toMatch(/^1 days/);
    expect(screen.getByLabelText("Sort by Time zone assumed")).toBeTruthy();
    expect(document.querySelectorAll("[data-zone-assumed='yes']").length).toBe(1);
    // Choose a TimeClock column: it shows on screen and goes into the export options.
    fireEvent.click(screen.getByRole("button", { name: "More options" }));
    fireEvent.click(await screen.findByRole("textbox", { name: "More columns" }));
    fireEvent.click(await screen.findByRole("option", { name: "Punch source", hidden: true }));
    await screen.findByLabelText("Sort by Punch source");
    expect(screen.getAllByText("web → phone").length).toBe(2);
    fireEvent.click(screen.getByRole("button", { name: "Export…" }));
    await waitFor(() => expect((screen.getByLabelText("Save to") as HTMLInputElement).value).toBe("/home/hr/Downloads/t.csv"));
    fireEvent.click(await screen.findByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(exported).toHaveLength(1));
    expect(exported[0]).toMatchObject({ format: "Csv", extra_columns: ["PunchSource"] });
    // Protime columns cannot be chosen for a TimeClock report.
    fireEvent.keyDown(screen.getByRole("button", { name: "Export CSV" }), { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("button", { name: "Export CSV" })).toBeNull());
    fireEvent.click(screen.getByRole("button", { name: "More options (1)" }));
    fireEvent.click(await screen.findByRole("textbox", { name: "More columns", hidden: true }));
    const weekly = await screen.findByRole("option", { name: "Weekly hours 1", hidden: true });
    expect(weekly.getAttribute("data-combobox-disabled") ?? weekly.getAttribute("aria-disabled")).toBeTruthy();
    // A day's details: the punch with where, how and when it was sent, and the absence.
    fireEvent.click(screen.getByRole("button", { name: "Show the work logs of 1002 on 2026-03-02" }));
    const detail = await screen.findByRole("list", { name: "Work logs of 1002 on 2026-03-02" });
    const punch = within(detail).getByTestId("punch-detail").textContent ?? "";
    expect(punch).toContain("at office");
    expect(punch).toContain("out sent 2026-03-03 09:30:00");
    expect(punch).toContain("in: badge forgotten");
    expect(punch).toContain("sent late");
    const absence = within(detail).getByTestId("absence-detail").textContent ?? "";
    expect(absence).toContain("approved 2026-03-01 10:00:00 by Dana");
    expect(absence).toContain("hours code D7");
    expect(absence).toContain("note: dentist");
    // The choice is remembered for the next visit.
    expect(JSON.parse(localStorage.getItem("timebridge.timesheets.extraColumns") ?? "[]")).toEqual(["PunchSource"]);
  }, 20_000);
});

describe("saved reports", () => {
  it("saves the settings on screen under a name, and choosing it later sets them all back, export format included", async () => {
    localStorage.clear();
    const asked: SourceOptions[] = [];
    const store = presetStore();
    const backend = {
      ...store,
      timesheetReport: async (_id: string, _period: unknown, _o: unknown, source: SourceOptions) => {
        asked.push(source);
        return reportFor(source);
      },
      timesheetSuggestPath: async () => "/home/hr/Downloads/t.xlsx",
      protimeTotalsStatus: async () => ({ window_from: "2026-03-02", window_to: "2026-03-08", last_synced: "2026-03-09T08:00:00Z", rows: 14, load_in_progress: false }),
    } as unknown as Backend;
    renderScreen(backend);
    await screen.findByLabelText("Report summary");
    // Nothing saved yet: the menu says so.
    fireEvent.click(screen.getByRole("button", { name: "Saved reports" }));
    expect(await screen.findByRole("menuitem", { name: "None saved yet", hidden: true })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole("menu", { hidden: true }), { key: "Escape" });
    // Payroll's settings: merged with 10 minutes, decimal hours, rounded to 15, XLSX with a sheet each.
    fireEvent.click(screen.getByText("Merged"));
    fireEvent.change(await screen.findByRole("textbox", { name: "Tolerance (minutes)" }), { target: { value: "10" } });
    fireEvent.click(screen.getByText("decimal"));
    fireEvent.click(screen.getByRole("textbox", { name: "Rounding" }));
    fireEvent.click(await screen.findByRole("option", { name: "Nearest 15 min", hidden: true }));
    fireEvent.click(screen.getByRole("button", { name: "Export…" }));
    fireEvent.click(await screen.findByText("XLSX"));
    fireEvent.keyDown(await screen.findByRole("button", { name: "Export XLSX" }), { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("button", { name: "Export XLSX" })).toBeNull());
    fireEvent.click(screen.getByRole("button", { name: "Saved reports" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Save as…", hidden: true }));
    fireEvent.change(await screen.findByRole("textbox", { name: "Name" }), { target: { value: "  Payroll  " } });
    fireEvent.click(await screen.findByRole("button", { name: "Save", hidden: true }));
    await screen.findByText("Saved as “Payroll”.");
    expect(store.saved).toEqual([
      {
        name: "Payroll",
        source: { source: "Merged", tolerance_minutes: 10 },
        options: { rounding: "Nearest15", rounding_scope: "PerSession", night_shifts: "StartDay" },
        format: { format: "Xlsx", hours: "Decimal", sheet_per_employee: true, extra_columns: [] },
      },
    ]);
    // It shows as chosen while the settings are its own; changing one clears that.
    await screen.findByRole("button", { name: "Saved report: Payroll" });
    fireEvent.click(screen.getByText("TimeClock 365"));
    fireEvent.click(screen.getByText("h:mm"));
    await screen.findByRole("button", { name: "Saved reports" });
    expect(asked[asked.length - 1]).toEqual({ source: "TimeClock", tolerance_minutes: 10 });
    // Choosing it sets everything back: source, tolerance, rounding, hours and the export format.
    fireEvent.click(screen.getByRole("button", { name: "Saved reports" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Payroll", hidden: true }));
    await waitFor(() => expect((screen.getByRole("radio", { name: "Merged" }) as HTMLInputElement).checked).toBe(true));
    expect((screen.getByRole("textbox", { name: "Tolerance (minutes)" }) as HTMLInputElement).value).toBe("10");
    expect((screen.getByRole("textbox", { name: "Rounding" }) as HTMLInputElement).value).toBe("Nearest 15 min");
    expect((screen.getByRole("radio", { name: "decimal" }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Export…" }));
    expect(await screen.findByRole("button", { name: "Export XLSX" })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole("button", { name: "Export XLSX" }), { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("button", { name: "Export XLSX" })).toBeNull());
    // Deleted, it is gone from the profile.
    fireEvent.click(await screen.findByRole("button", { name: "Saved report: Payroll" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Delete the saved report Payroll", hidden: true }));
    await screen.findByText("Deleted “Payroll”.");
    expect(store.saved).toEqual([]);
  }, 20_000);
});

describe("corrections from the report", () => {
  it("opens a flagged day from the attention list, adds the missing clocking pre-filled, and the day leaves the list", async () => {
    let fixed = false;
    const submitted: ClockingEntryInput[] = [];
    const refreshes: boolean[] = [];
    const merged = (): Report => {
      const report = reportFor({ source: "Merged", tolerance_minutes: 5 });
      // 1002: TimeClock 365 08:00–16:00, Protime only the in-clocking until the fix arrives.
      report.rows = report.rows.map((r) =>
        r.employee_number !== "1002" ? r : { ...r, name: null, worked_minutes: 480, difference_minutes: fixed ? 0 : 480, outside_tolerance: !fixed, protime: { ...r.protime!, present_minutes: fixed ? 480 : 0 } },
      );
      return report;
    };
    const backend = {
      timesheetReport: async () => merged(),
      timesheetSuggestPath: async () => "/home/hr/Downloads/t.csv",
      protimeTotalsStatus: async () => ({ window_from: "2026-03-02", window_to: "2026-03-08", last_synced: "2026-03-09T08:00:00Z", rows: 14, load_in_progress: false }),
      protimeTotalsRefresh: async (_period: unknown, force: boolean) => {
        refreshes.push(force);
        return { window_from: "2026-03-02", window_to: "2026-03-08", last_synced: "2026-03-09T09:00:00Z", rows: 14, load_in_progress: false };
      },
      listPeople: async () => [{ id: 76502, name: "Eitan Levi", employee_number: "01002", badge_number: "1903", email: null }],
      listReasons: async () => [],
      activityLevels: async () => [],
      clockingDay: async (entry: ClockingEntryInput) => ({
        clockings: [
          { id: 11, time_text: "08:00", kind: "InOut", reason_id: null, generated: false },
          ...(fixed ? [{ id: 12, time_text: "16:00", kind: "InOut", reason_id: null, generated: false }] : []),
        ],
        identical: entry.time === "16:00" && fixed ? [12] : [],
        period_closing_date: null,
      }),
      clockingPreview: async (draft: ClockingEntryInput) => ({ issues: [], body: JSON.stringify(draft), time_description: null, extended_range_note: null, min_minutes: -1440, max_minutes: 2880 }),
      submitClocking: async (draft: ClockingEntryInput) => {
        submitted.push(draft);
        fixed = true;
        return { id: 1, client_id: "c", tenant: "t", profile_id: "p", draft, time_text: "16:00", status: "Sent", remote_id: 12, attempts: 1, message: null, reasons: [], created_at: "", updated_at: "", sent_at: "", checking_until: null };
      },
    } as unknown as Backend;
    renderScreen(backend);
    fireEvent.click(await screen.findByText("Merged"));
    // Protime's name shows for the zero-padded number, and the day is on the list.
    const tab = await screen.findByRole("tab", { name: "Needs attention (1)" });
    fireEvent.click(tab);
    const list = await screen.findByRole("table", { name: "Days that need attention" });
    expect(within(list).getByText("Eitan Levi")).toBeTruthy();
    expect(within(list).getByText("Beyond tolerance")).toBeTruthy();
    fireEvent.click(within(list).getByRole("button", { name: "Fix the day of 1002 on 2026-03-02" }));
    // The day detail: Protime's one clocking beside TimeClock 365's session, and why they differ.
    const protime = await screen.findByRole("list", { name: "Protime clockings of the day" });
    expect(protime.textContent).toContain("08:00");
    const why = await screen.findByTestId("day-why");
    expect(why.textContent).toContain("an odd number: an in or an out is missing");
    expect(why.textContent).toContain("TimeClock 365 punched at 16:00");
    expect(screen.getByText("TimeClock 365 suggests 16:00")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Add clocking" }));
    // The form opens pre-filled: person, date, time and In/Out.
    const time = (await screen.findByRole("textbox", { name: /^Time/ })) as HTMLInputElement;
    expect(time.value).toBe("16:00");
    const send = await screen.findByRole("button", { name: "Submit clocking" });
    await waitFor(() => expect((send as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(send);
    await waitFor(() => expect(submitted).toHaveLength(1));
    expect(submitted[0]).toMatchObject({ person: { by: "Id", id: "76502" }, date: "2026-03-02", time: "16:00", day: "SameDay", kind: "InOut" });
    // Sent: the Protime totals are pulled again, and the fixed day leaves the list.
    await waitFor(() => expect(refreshes).toEqual([true]));
    await screen.findByRole("tab", { name: "Needs attention (0)" });
    await waitFor(() => expect(screen.getByTestId("day-difference").textContent).toBe("0:00"));
    expect((await screen.findByRole("list", { name: "Protime clockings of the day" })).textContent).toContain("16:00");
  }, 30_000);
});
