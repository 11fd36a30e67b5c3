import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import axe from "axe-core";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { fakeBackend } from "./fakeBackend";

// Every screen of the whole app, run through axe-core: no serious or critical violation (a control
// without an accessible name, a table without headers, an ARIA role used wrongly, …).
//
// jsdom lays nothing out and computes no colours, so axe cannot judge colour contrast here: the rule
// is off in this test only. The end-to-end test (tests/e2e/a11y.test.mjs) checks contrast in the real
// window, in light and dark.
const JSDOM_ONLY: axe.RunOptions = {
  resultTypes: ["violations"],
  rules: { "color-contrast": { enabled: false } },
};

// axe asks a canvas whether an icon font draws ligatures; jsdom has no canvas and says so loudly.
// Without one, axe treats the text as text, which is what this app's text is.
HTMLCanvasElement.prototype.getContext = () => null;

/** The serious and critical violations axe finds in the document as it is now, with a one-line summary of all. */
async function seriousViolations(where: string): Promise<axe.Result[]> {
  const result = await axe.run(document, JSDOM_ONLY);
  console.log(`axe: ${where}: ${result.violations.map((v) => `${v.impact} ${v.id} ×${v.nodes.length}`).join(", ") || "no violations"}`);
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Lets the screen's queries answer, so axe sees the filled screen, not its loading state. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 300)));

const SCREENS = ["Clockings", "Timesheets", "Activities", "Access clockings", "Audit log", "Settings"];

/** One line per violation: rule, impact and the elements it found, so a failure says what to fix. */
function describeViolations(violations: axe.Result[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")} ${n.failureSummary ?? ""}`).join("\n")}`)
    .join("\n");
}

describe("accessibility of every screen", () => {
  it("has no serious or critical axe violation on any screen", async () => {
    render(<App backend={fakeBackend()} />);
    const found: Record<string, axe.Result[]> = {};
    for (const name of SCREENS) {
      fireEvent.click(await screen.findByRole("link", { name }));
      await waitFor(() => expect(document.querySelector("main h2")).toBeTruthy());
      await settle();
      found[name] = await seriousViolations(name);
    }
    const report = Object.entries(found)
      .filter(([, violations]) => violations.length > 0)
      .map(([name, violations]) => `${name}:\n${describeViolations(violations)}`)
      .join("\n");
    expect(report).toBe("");
  });

  it("has none in what opens behind a click: a definition's details, the export panel, the profile form, the shortcuts list", async () => {
    render(<App backend={fakeBackend()} />);
    const found: Record<string, axe.Result[]> = {};
    const opens: [string, string, () => Promise<unknown>][] = [
      ["Activities", "a definition's details", async () => fireEvent.click(await screen.findByRole("button", { name: "Open Sales" }))],
      ["Timesheets", "the export panel", async () => fireEvent.click(await screen.findByRole("button", { name: "Export…" }))],
      ["Settings", "the new profile form", async () => fireEvent.click(await screen.findByRole("button", { name: "Add profile" }))],
      ["Clockings", "the shortcuts list", async () => fireEvent.click(await screen.findByRole("button", { name: "Keyboard shortcuts" }))],
    ];
    for (const [name, what, open] of opens) {
      fireEvent.click(await screen.findByRole("link", { name }));
      await settle();
      await open();
      await settle();
      found[`${name}, ${what}`] = await seriousViolations(`${name}, ${what}`);
    }
    const report = Object.entries(found)
      .filter(([, violations]) => violations.length > 0)
      .map(([name, violations]) => `${name}:\n${describeViolations(violations)}`)
      .join("\n");
    expect(report).toBe("");
  });
});
