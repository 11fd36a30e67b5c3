import { describe, expect, it } from "vitest";
import { formatMinutes, presetRange } from "./period";

describe("presets", () => {
  const wed = new Date(2025, 1, 12); // Wednesday 12 Feb 2025
  it("weeks run Monday to Sunday", () => {
    expect(presetRange("thisWeek", wed)).toEqual({ from: "2025-02-10", to: "2025-02-16" });
    expect(presetRange("lastWeek", wed)).toEqual({ from: "2025-02-03", to: "2025-02-09" });
    expect(presetRange("thisWeek", new Date(2025, 1, 16))).toEqual({ from: "2025-02-10", to: "2025-02-16" });
  });
  it("months are whole calendar months", () => {
    expect(presetRange("thisMonth", wed)).toEqual({ from: "2025-02-01", to: "2025-02-28" });
    expect(presetRange("lastMonth", new Date(2025, 0, 5))).toEqual({ from: "2024-12-01", to: "2024-12-31" });
  });
});

describe("hours", () => {
  it("formats h:mm and decimal like the export", () => {
    expect(formatMinutes(525, "hmm")).toBe("8:45");
    expect(formatMinutes(525, "decimal")).toBe("8.75");
    expect(formatMinutes(1, "decimal", ",")).toBe("0,02");
    expect(formatMinutes(-15, "hmm")).toBe("-0:15");
    expect(formatMinutes(0, "decimal")).toBe("0.00");
  });
});
