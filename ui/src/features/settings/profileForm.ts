// Pure helpers of the profile form: the form's flat fields ⇄ what Rust stores.
import type { ProfileInput, ProfileSettings, ProtimeTarget, StructureVersionConfig } from "../../backend";
import { DEFAULT_TIMECLOCK_ENDPOINT } from "../../backend";

export type Environment = "Production" | "SandboxEnvironment" | "Custom";

export interface ProfileFields {
  id: string | null;
  name: string;
  /** IANA zone for TimeClock 365 sessions without one; empty = UTC. */
  defaultZone: string;
  color: string;
  environment: Environment;
  tenant: string;
  apiBase: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  structureVersions: VersionRow[];
  timeclockEndpoint: string;
  apiKey: string;
  treatAsProduction: boolean;
}

/** One activity structure version as the form edits it: text as typed, levels as a list. */
export interface VersionRow {
  id: string;
  name: string;
  levels: string[];
  /** `YYYY-MM-DD` or empty ("since before any clocking"): checked by the date field, sent as typed. */
  validFrom: string;
}

export const DEFAULT_SCOPES = [
  "connector-protimeapi-people.read",
  "connector-protimeapi-clockings.read",
  "connector-protimeapi-clockings.write",
  "connector-protimeapi-access-clockings.read",
  "connector-protimeapi-calculated-totals.read",
  "connector-protimeapi-activity-definitions.read",
  "connector-protimeapi-activity-definitions.write",
  "connector-protimeapi-absence-definitions.read",
];

export function emptyFields(): ProfileFields {
  return {
    id: null,
    name: "",
    defaultZone: "",
    color: "#1c7ed6",
    environment: "SandboxEnvironment",
    tenant: "",
    apiBase: "",
    tokenUrl: "",
    clientId: "",
    clientSecret: "",
    scopes: DEFAULT_SCOPES.join("\n"),
    structureVersions: [],
    // The client's default, exported from Rust into the bindings (the guide's live endpoint).
    timeclockEndpoint: DEFAULT_TIMECLOCK_ENDPOINT,
    apiKey: "",
    treatAsProduction: false,
  };
}

export function emptyVersion(): VersionRow {
  return { id: "", name: "", levels: [], validFrom: "" };
}

export function versionRowsOf(versions: StructureVersionConfig[]): VersionRow[] {
  return versions.map((v) => ({ id: v.id, name: v.name, levels: [...v.level_names], validFrom: v.valid_from ?? "" }));
}

/** Rows the user left completely empty are dropped; everything else goes to Rust, which validates it. */
export function versionsOf(rows: VersionRow[]): StructureVersionConfig[] {
  return rows
    .map((r) => ({ ...r, id: r.id.trim(), name: r.name.trim(), validFrom: r.validFrom.trim() }))
    .filter((r) => r.id !== "" || r.name !== "" || r.levels.length > 0 || r.validFrom !== "")
    .map((r) => ({
      id: r.id,
      name: r.name || r.id,
      level_names: r.levels.map((l) => l.trim()).filter((l) => l.length > 0),
      valid_from: r.validFrom === "" ? null : r.validFrom,
    }));
}

export function fieldsOf(p: ProfileSettings): ProfileFields {
  const f = emptyFields();
  const target = p.protime;
  return {
    ...f,
    id: p.id,
    name: p.name,
    defaultZone: p.timeclock_default_zone ?? "",
    color: p.color,
    environment: target.kind === "BuiltinSandbox" ? "Custom" : target.kind,
    tenant: target.kind === "Production" || target.kind === "SandboxEnvironment" ? target.tenant : "",
    apiBase: target.kind === "Custom" ? target.api_base : "",
    tokenUrl: target.kind === "Custom" ? target.token_url : "",
    clientId: p.client_id,
    scopes: p.scopes.join("\n"),
    structureVersions: versionRowsOf(p.structure_versions),
    timeclockEndpoint: p.timeclock_endpoint,
    treatAsProduction: p.treat_as_production,
  };
}

export function inputOf(f: ProfileFields): ProfileInput {
  const protime: ProtimeTarget =
    f.environment === "Custom"
      ? { kind: "Custom", api_base: f.apiBase, token_url: f.tokenUrl }
      : { kind: f.environment, tenant: f.tenant };
  return {
    id: f.id,
    name: f.name,
    timeclock_default_zone: f.defaultZone.trim(),
    color: f.color,
    protime,
    client_id: f.clientId,
    scopes: f.scopes
      .split(/\s+/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    structure_versions: versionsOf(f.structureVersions),
    timeclock_endpoint: f.timeclockEndpoint,
    treat_as_production: f.treatAsProduction,
    client_secret: f.clientSecret === "" ? null : f.clientSecret,
    api_key: f.apiKey === "" ? null : f.apiKey,
  };
}
