import { act, fireEvent, render, screen } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import "../i18n";
import { BackendContext, type Backend, type ProfileSummary } from "../backend";
import { ConfirmWriteProvider, useConfirmWrite } from "./ConfirmWrite";

function Writer() {
  const confirmWrite = useConfirmWrite();
  const [answer, setAnswer] = useState("none yet");
  return (
    <>
      <button onClick={() => confirmWrite((c) => setAnswer(String(c)))}>Write</button>
      <output aria-label="answer">{answer}</output>
    </>
  );
}

function renderWith(profile: ProfileSummary) {
  const backend = { activeProfile: async () => profile } as unknown as Backend;
  render(
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={new QueryClient()}>
        <MantineProvider>
          <ConfirmWriteProvider>
            <Writer />
          </ConfirmWriteProvider>
        </MantineProvider>
      </QueryClientProvider>
    </BackendContext.Provider>,
  );
}

const base: ProfileSummary = {
  id: "live",
  name: "Acme live",
  color: "#e03131",
  is_builtin: false,
  is_production: true,
  protime: { kind: "Production", tenant: "acme" },
  timeclock_endpoint: "https://api.timeclock365.com/api/v1/json-rpc",
};

describe("writes on a production profile", () => {
  it("need the profile name typed before they are confirmed", async () => {
    renderWith(base);
    await act(() => new Promise((r) => setTimeout(r, 100)));
    fireEvent.click(screen.getByRole("button", { name: "Write" }));
    const confirm = await screen.findByRole("button", { name: "Write to production" });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText("Type the profile name (Acme live) to confirm"), {
      target: { value: "Acme live" },
    });
    expect((confirm as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(confirm);
    expect(await screen.findByText("true")).toBeTruthy();
  });

  it("are cancelled when the user says no", async () => {
    renderWith(base);
    await act(() => new Promise((r) => setTimeout(r, 100)));
    fireEvent.click(screen.getByRole("button", { name: "Write" }));
    fireEvent.click(await screen.findByRole("button", { name: "Cancel" }));
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(screen.getByText("none yet")).toBeTruthy();
  });

  it("are not asked about on a sandbox profile", async () => {
    renderWith({ ...base, is_production: false });
    await act(() => new Promise((r) => setTimeout(r, 100)));
    fireEvent.click(screen.getByRole("button", { name: "Write" }));
    expect(await screen.findByText("false")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Write to production" })).toBeNull();
  });
});
