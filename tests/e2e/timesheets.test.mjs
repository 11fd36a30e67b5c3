// The timesheet viewer in the real window on the sandbox: a month loads, filters narrow it, hours
// switch format, and the exported CSV's and PDF's grand totals equal what the screen shows.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { By, until } from "selenium-webdriver";
import { byRoleText, chooseSegment, click, launchApp, screenshot, typeInto } from "./harness.mjs";

describe("timesheet report", () => {
  let driver;
  before(async () => {
    driver = await launchApp();
    await click(driver, await byRoleText(driver, "link", "Timesheets"));
  });
  after(async () => {
    await driver?.quit();
  });

  async function summary() {
    const el = await driver.wait(until.elementLocated(By.xpath("//*[@aria-label='Report summary']")), 60_000);
    return el.getText();
  }

  it("loads last month with rows, totals and open-session flags", async () => {
    await chooseSegment(driver, "Period", "Last month");
    await driver.wait(async () => /^\d+ rows · \d+ employees/.test(await summary()), 60_000);
    const text = await summary();
    const rows = Number(/^(\d+) rows/.exec(text)[1]);
    assert.ok(rows > 500, `a month of 60 employees has many rows, got ${rows}`);
    assert.match(text, /60 employees/);
    const visible = await driver.findElements(By.xpath("//*[@data-testid='report-scroll']//*[@role='row']"));
    assert.ok(visible.length > 5 && visible.length < 100, `virtualised: ${visible.length} rows in the DOM`);
    await screenshot(driver, "timesheets-last-month");
  });

  it("filters by employee and shows decimal hours", async () => {
    await typeInto(driver, "Employee", "1001");
    await driver.wait(async () => / 1 employees /.test(await summary()), 10_000);
    await chooseSegment(driver, "Hours as", "decimal");
    await driver.wait(async () => /\d+\.\d\d worked$/.test(await summary()), 10_000);
    await screenshot(driver, "timesheets-filtered-decimal");
    await typeInto(driver, "Employee", "");
    await chooseSegment(driver, "Hours as", "h:mm");
  });

  it("exports a CSV whose total matches the screen", async () => {
    const worked = /· (\d+:\d\d) worked$/.exec(await summary())[1];
    await click(driver, await byRoleText(driver, "button", "Export CSV"));
    const saved = await driver.wait(until.elementLocated(By.xpath("//*[@aria-label='Export saved']")), 60_000);
    const path = /Saved to (.*)$/.exec((await driver.executeScript("return arguments[0].textContent", saved)).trim())[1];
    assert.ok(existsSync(path), path);
    const lines = readFileSync(path, "utf8").replace(/^\uFEFF/, "").split("\r\n");
    const all = lines.find((l) => l.startsWith("All;")).split(";");
    assert.equal(all[7], worked);
    await screenshot(driver, "timesheets-exported");
  });

  it("exports an XLSX workbook", async () => {
    await click(driver, await byRoleText(driver, "button", "Export XLSX"));
    await driver.wait(
      async () =>
        /\.xlsx$/.test(
          (await driver.executeScript("const el = document.querySelector('[aria-label=\"Export saved\"]'); return el ? el.textContent.trim() : ''")) ?? "",
        ),
      60_000,
      "no XLSX saved",
    );
    const text = await driver.executeScript("return document.querySelector('[aria-label=\"Export saved\"]').textContent.trim()");
    const path = /Saved to (.*)$/.exec(text)[1];
    const bytes = readFileSync(path);
    assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK", "an XLSX is a zip file");
  });

  it("exports a PDF whose overall total matches the screen", async () => {
    const worked = /· (\d+:\d\d) worked$/.exec(await summary())[1];
    await click(driver, await byRoleText(driver, "button", "Export PDF"));
    await driver.wait(
      async () =>
        /\.pdf$/.test(
          (await driver.executeScript("const el = document.querySelector('[aria-label=\"Export saved\"]'); return el ? el.textContent.trim() : ''")) ?? "",
        ),
      60_000,
      "no PDF saved",
    );
    const text = await driver.executeScript("return document.querySelector('[aria-label=\"Export saved\"]').textContent.trim()");
    const path = /Saved to (.*)$/.exec(text)[1];
    assert.ok(existsSync(path), path);
    assert.equal(readFileSync(path).subarray(0, 5).toString("latin1"), "%PDF-");
    // Once the button's loader has left (it fades out over 150 ms), so the screenshot shows the settled screen.
    await driver.wait(
      async () => (await driver.executeScript("return document.querySelectorAll('button[data-loading], .mantine-Button-loader').length")) === 0,
      10_000,
    );
    // On this settled page the screenshot took ~50 s under Xvfb; after moving the pointer (which
    // makes the page paint) it is immediate.
    await driver.actions().move({ origin: await driver.findElement(By.xpath("//*[@aria-label='Export saved']")) }).perform();
    await screenshot(driver, "timesheets-exported-pdf");
    // The summary page's "All employees" row carries the overall worked time.
    const { stdout: pdfText } = await promisify(execFile)("pdftotext", ["-layout", path, "-"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const all = pdfText.split("\n").find((l) => l.includes("All employees"));
    assert.ok(all, "the PDF has an overall total row");
    assert.ok(all.split(/\s+/).includes(worked), `${all} lacks ${worked}`);
    assert.match(pdfText, /Page 1 of \d+/);
  });
});
