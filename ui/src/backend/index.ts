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
export type StatusFigures = bindings.StatusFigures;
export type ClockingDraft = bindings.ClockingDraft_Serialize;
/** What the clocking form sends: the time as typed and its day (optional fields may be left out). */
export type ClockingEntryInput = bindings.ClockingEntry_Deserialize;
export type ClockingPreview = bindings.ClockingPreview_Serialize;
export type OutboxItem = bindings.OutboxItem_Serialize;
/** What Protime holds for a person on a day (the clocking form and the report's day detail). */
export type PersonDay = bindings.PersonDay_Serialize;
export type ExistingClocking = bindings.ExistingClocking_Serialize;
export type UnpairedDay = bindings.UnpairedDay;
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
export type OptionalColumn = bindings.OptionalColumn;
export type ReportPreset = bindings.ReportPreset_Serialize;
export type ReportPresetInput = bindings.ReportPreset_Deserialize;
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
export type ProfileView = bindings.ProfileView_Serialize;
export type ProfileSettings = bindings.ProfileSettings_Serialize;
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
/** The TimeClock 365 endpoint a new profile starts with: one constant, written in Rust. */
export { DEFAULT_TIMECLOCK_ENDPOINT } from "../bindings";

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
type Commands = typeof commands;
/** A command's value: the `data` of its ok result (the error branch throws), or what it returns. */
type Unwrapped<R> = R extends { status: "ok"; data: infer T } ? T : R extends { status: "error"; error: AppError } ? never : R;

/**
 * The Rust side as screens see it: exactly the generated commands (names, parameters and types come
 * from the bindings, so there is no second list to keep in step), each returning its value and
 * throwing a BackendError when it fails.
 */
export type Backend = {
  [K in keyof Commands]: (...args: Parameters<Commands[K]>) => Promise<Unwrapped<Awaited<ReturnType<Commands[K]>>>>;
};

function isCommandResult(value: unknown): value is CommandResult<unknown> {
  if (typeof value !== "object" || value === null || Object.keys(value).length !== 2) return false;
  const v = value as Record<string, unknown>;
  return (v.status === "ok" && "data" in v) || (v.status === "error" && "error" in v);
}

/**
 * Any failure as a BackendError. Tauri refuses arguments it cannot decode (a date that is not
 * YYYY-MM-DD, say) before the command runs, with a plain string: that is the user's input, so it is
 * a Validation error carrying Tauri's message.
 */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (typeof error === "object" && error !== null && "code" in error && "message" in error) {
    const e = error as AppError;
    return new BackendError({ code: e.code, message: e.message, reasons: e.reasons ?? [] });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BackendError({ code: "Validation", message, reasons: [] });
}

/** The real backend: Tauri IPC through the generated bindings, every command unwrapped. */
export const tauriBackend: Backend = Object.fromEntries(
  Object.entries(commands).map(([name, call]) => [
    name,
    async (...args: unknown[]) => {
      let result: unknown;
      try {
        result = await (call as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (e) {
        throw toBackendError(e);
      }
      if (!isCommandResult(result)) return result;
      if (result.status === "error") throw toBackendError(result.error);
      return result.data;
    },
  ]),
) as Backend;

export const BackendContext = createContext<Backend>(tauriBackend);

export function useBackend(): Backend {
  return useContext(BackendContext);
}
