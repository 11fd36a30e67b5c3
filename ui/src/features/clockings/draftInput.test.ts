import { describe, expect, it } from "vitest";
import { buildDraft, emptyForm, parseReference } from "./draftInput";

describe("draft", () => {
  it("sends the time as typed with its day (Rust computes the minutes)", () => {
    const { draft } = buildDraft({ ...emptyForm(), personId: "76500", time: "22:00", day: "PreviousDay" });
    expect(draft?.time).toBe("22:00");
    expect(draft?.day).toBe("PreviousDay");
    expect(draft && "time_of_day_in_minutes" in draft).toBe(false);
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
    // isOpen goes out only when asked for: no seed example carries it.
    expect(buildDraft({ ...base, kind: "Reason" }).draft!.is_open).toBeNull();
    const typed = buildDraft({ ...base, kind: "Reason", reasonMode: "id", reasonText: " 7001 " }).draft!;
    expect(typed.reason).toEqual({ by: "Id", id: "7001" });
    const activity = buildDraft({ ...base, kind: "Activity" }).draft!;
    expect(activity.activity_levels.map((l) => l.level)).toEqual([1, 2]);
  });
  it("reports local problems instead of building a draft", () => {
    const { draft, localIssues } = buildDraft({ ...emptyForm(), time: "25:00", latitude: "north" });
    expect(draft).toBeNull();
    expect(Object.keys(localIssues).sort()).toEqual(["latitude"]);
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
