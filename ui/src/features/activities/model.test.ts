import { describe, expect, it } from "vitest";
import { combinationsFromRows, rowsFromCombinations } from "./model";

describe("restriction combinations", () => {
  it("keeps two combinations apart, both ways", () => {
    const stored = [
      [
        { level: 1, ids: ["acme"] },
        { level: 3, ids: ["t1", "t2"] },
      ],
      [{ level: 3, ids: ["t3"] }],
    ];
    const drafts = combinationsFromRows(stored);
    expect(drafts).toEqual([{ 1: ["acme"], 3: ["t1", "t2"] }, { 3: ["t3"] }]);
    expect(rowsFromCombinations(drafts, [1, 3])).toEqual(stored);
  });

  it("leaves out empty levels but keeps an empty combination for the backend to refuse", () => {
    expect(rowsFromCombinations([{ 1: [], 3: ["t"] }, {}], [1, 3])).toEqual([[{ level: 3, ids: ["t"] }], []]);
  });

  it("merges a level listed twice in one stored combination", () => {
    expect(combinationsFromRows([[{ level: 2, ids: ["a"] }, { level: 2, ids: ["b"] }]])).toEqual([{ 2: ["a", "b"] }]);
  });
});

describe("reference names", () => {
  it("accepts predefined and custom names, refuses what cannot go into the query", async () => {
    const { referenceNameProblem } = await import("./model");
    expect(referenceNameProblem("@data-entry-code")).toBeNull();
    expect(referenceNameProblem(" CustomActivityReference ")).toBeNull();
    expect(referenceNameProblem("  ")).toBe("referenceNameEmpty");
    expect(referenceNameProblem("@")).toBe("referenceNameEmpty");
    expect(referenceNameProblem("a,b")).toBe("referenceNameChars");
    expect(referenceNameProblem("a b")).toBe("referenceNameChars");
  });
});
