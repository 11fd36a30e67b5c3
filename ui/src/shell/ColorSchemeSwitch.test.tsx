import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "./App";
import { fakeBackend } from "./fakeBackend";

// Mantine's default colour-scheme manager keeps the choice here.
const STORED = "mantine-color-scheme-value";

describe("colour scheme switch", () => {
  afterEach(() => localStorage.removeItem(STORED));

  it("follows the system by default, switches to dark and light, and remembers the choice", async () => {
    const { unmount } = render(<App backend={fakeBackend()} />);
    const group = await screen.findByRole("radiogroup", { name: "Theme" });
    expect(group).toBeTruthy();
    expect((screen.getByRole("radio", { name: "Auto" }) as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByRole("radio", { name: "Dark" }));
    await waitFor(() => expect(document.documentElement.getAttribute("data-mantine-color-scheme")).toBe("dark"));
    expect(localStorage.getItem(STORED)).toBe("dark");

    // A restart: the app starts dark.
    unmount();
    render(<App backend={fakeBackend()} />);
    expect(((await screen.findByRole("radio", { name: "Dark" })) as HTMLInputElement).checked).toBe(true);
    expect(document.documentElement.getAttribute("data-mantine-color-scheme")).toBe("dark");

    fireEvent.click(screen.getByRole("radio", { name: "Light" }));
    await waitFor(() => expect(document.documentElement.getAttribute("data-mantine-color-scheme")).toBe("light"));
    expect(localStorage.getItem(STORED)).toBe("light");
  });
});
