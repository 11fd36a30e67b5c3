import type { AccessClockingView, Backend, ConnectionStatus, ProfileView } from "../backend";

// A backend that answers every command with small fixed data, for whole-app tests (App.test.tsx,
// a11y.test.tsx). A test replaces the commands it looks at through `overrides`.

export const okStatus: ConnectionStatus = {
  protime: { ok: true, summary: "50 people", figures: { kind: "Protime", people: 50 }, error: null, latency_ms: 3 },
  timeclock: {
    ok: true,
    summary: "60 employees, 40 sessions today",
    figures: { kind: "TimeClock", employees: 60, sessions_today: 1 },
    error: null,
    latency_ms: 4,
  },
  checked_at: "2026-11-22T10:00:00Z",
};

function activityRow(id: string, level: number, name: string, parent: string | null) {
  return {
    id,
    level,
    name,
    translations: { nl: `${name} (nl)` },
    parent_id: parent,
    short_code: null,
    data_entry_code: `${id}-code`,
    external_reference: `${id}-ext`,
    info: "old",
    active_from: "2024-01-01",
    active_until: null,
    active: true,
  };
}
export const sandboxView: ProfileView = {
  settings: {
    id: "sandbox",
    name: "Sandbox",
    color: "#2f9e44",
    protime: { kind: "BuiltinSandbox" },
    client_id: "timebridge-sandbox",
    scopes: ["connector-protimeapi-people.read"],
    structure_versions: [],
    timeclock_endpoint: "",
    treat_as_production: false,
    timeclock_default_zone: "",
  },
  is_builtin: true,
  is_production: false,
  is_active: true,
  has_client_secret: true,
  has_api_key: true,
};

export const accessItem: AccessClockingView = {
  id: 1234,
  date: "2025-05-02",
  time: "08:01",
  minutes: 481,
  person_id: null,
  employee_number: null,
  terminal_id: 3,
  status: "UnknownBadge",
  status_kind: "UnknownBadge",
  explanation: "Badge was unknown at the time of clocking.",
  change_version: null,
};

export function fakeBackend(overrides: Partial<Backend> = {}): Backend {
  return {
    appInfo: async () => ({
      version: "0.1.0",
      sandbox_url: "http://127.0.0.1:5555",
      secret_store: "in-memory mock",
      log_dir: "/tmp/logs",
    }),
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
    openLogFolder: async () => "/tmp/logs",
    listPeople: async () => [
      { id: 1, name: "Lotte Peeters", employee_number: "1001", badge_number: "1903", email: null },
      { id: 2, name: "נועה כהן", employee_number: "1002", badge_number: "1910", email: null },
    ],
    clockingDay: async () => null,
    unpairedClockingDays: async () => [],
    clockingPreview: async (draft) => ({
      // Rust reads the clock time; this fake answers the one bad time the tests type as Rust would.
      issues: draft.time === "25:00" ? [{ field: "time", message: "'25:00' is not a time of day" }] : [],
      body: JSON.stringify(draft),
      time_description: "08:00 on 14 Feb 2025 → 480 on 14 Feb 2025",
      extended_range_note: null,
      min_minutes: -1440,
      max_minutes: 2880,
    }),
    submitClocking: async () => {
      throw new Error("not used");
    },
    outboxRecent: async () => [],
    outboxCounts: async () => ({ pending: 0, sent: 0, rejected: 0, queued: 0, unknown: 0 }),
    outboxRetry: async () => {
      throw new Error("not used");
    },
    outboxDiscard: async () => null,
    listReasons: async () => [],
    activityLevels: async () => [],
    clockingsImportCheck: async () => ({ rows: [], errors: [{ line: 2, column: "time", message: "bad time" }] }),
    clockingsImportSend: async () => [],
    timesheetReport: async (_id, period, options) => ({
      from: period.from,
      to: period.to,
      options,
      rows: [],
      per_employee: [],
      per_week: [],
      overall: {
        key: "All",
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
      },
      warnings: [],
      source: "TimeClock",
      tolerance_minutes: 5,
      matching: null,
      expected: [],
    }),
    timesheetExport: async (_id, request) => request.path,
    timesheetSuggestPath: async ({ from, to }, format) => `/home/hr/Downloads/timesheet-${from}-to-${to}.${format.format.toLowerCase()}`,
    timesheetChoosePath: async () => "/home/hr/Payroll/november.csv",
    taskStage: async () => "Fetching",
    cancelTask: async () => true,
    showExport: async () => null,
    protimeTotalsStatus: async () => ({ window_from: "2026-01-01", window_to: "2026-01-31", last_synced: null, rows: 0, load_in_progress: false }),
    reportPresets: async () => [],
    reportPresetSave: async (preset) => [{ ...preset, format: { extra_columns: [], ...preset.format } } as Awaited<ReturnType<Backend["reportPresetSave"]>>[number]],
    reportPresetDelete: async () => [],
    protimeTotalsRefresh: async () => ({
      window_from: "2026-01-01",
      window_to: "2026-01-31",
      last_synced: "2026-01-31T10:00:00Z",
      rows: 10,
      load_in_progress: false,
    }),
    activityStructures: async () => [
      {
        id: "sv-1",
        name: "Activities (sandbox)",
        levels: [
          { level: 1, name: "Company" },
          { level: 2, name: "Department" },
        ],
      },
    ],
    activityTree: async () => [
      { depth: 0, row: activityRow("c1", 1, "Acme Belgium", null) },
      { depth: 1, row: activityRow("d1", 2, "Sales", "c1") },
    ],
    activityList: async ({ level }) =>
      level === 1 ? [activityRow("c1", 1, "Acme Belgium", null)] : [activityRow("d1", 2, "Sales", "c1")],
    activityDetail: async ({ id }) => ({
      row: id === "c1" ? activityRow("c1", 1, "Acme Belgium", null) : activityRow("d1", 2, "Sales", "c1"),
      can_configure_restrictions: true,
      usages: [{ kind: "Person", reference: "1", reference_name: null, from: "2025-01-01", until: null }],
      restrictions: [],
    }),
    activityCreate: async () => "new-id",
    activityEditPreview: async () => [{ field: "info", before: "old", after: "" }],
    activityEdit: async () => [{ field: "info", before: "old", after: "" }],
    activityUpsert: async () => ({ created: true, id: "u1" }),
    activityDeactivate: async () => [],
    activityMove: async () => ({ new_id: "m1", ended_on: "2025-01-31" }),
    activityUsageAdd: async () => [],
    activityUsageUpdate: async () => [],
    activityUsageDelete: async () => [],
    activityRestrictionsPreview: async () => [],
    activityRestrictionsSave: async () => [],
    referenceNames: async () => [],
    referenceNameRemember: async (name: string) => [name],
    activitiesImportCheck: async () => ({ rows: [], errors: [{ line: 3, column: "name", message: "The name is required" }] }),
    activitiesImportSend: async () => ({ created: 0, updated: 0, refused: 0, rows: [] }),
    listProfiles: async () => [sandboxView],
    saveProfile: async () => sandboxView.settings,
    duplicateProfile: async () => sandboxView.settings,
    deleteProfile: async () => null,
    switchProfile: async () => {
      throw new Error("not used");
    },
    testConnection: async () => ({
      profile_id: "sandbox",
      protime: { ok: true, message: "50 people", problem: null, latency_ms: 2 },
      timeclock: { ok: true, message: "60 employees", problem: null, latency_ms: 2 },
      checked_at: "2026-11-22T10:00:00Z",
    }),
    accessClocking: async (id) => ({ ...accessItem, id }),
    accessClockings: async () => [accessItem],
    auditLog: async () => [],
    auditCsv: async () => "id,at (UTC)\n",
    auditSaveCsv: async () => "/home/me/Downloads/timebridge-audit.csv",
    ...overrides,
  };
}
