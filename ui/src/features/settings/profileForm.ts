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
  structureVersions: string;
  timeclockEndpoint: string;
  apiKey: string;
  treatAsProduction: boolean;
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
    structureVersions: "",
    // The client's default, exported from Rust into the bindings (the guide's live endpoint).
    timeclockEndpoint: DEFAULT_TIMECLOCK_ENDPOINT,
    apiKey: "",
    treatAsProduction: false,
  };
}

/** One line per version: `id; name; Level 1 > Level 2 > …`. */
export function formatVersions(versions: StructureVersionConfig[]): string {
  return versions.map((v) => `${v.id}; ${v.name}; ${v.level_names.join(" > ")}`).join("\n");
}

export function parseVersions(text: string): StructureVersionConfig[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((line) => {
      const [id = "", name = "", levels = ""] = line.split(";").map((p) => p.trim());
      return {
        id,
        name: name || id,
        level_names: levels
          .split(">")
          .map((l) => l.trim())
          .filter((l) => l.length > 0),
      };
    });
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
    structureVersions: formatVersions(p.structure_versions),
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
    structure_versions: parseVersions(f.structureVersions),
    timeclock_endpoint: f.timeclockEndpoint,
    treat_as_production: f.treatAsProduction,
    client_secret: f.clientSecret === "" ? null : f.clientSecret,
    api_key: f.apiKey === "" ? null : f.apiKey,
  };
}
