// From a wrong number to a fixed clocking, in the real window. A `timebridge sandbox
// --forgotten-out-punches` (the release of what users run) serves tenants whose seeded correction
// days lack the out-clocking HR adds by hand; the app gets a profile for it through Settings, like a
// user adds one. On the merged report the flagged day is opened from "Needs attention", the missing
// clocking is added from the day detail with the time TimeClock 365 suggests, and the day's
// difference falls within the tolerance. The sandbox then holds exactly that one clocking.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { By, Key, until } from "selenium-webdriver";
import { byLabel, byRoleText, chooseSegment, click, launchApp, protimeGet, screenshot, startCliSandbox, useSandboxProfile } from "./harness.mjs";

const NAME = "Corrections sandbox";
// The Hebrew labels the look test clicks, from the app's own translation file.
const he = JSON.parse(readFileSync(new URL("../../ui/src/i18n/he.json", import.meta.url), "utf8"));
const HE_ATTENTION = he.timesheets.views.attention.split("(")[0].trim();
const HE_FIX = he.timesheets.attention.fix;
const HE_THEME = he.colorScheme.label;
const HE_LIGHT = he.colorScheme.light;
const HE_AUTO = he.colorScheme.auto;
const HE_LANGUAGE = he.language.label;

/** Signed minutes of an `h:mm` or `-h:mm` figure. */
function minutesOf(text) {
  const m = /^(-?)(\d+):(\d\d)$/.exec(text.trim());
  assert.ok(m, `not an h:mm figure: ${text}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** The active In/Out clockings on the day of the person with this (normal) employee number, read
 * straight from the sandbox's Protime API. */
async function protimeClockings(url, employee, date) {
  const people = await protimeGet(url, "people", "connector-protimeapi-people.read");
  const person = people.value.find((p) => String(p.employeeNumber ?? "").replace(/^0+(?=\d)/, "") === employee);
  assert.ok(person, `no Protime person with number ${employee}`);
  const filter = `date ge '${date}' and date le '${date}' and person in (${person.id})`;
  const list = await protimeGet(url, `clockings?filter=${encodeURIComponent(filter)}`, "connector-protimeapi-clockings.read");
  return list.value.filter((c) => c.kind === "InOut" && c.status !== "Deleted");
}

describe("a flagged day fixed from the report", () => {
  let driver;
  let sandbox;
  before(async () => {
    sandbox = await startCliSandbox(["--forgotten-out-punches"]);
    driver = await launchApp();
    await useSandboxProfile(driver, NAME, sandbox.url);
  });
  after(async () => {
    try {
      // Leave the Sandbox profile active for the next test file. Going to Settings by its address
      // leaves any drawer or dialog of the report behind.
      if (driver) {
        // Back to English and the system's colours whatever the look test left (they live in the
        // web storage the next test files share), then to Settings by its address.
        await driver.executeScript("localStorage.clear(); window.location.hash = '#/settings'; window.location.reload()");
        await driver.wait(until.elementLocated(By.xpath("//main//h2")), 30_000);
        await click(driver, await byRoleText(driver, "button", "Switch to Sandbox", 15_000));
      }
    } finally {
      await driver?.quit();
      sandbox?.child.kill();
    }
  });

  const text = (el) => driver.executeScript("return arguments[0].textContent", el);

  it("opens the day beyond tolerance, adds the missing out-clocking, and the difference falls within tolerance", async () => {
    await click(driver, await byRoleText(driver, "link", "Timesheets"));
    await chooseSegment(driver, "Source", "Merged");
    await chooseSegment(driver, "Period", "Last month");
    const attentionTab = async () => driver.wait(until.elementLocated(By.xpath("//*[@role='tab' and starts-with(normalize-space(.), 'Needs attention')]")), 120_000);
    const countOf = async () => Number(/\((\d+)\)/.exec(await text(await attentionTab()))[1]);
    // The report is there when the summary says so; the attention count is then final.
    await driver.wait(until.elementLocated(By.xpath("//*[@aria-label='Report summary']")), 120_000);
    await driver.wait(async () => /rows/.test(await text(await driver.findElement(By.xpath("//*[@aria-label='Report summary']")))), 120_000);
    const before = await countOf();
    assert.ok(before > 0, "the forgotten out-clockings are flagged");
    await screenshot(driver, "timesheets-merged-days");

    // The user's flow starts here: clicks and seconds from the flagged day to the fixed one.
    const started = Date.now();
    let clicks = 0;
    await click(driver, await attentionTab());
    clicks++;
    const fixes = await driver.wait(until.elementsLocated(By.xpath("//table[@aria-label='Days that need attention']//button[starts-with(@aria-label, 'Fix the day of')]")), 10_000);
    // A forgotten out-punch leaves Protime's day with an odd number of In/Out clockings: the list
    // says so (read over the whole period, not only for days opened in the detail).
    await driver.wait(
      async () => /Odd In\/Out clockings in Protime/.test(await text(await driver.findElement(By.xpath("//table[@aria-label='Days that need attention']")))),
      30_000,
      "no day is listed for its odd In/Out clockings",
    );
    await screenshot(driver, "timesheets-needs-attention");
    let suggested = null;
    let label = "";
    for (const fix of fixes) {
      label = await fix.getAttribute("aria-label");
      // The previous day's drawer may still be fading out over the list: click once it is gone.
      await driver.wait(
        () =>
          click(driver, fix).then(
            () => true,
            () => false,
          ),
        10_000,
        `${label} could not be clicked`,
      );
      clicks++;
      // A day whose TimeClock 365 session ends the same day gets a suggested time.
      await driver.wait(until.elementLocated(By.xpath("//ul[@aria-label='Protime clockings of the day'] | //*[contains(., 'No clockings in Protime on this day.')]")), 30_000);
      const hint = await driver.findElements(By.xpath("//*[starts-with(normalize-space(.), 'TimeClock 365 suggests ')]"));
      if (hint.length > 0) {
        suggested = /suggests (\d\d:\d\d)/.exec(await text(hint[hint.length - 1]))[1];
        break;
      }
      await driver.switchTo().activeElement().sendKeys(Key.ESCAPE);
      await driver.wait(async () => (await driver.findElements(By.xpath("//ul[@aria-label='Protime clockings of the day']"))).length === 0, 10_000);
    }
    assert.ok(suggested, "some flagged day has a suggested time");
    const [, employee, date] = /^Fix the day of (\S+) on (\d{4}-\d\d-\d\d)$/.exec(label);
    const why = await text(await driver.findElement(By.xpath("//*[@data-testid='day-why']")));
    assert.match(why, /odd number: an in or an out is missing/);
    const differenceBefore = minutesOf(await text(await driver.findElement(By.xpath("//*[@data-testid='day-difference']"))));
    assert.ok(Math.abs(differenceBefore) > 5, `flagged: ${differenceBefore}`);
    await screenshot(driver, "timesheets-day-detail");

    await click(driver, await byRoleText(driver, "button", "Add clocking"));
    clicks++;
    const time = await byLabel(driver, "Time");
    await driver.wait(async () => (await time.getAttribute("value")) === suggested, 10_000, "the time is not pre-filled");
    const submit = await byRoleText(driver, "button", "Submit clocking");
    await driver.wait(async () => (await submit.getAttribute("disabled")) === null, 30_000, "Submit stays disabled");
    await screenshot(driver, "timesheets-fix-form");
    // Sent from the keyboard: in a scrolled dialog WebKitWebDriver's pointer lands 20 px off the
    // element it aims at (its press hits the button, its release the bar below), which no user sees.
    await submit.sendKeys(Key.ENTER);
    clicks++;
    const submitted = Date.now();
    await driver.wait(until.elementLocated(By.xpath("//*[@role='status' and .//*[normalize-space(.)='Clocking sent']]")), 60_000);
    await driver.wait(
      async () => {
        const figure = await driver.findElements(By.xpath("//*[@data-testid='day-difference']"));
        return figure.length > 0 && Math.abs(minutesOf(await text(figure[0]))) <= 5;
      },
      90_000,
      "the day's difference never fell within the tolerance",
    );
    const fixed = Date.now();
    const seconds = (fixed - started) / 1000;
    // The whole flow includes the test's own walk through flagged days without a suggestion and its
    // screenshots; "submit → new figures" is what the user waits for after the last click.
    console.log(
      `flagged day → fixed: ${clicks} clicks, ${seconds.toFixed(1)} s in the window, of which submit → new figures ${((fixed - submitted) / 1000).toFixed(1)} s (${employee} on ${date}, ${suggested})`,
    );
    await screenshot(driver, "timesheets-day-fixed");
    await driver.wait(async () => (await countOf()) === before - 1, 30_000, "the fixed day is still on the list");

    // The sandbox holds exactly that clocking: one In/Out at the suggested time.
    const [h, m] = suggested.split(":").map(Number);
    const clockingsOf = await protimeClockings(sandbox.url, employee, date);
    const at = clockingsOf.filter((c) => c.timeOfDayInMinutes === h * 60 + m);
    assert.equal(at.length, 1, JSON.stringify(clockingsOf));
    assert.equal(clockingsOf.length % 2, 0, "the day's In/Out clockings pair up again");
  });

  it("shows the report, the list and a day's detail in Hebrew and in dark", async () => {
    // What HR sees in the other direction and the other scheme, to look at (the accessibility test
    // checks contrast on every screen in both).
    // The fixed day's detail is still open from the flow above: close it first.
    await driver.switchTo().activeElement().sendKeys(Key.ESCAPE);
    await driver.wait(async () => (await driver.findElements(By.xpath("//*[@data-testid='day-why']"))).length === 0, 10_000, "the day detail stayed open");
    await driver.wait(until.elementLocated(By.xpath("//*[@role='tab' and starts-with(normalize-space(.), 'Needs attention')]")), 60_000);
    await chooseSegment(driver, "Theme", "Dark");
    await driver.wait(async () => (await driver.executeScript("return document.documentElement.getAttribute('data-mantine-color-scheme')")) === "dark", 10_000);
    await screenshot(driver, "timesheets-merged-dark");
    await click(driver, await driver.findElement(By.xpath("//*[@role='tab' and starts-with(normalize-space(.), 'Needs attention')]")));
    await click(driver, await driver.wait(until.elementLocated(By.xpath("//table[@aria-label='Days that need attention']//button[starts-with(@aria-label, 'Fix the day of')]")), 30_000));
    await driver.wait(until.elementLocated(By.xpath("//*[@data-testid='day-why']")), 30_000);
    await driver.sleep(800);
    await screenshot(driver, "timesheets-day-detail-dark");
    await driver.switchTo().activeElement().sendKeys(Key.ESCAPE);
    await driver.wait(async () => (await driver.findElements(By.xpath("//*[@data-testid='day-why']"))).length === 0, 10_000, "the day detail stayed open");
    await screenshot(driver, "timesheets-needs-attention-dark");
    await click(driver, await byLabel(driver, "Language"));
    await click(driver, await byRoleText(driver, "option", "עברית"));
    await driver.wait(async () => (await driver.executeScript("return document.documentElement.getAttribute('dir')")) === "rtl", 10_000);
    await click(driver, await driver.wait(until.elementLocated(By.xpath(`//*[@role='tab' and starts-with(normalize-space(.), ${JSON.stringify(HE_ATTENTION)})]`)), 30_000));
    await driver.wait(until.elementLocated(By.xpath("//table//button[normalize-space(.)=" + JSON.stringify(HE_FIX) + "]")), 30_000);
    await screenshot(driver, "timesheets-needs-attention-hebrew-dark");
    for (const [view, name] of [
      [he.timesheets.views.employees, "timesheets-per-employee-hebrew-dark"],
      [he.timesheets.views.weeks, "timesheets-per-week-hebrew-dark"],
    ]) {
      await click(driver, await byRoleText(driver, "tab", view));
      await driver.wait(until.elementLocated(By.xpath("//*[@role='tabpanel' and not(@hidden)]//table")), 30_000);
      await screenshot(driver, name);
    }
    await click(driver, await driver.wait(until.elementLocated(By.xpath(`//*[@role='tab' and starts-with(normalize-space(.), ${JSON.stringify(HE_ATTENTION)})]`)), 30_000));
    await click(driver, await driver.wait(until.elementLocated(By.xpath("//table//button[normalize-space(.)=" + JSON.stringify(HE_FIX) + "]")), 30_000));
    await driver.wait(until.elementLocated(By.xpath("//*[@data-testid='day-why']")), 30_000);
    const widths = await driver.executeScript("const d = document.documentElement; return { w: d.clientWidth, sw: d.scrollWidth }");
    assert.ok(widths.sw <= widths.w, `the Hebrew page scrolls sideways: ${JSON.stringify(widths)}`);
    // The drawer slides in over 0.2 s; a screenshot now would catch the list behind it.
    await driver.sleep(800);
    await screenshot(driver, "timesheets-day-detail-hebrew-dark");
    await driver.switchTo().activeElement().sendKeys(Key.ESCAPE);
    await chooseSegment(driver, HE_THEME, HE_LIGHT);
    await screenshot(driver, "timesheets-merged-hebrew-light");
    await chooseSegment(driver, HE_THEME, HE_AUTO);
    await click(driver, await byLabel(driver, HE_LANGUAGE));
    await click(driver, await byRoleText(driver, "option", "English"));
    await driver.wait(async () => (await driver.executeScript("return document.documentElement.getAttribute('dir')")) === "ltr", 10_000);
  });
});
