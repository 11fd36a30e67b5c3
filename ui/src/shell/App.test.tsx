import { act, render, screen, fireEvent, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "./App";
import i18n from "../i18n";
import { BackendError, type Backend, type ProfileView } from "../backend";
import { filterTree, formOf, formProblems, matchesDefinition } from "../features/activities/model";
import { accessItem, fakeBackend, okStatus, sandboxView } from "./fakeBackend";

describe("app shell", () => {
  it("shows both systems connected and the profile", async () => {
    render(<App backend={fakeBackend()} />);
    expect(await screen.findByRole("status", { name: "Protime: Connected" })).toBeTruthy();
    expect(await screen.findByRole("status", { name: "TimeClock 365: Connected" })).toBeTruthy();
    expect((await screen.findAllByText("Sandbox")).length).toBeGreaterThan(0);
    // The counts are said in the window's language (with plurals), not in Rust's English summary.
    expect(screen.getByText("60 employees · 1 session today")).toBeTruthy();
    try {
      await act(() => i18n.changeLanguage("he"));
      expect(await screen.findByText("50 אנשים")).toBeTruthy();
      expect(screen.getByText("60 עובדים · משמרת אחת היום")).toBeTruthy();
    } finally {
      await act(() => i18n.changeLanguage("en"));
    }
  });

  it("shows a failed system in red with its message", async () => {
    const failing = fakeBackend({
      connectionStatus: async () => ({
        ...okStatus,
        timeclock: {
          ok: false,
          summary: "TimeClock 365 refused the API key",
          figures: null,
          latency_ms: 1,
          error: { code: "Unauthorized", message: "TimeClock 365 refused the API key", reasons: [] },
        },
      }),
    });
    render(<App backend={failing} />);
    const bad = await screen.findByRole("status", { name: "TimeClock 365: Not connected" });
    expect(bad.getAttribute("data-state")).toBe("error");
  });

  it("changes the form with the kind and previews what will be sent", async () => {
    render(<App backend={fakeBackend()} />);
    await screen.findByRole("form", { name: "Manual clocking" });
    expect(screen.queryByRole("textbox", { name: "Reason" })).toBeNull();
    fireEvent.click(screen.getByText("Reason"));
    expect(await screen.findByText("Send it as open (isOpen)")).toBeTruthy();
    fireEvent.click(screen.getByText("Activity"));
    expect(screen.queryByText("Send it as open (isOpen)")).toBeNull();
    expect(await screen.findByText("Activities, one per level")).toBeTruthy();
    const time = screen.getByRole("textbox", { name: /^Time/ });
    fireEvent.change(time, { target: { value: "25:00" } });
    expect((await screen.findAllByText("'25:00' is not a time of day")).length).toBeGreaterThan(0);
    expect((screen.getByRole("button", { name: "Submit clocking" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("turns a backend error into an alert", async () => {
    const broken = fakeBackend({
      listPeople: async () => {
        throw new BackendError({ code: "Network", message: "Could not connect to Protime", reasons: ["offline"] });
      },
    });
    render(<App backend={broken} />);
    const alert = await screen.findByRole("alert", {}, { timeout: 5000 });
    expect(alert.textContent).toContain("Could not connect to Protime");
    expect(alert.textContent).toContain("offline");
  });
});

describe("timesheet export", () => {
  it("saves to the suggested file, or to one chosen in the dialog (which may replace it), and offers the folder", async () => {
    const calls: { path: string; replace: boolean; format: string }[] = [];
    const shown: string[] = [];
    const backend = fakeBackend({
      timesheetExport: async (_id, { format, path, replace }) => {
        calls.push({ path, replace, format: format.format });
        return path;
      },
      showExport: async (path) => {
        shown.push(path);
        return null;
      },
    });
    render(<App backend={backend} />);
    fireEvent.click((await screen.findAllByText("Timesheets"))[0]);
    fireEvent.click(await screen.findByRole("button", { name: "Export…" }));
    const saveTo = (await screen.findByRole("textbox", { name: "Save to" })) as HTMLInputElement;
    await screen.findByDisplayValue(/timesheet-.*\.csv$/);
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    const saved = await screen.findByLabelText("Saved file");
    expect(saved.textContent).toMatch(/Downloads\/timesheet-.*\.csv$/);
    expect(calls[0]).toMatchObject({ replace: false, format: "Csv" });
    fireEvent.click(screen.getByRole("button", { name: "Show in folder" }));
    await vi.waitFor(() => expect(shown).toEqual([calls[0].path]));

    fireEvent.click(screen.getByRole("button", { name: "Choose…" }));
    await screen.findByDisplayValue("/home/hr/Payroll/november.csv");
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await vi.waitFor(() => expect(calls[1]).toEqual({ path: "/home/hr/Payroll/november.csv", replace: true, format: "Csv" }));

    // Typing a path never replaces an existing file without the dialog's question.
    fireEvent.change(saveTo, { target: { value: "/home/hr/Payroll/other.csv" } });
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await vi.waitFor(() => expect(calls[2]).toEqual({ path: "/home/hr/Payroll/other.csv", replace: false, format: "Csv" }));
  });
});

describe("activities screen", () => {
  it("shows the tree, the detail panel with usages, and an edit diff before saving", async () => {
    render(<App backend={fakeBackend()} />);
    fireEvent.click((await screen.findAllByText("Activities"))[0]);
    const child = await screen.findByRole("button", { name: "Open Sales" });
    expect(await screen.findByRole("button", { name: "Open Acme Belgium" })).toBeTruthy();
    fireEvent.click(child);
    const details = await screen.findByRole("region", { name: "Definition details" });
    expect(await within(details).findByText("d1-ext")).toBeTruthy();
    expect(await screen.findByRole("table", { name: "Usages" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Edit" }));
    const parent = await screen.findByRole("textbox", { name: "Parent Company" });
    expect((parent as HTMLInputElement).readOnly).toBe(true);
    const editor = screen.getByRole("form", { name: "Edit Sales" });
    fireEvent.change(within(editor).getByRole("textbox", { name: "Info" }), { target: { value: "" } });
    fireEvent.click(within(editor).getByRole("button", { name: "Review changes" }));
    expect(await screen.findByRole("table", { name: "Changes" })).toBeTruthy();
  });

  it("says in words which usage a write saved", async () => {
    render(<App backend={fakeBackend()} />);
    fireEvent.click((await screen.findAllByText("Activities"))[0]);
    fireEvent.click(await screen.findByRole("button", { name: "Open Sales" }));
    const usages = await screen.findByRole("table", { name: "Usages" });
    // Names come with the people list; wait for it so the confirmation can name the person.
    await within(usages).findByText(/Lotte Peeters/);
    fireEvent.click(screen.getByRole("button", { name: /^Delete the usage from 2025-01-01/ }));
    const done = await screen.findByRole("status", { name: /Saved in Protime/ });
    expect(done.textContent).toContain("Usage deleted: Person Lotte Peeters (from 2025-01-01).");
  });

  it("lists CSV problems by line and column", async () => {
    render(<App backend={fakeBackend()} />);
    fireEvent.click((await screen.findAllByText("Activities"))[0]);
    const area = await screen.findByRole("textbox", { name: "Or paste the definitions CSV" });
    fireEvent.change(area, { target: { value: "externalReference,name\nX,\n" } });
    const table = await screen.findByRole("table", { name: "Problems in the definitions file" });
    expect(table.textContent).toContain("The name is required");
  });
});

describe("timesheets screen", () => {
  it("exports a PDF in the hours format shown", async () => {
    const formats: Parameters<Backend["timesheetExport"]>[1]["format"][] = [];
    const backend = fakeBackend({
      timesheetExport: async (_id, { format, path }) => {
        formats.push(format);
        return path;
      },
    });
    render(<App backend={backend} />);
    fireEvent.click((await screen.findAllByText("Timesheets"))[0]);
    fireEvent.click(await screen.findByRole("button", { name: "Export…" }));
    fireEvent.click(await screen.findByText("PDF"));
    await screen.findByDisplayValue(/timesheet-.*\.pdf$/);
    fireEvent.click(await screen.findByRole("button", { name: "Export PDF" }));
    expect(await screen.findByRole("status", { name: "Export saved" })).toBeTruthy();
    expect(formats).toEqual([{ format: "Pdf", hours: "HoursMinutes", extra_columns: [] }]);
  });
});

describe("activity helpers", () => {
  const row = {
    id: "a",
    level: 1,
    name: "Cleaning",
    translations: { nl: "Schoonmaken" },
    parent_id: null,
    short_code: null,
    data_entry_code: "00026",
    external_reference: "CLEAN",
    info: null,
    active_from: null,
    active_until: null,
    active: true,
  };
  it("searches names, codes and translations; filters the tree keeping ancestors", () => {
    expect(matchesDefinition(row, "schoon")).toBe(true);
    expect(matchesDefinition(row, "0002")).toBe(true);
    expect(matchesDefinition(row, "sales")).toBe(false);
    const child = { ...row, id: "b", name: "Sales", parent_id: "a", data_entry_code: "1", external_reference: "S", translations: {} };
    const tree = filterTree([{ depth: 0, row }, { depth: 1, row: child }], "sales");
    expect(tree.map((r) => r.row.id)).toEqual(["a", "b"]);
  });
  it("checks a form before asking Rust", () => {
    const f = { ...formOf(row), active_from: "2025-02-01", active_until: "2025-01-01", external_reference: "X".repeat(17) };
    expect(formProblems(f, true)).toEqual(["external_reference", "active_until", "parent_id"]);
    expect(formProblems(formOf(row), false)).toEqual([]);
  });
});

describe("settings, access clockings and audit log", () => {
  it("tests a profile and explains a missing scope with granted and requested scopes", async () => {
    const backend = fakeBackend({
      testConnection: async () => ({
        profile_id: "sandbox",
        protime: {
          ok: false,
          message: "Protime granted fewer scopes than requested.",
          problem: {
            kind: "MissingScope",
            requested: ["a.read", "b.read"],
            granted: ["a.read"],
            missing: ["b.read"],
          },
          latency_ms: 2,
        },
        timeclock: { ok: false, message: "TimeClock 365 refused the API key.", problem: { kind: "KeyRefused" }, latency_ms: 1 },
        checked_at: "2026-11-22T10:00:00Z",
      }),
    });
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("link", { name: "Settings" }));
    fireEvent.click(await screen.findByRole("button", { name: "Test connection of Sandbox" }));
    expect(await screen.findByText("Missing scope")).toBeTruthy();
    expect(screen.getByText("API key refused")).toBeTruthy();
    expect(screen.getByRole("table", { name: "Scopes" }).textContent).toContain("b.read");
    expect(screen.queryByRole("button", { name: "Delete Sandbox" })).toBeNull();
  });

  it("adds a profile: the secrets typed go to Rust once and are never shown", async () => {
    const saved: unknown[] = [];
    const backend = fakeBackend({
      saveProfile: async (input) => {
        saved.push(input);
        return { ...sandboxView.settings, id: "local", name: input.name };
      },
    });
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("link", { name: "Settings" }));
    fireEvent.click(await screen.findByRole("button", { name: "Add profile" }));
    fireEvent.change(await screen.findByLabelText("Profile name"), { target: { value: "Local" } });
    fireEvent.click(screen.getByText("Custom URLs"));
    fireEvent.change(screen.getByLabelText("Protime API address"), {
      target: { value: "http://127.0.0.1:9/connector/protimeapi/api/v1/" },
    });
    fireEvent.change(screen.getByLabelText("Protime token address"), {
      target: { value: "http://127.0.0.1:9/tenants/sandbox/connect/token" },
    });
    fireEvent.change(screen.getByLabelText("Client id"), { target: { value: "timebridge-sandbox" } });
    fireEvent.change(screen.getByLabelText("Client secret"), { target: { value: "sandbox-secret" } });
    fireEvent.change(screen.getByLabelText("TimeClock 365 API key"), { target: { value: "sandbox-key" } });
    // Scopes, endpoint and structure versions wait under "Advanced settings", closed for a new profile.
    const advanced = screen.getByRole("button", { name: /Advanced settings/ });
    expect(advanced.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(advanced);
    expect(advanced.getAttribute("aria-expanded")).toBe("true");
    fireEvent.click(await screen.findByRole("button", { name: "Add structure version" }));
    fireEvent.change(screen.getByLabelText("Version id"), { target: { value: "b2347a7a-d60d-446f-b03b-7e52cc8c3281" } });
    fireEvent.change(screen.getByLabelText("In force from"), { target: { value: "2027-01-01" } });
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));
    await screen.findByRole("button", { name: "Add profile" });
    await new Promise((r) => setTimeout(r, 50));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      id: null,
      name: "Local",
      protime: { kind: "Custom", token_url: "http://127.0.0.1:9/tenants/sandbox/connect/token" },
      client_id: "timebridge-sandbox",
      client_secret: "sandbox-secret",
      api_key: "sandbox-key",
      structure_versions: [
        { id: "b2347a7a-d60d-446f-b03b-7e52cc8c3281", name: "b2347a7a-d60d-446f-b03b-7e52cc8c3281", level_names: [], valid_from: "2027-01-01" },
      ],
    });
    await waitFor(() => expect(screen.queryByRole("form", { name: "New profile" })).toBeNull());
  });

  it("asks what happens to unsent clockings before a profile is deleted, and passes the choice on", async () => {
    const work: ProfileView = {
      ...sandboxView,
      settings: { ...sandboxView.settings, id: "work", name: "Work", protime: { kind: "Production", tenant: "acme" } },
      is_builtin: false,
      is_active: false,
    };
    const choices: (string | null)[] = [];
    const backend = fakeBackend({
      listProfiles: async () => [sandboxView, work],
      deleteProfile: async (_id, unsent) => {
        choices.push(unsent);
        if (!unsent) {
          throw new BackendError({ code: "UnsentClockings", message: "3 clocking(s) have not reached Protime yet", reasons: ["3"] });
        }
        return null;
      },
    });
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("link", { name: "Settings" }));
    fireEvent.click(await screen.findByRole("button", { name: "Delete Work" }));
    fireEvent.click(within(await screen.findByRole("dialog", { name: "Delete profile" })).getByRole("button", { name: "Delete profile" }));
    const ask = await screen.findByRole("dialog", { name: "Unsent clockings" });
    expect(ask.textContent).toContain("3 clocking(s) of this profile have not reached its Protime tenant yet");
    fireEvent.click(within(ask).getByRole("button", { name: "Keep them waiting" }));
    await waitFor(() => expect(choices).toEqual([null, "KeepWaiting"]));
  });

  it("says until when an uncertain clocking is checked, and Retry does not resend it", async () => {
    const unsure = {
      id: 9,
      client_id: "c9",
      tenant: "built-in sandbox",
      profile_id: "sandbox",
      draft: { person: { by: "Id" as const, id: "1" }, date: "2026-11-30", time_of_day_in_minutes: 480, kind: "InOut" as const, reason: null, is_open: null, activity_levels: [], terminal: null, latitude: null, longitude: null },
      time_text: "08:00",
      status: "Unknown" as const,
      remote_id: null,
      attempts: 1,
      message: "timed out",
      reasons: [],
      created_at: "2026-11-30T08:00:00Z",
      updated_at: "2026-11-30T08:00:00Z",
      sent_at: null,
      checking_until: "2026-11-30T08:01:30Z",
    };
    const local = new Date("2026-11-30T08:01:30Z");
    const clock = `${String(local.getHours()).padStart(2, "0")}:${String(local.getMinutes()).padStart(2, "0")}`;
    render(<App backend={fakeBackend({ outboxRecent: async () => [unsure], outboxRetry: async () => unsure })} />);
    fireEvent.click(await screen.findByRole("link", { name: "Clockings" }));
    await waitFor(() => expect(document.body.textContent).toContain(`Checking Protime until ${clock}`));
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(document.body.textContent).toContain(`Timebridge is checking until ${clock}`));
  });

  it("looks up an access clocking and explains the older unknown-badge status", async () => {
    render(<App backend={fakeBackend()} />);
    fireEvent.click(await screen.findByRole("link", { name: "Access clockings" }));
    const idBox = await screen.findByRole("textbox", { name: "Access clocking id" });
    expect((idBox as HTMLInputElement).value).toBe("");
    fireEvent.change(idBox, { target: { value: "1234" } });
    fireEvent.click(await screen.findByRole("button", { name: "Look up" }));
    const result = await screen.findByRole("table", { name: "Access clocking" });
    expect(result.textContent).toContain("UnknownBadge");
    expect(result.textContent).toContain("Badge was unknown at the time of clocking");
    expect(result.textContent).toContain("none (badge unknown)");
  });

  it("says plainly when no access clocking has the id, and names people", async () => {
    const backend = fakeBackend({
      accessClocking: async (id) => {
        if (id === 99) throw new BackendError({ code: "NotFound", message: "No access clocking 99", reasons: [] });
        return { ...accessItem, id, person_id: 1, status: "AccessOk", status_kind: "AccessOk" };
      },
    });
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("link", { name: "Access clockings" }));
    const idBox = await screen.findByRole("textbox", { name: "Access clocking id" });
    fireEvent.change(idBox, { target: { value: "99" } });
    fireEvent.click(screen.getByRole("button", { name: "Look up" }));
    expect(await screen.findByText(/^No access clocking with id 99\./)).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
    fireEvent.change(idBox, { target: { value: "7" } });
    fireEvent.click(screen.getByRole("button", { name: "Look up" }));
    const result = await screen.findByRole("table", { name: "Access clocking" });
    await waitFor(() => expect(result.textContent).toContain("Lotte Peeters (1)"));
  });

  it("lists audit entries with their outcome and created id", async () => {
    const backend = fakeBackend({
      auditLog: async () => [
        {
          id: 1,
          at: "2026-11-22T10:00:00.000Z",
          profile_id: "sandbox",
          tenant: "sandbox",
          action: "Create clocking",
          request: 'POST /clockings {"kind":"InOut"}',
          outcome: "Created",
          remote_id: "1000",
          message: null,
        },
      ],
    });
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("link", { name: "Audit log" }));
    const table = await screen.findByRole("table", { name: "Audit entries" });
    expect(table.textContent).toContain("1000");
    expect(table.textContent).toContain("POST /clockings");
    fireEvent.click(screen.getByRole("button", { name: "Save CSV to Downloads" }));
    expect((await screen.findByRole("status", { name: "CSV saved" })).textContent).toContain("timebridge-audit.csv");
  });
});
