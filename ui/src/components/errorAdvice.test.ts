import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import type { ErrorCode } from "../backend";
import { toBackendError } from "../backend";
import { adviceFor } from "./errorAdvice";

const CODES: ErrorCode[] = [
  "Validation", "NotFound", "Unauthorized", "Forbidden", "Conflict", "RateLimited", "Upstream", "Network",
  "DeltaExpired", "Config", "Storage", "ConfirmationRequired", "Cancelled", "Duplicate", "UnsentClockings", "Internal",
];

describe("error advice", () => {
  it("has a title and advice for every code in every language", () => {
    for (const lng of ["en", "nl", "fr", "he"]) {
      for (const code of CODES) {
        const a = adviceFor(code);
        for (const key of [a.title, a.advice]) {
          expect(i18n.exists(key, { lng }), `${lng}: ${key}`).toBe(true);
        }
      }
    }
  });
  it("sends credential problems to Settings and offers a retry only where it can help", () => {
    expect(adviceFor("Unauthorized").fixAt).toBe("/settings");
    expect(adviceFor("Network").retryable).toBe(true);
    expect(adviceFor("Validation").retryable).toBe(false);
  });
  it("turns Tauri's plain-string argument errors into Validation errors", () => {
    const e = toBackendError("invalid args `from` for command `access_clockings`: '29/11/2026' is not a date in the format YYYY-MM-DD");
    expect(e.code).toBe("Validation");
    expect(e.message).toContain("YYYY-MM-DD");
    expect(toBackendError({ code: "Network", message: "down", reasons: [] }).code).toBe("Network");
  });
});
