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
export type Totals = bindings.Totals;
export type ReportOptions = bindings.ReportOptions;
export type ExportFormat = bindings.ExportFormat;
export type ExportStage = bindings.ExportStage;
export type SourceOptions = bindings.SourceOptions;
export type ReportSource = bindings.ReportSource;
export type CacheStatus = bindings.CacheStatus_Serialize;
export type PeopleMatching = bindings.PeopleMatching_Serialize;
export type PersonMatch = bindings.PersonMatch_Serialize;
// Activity definition admin.
export type StructureInfo = bindings.StructureInfo;
export type LevelInfo = bindings.LevelInfo;
export type DefinitionRow = bindings.DefinitionRow_Serialize;
export type TreeRow = bindings.TreeRow_Serialize;
export type DefinitionDetail = bindings.DefinitionDetail_Serialize;
export type DefinitionForm = bindings.DefinitionForm;
export type FieldChange = bindings.FieldChange;
export type UsageRow = bindings.UsageRow_Serialize;
/** A usage row as Rust accepts it back (the stored period of an edit or delete). */
export type UsageRowInput = bindings.UsageRow_Deserialize;
export type UsageForm = bindings.UsageForm;
export type RestrictionRow = bindings.RestrictionRow;
export type RestrictionChange = bindings.RestrictionChange;
export type UpsertOutcome = bindings.UpsertOutcome_Serialize;
export type MoveOutcome = bindings.MoveOutcome;
export type CsvPlan = bindings.CsvPlan;
export type UpsertReport = bindings.UpsertReport;
export type ProfileView = bindings.ProfileView;
export type ProfileSettings = bindings.ProfileSettings;
export type ProfileInput = bindings.ProfileInput_Deserialize;
export type ConnectionTest = bindings.ConnectionTest_Serialize;
export type SystemTest = bindings.SystemTest_Serialize;
export type ConnectionProblem = bindings.ConnectionProblem;
export type AccessClockingView = bindings.AccessClockingView_Serialize;
export type AuditEntry = bindings.AuditEntry_Serialize;
export type AuditFilter = bindings.AuditFilter_Deserialize;
export type UnsentChoice = bindings.UnsentChoice;
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
  /** `sendAgain`: the user confirmed sending a clocking identical to one submitted in the last minute. */
  submitClocking(draft: ClockingDraftInput, confirmed: boolean, sendAgain: boolean): Promise<OutboxItem>;
  outboxRecent(): Promise<OutboxItem[]>;
  outboxCounts(): Promise<bindings.OutboxCounts>;
  outboxRetry(id: number, confirmed: boolean): Promise<OutboxItem>;
  outboxDiscard(id: number): Promise<void>;
  listReasons(): Promise<ReasonOption[]>;
  activityLevels(date: string, personId: string | null, choices: bindings.ActivityChoice[]): Promise<LevelOptions[]>;
  importCheck(text: string): Promise<ImportPlan>;
  /** The report, as task `taskId` (cancellable with `cancelTask`). */
  timesheetReport(taskId: string, from: string, to: string, options: ReportOptions, source: SourceOptions): Promise<Report>;
  /** Writes the export to `path` as task `taskId`; `replace` lets it overwrite. Returns the file's path. */
  timesheetExport(
    taskId: string,
    from: string,
    to: string,
    options: ReportOptions,
    format: ExportFormat,
    source: SourceOptions,
    path: string,
    replace: boolean,
  ): Promise<string>;
  /** A free file name in Downloads for the export. */
  timesheetSuggestPath(from: string, to: string, format: ExportFormat): Promise<string>;
  /** The native save dialog; null when the user cancels it. */
  timesheetChoosePath(suggested: string, format: ExportFormat): Promise<string | null>;
  taskStage(taskId: string): Promise<ExportStage | null>;
  cancelTask(taskId: string): Promise<boolean>;
  /** Shows a file exported in this session in the file manager. */
  showExport(path: string): Promise<void>;
  /** When the Protime totals of the period were last synced (fetches nothing). */
  protimeTotalsStatus(from: string, to: string): Promise<CacheStatus>;
  /** Syncs the Protime totals of the period: always with `force`, else only when older than 5 minutes. */
  protimeTotalsRefresh(from: string, to: string, force: boolean): Promise<CacheStatus>;
  activityStructures(): Promise<StructureInfo[]>;
  activityTree(structureVersion: string, levels: number[], date: string): Promise<TreeRow[]>;
  activityList(structureVersion: string, level: number, date: string): Promise<DefinitionRow[]>;
  activityDetail(structureVersion: string, level: number, id: string, date: string): Promise<DefinitionDetail>;
  activityCreate(structureVersion: string, level: number, form: DefinitionForm, confirmed: boolean): Promise<string>;
  activityEditPreview(structureVersion: string, level: number, id: string, form: DefinitionForm): Promise<FieldChange[]>;
  activityEdit(structureVersion: string, level: number, id: string, form: DefinitionForm, confirmed: boolean): Promise<FieldChange[]>;
  activityUpsert(
    structureVersion: string,
    level: number,
    referenceName: string,
    referenceValue: string,
    form: DefinitionForm,
    confirmed: boolean,
  ): Promise<UpsertOutcome>;
  activityDeactivate(structureVersion: string, level: number, id: string, until: string, confirmed: boolean): Promise<FieldChange[]>;
  activityMove(structureVersion: string, level: number, id: string, endOldOn: string, form: DefinitionForm, confirmed: boolean): Promise<MoveOutcome>;
  activityUsageAdd(structureVersion: string, level: number, id: string, form: UsageForm, confirmed: boolean): Promise<UsageRow[]>;
  activityUsageUpdate(structureVersion: string, level: number, id: string, original: UsageRowInput, form: UsageForm, confirmed: boolean): Promise<UsageRow[]>;
  activityUsageDelete(structureVersion: string, level: number, id: string, original: UsageRowInput, confirmed: boolean): Promise<UsageRow[]>;
  activityRestrictionsPreview(
    structureVersion: string,
    level: number,
    id: string,
    levels: number[],
    proposed: RestrictionRow[][],
  ): Promise<RestrictionChange[]>;
  activityRestrictionsSave(
    structureVersion: string,
    level: number,
    id: string,
    levels: number[],
    proposed: RestrictionRow[][],
    confirmed: boolean,
  ): Promise<RestrictionChange[]>;
  /** Custom external reference names remembered for the active profile. */
  referenceNames(): Promise<string[]>;
  referenceNameRemember(name: string): Promise<string[]>;
  activitiesImportCheck(text: string): Promise<CsvPlan>;
  activitiesImportSend(structureVersion: string, level: number, text: string, confirmed: boolean): Promise<UpsertReport>;
  importSend(text: string, confirmed: boolean): Promise<ImportedRow[]>;
  listProfiles(): Promise<ProfileView[]>;
  /** `unsent`: what to do with unsent clockings of the profile's old tenant, once the user chose. */
  saveProfile(input: ProfileInput, unsent?: UnsentChoice): Promise<ProfileSettings>;
  duplicateProfile(id: string): Promise<ProfileSettings>;
  deleteProfile(id: string, unsent?: UnsentChoice): Promise<void>;
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
  submitClocking: (draft, confirmed, sendAgain) => unwrap(commands.submitClocking(draft, confirmed, sendAgain)),
  outboxRecent: () => unwrap(commands.outboxRecent()),
  outboxCounts: () => unwrap(commands.outboxCounts()),
  outboxRetry: (id, confirmed) => unwrap(commands.outboxRetry(id, confirmed)),
  outboxDiscard: async (id) => {
    await unwrap(commands.outboxDiscard(id));
  },
  listReasons: () => unwrap(commands.listReasons()),
  activityLevels: (date, personId, choices) => unwrap(commands.activityLevels(date, personId, choices)),
  importCheck: (text) => plain(commands.clockingsImportCheck(text)),
  timesheetReport: (taskId, from, to, options, source) => unwrap(commands.timesheetReport(taskId, from, to, options, source)),
  timesheetExport: (taskId, from, to, options, format, source, path, replace) =>
    unwrap(commands.timesheetExport(taskId, from, to, options, format, source, path, replace)),
  timesheetSuggestPath: (from, to, format) => unwrap(commands.timesheetSuggestPath(from, to, format)),
  timesheetChoosePath: (suggested, format) => unwrap(commands.timesheetChoosePath(suggested, format)),
  taskStage: (taskId) => plain(commands.taskStage(taskId)),
  cancelTask: (taskId) => plain(commands.cancelTask(taskId)),
  showExport: async (path) => {
    await unwrap(commands.showExport(path));
  },
  protimeTotalsStatus: (from, to) => unwrap(commands.protimeTotalsStatus(from, to)),
  protimeTotalsRefresh: (from, to, force) => unwrap(commands.protimeTotalsRefresh(from, to, force)),
  activityStructures: () => unwrap(commands.activityStructures()),
  activityTree: (sv, levels, date) => unwrap(commands.activityTree(sv, levels, date)),
  activityList: (sv, level, date) => unwrap(commands.activityList(sv, level, date)),
  activityDetail: (sv, level, id, date) => unwrap(commands.activityDetail(sv, level, id, date)),
  activityCreate: (sv, level, form, confirmed) => unwrap(commands.activityCreate(sv, level, form, confirmed)),
  activityEditPreview: (sv, level, id, form) => unwrap(commands.activityEditPreview(sv, level, id, form)),
  activityEdit: (sv, level, id, form, confirmed) => unwrap(commands.activityEdit(sv, level, id, form, confirmed)),
  activityUpsert: (sv, level, name, value, form, confirmed) => unwrap(commands.activityUpsert(sv, level, name, value, form, confirmed)),
  activityDeactivate: (sv, level, id, until, confirmed) => unwrap(commands.activityDeactivate(sv, level, id, until, confirmed)),
  activityMove: (sv, level, id, endOldOn, form, confirmed) => unwrap(commands.activityMove(sv, level, id, endOldOn, form, confirmed)),
  activityUsageAdd: (sv, level, id, form, confirmed) => unwrap(commands.activityUsageAdd(sv, level, id, form, confirmed)),
  activityUsageUpdate: (sv, level, id, original, form, confirmed) => unwrap(commands.activityUsageUpdate(sv, level, id, original, form, confirmed)),
  activityUsageDelete: (sv, level, id, original, confirmed) => unwrap(commands.activityUsageDelete(sv, level, id, original, confirmed)),
  activityRestrictionsPreview: (sv, level, id, levels, proposed) =>
    unwrap(commands.activityRestrictionsPreview(sv, level, id, levels, proposed)),
  activityRestrictionsSave: (sv, level, id, levels, proposed, confirmed) =>
    unwrap(commands.activityRestrictionsSave(sv, level, id, levels, proposed, confirmed)),
  referenceNames: () => unwrap(commands.referenceNames()),
  referenceNameRemember: (name) => unwrap(commands.referenceNameRemember(name)),
  activitiesImportCheck: (text) => plain(commands.activitiesImportCheck(text)),
  activitiesImportSend: (sv, level, text, confirmed) => unwrap(commands.activitiesImportSend(sv, level, text, confirmed)),
  importSend: (text, confirmed) => unwrap(commands.clockingsImportSend(text, confirmed)),
  listProfiles: () => unwrap(commands.listProfiles()),
  saveProfile: (input, unsent) => unwrap(commands.saveProfile(input, unsent ?? null)),
  duplicateProfile: (id) => unwrap(commands.duplicateProfile(id)),
  deleteProfile: async (id, unsent) => {
    await unwrap(commands.deleteProfile(id, unsent ?? null));
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
