import { describe, expect, it } from "vitest";
import { detailsOf } from "./auditSummary";

const names = (id: string) => (id === "76515" ? "Eitan Levi" : undefined);

describe("audit rows in words", () => {
  it("names the person and the clock time of a clocking write", () => {
    const request = 'POST /clockings {"person":{"id":76515},"date":"2026-11-30","timeOfDayInMinutes":570,"kind":"InOut"}';
    expect(detailsOf(request, names)).toEqual({ who: "Eitan Levi", when: "2026-11-30 09:30" });
  });

  it("keeps a reference it cannot name and marks times on the next or previous day", () => {
    const request =
      'POST /clockings {"person":{"externalReferences":{"@badge-number":"1955"}},"date":"2026-11-30","timeOfDayInMinutes":1530}';
    expect(detailsOf(request, names)).toEqual({ who: "@badge-number=1955", when: "2026-11-30 01:30 +1d" });
    expect(detailsOf('POST /clockings {"date":"2026-11-30","timeOfDayInMinutes":-60}', names).when).toBe("2026-11-30 23:00 −1d");
  });

  it("says nothing rather than guess when the request is not a JSON body", () => {
    expect(detailsOf("DELETE /activity-structure-versions/x/levels/1/activity-definitions/7", names)).toEqual({});
    expect(detailsOf("POST /clockings {not json", names)).toEqual({});
  });
});
