import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import "../../i18n";
import { BackendContext, BackendError, type Backend, type ClockingEntryInput, type OutboxItem } from "../../backend";
import { ClockingForm } from "./ClockingForm";

/** A fake backend whose submitClocking answers only when the test says so. */
function fakeBackend() {
  const submitted: ClockingEntryInput[] = [];
  const previews: ClockingEntryInput[] = [];
  let answer: (item: OutboxItem) => void = () => {};
  const backend = {
    listPeople: async () => [{ id: 7, name: "Lotte Peeters", employee_number: "1001", badge_number: "1903", email: null }],
    listReasons: async () => [],
    activityLevels: async () => [],
    clockingDay: async () => null,
    clockingPreview: async (draft: ClockingEntryInput) => {
      previews.push(draft);
      return { issues: [], body: JSON.stringify(draft), time_description: null, extended_range_note: null, min_minutes: -1440, max_minutes: 2880 };
    },
    submitClocking: (draft: ClockingEntryInput) => {
      submitted.push(draft);
      return new Promise<OutboxItem>((resolve) => {
        answer = resolve;
      });
    },
  } as unknown as Backend;
  const sent = (draft: ClockingEntryInput): OutboxItem => ({
    id: 1,
    client_id: "c1",
    tenant: "built-in sandbox",
    profile_id: "sandbox",
    draft: draft as unknown as OutboxItem["draft"],
    time_text: draft.time,
    status: "Sent",
    remote_id: 4242,
    attempts: 1,
    message: null,
    reasons: [],
    created_at: "2026-12-01T15:00:00Z",
    updated_at: "2026-12-01T15:00:00Z",
    sent_at: "2026-12-01T15:00:00Z",
    checking_until: null,
  });
  return { backend, submitted, previews, answer: (item: OutboxItem) => answer(item), sent };
}

function renderForm(backend: Backend) {
  render(
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={new QueryClient()}>
        <MantineProvider>
          <ClockingForm />
        </MantineProvider>
      </QueryClientProvider>
    </BackendContext.Provider>,
  );
}

async function fillPersonAndTime() {
  fireEvent.click(await screen.findByRole("textbox", { name: "Person" }));
  fireEvent.click(await screen.findByRole("option", { name: /Lotte Peeters/, hidden: true }));
  fireEvent.change(screen.getByRole("textbox", { name: /^Time/ }), { target: { value: "08:30" } });
}

/** Lets pending promises and effects run, so a second send (if any) would have happened. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 50)));

const submitButton = () => screen.getByRole("button", { name: "Submit clocking" }) as HTMLButtonElement;

describe("the clocking form", () => {
  it("shows what Protime holds on the day, warns of an identical clocking, and refuses a closed period", async () => {
    const fake = fakeBackend();
    (fake.backend as { clockingDay: unknown }).clockingDay = async () => ({
      clockings: [{ id: 5, time_text: "08:30", kind: "InOut", reason_id: null, generated: false }],
      identical: [5],
      period_closing_date: "2026-10-31",
    });
    renderForm(fake.backend);
    await fillPersonAndTime();
    const date = screen.getByRole("textbox", { name: /^Date/ });
    fireEvent.change(date, { target: { value: "2026-11-30" } });
    const onDay = await screen.findByLabelText("In Protime on this day");
    expect(onDay.textContent).toContain("08:30 · In/Out");
    expect(onDay.textContent).toContain("Protime already holds an identical clocking (id 5)");
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    fireEvent.change(date, { target: { value: "2026-10-31" } });
    await waitFor(() => expect(submitButton().disabled).toBe(true));
    expect(screen.getAllByText(/The calendar is closed up to 2026-10-31/).length).toBeGreaterThan(0);
  });

  it("says the clocking in words first, with the JSON body one click away", async () => {
    const fake = fakeBackend();
    renderForm(fake.backend);
    await fillPersonAndTime();
    fireEvent.change(screen.getByRole("textbox", { name: /^Date/ }), { target: { value: "2026-11-30" } });
    const words = await screen.findByLabelText("The clocking in words");
    expect(words.textContent).toBe("Lotte Peeters · Mon, Nov 30, 2026 · 08:30 · In/Out");
    expect(screen.getByText("Show the request body (JSON)").closest("details")?.open).toBe(false);
  });

  it("opens without red errors: what is needed is listed, a field turns red only once touched", async () => {
    const fake = fakeBackend();
    (fake.backend as { clockingPreview: unknown }).clockingPreview = async (entry: ClockingEntryInput) => ({
      issues: [
        ...(entry.person ? [] : [{ field: "person", message: "Choose a person" }]),
        ...(entry.time.trim() ? [] : [{ field: "time", message: "Enter the time as HH:MM, for example 08:30" }]),
      ],
      body: null,
      time_description: null,
      extended_range_note: null,
      min_minutes: -1440,
      max_minutes: 2880,
    });
    renderForm(fake.backend);
    const problems = await screen.findByRole("list", { name: "Problems to fix" });
    expect(within(problems).getByText("Choose a person")).toBeTruthy();
    // Listed, but not as an error at the field.
    expect(screen.queryAllByText("Enter the time as HH:MM, for example 08:30")).toHaveLength(1);
    expect(submitButton().disabled).toBe(true);
    expect(submitButton().getAttribute("aria-describedby")).toBe("clocking-still-needed");
    expect(screen.getByText(/Not ready to send: 2 problem/)).toBeTruthy();
    const time = screen.getByRole("textbox", { name: /^Time/ });
    fireEvent.change(time, { target: { value: "x" } });
    fireEvent.change(time, { target: { value: "" } });
    await waitFor(() => expect(screen.queryAllByText("Enter the time as HH:MM, for example 08:30")).toHaveLength(2));
    expect(time.getAttribute("aria-invalid")).toBe("true");
  });

  it("asks before sending a clocking identical to one submitted a moment ago, and sends it only when told", async () => {
    const fake = fakeBackend();
    const calls: boolean[] = [];
    (fake.backend as { submitClocking: unknown }).submitClocking = async (draft: ClockingEntryInput, _c: boolean, sendAgain: boolean) => {
      calls.push(sendAgain);
      if (!sendAgain) {
        throw new BackendError({ code: "Duplicate", message: "The same clocking was submitted less than a minute ago. Send it again?", reasons: [] });
      }
      return fake.sent(draft);
    };
    renderForm(fake.backend);
    await fillPersonAndTime();
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    fireEvent.click(submitButton(), { detail: 1 });
    const dialog = await screen.findByRole("dialog", { name: "Send this clocking again?" });
    expect(calls).toEqual([false]);
    // "Don't send" closes it and nothing more is sent.
    fireEvent.click(within(dialog).getByRole("button", { name: "Don\u2019t send" }));
    await settle();
    expect(calls).toEqual([false]);
    await waitFor(() => expect(submitButton().disabled).toBe(false), { timeout: 3000 });
    fireEvent.click(submitButton(), { detail: 1 });
    const again = await screen.findByRole("dialog", { name: "Send this clocking again?" });
    fireEvent.click(within(again).getByRole("button", { name: "Send it again" }));
    expect(await screen.findByText("Protime created clocking 4242.")).toBeTruthy();
    expect(calls).toEqual([false, false, true]);
  }, 20_000);

  it("sends once for a double-click, and unlocks when the backend has answered", async () => {
    const fake = fakeBackend();
    renderForm(fake.backend);
    await fillPersonAndTime();
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    // Two clicks in the same tick, before React re-renders: what a fast double-click does.
    act(() => {
      submitButton().click();
      submitButton().click();
    });
    fireEvent.click(submitButton());
    await waitFor(() => expect(fake.submitted).toHaveLength(1));
    await settle();
    expect(fake.submitted).toHaveLength(1);
    expect(submitButton().disabled).toBe(true);
    expect(submitButton().getAttribute("data-loading")).toBe("true");
    // Enter in a field submits the form through the (locked) button: still nothing more is sent.
    fireEvent.submit(screen.getByRole("form", { name: "Manual clocking" }));
    await settle();
    expect(fake.submitted).toHaveLength(1);
    await act(async () => fake.answer(fake.sent(fake.submitted[0])));
    expect(await screen.findByText("Protime created clocking 4242.")).toBeTruthy();
    await waitFor(() => expect(submitButton().disabled).toBe(false), { timeout: 3000 });
    fireEvent.click(submitButton());
    await waitFor(() => expect(fake.submitted).toHaveLength(2));
  }, 20_000);

  it("sends once for a double-click even when the backend answers before the second click", async () => {
    const fake = fakeBackend();
    const answered: ClockingEntryInput[] = [];
    // A backend that answers at once, like the in-process sandbox.
    (fake.backend as { submitClocking: unknown }).submitClocking = async (draft: ClockingEntryInput) => {
      answered.push(draft);
      return fake.sent(draft);
    };
    renderForm(fake.backend);
    await fillPersonAndTime();
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    fireEvent.click(submitButton(), { detail: 1 });
    await waitFor(() => expect(answered).toHaveLength(1));
    expect(await screen.findByText("Protime created clocking 4242.")).toBeTruthy();
    // The second click of the double-click, after the answer: not a new press.
    fireEvent.click(submitButton(), { detail: 2 });
    // Enter right after (a click with detail 0): the button is still locked.
    fireEvent.click(submitButton(), { detail: 0 });
    await settle();
    expect(answered).toHaveLength(1);
    expect(submitButton().disabled).toBe(true);
    // A second after the press it unlocks, and a new press sends again (two intended clockings stay two).
    await waitFor(() => expect(submitButton().disabled).toBe(false), { timeout: 3000 });
    fireEvent.click(submitButton(), { detail: 1 });
    await waitFor(() => expect(answered).toHaveLength(2));
  }, 20_000);

  it("refuses 29/11/2026: the text stays as typed, the error names the format, nothing is sent", async () => {
    const fake = fakeBackend();
    renderForm(fake.backend);
    await fillPersonAndTime();
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    const date = screen.getByRole("textbox", { name: /^Date/ }) as HTMLInputElement;
    // No error on first render.
    expect(document.getElementById(`${date.id}-error`)).toBeNull();
    expect(document.body.textContent).not.toContain("Enter the date as");
    fireEvent.change(date, { target: { value: "29/11/2026" } });
    fireEvent.blur(date);
    const message = "Enter the date as YYYY-MM-DD, for example 2026-11-29";
    // Under the field (the input points at it), and in the list of problems.
    await waitFor(() => expect(document.getElementById(`${date.id}-error`)?.textContent).toBe(message));
    expect(within(screen.getByRole("list", { name: "Problems to fix" })).getByText((_, el) => el?.textContent === message && el.tagName === "LI")).toBeTruthy();
    expect(date.value).toBe("29/11/2026");
    expect(date.getAttribute("aria-invalid")).toBe("true");
    await waitFor(() => expect(submitButton().disabled).toBe(true));
    fireEvent.click(submitButton());
    fireEvent.submit(screen.getByRole("form", { name: "Manual clocking" }));
    await settle();
    expect(fake.submitted).toHaveLength(0);
    // Nor is the bad date previewed as some other date.
    expect(fake.previews.every((d) => d.date !== "29/11/2026" && !d.date.startsWith("0029"))).toBe(true);

    for (const bad of ["30-11-2026", "2026-11-31", "2026-02-29"]) {
      fireEvent.change(date, { target: { value: bad } });
      expect(date.value).toBe(bad);
      await waitFor(() => expect(submitButton().disabled).toBe(true));
    }
    fireEvent.change(date, { target: { value: "2028-02-29" } });
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    expect(document.getElementById(`${date.id}-error`)).toBeNull();
    fireEvent.click(submitButton());
    await waitFor(() => expect(fake.submitted.map((d) => d.date)).toEqual(["2028-02-29"]));
  }, 20_000);

  it("takes a typed custom reference name for the person and an activity level, and remembers it once sent", async () => {
    const fake = fakeBackend();
    const remembered: string[] = [];
    Object.assign(fake.backend, {
      referenceNames: async () => ["SapPersonCode"],
      referenceNameRemember: async (name: string) => {
        remembered.push(name);
        return ["SapPersonCode", name];
      },
      activityLevels: async () => [{ level: 1, name: "Project", options: [], chosen: null, hint: null }],
      submitClocking: async (draft: ClockingEntryInput) => {
        fake.submitted.push(draft);
        return fake.sent(draft);
      },
    });
    renderForm(fake.backend);
    fireEvent.click(await screen.findByRole("radio", { name: "External reference" }));
    const refName = screen.getByRole("textbox", { name: "Reference" }) as HTMLInputElement;
    expect(refName.value).toBe("@badge-number");
    // The remembered names are offered beside the predefined ones.
    fireEvent.focus(refName);
    fireEvent.change(refName, { target: { value: "Sap" } });
    expect(await screen.findByRole("option", { name: "SapPersonCode", hidden: true })).toBeTruthy();
    // A name with a control character, or an empty one, is refused at the field (Rust refuses it too).
    fireEvent.change(refName, { target: { value: "Custom\u0007Ref" } });
    expect(await screen.findByText("Use letters, digits, '-', '_' or '.' (at most 64)")).toBeTruthy();
    fireEvent.change(refName, { target: { value: "  " } });
    expect(await screen.findByText("Type the external reference name")).toBeTruthy();
    fireEvent.change(refName, { target: { value: "CustomPersonRef" } });
    fireEvent.change(screen.getByRole("textbox", { name: "Reference value" }), { target: { value: "P-77" } });
    fireEvent.change(screen.getByRole("textbox", { name: /^Time/ }), { target: { value: "08:30" } });
    fireEvent.click(screen.getByRole("radio", { name: "Activity" }));
    const radios = await screen.findAllByRole("radio", { name: "External reference" });
    fireEvent.click(radios[radios.length - 1]);
    const levelName = (await screen.findByRole("textbox", { name: /^Level 1 Project: reference/ })) as HTMLInputElement;
    expect(levelName.value).toBe("@data-entry-code");
    fireEvent.change(levelName, { target: { value: "CustomActivityReference" } });
    fireEvent.change(screen.getByRole("textbox", { name: /^Level 1.*value/i }), { target: { value: "122456" } });
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    expect(remembered).toEqual([]);
    fireEvent.click(submitButton(), { detail: 1 });
    await waitFor(() => expect(fake.submitted).toHaveLength(1));
    const draft = fake.submitted[0];
    expect(draft.person).toEqual({ by: "External", name: "CustomPersonRef", value: "P-77" });
    expect(draft.activity_levels).toEqual([{ level: 1, activity: { by: "External", name: "CustomActivityReference", value: "122456" } }]);
    // Remembered once the clocking was sent; predefined names are not.
    await waitFor(() => expect(remembered).toEqual(["CustomPersonRef", "CustomActivityReference"]));
  }, 20_000);

  it("fills the field from the calendar", async () => {
    const fake = fakeBackend();
    renderForm(fake.backend);
    const date = (await screen.findByRole("textbox", { name: /^Date/ })) as HTMLInputElement;
    fireEvent.change(date, { target: { value: "2026-11-29" } });
    fireEvent.click(screen.getByRole("button", { name: "Pick Date on a calendar" }));
    fireEvent.click(await screen.findByRole("button", { name: "17 November 2026", hidden: true }));
    await waitFor(() => expect(date.value).toBe("2026-11-17"));
  }, 20_000);
});
