import { describe, expect, it } from "vitest";
import { emptyFields, emptyVersion, fieldsOf, inputOf, versionsOf } from "./profileForm";

describe("profile form", () => {
  it("fills TimeClock 365's endpoint with the guide's live endpoint, served from Rust", () => {
    expect(emptyFields().timeclockEndpoint).toBe("https://live.timeclock365.com/api/v1/json-rpc");
  });

  it("sends activity structure versions row by row, with their start dates as typed", () => {
    expect(
      versionsOf([
        { id: " b234 ", name: "2025", levels: ["Company", " Project ", "Task"], validFrom: "" },
        emptyVersion(),
        { id: "x1", name: "", levels: ["A"], validFrom: "2027-01-01" },
        { id: "", name: "", levels: [], validFrom: "2027-31-01" },
      ]),
    ).toEqual([
      { id: "b234", name: "2025", level_names: ["Company", "Project", "Task"], valid_from: null },
      { id: "x1", name: "x1", level_names: ["A"], valid_from: "2027-01-01" },
      // Never dropped or corrected: Rust refuses the missing id and the bad date with a message.
      { id: "", name: "", level_names: [], valid_from: "2027-31-01" },
    ]);
  });

  it("sends custom URLs, scopes and only the secrets that were typed", () => {
    const input = inputOf({
      ...emptyFields(),
      name: "Local",
      environment: "Custom",
      apiBase: "http://127.0.0.1:1/connector/protimeapi/api/v1/",
      tokenUrl: "http://127.0.0.1:1/tenants/sandbox/connect/token",
      clientId: "timebridge-sandbox",
      clientSecret: "s",
      scopes: "a.read\n b.write ",
    });
    expect(input.protime).toEqual({
      kind: "Custom",
      api_base: "http://127.0.0.1:1/connector/protimeapi/api/v1/",
      token_url: "http://127.0.0.1:1/tenants/sandbox/connect/token",
    });
    expect(input.scopes).toEqual(["a.read", "b.write"]);
    expect(input.client_secret).toBe("s");
    expect(input.api_key).toBeNull();
  });

  it("round-trips stored settings into the form", () => {
    const fields = fieldsOf({
      id: "acme",
      name: "Acme",
      color: "#ff0000",
      protime: { kind: "Production", tenant: "acme" },
      client_id: "c",
      scopes: ["x.read"],
      structure_versions: [{ id: "v", name: "V", level_names: ["L1", "L2"], valid_from: "2027-01-01" }],
      timeclock_endpoint: "https://tc/api",
      treat_as_production: false,
      timeclock_default_zone: "Asia/Jerusalem",
    });
    expect(fields.defaultZone).toBe("Asia/Jerusalem");
    expect(inputOf({ ...fields, defaultZone: " Europe/Brussels " }).timeclock_default_zone).toBe("Europe/Brussels");
    expect(fields.environment).toBe("Production");
    expect(fields.tenant).toBe("acme");
    expect(fields.structureVersions).toEqual([{ id: "v", name: "V", levels: ["L1", "L2"], validFrom: "2027-01-01" }]);
    const back = inputOf(fields);
    expect(back.id).toBe("acme");
    expect(back.protime).toEqual({ kind: "Production", tenant: "acme" });
    expect(back.client_secret).toBeNull();
    expect(back.structure_versions).toEqual([{ id: "v", name: "V", level_names: ["L1", "L2"], valid_from: "2027-01-01" }]);
  });
});
