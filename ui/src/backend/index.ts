// The only module that talks to the Rust side. Screens get a `Backend` from context (useBackend), so
// component tests can hand them a fake one, and nothing else in the UI imports Tauri or the bindings.
import { createContext, useContext } from "react";
import * as bindings from "../bindings";
import { commands, type AppError, type ErrorCode } from "../bindings";

// What Rust sends is the `_Serialize` shape of each type (optional fields always present, as null).
export type AppInfo = bindings.AppInfo_Serialize;
export type ConnectionStatus = bindings.ConnectionStatus_Serialize;
export type PersonSummary = bindings.PersonSummary_Serialize;
export type ProfileSummary = bindings.ProfileSummary_Serialize;
export type SystemStatus = bindings.SystemStatus_Serialize;
export type ClockingDraft = bindings.ClockingDraft_Serialize;
/** What Rust accepts as a draft (optional fields may be left out). */
export type ClockingDraftInput = bindings.ClockingDraft_Deserialize;
export type ClockingPreview = bindings.ClockingPreview_Serialize;
export type OutboxItem = bindings.OutboxItem_Serialize;
export type ReasonOption = bindings.ReasonOption_Serialize;
export type LevelOptions = bindings.LevelOptions_Serialize;
export type ImportPlan = bindings.ImportPlan_Serialize;
export type ImportedRow = bindings.ImportedRow_Serialize;
export type Report = bindings.Report_Serialize;
export type DayRow = bindings.DayRow_Serialize;
export type ReportOptions = bindings.ReportOptions;
export type ExportFormat = bindings.ExportFormat;
export type {
  ActivityChoice,
  ClockingKind,
  OutboxCounts,
  OutboxStatus,
  Reference,
} from "../bindings";
export type { AppError, ErrorCode };

/** A typed failure from the backend: branch on `code`, show `message` (and `reasons`). */
export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly reasons: string[];
  constructor(error: AppError) {
    super(error.message);
    this.name = "BackendError";
    this.code = error.code;
    this.reasons = error.reasons;
  }
}

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

async function unwrap<T>(call: Promise<CommandResult<T>>): Promise<T> {
  const result = await call;
  if (result.status === "error") throw new BackendError(result.error);
  return result.data;
}

export interface Backend {
  appInfo(): Promise<AppInfo>;
  activeProfile(): Promise<ProfileSummary>;
  connectionStatus(): Promise<ConnectionStatus>;
  listPeople(): Promise<PersonSummary[]>;
  clockingPreview(draft: ClockingDraftInput): Promise<ClockingPreview>;
  submitClocking(draft: ClockingDraftInput): Promise<OutboxItem>;
  outboxRecent(): Promise<OutboxItem[]>;
  outboxCounts(): Promise<bindings.OutboxCounts>;
  outboxRetry(id: number): Promise<OutboxItem>;
  outboxDiscard(id: number): Promise<void>;
  listReasons(): Promise<ReasonOption[]>;
  activityLevels(date: string, personId: string | null, choices: bindings.ActivityChoice[]): Promise<LevelOptions[]>;
  importCheck(text: string): Promise<ImportPlan>;
  importSend(text: string): Promise<ImportedRow[]>;
  timesheetReport(from: string, to: string, options: ReportOptions): Promise<Report>;
  /** Writes a CSV or XLSX into Downloads; returns the file's path. */
  timesheetExport(from: string, to: string, options: ReportOptions, format: ExportFormat): Promise<string>;
}

/** Commands that cannot fail return their value directly. */
async function plain<T>(call: Promise<T>): Promise<T> {
  return call;
}

/** The real backend: Tauri IPC through the generated bindings. */
export const tauriBackend: Backend = {
  appInfo: () => unwrap(commands.appInfo()),
  activeProfile: () => unwrap(commands.activeProfile()),
  connectionStatus: () => unwrap(commands.connectionStatus()),
  listPeople: () => unwrap(commands.listPeople()),
  clockingPreview: (draft) => plain(commands.clockingPreview(draft)),
  submitClocking: (draft) => unwrap(commands.submitClocking(draft)),
  outboxRecent: () => unwrap(commands.outboxRecent()),
  outboxCounts: () => unwrap(commands.outboxCounts()),
  outboxRetry: (id) => unwrap(commands.outboxRetry(id)),
  outboxDiscard: async (id) => {
    await unwrap(commands.outboxDiscard(id));
  },
  listReasons: () => unwrap(commands.listReasons()),
  activityLevels: (date, personId, choices) => unwrap(commands.activityLevels(date, personId, choices)),
  importCheck: (text) => plain(commands.clockingsImportCheck(text)),
  importSend: (text) => unwrap(commands.clockingsImportSend(text)),
  timesheetReport: (from, to, options) => unwrap(commands.timesheetReport(from, to, options)),
  timesheetExport: (from, to, options, format) => unwrap(commands.timesheetExport(from, to, options, format)),
};

export const BackendContext = createContext<Backend>(tauriBackend);

export function useBackend(): Backend {
  return useContext(BackendContext);
}
