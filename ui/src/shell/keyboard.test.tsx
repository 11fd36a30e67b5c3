import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { fakeBackend } from "./fakeBackend";

/** What a user's key press looks like to the page; `code` is the physical key. */
function press(target: Element, init: KeyboardEventInit) {
  fireEvent.keyDown(target, init);
}

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

describe("keyboard shortcuts", () => {
  it("Alt+1 … Alt+6 open the screens in navigation order", async () => {
    render(<App backend={fakeBackend()} />);
    await waitFor(() => expect(screen.getByRole("link", { name: "Clockings" }).getAttribute("aria-current")).toBe("page"));
    const expected = ["Timesheets", "Activities", "Access clockings", "Audit log", "Settings", "Clockings"];
    const digits = [2, 3, 4, 5, 6, 1];
    for (const [i, digit] of digits.entries()) {
      press(document.body, { key: String(digit), code: `Digit${digit}`, altKey: true });
      await waitFor(() => expect(screen.getByRole("link", { name: expected[i] }).getAttribute("aria-current")).toBe("page"));
      expect(document.activeElement?.id).toBe("main-content");
    }
  });

  it("opens the list of shortcuts with ?, F1 and the header button, but not with ? typed in a field", async () => {
    render(<App backend={fakeBackend()} />);
    await screen.findByRole("form", { name: "Manual clocking" });

    press(document.body, { key: "?", code: "Slash", shiftKey: true });
    const dialog = await screen.findByRole("dialog", { name: "Keyboard shortcuts" });
    const table = within(dialog).getByRole("table", { name: "Keyboard shortcuts" });
    for (const action of ["Go to Clockings", "Go to Settings", "Show this list of shortcuts"]) {
      expect(within(table).getByText(action)).toBeTruthy();
    }
    expect(table.textContent).toContain("Alt + 6");
    expect(table.textContent).toContain("Enter");
    fireEvent.keyDown(dialog, { key: "Escape", code: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Keyboard shortcuts" })).toBeNull());

    // "?" typed in a text field is a character, not a shortcut.
    const time = screen.getByRole("textbox", { name: /^Time/ });
    press(time, { key: "?", code: "Slash", shiftKey: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole("dialog", { name: "Keyboard shortcuts" })).toBeNull();

    // F1 works everywhere, a text field included.
    press(time, { key: "F1", code: "F1" });
    await screen.findByRole("dialog", { name: "Keyboard shortcuts" });
    fireEvent.keyDown(screen.getByRole("dialog", { name: "Keyboard shortcuts" }), { key: "Escape", code: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Keyboard shortcuts" })).toBeNull());

    fireEvent.click(screen.getByRole("button", { name: "Keyboard shortcuts" }));
    expect(await screen.findByRole("dialog", { name: "Keyboard shortcuts" })).toBeTruthy();
  });

  it("Ctrl+Enter in a field presses its form's main button, and does nothing while that button is disabled", async () => {
    const looked: number[] = [];
    const backend = fakeBackend({
      accessClocking: async (id, withEmployeeNumber) => {
        looked.push(id);
        return fakeBackend().accessClocking(id, withEmployeeNumber);
      },
    });
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("link", { name: "Access clockings" }));
    const idBox = await screen.findByRole("textbox", { name: "Access clocking id" });
    idBox.focus();

    // Empty id: "Look up" is disabled, nothing is sent.
    press(idBox, { key: "Enter", code: "Enter", ctrlKey: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(looked).toEqual([]);

    fireEvent.change(idBox, { target: { value: "1234" } });
    await waitFor(() => expect((screen.getByRole("button", { name: "Look up" }) as HTMLButtonElement).disabled).toBe(false));
    press(idBox, { key: "Enter", code: "Enter", ctrlKey: true });
    expect(await screen.findByRole("table", { name: "Access clocking" })).toBeTruthy();
    expect(looked).toEqual([1234]);

    // Cmd+Enter is the same on macOS.
    press(idBox, { key: "Enter", code: "Enter", metaKey: true });
    await waitFor(() => expect(looked).toEqual([1234, 1234]));
  });
});
