import { render, screen, fireEvent } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { BackendError, type Backend, type ConnectionStatus } from "../backend";
import { matchesPerson } from "../features/clockings/ClockingsScreen";

const okStatus: ConnectionStatus = {
  protime: { ok: true, summary: "50 people", error: null, latency_ms: 3 },
  timeclock: { ok: true, summary: "60 employees, 40 sessions today", error: null, latency_ms: 4 },
  checked_at: "2026-11-22T10:00:00Z",
};

function fakeBackend(overrides: Partial<Backend> = {}): Backend {
  return {
    appInfo: async () => ({ version: "0.1.0", sandbox_url: "http://127.0.0.1:5555" }),
    activeProfile: async () => ({
      id: "sandbox",
      name: "Sandbox",
      color: "#2f9e44",
      is_builtin: true,
      is_production: false,
      protime: { kind: "BuiltinSandbox" },
      timeclock_endpoint: null,
    }),
    connectionStatus: async () => okStatus,
    listPeople: async () => [
      { id: 1, name: "Lotte Peeters", employee_number: "1001", badge_number: "1903", email: null },
      { id: 2, name: "נועה כהן", employee_number: "1002", badge_number: "1910", email: null },
    ],
    clockingPreview: async (draft) => ({
      issues: [],
      body: JSON.stringify(draft),
      time_description: "08:00 on 14 Feb 2025 → 480 on 14 Feb 2025",
      extended_range_note: null,
    }),
    submitClocking: async () => {
      throw new Error("not used");
    },
    outboxRecent: async () => [],
    outboxCounts: async () => ({ pending: 0, sent: 0, rejected: 0, queued: 0, unknown: 0 }),
    outboxRetry: async () => {
      throw new Error("not used");
    },
    outboxDiscard: async () => {},
    listReasons: async () => [],
    activityLevels: async () => [],
    importCheck: async () => ({ rows: [], errors: [{ line: 2, column: "time", message: "bad time" }] }),
    importSend: async () => [],
    timesheetReport: async () => {
      throw new Error("not used");
    },
    timesheetExport: async () => "/tmp/x.csv",
    ...overrides,
  };
}

describe("app shell", () => {
  it("shows both systems connected and the profile", async () => {
    render(<App backend={fakeBackend()} />);
    expect(await screen.findByRole("status", { name: "Protime: Connected" })).toBeTruthy();
    expect(await screen.findByRole("status", { name: "TimeClock 365: Connected" })).toBeTruthy();
    expect((await screen.findAllByText("Sandbox")).length).toBeGreaterThan(0);
  });

  it("shows a failed system in red with its message", async () => {
    const failing = fakeBackend({
      connectionStatus: async () => ({
        ...okStatus,
        timeclock: {
          ok: false,
          summary: "TimeClock 365 refused the API key",
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
    expect(await screen.findByText("The reason stays open")).toBeTruthy();
    fireEvent.click(screen.getByText("Activity"));
    expect(screen.queryByText("The reason stays open")).toBeNull();
    expect(await screen.findByText("Activities, one per level")).toBeTruthy();
    const time = screen.getByRole("textbox", { name: /^Time/ });
    fireEvent.change(time, { target: { value: "25:00" } });
    expect((await screen.findAllByText("Use HH:MM, for example 08:30 (00:00 to 23:59)")).length).toBeGreaterThan(0);
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

describe("person search", () => {
  const p = { id: 7, name: "Wout Maes", employee_number: "01007", badge_number: "1949", email: null };
  it("matches name, employee and badge number, case-insensitively", () => {
    expect(matchesPerson(p, "wout")).toBe(true);
    expect(matchesPerson(p, "01007")).toBe(true);
    expect(matchesPerson(p, "1949")).toBe(true);
    expect(matchesPerson(p, "  ")).toBe(true);
    expect(matchesPerson(p, "peeters")).toBe(false);
  });
});
