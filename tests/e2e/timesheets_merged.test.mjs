// The merged TimeClock 365 / Protime report in the real window on the sandbox: the Protime totals
// cache syncs, the people-matching table shows the seeded conflicts and one-sided people, and the
// Protime columns and difference appear beside the TimeClock ones.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { By, until } from "selenium-webdriver";
import { byLabel, byRoleText, chooseSegment, click, launchApp, screenshot } from "./harness.mjs";

describe("merged timesheet report", () => {
  let driver;
  before(async () => {
    driver = await launchApp();
    await click(driver, await byRoleText(driver, "link", "Timesheets"));
  });
  after(async () => {
    await driver?.quit();
  });

  const text = (xpath) =>
    driver.wait(until.elementLocated(By.xpath(xpath)), 90_000).then((el) => driver.executeScript("return arguments[0].textContent", el));

  it("matches people and shows Protime next to TimeClock 365", async () => {
    await chooseSegment(driver, "Source", "Merged");
    await click(driver, await byRoleText(driver, "tab", "People matching", 90_000));
    const matching = await text("//*[@data-testid='matching-summary']");
    assert.match(matching, /^\d+ matched · 2 conflicts · \d+ only in TimeClock 365 · 1 only in Protime$/, matching);
    const matched = Number(/^(\d+) matched/.exec(matching)[1]);
    assert.ok(matched >= 40, `most people match, got ${matched}`);
    const conflicts = await driver.findElements(By.xpath("//table[@aria-label='People matching']//tr[@data-status='Conflict']"));
    assert.equal(conflicts.length, 2);
    await screenshot(driver, "timesheets-merged-matching");
    await click(driver, await byRoleText(driver, "tab", "Days"));
    // The Protime columns and the difference are sortable headers of the report.
    for (const column of ["Calc. presence", "Difference", "Name"]) {
      await driver.findElement(By.xpath(`//button[@aria-label='Sort by ${column}']`));
    }
    const synced = await text("//*[@data-testid='protime-synced']");
    assert.match(synced, /^Protime totals last synced /, synced);
    await screenshot(driver, "timesheets-merged");
    // The chart above the table: a click on a day's bars shows only that day, and "Show all days" undoes it.
    const chart = await driver.wait(until.elementLocated(By.xpath("//*[@data-testid='hours-chart']")), 30_000);
    const bars = await chart.findElements(By.css(".recharts-bar-rectangle path"));
    assert.ok(bars.length >= 3 * 5, `worked, time present and expected for each day: ${bars.length} bars`);
    const allRows = await text("//*[@aria-label='Report summary']");
    await click(driver, bars[Math.floor(bars.length / 6)]);
    const picked = await text("//*[@data-testid='picked-day']");
    const day = /^Only (\d{4}-\d\d-\d\d)$/.exec(picked)?.[1];
    assert.ok(day, picked);
    const dates = await driver.executeScript(
      "return [...document.querySelectorAll('[data-testid=report-scroll] [data-col=date]')].map((c) => c.textContent)",
    );
    assert.ok(dates.length > 0 && dates.every((d) => d === day), `only ${day}: ${dates.slice(0, 5)}`);
    await screenshot(driver, "timesheets-merged-one-day");
    // The same in Hebrew: right to left, the chart and table still inside the window.
    const language = async (label, option, dir) => {
      await click(driver, await byLabel(driver, label));
      await click(driver, await byRoleText(driver, "option", option));
      await driver.wait(async () => (await driver.executeScript("return document.documentElement.getAttribute('dir')")) === dir, 10_000);
    };
    await language("Language", "עברית", "rtl");
    await driver.wait(until.elementLocated(By.xpath("//*[@data-testid='hours-chart']")), 10_000);
    const widths = await driver.executeScript("const d = document.documentElement; return { w: d.clientWidth, sw: d.scrollWidth }");
    assert.ok(widths.sw <= widths.w, `the Hebrew page scrolls sideways: ${JSON.stringify(widths)}`);
    await screenshot(driver, "timesheets-merged-hebrew");
    await language("שפה", "English", "ltr");
    await click(driver, await byRoleText(driver, "button", "Show all days"));
    await driver.wait(async () => (await text("//*[@aria-label='Report summary']")) === allRows, 10_000, "all days are back");
    // Sorting by the difference puts the largest gaps first.
    await click(driver, await driver.findElement(By.xpath("//button[@aria-label='Sort by Difference']")));
    await click(driver, await driver.findElement(By.xpath("//button[@aria-label='Sort by Difference']")));
    const flagged = await driver.findElements(By.xpath("//*[@data-testid='report-scroll']//*[@data-outside-tolerance='yes']"));
    assert.ok(flagged.length > 0, "rows beyond the tolerance are highlighted");
    await screenshot(driver, "timesheets-merged-by-difference");
  });

  it("refreshes the Protime totals on demand and shows the Protime source", async () => {
    await click(driver, await byRoleText(driver, "button", "Refresh from Protime"));
    await chooseSegment(driver, "Source", "Protime");
    const summary = await driver.wait(
      async () => {
        const s = await driver.executeScript("const el = document.querySelector('[aria-label=\"Report summary\"]'); return el ? el.textContent : ''");
        return /calculated presence$/.test(s) ? s : null;
      },
      90_000,
      "no Protime summary",
    );
    assert.match(summary, /^\d+ rows · \d+ employees · \d+:\d\d calculated presence$/);
    await driver.findElement(By.xpath("//button[@aria-label='Sort by Flex balance']"));
    await screenshot(driver, "timesheets-protime");
  });
});
