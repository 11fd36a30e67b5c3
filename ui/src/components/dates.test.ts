import { describe, expect, it } from "vitest";
import { isBlankOrStrictDate, localDateTimeText, parseStrictDate } from "./dates";

describe("the strict date parser", () => {
  it.each([
    "2026-11-29",
    "2026-12-01",
    "2028-02-29", // a leap year
    "2000-02-29", // divisible by 400: a leap year
    "1900-01-01", // the first year accepted
    "2199-12-31", // the last
    "2026-04-30",
    "2026-01-31",
  ])("accepts %s exactly as typed", (text) => {
    expect(parseStrictDate(text)).toBe(text);
  });

  it.each([
    ["29/11/2026", "day/month/year"],
    ["30-11-2026", "day-month-year"],
    ["2026-11-31", "November has 30 days"],
    ["2026-02-29", "2026 is not a leap year"],
    ["1900-02-29", "1900 is not a leap year (divisible by 100)"],
    ["2026-13-01", "no month 13"],
    ["2026-00-10", "no month 0"],
    ["2026-11-00", "no day 0"],
    ["1899-12-31", "before 1900"],
    ["2200-01-01", "after 2199"],
    ["0029-01-01", "year 29"],
    ["2026-1-5", "digits missing"],
    ["26-11-29", "two-digit year"],
    ["20261129", "no separators"],
    ["2026/11/29", "slashes"],
    [" 2026-11-29", "leading space"],
    ["2026-11-29 ", "trailing space"],
    ["2026-11-29T00:00", "a time"],
    ["Nov 29, 2026", "words"],
    ["２０２６-１１-２９", "full-width digits"],
    ["", "empty"],
  ])("refuses %s (%s)", (text) => {
    expect(parseStrictDate(text)).toBeNull();
  });

  it("lets optional fields stay empty, but not blank with spaces", () => {
    expect(isBlankOrStrictDate("")).toBe(true);
    expect(isBlankOrStrictDate("  ")).toBe(false);
    expect(isBlankOrStrictDate("2026-11-29")).toBe(true);
    expect(isBlankOrStrictDate("2026-11-31")).toBe(false);
  });
});

describe("localDateTimeText", () => {
  it("writes a moment as local YYYY-MM-DD HH:MM whatever the language", () => {
    const moment = new Date(2026, 11, 2, 3, 7, 11);
    expect(localDateTimeText(moment)).toBe("2026-12-02 03:07");
    expect(localDateTimeText(moment.toISOString())).toBe("2026-12-02 03:07");
  });
});
