// Manual clocking entry in the real window: one clocking of each kind, each checked against the body
// the sandbox received over HTTP; bad input shows its message and sends nothing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { By, Key, until } from "selenium-webdriver";
import {
  byLabel,
  byRoleText,
  chooseOption,
  chooseSegment,
  click,
  launchApp,
  sandboxUrl,
  screenshot,
  typeInto,
} from "./harness.mjs";

function todayText() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

describe("manual clocking entry", () => {
  let driver;
  let sandbox;
  let lastId = null;

  async function clockingPosts() {
    const res = await fetch(`${sandbox}/sandbox/protime/requests`);
    const all = await res.json();
    return all.filter((r) => r.method === "POST" && r.pathAndQuery.startsWith("/connector/protimeapi/api/v1/clockings"));
  }

  async function storedClocking(id) {
    const res = await fetch(`${sandbox}/sandbox/protime/clockings`);
    const all = await res.json();
    return all.find((c) => c.id === id);
  }

  /** Submits the form and returns the id Protime gave, from the result panel. */
  async function submitAndReadId(expectedPosts) {
    const before = (await clockingPosts()).length;
    const resultText = () =>
      driver.executeScript("return document.querySelector(\"[role='status'][aria-label='Result']\")?.textContent ?? ''");
    // The previous submission's result stays on screen until the new one replaces it.
    const previous = await resultText();
    const button = await byRoleText(driver, "button", "Submit clocking");
    await driver.wait(async () => (await button.getAttribute("disabled")) === null, 10_000, "Submit stayed disabled");
    await click(driver, button);
    let id = null;
    await driver.wait(
      async () => {
        const text = await driver.executeScript(
          "const el = document.querySelector('[role=status][aria-label=Result]'); return el ? el.textContent : ''",
        );
        const m = /Protime created clocking (\d+)/.exec(text);
        if (m && Number(m[1]) !== lastId) id = Number(m[1]);
        return id !== null;
      },
      20_000,
      "no new 'created' result",
    );
    lastId = id;
    const posts = await clockingPosts();
    assert.equal(posts.length, before + expectedPosts, "exactly one POST per submission");
    return { id, body: JSON.parse(posts[posts.length - 1].body) };
  }

  before(async () => {
    driver = await launchApp();
    sandbox = await sandboxUrl(driver);
    await (await byRoleText(driver, "link", "Clockings")).click();
    await driver.wait(until.elementLocated(By.xpath("//form[@aria-label='Manual clocking']")), 10_000);
  });
  after(async () => {
    await driver?.quit();
  });

  it("creates an InOut clocking for a person picked by employee number", async () => {
    await chooseOption(driver, "Person", "1007", { type: true });
    await typeInto(driver, "Time", "08:30");
    const words = await driver.wait(until.elementLocated(By.xpath("//*[@aria-label='Time in words']")), 10_000);
    assert.match(await words.getText(), /^08:30 on .* → 510 on /);
    await screenshot(driver, "clocking-form-inout");
    const { id, body } = await submitAndReadId(1);
    assert.deepEqual(body, { person: { id: 76506 }, date: todayText(), timeOfDayInMinutes: 510, kind: "InOut", status: "Active" });
    const stored = await storedClocking(id);
    assert.equal(stored.kind, "InOut");
    assert.equal(stored.timeOfDayInMinutes, 510);
  });

  it("creates a Reason clocking on the previous day, with the seed's fields only", async () => {
    await chooseSegment(driver, "Kind", "Reason");
    await chooseOption(driver, "Reason", "(");
    await typeInto(driver, "Time", "22:00");
    await chooseSegment(driver, "Day of the clock time", "Previous day");
    await screenshot(driver, "clocking-form-reason");
    const { body } = await submitAndReadId(1);
    assert.equal(body.kind, "Reason");
    assert.equal(body.timeOfDayInMinutes, -120);
    assert.equal("isOpen" in body, false, "isOpen only when the user asks for it");
    assert.equal(typeof body.reason.id, "number");
    await chooseSegment(driver, "Day of the clock time", "This day");
  });

  it("creates an Activity clocking over two levels", async () => {
    await chooseSegment(driver, "Kind", "Activity");
    const level1 = await driver.wait(until.elementLocated(By.xpath("//label[starts-with(normalize-space(.), 'Level 1:')]")), 20_000);
    await chooseOption(driver, (await level1.getText()).replace(/\s*\*$/, "").trim(), "(");
    const level2 = await driver.wait(until.elementLocated(By.xpath("//label[starts-with(normalize-space(.), 'Level 2:')]")), 10_000);
    await chooseOption(driver, (await level2.getText()).trim(), "(");
    await typeInto(driver, "Time", "09:00");
    await screenshot(driver, "clocking-form-activity");
    const { body } = await submitAndReadId(1);
    assert.equal(body.kind, "Activity");
    assert.deepEqual(body.activityLevels.map((l) => l.level), [1, 2]);
    for (const l of body.activityLevels) assert.match(l.activityDefinition.id, /^[0-9a-z-]{36}$/);
  });

  it("creates an Activity clocking with activities given by data entry code", async () => {
    await chooseSegment(driver, "Give the activities by", "External reference");
    await typeInto(driver, "Level 1 value", "00014");
    await typeInto(driver, "Level 2 value", "10019");
    await typeInto(driver, "Time", "09:30");
    await screenshot(driver, "clocking-form-activity-by-reference");
    const { body } = await submitAndReadId(1);
    assert.deepEqual(
      body.activityLevels.map((l) => [l.level, l.activityDefinition.externalReferences["@data-entry-code"]]),
      [
        [1, "00014"],
        [2, "10019"],
      ],
    );
    const post = (await clockingPosts()).at(-1);
    assert.match(decodeURIComponent(post.pathAndQuery), /externalReferences=\(activity-definitions,@data-entry-code\)/);
    await chooseSegment(driver, "Give the activities by", "Pick per level");
  });

  it("creates an ActivityEnd clocking", async () => {
    await chooseSegment(driver, "Kind", "Activity end");
    await typeInto(driver, "Time", "17:00");
    await screenshot(driver, "clocking-form-activityend");
    const { body } = await submitAndReadId(1);
    assert.deepEqual(Object.keys(body).sort(), ["date", "kind", "person", "status", "timeOfDayInMinutes"]);
    assert.equal(body.kind, "ActivityEnd");
    await screenshot(driver, "clocking-recent-submissions");
  });

  it("sends 24:00 on the next day as 2880, and a reason typed by id without isOpen", async () => {
    await click(driver, await byRoleText(driver, "button", "Clear"));
    await chooseOption(driver, "Person", "1007", { type: true });
    await chooseSegment(driver, "Kind", "Reason");
    await chooseSegment(driver, "How to give the reason", "By Protime id");
    await typeInto(driver, "Reason id", "6578");
    await typeInto(driver, "Time", "24:00");
    await chooseSegment(driver, "Day of the clock time", "Next day");
    const words = await driver.wait(until.elementLocated(By.xpath("//*[@aria-label='Time in words']")), 10_000);
    await driver.wait(async () => /^24:00 on the next day .* → 2880 on /.test(await words.getText()), 10_000);
    await screenshot(driver, "clocking-form-2880");
    const { id, body } = await submitAndReadId(1);
    assert.equal(body.timeOfDayInMinutes, 2880);
    assert.deepEqual(body.reason, { id: 6578 });
    assert.equal("isOpen" in body, false, "isOpen is sent only when asked for");
    assert.equal((await storedClocking(id)).timeOfDayInMinutes, 2880);
    await chooseSegment(driver, "Day of the clock time", "This day");
  });

  it("shows what is wrong with bad input and sends nothing", async () => {
    const before = (await clockingPosts()).length;
    await click(driver, await byRoleText(driver, "button", "Clear"));
    await chooseOption(driver, "Person", "1007", { type: true });
    await typeInto(driver, "Time", "25:00");
    await driver.wait(until.elementLocated(By.xpath("//*[contains(., 'is not a time of day')]")), 10_000);
    const button = await byRoleText(driver, "button", "Submit clocking");
    assert.equal(await button.getAttribute("disabled"), "true");
    await typeInto(driver, "Time", "08:00");
    await chooseSegment(driver, "Kind", "Reason");
    await driver.wait(
      until.elementLocated(By.xpath("//*[@aria-label='Problems to fix' and contains(., 'A Reason clocking needs a reason')]")),
      10_000,
    );
    assert.equal(await button.getAttribute("disabled"), "true");
    await screenshot(driver, "clocking-form-bad-input");
    await click(driver, button).catch(() => {});
    assert.equal((await clockingPosts()).length, before, "nothing was sent");
  });

  it("refuses a date typed as 29/11/2026: the field keeps it, names YYYY-MM-DD, and nothing is sent", async () => {
    const before = (await clockingPosts()).length;
    await click(driver, await byRoleText(driver, "button", "Clear"));
    await chooseOption(driver, "Person", "1007", { type: true });
    await typeInto(driver, "Time", "08:15");
    await typeInto(driver, "Date", "29/11/2026");
    const date = await byLabel(driver, "Date");
    await date.sendKeys(Key.TAB);
    const message = "Enter the date as YYYY-MM-DD, for example 2026-11-29";
    const error = await driver.wait(
      until.elementLocated(By.xpath(`//*[@id=${JSON.stringify(await date.getAttribute("id") + "-error")} and normalize-space(.)='${message}']`)),
      10_000,
      "no inline date error under the field",
    );
    assert.ok(await error.isDisplayed());
    assert.equal(await date.getAttribute("value"), "29/11/2026", "the typed text stays as typed");
    assert.equal(await date.getAttribute("aria-invalid"), "true");
    const button = await byRoleText(driver, "button", "Submit clocking");
    assert.equal(await button.getAttribute("disabled"), "true");
    await screenshot(driver, "clocking-form-bad-date");
    // Enter in the field, and a click on the button: still nothing goes out.
    await date.sendKeys(Key.ENTER);
    await click(driver, button).catch(() => {});
    await driver.sleep(1500);
    assert.equal((await clockingPosts()).length, before, "nothing was sent");
    assert.equal(await date.getAttribute("value"), "29/11/2026");
    await typeInto(driver, "Date", todayText());
  });

  it("sends one clocking for a double-click on Submit", async () => {
    const stored = async () => (await (await fetch(`${sandbox}/sandbox/protime/clockings`)).json()).length;
    await click(driver, await byRoleText(driver, "button", "Clear"));
    await chooseOption(driver, "Person", "1007", { type: true });
    await typeInto(driver, "Time", "07:05");
    const storedBefore = await stored();
    const postsBefore = (await clockingPosts()).length;
    const button = await byRoleText(driver, "button", "Submit clocking");
    await driver.wait(async () => (await button.getAttribute("disabled")) === null, 10_000, "Submit stayed disabled");
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", button);
    await driver.actions().doubleClick(button).perform();
    let id = null;
    await driver.wait(
      async () => {
        const text = await driver.executeScript(
          "const el = document.querySelector('[role=status][aria-label=Result]'); return el ? el.textContent : ''",
        );
        const m = /Protime created clocking (\d+)/.exec(text);
        if (m && Number(m[1]) !== lastId) id = Number(m[1]);
        return id !== null;
      },
      20_000,
      "no new 'created' result",
    );
    lastId = id;
    // Give a second send every chance to arrive before counting.
    await driver.sleep(3000);
    assert.equal((await clockingPosts()).length, postsBefore + 1, "one POST for the double-click");
    assert.equal(await stored(), storedBefore + 1, "one new clocking in Protime");
    assert.ok(await storedClocking(id));
  });

  it("imports a CSV pasted into the app: problems first, then each row once", async () => {
    const before = (await clockingPosts()).length;
    const bad = "person;date;time;kind\n76501;2025-05-02;07:30;InOut\n76502;2025-05-02;7h;InOut\n";
    const area = await byLabel(driver, "Or paste the CSV text");
    await click(driver, area);
    await driver.executeScript(
      "const el = arguments[0]; const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set; set.call(el, arguments[1]); el.dispatchEvent(new Event('input', { bubbles: true }));",
      area,
      bad,
    );
    const problem = await driver.wait(
      until.elementLocated(By.xpath("//table[@aria-label='Problems in the file']//tr[td[1]='3' and td[2]='time']")),
      10_000,
    );
    assert.match(await problem.getText(), /not a time/);
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", problem);
    await screenshot(driver, "clocking-import-problems");
    assert.equal((await clockingPosts()).length, before, "nothing sent while the file has problems");

    await driver.executeScript(
      "const el = arguments[0]; const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set; set.call(el, arguments[1]); el.dispatchEvent(new Event('input', { bubbles: true }));",
      area,
      bad.replace("7h", "07:45"),
    );
    await click(driver, await byRoleText(driver, "button", "Send 2 clocking(s)"));
    await driver.wait(
      async () => (await driver.findElements(By.xpath("//table[@aria-label='Import results']//tr[@data-status='Sent']"))).length === 2,
      20_000,
      "the two rows were not both sent",
    );
    await screenshot(driver, "clocking-import-results");
    const posts = (await clockingPosts()).slice(before).map((p) => JSON.parse(p.body));
    assert.deepEqual(
      posts.map((b) => [b.person.id, b.date, b.timeOfDayInMinutes]),
      [
        [76501, "2025-05-02", 450],
        [76502, "2025-05-02", 465],
      ],
    );
  });
});
