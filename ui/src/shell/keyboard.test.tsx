import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { fakeBackend } from "./fakeBackend";

describe("skip link", () => {
  it("is the first thing Tab reaches and moves the focus to the main area", async () => {
    render(<App backend={fakeBackend()} />);
    await screen.findByRole("link", { name: "Clockings" });
    const focusable = document.querySelectorAll("a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])");
    expect(focusable[0].textContent).toBe("Skip to content");
    fireEvent.click(focusable[0]);
    expect(document.activeElement?.tagName).toBe("MAIN");
    expect(document.activeElement?.id).toBe("main-content");
    // The route did not change: the link's #main-content is not followed as a route.
    expect(window.location.hash).toBe("#/clockings");
  });
});
