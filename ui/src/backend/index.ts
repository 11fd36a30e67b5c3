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
}

/** The real backend: Tauri IPC through the generated bindings. */
export const tauriBackend: Backend = {
  appInfo: () => unwrap(commands.appInfo()),
  activeProfile: () => unwrap(commands.activeProfile()),
  connectionStatus: () => unwrap(commands.connectionStatus()),
  listPeople: () => unwrap(commands.listPeople()),
};

export const BackendContext = createContext<Backend>(tauriBackend);

export function useBackend(): Backend {
  return useContext(BackendContext);
}
