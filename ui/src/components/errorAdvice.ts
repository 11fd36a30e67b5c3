// What each backend error code means for the user: a title, what to do next, whether trying again can
// help, and where to go to fix it. Exhaustive over the generated ErrorCode: a code added in Rust fails
// the type check here until it has advice.
import type { ErrorCode } from "../backend";

export interface ErrorAdvice {
  /** i18n key of the title ("errors.<code>.title"). */
  title: string;
  /** i18n key of what to do next. */
  advice: string;
  /** Trying the same thing again may work (network, rate limit, server trouble). */
  retryable: boolean;
  /** A screen where the cause is fixed. */
  fixAt?: "/settings";
}

function advice(code: ErrorCode, retryable: boolean, fixAt?: "/settings"): ErrorAdvice {
  return { title: `errors.${code}.title`, advice: `errors.${code}.advice`, retryable, fixAt };
}

export function adviceFor(code: ErrorCode): ErrorAdvice {
  switch (code) {
    case "Validation":
    case "NotFound":
    case "Conflict":
    case "Duplicate":
    case "UnsentClockings":
    case "ConfirmationRequired":
    case "Cancelled":
      return advice(code, false);
    case "Unauthorized":
    case "Forbidden":
    case "Config":
      return advice(code, false, "/settings");
    case "RateLimited":
    case "Upstream":
    case "Network":
    case "DeltaExpired":
      return advice(code, true);
    case "Storage":
    case "Internal":
      return advice(code, true);
    default: {
      const unhandled: never = code;
      return advice(unhandled, false);
    }
  }
}
