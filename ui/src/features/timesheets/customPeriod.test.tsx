import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import "../../i18n";
import { BackendContext, type Backend } from "../../backend";
import { TimesheetsScreen } from "./TimesheetsScreen";

describe("Timesheets custom period", () => {
  it("asks for no report while a date is not a real YYYY-MM-DD date, and keeps the text as typed", async () => {
    const asked: [string, string][] = [];
    const backend = {
      timesheetReport: async (_id: string, { from, to }: { from: string; to: string }) => {
        asked.push([from, to]);
        throw new Error("stop here");
      },
    } as unknown as Backend;
    render(
      <BackendContext.Provider value={backend}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <MantineProvider>
            <TimesheetsScreen />
          </MantineProvider>
        </QueryClientProvider>
      </BackendContext.Provider>,
    );
    fireEvent.click(screen.getByText("Custom"));
    const from = (await screen.findByRole("textbox", { name: /^From/ })) as HTMLInputElement;
    const to = screen.getByRole("textbox", { name: /^To/ }) as HTMLInputElement;
    fireEvent.change(from, { target: { value: "2026-02-01" } });
    fireEvent.change(to, { target: { value: "2026-02-29" } });
    fireEvent.blur(to);
    await waitFor(() =>
      expect(document.getElementById(`${to.id}-error`)?.textContent).toBe("Enter the date as YYYY-MM-DD, for example 2026-11-29"),
    );
    expect(to.value).toBe("2026-02-29");
    fireEvent.change(to, { target: { value: "01-03-2026" } });
    await new Promise((r) => setTimeout(r, 50));
    expect(asked.filter(([, t]) => t === "2026-02-29" || t === "01-03-2026" || t.startsWith("2026-03-0"))).toEqual([]);
    fireEvent.change(to, { target: { value: "2026-02-28" } });
    await waitFor(() => expect(asked).toContainEqual(["2026-02-01", "2026-02-28"]));
  }, 20_000);
});
