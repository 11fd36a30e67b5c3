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
export type ProfileView = bindings.ProfileView;
export type ProfileSettings = bindings.ProfileSettings;
export type ProfileInput = bindings.ProfileInput_Deserialize;
export type ConnectionTest = bindings.ConnectionTest_Serialize;
export type SystemTest = bindings.SystemTest_Serialize;
export type ConnectionProblem = bindings.ConnectionProblem;
export type AccessClockingView = bindings.AccessClockingView_Serialize;
export type AuditEntry = bindings.AuditEntry_Serialize;
export type AuditFilter = bindings.AuditFilter_Deserialize;
export type {
  AccessStatusKind,
  ActivityChoice,
  ClockingKind,
  ProtimeTarget,
  StructureVersionConfig,
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
  /** Opens the log folder in the file manager; returns its path. */
  openLogFolder(): Promise<string>;
  connectionStatus(): Promise<ConnectionStatus>;
  listPeople(): Promise<PersonSummary[]>;
  clockingPreview(draft: ClockingDraftInput): Promise<ClockingPreview>;
  /** `confirmed`: the user confirmed this write (required on a production profile). */
  submitClocking(draft: ClockingDraftInput, confirmed: boolean): Promise<OutboxItem>;
  outboxRecent(): Promise<OutboxItem[]>;
  outboxCounts(): Promise<bindings.OutboxCounts>;
  outboxRetry(id: number, confirmed: boolean): Promise<OutboxItem>;
  outboxDiscard(id: number): Promise<void>;
  listReasons(): Promise<ReasonOption[]>;
  activityLevels(date: string, personId: string | null, choices: bindings.ActivityChoice[]): Promise<LevelOptions[]>;
  importCheck(text: string): Promise<ImportPlan>;
  importSend(text: string, confirmed: boolean): Promise<ImportedRow[]>;
  listProfiles(): Promise<ProfileView[]>;
  saveProfile(input: ProfileInput): Promise<ProfileSettings>;
  duplicateProfile(id: string): Promise<ProfileSettings>;
  deleteProfile(id: string): Promise<void>;
  switchProfile(id: string): Promise<ProfileSummary>;
  testConnection(id: string): Promise<ConnectionTest>;
  accessClocking(id: number, withEmployeeNumber: boolean): Promise<AccessClockingView>;
  accessClockings(
    from: string,
    until: string,
    personId: number | null,
    withEmployeeNumber: boolean,
  ): Promise<AccessClockingView[]>;
  auditLog(filter: AuditFilter): Promise<AuditEntry[]>;
  auditCsv(filter: AuditFilter): Promise<string>;
  auditSaveCsv(filter: AuditFilter): Promise<string>;
}

/** Commands that cannot fail return their value directly. */
async function plain<T>(call: Promise<T>): Promise<T> {
  return call;
}

/** The real backend: Tauri IPC through the generated bindings. */
export const tauriBackend: Backend = {
  appInfo: () => unwrap(commands.appInfo()),
  activeProfile: () => unwrap(commands.activeProfile()),
  openLogFolder: () => unwrap(commands.openLogFolder()),
  connectionStatus: () => unwrap(commands.connectionStatus()),
  listPeople: () => unwrap(commands.listPeople()),
  clockingPreview: (draft) => plain(commands.clockingPreview(draft)),
  submitClocking: (draft, confirmed) => unwrap(commands.submitClocking(draft, confirmed)),
  outboxRecent: () => unwrap(commands.outboxRecent()),
  outboxCounts: () => unwrap(commands.outboxCounts()),
  outboxRetry: (id, confirmed) => unwrap(commands.outboxRetry(id, confirmed)),
  outboxDiscard: async (id) => {
    await unwrap(commands.outboxDiscard(id));
  },
  listReasons: () => unwrap(commands.listReasons()),
  activityLevels: (date, personId, choices) => unwrap(commands.activityLevels(date, personId, choices)),
  importCheck: (text) => plain(commands.clockingsImportCheck(text)),
  importSend: (text, confirmed) => unwrap(commands.clockingsImportSend(text, confirmed)),
  listProfiles: () => unwrap(commands.listProfiles()),
  saveProfile: (input) => unwrap(commands.saveProfile(input)),
  duplicateProfile: (id) => unwrap(commands.duplicateProfile(id)),
  deleteProfile: async (id) => {
    await unwrap(commands.deleteProfile(id));
  },
  switchProfile: (id) => unwrap(commands.switchProfile(id)),
  testConnection: (id) => unwrap(commands.testConnection(id)),
  accessClocking: (id, withEmployeeNumber) => unwrap(commands.accessClocking(id, withEmployeeNumber)),
  accessClockings: (from, until, personId, withEmployeeNumber) =>
    unwrap(commands.accessClockings(from, until, personId, withEmployeeNumber)),
  auditLog: (filter) => unwrap(commands.auditLog(filter)),
  auditCsv: (filter) => unwrap(commands.auditCsv(filter)),
  auditSaveCsv: (filter) => unwrap(commands.auditSaveCsv(filter)),
};

export const BackendContext = createContext<Backend>(tauriBackend);

export function useBackend(): Backend {
  return useContext(BackendContext);
}
