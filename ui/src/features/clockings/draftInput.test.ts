import { describe, expect, it } from "vitest";
import { buildDraft, emptyForm, parseClockTime, parseReference } from "./draftInput";

describe("clock time", () => {
  it("accepts HH:MM within a day", () => {
    expect(parseClockTime("08:30")).toBe(510);
    expect(parseClockTime("0:05")).toBe(5);
    expect(parseClockTime("23:59")).toBe(1439);
  });
  it("refuses anything else", () => {
    for (const bad of ["24:00", "12:60", "1230", "", "ab:cd", "12:5"]) expect(parseClockTime(bad)).toBeNull();
  });
});

describe("draft", () => {
  it("puts 22:00 on the previous day at -120", () => {
    const { draft } = buildDraft({ ...emptyForm(), personId: "76500", time: "22:00", day: "PreviousDay" });
    expect(draft?.time_of_day_in_minutes).toBe(-120);
    expect(draft?.person).toEqual({ by: "Id", id: "76500" });
  });
  it("carries the reason only for Reason and activities only for Activity", () => {
    const base = { ...emptyForm(), personId: "1", time: "08:00", reasonId: "6578", activities: { 1: "a", 2: "b" } };
    const inout = buildDraft(base).draft!;
    expect(inout.reason).toBeNull();
    expect(inout.activity_levels).toEqual([]);
    const reason = buildDraft({ ...base, kind: "Reason", isOpen: true }).draft!;
    expect(reason.reason).toEqual({ by: "Id", id: "6578" });
    expect(reason.is_open).toBe(true);
    const activity = buildDraft({ ...base, kind: "Activity" }).draft!;
    expect(activity.activity_levels.map((l) => l.level)).toEqual([1, 2]);
  });
  it("reports local problems instead of building a draft", () => {
    const { draft, localIssues } = buildDraft({ ...emptyForm(), time: "25:00", latitude: "north" });
    expect(draft).toBeNull();
    expect(Object.keys(localIssues).sort()).toEqual(["latitude", "person", "time"]);
  });
  it("addresses a person by external reference", () => {
    const { draft } = buildDraft({
      ...emptyForm(),
      personMode: "reference",
      personRefName: "@badge-number",
      personRefValue: "1955",
      time: "08:20",
    });
    expect(draft?.person).toEqual({ by: "External", name: "@badge-number", value: "1955" });
  });
  it("gives activities by external reference per level", () => {
    const { draft } = buildDraft({
      ...emptyForm(),
      personId: "1",
      time: "08:00",
      kind: "Activity",
      activityMode: "reference",
      activities: { 1: "ignored" },
      activityRefs: { 2: { name: "@data-entry-code", value: "10019" }, 1: { name: "@data-entry-code", value: "00014" }, 3: { name: "@external-reference", value: " " } },
    });
    expect(draft?.activity_levels).toEqual([
      { level: 1, activity: { by: "External", name: "@data-entry-code", value: "00014" } },
      { level: 2, activity: { by: "External", name: "@data-entry-code", value: "10019" } },
    ]);
  });
  it("parses terminal references", () => {
    expect(parseReference("@external-code=T1")).toEqual({ by: "External", name: "@external-code", value: "T1" });
    expect(parseReference("12")).toEqual({ by: "Id", id: "12" });
    expect(parseReference(" ")).toBeNull();
  });
});
