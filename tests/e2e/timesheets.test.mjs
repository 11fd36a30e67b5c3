// The timesheet viewer in the real window on the sandbox: a month loads, filters narrow it, hours
// switch format, and the exported CSV's and PDF's grand totals equal what the screen shows.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { By, until } from "selenium-webdriver";
import { byLabel, byRoleText, chooseOption, chooseSegment, click, launchApp, screenshot, typeInto } from "./harness.mjs";

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
    // The answer first: at 1280×800 the first rows are on screen without scrolling, and the page
    // itself never scrolls sideways (the table scrolls inside itself).
    const first = await driver.findElement(By.xpath("//*[@data-testid='report-scroll']//*[@role='row' and @aria-rowindex='2']"));
    const rect = await driver.executeScript("return arguments[0].getBoundingClientRect().toJSON()", first);
    const viewport = await driver.executeScript(
      "const d = document.documentElement; return { h: window.innerHeight, w: d.clientWidth, sw: d.scrollWidth, sh: d.scrollHeight }",
    );
    assert.ok(rect.bottom < viewport.h - 40, `the first row is below the fold: ${JSON.stringify(rect)}`);
    assert.ok(viewport.sw <= viewport.w, `the page scrolls sideways: ${JSON.stringify(viewport)}`);
    // Nor up and down: the table, chart included, fits between the toolbar and the status bar.
    const lowest = await driver.executeScript(`
      const clipped = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { const o = getComputedStyle(p).overflowY; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
      const all = [];
      for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect(); if (r.height > 0 && !clipped(el)) all.push({ bottom: Math.round(r.bottom), top: Math.round(r.top), tag: el.tagName, cls: String(el.className).slice(0, 60), pos: getComputedStyle(el).position }); }
      all.sort((a, b) => b.bottom - a.bottom);
      return all.slice(0, 4);`);
    assert.ok(viewport.sh <= viewport.h, `the page scrolls vertically: ${JSON.stringify(viewport)}, lowest ${JSON.stringify(lowest)}`);
    // Totals per employee: one line each, and the overall line equals the summary's worked time.
    await click(driver, await byRoleText(driver, "tab", "Employees"));
    const perEmployee = await driver.wait(until.elementLocated(By.xpath("//table[@aria-label='Totals per employee']")), 10_000);
    const lines = await perEmployee.findElements(By.xpath("./tbody/tr"));
    assert.equal(lines.length, 61, "60 employees and All");
    const all = await lines[60].findElements(By.xpath("./td"));
    assert.equal(await all[0].getText(), "All");
    const headers = await Promise.all((await perEmployee.findElements(By.xpath("./thead//th"))).map((th) => th.getText()));
    assert.equal(headers[1], "Name", "every source shows names");
    assert.equal(await all[headers.indexOf("Worked")].getText(), /· (\d+:\d\d) worked$/.exec(text)[1]);
    assert.match(await lines[0].getText(), /Expected|\d+:\d\d/);
    await screenshot(driver, "timesheets-per-employee");
    await click(driver, await byRoleText(driver, "tab", "Weeks"));
    await driver.wait(until.elementLocated(By.xpath("//table[@aria-label='Totals per ISO week']")), 10_000);
    await screenshot(driver, "timesheets-per-week");
    await click(driver, await byRoleText(driver, "tab", "Days"));
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

  it("narrows to one group and opens a day's work logs", async () => {
    const before = Number(/ (\d+) employees/.exec(await summary())[1]);
    await chooseOption(driver, "Group", "Belgium");
    await driver.wait(async () => Number(/ (\d+) employees/.exec(await summary())[1]) < before, 10_000, "the group filter did not narrow the rows");
    const open = await driver.wait(
      until.elementLocated(By.xpath("//*[@data-testid='report-scroll']//button[starts-with(@aria-label, 'Show the work logs of')]")),
      10_000,
      "no day with work logs in view",
    );
    const label = await open.getAttribute("aria-label");
    await click(driver, open);
    const what = label.replace("Show the work logs of", "Work logs of");
    const list = await driver.wait(until.elementLocated(By.xpath(`//ul[@aria-label=${JSON.stringify(what)}]`)), 10_000);
    const items = await list.findElements(By.xpath("./li"));
    assert.ok(items.length > 0, "the work logs are listed");
    assert.match(await items[0].getText(), /\d\d:\d\d–/);
    await screenshot(driver, "timesheets-work-logs");
    await click(driver, await driver.findElement(By.xpath(`//button[@aria-label=${JSON.stringify(label.replace("Show", "Hide"))}]`)));
    await click(driver, await driver.findElement(By.xpath("//button[@aria-label='Clear the group filter']")));
    await driver.wait(async () => Number(/ (\d+) employees/.exec(await summary())[1]) === before, 10_000, "the group filter did not clear");
  });

  /** The "Save to" field once it holds a suggestion (matching `pattern`). */
  async function suggestedPath(pattern = /\S/) {
    const field = await byLabel(driver, "Save to");
    await driver.wait(async () => pattern.test(await field.getAttribute("value")), 10_000, "no suggested file name");
    return field.getAttribute("value");
  }

  async function savedPath(previous = "") {
    let path = "";
    await driver.wait(
      async () => {
        path = await driver.executeScript(
          "const el = document.querySelector('[aria-label=\"Saved file\"]'); return el ? el.textContent.trim() : ''",
        );
        path = (/Saved to (.*)$/.exec(path ?? "") ?? [])[1] ?? "";
        return path !== "" && path !== previous;
      },
      60_000,
      "no export saved",
    );
    return path;
  }

  it("exports a CSV to the suggested file in Downloads, whose total matches the screen", async () => {
    const worked = /· (\d+:\d\d) worked$/.exec(await summary())[1];
    // The export settings live in a drawer opened from the toolbar; it stays open for the exports below.
    await click(driver, await byRoleText(driver, "button", "Export…"));
    const suggested = await suggestedPath();
    assert.match(suggested, /\/timesheet-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
    await click(driver, await byRoleText(driver, "button", "Export CSV"));
    const path = await savedPath();
    assert.equal(path, suggested);
    assert.ok(existsSync(path), path);
    const lines = readFileSync(path, "utf8").replace(/^\uFEFF/, "").split("\r\n");
    const all = lines.find((l) => l.startsWith("All;")).split(";");
    assert.equal(all[7], worked);
    await byRoleText(driver, "button", "Show in folder");
    await screenshot(driver, "timesheets-exported");
  });

  it("saves where the user types, and refuses to overwrite a file without asking", async () => {
    const dir = mkdtempSync(join(tmpdir(), "timebridge-export-"));
    const target = join(dir, "payroll-november");
    await typeInto(driver, "Save to", target);
    await chooseOption(driver, "Delimiter", "Comma ,");
    await click(driver, await byRoleText(driver, "button", "Export CSV"));
    const path = await savedPath(join(dir, "x"));
    assert.equal(path, `${target}.csv`, "the extension is added");
    const header = readFileSync(path, "utf8").replace(/^\uFEFF/, "").split("\r\n")[0];
    assert.ok(header.includes(","), header);
    // The same name again: refused with a clear message; the file stays as it was.
    const before = readFileSync(path);
    await typeInto(driver, "Save to", path);
    await click(driver, await byRoleText(driver, "button", "Export CSV"));
    const alert = await driver.wait(until.elementLocated(By.xpath("//*[@role='alert']")), 30_000);
    assert.match(await alert.getText(), /already exists/);
    assert.deepEqual(readFileSync(path), before);
    await screenshot(driver, "timesheets-export-refused");
    await chooseOption(driver, "Delimiter", "Semicolon ;");
  });

  it("exports an XLSX workbook", async () => {
    await chooseSegment(driver, "File format", "XLSX");
    const suggested = await suggestedPath(/\.xlsx$/);
    assert.match(suggested, /\.xlsx$/);
    await click(driver, await byRoleText(driver, "button", "Export XLSX"));
    const path = await savedPath();
    assert.equal(path, suggested);
    const bytes = readFileSync(path);
    assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK", "an XLSX is a zip file");
    await chooseSegment(driver, "File format", "CSV");
  });

  it("exports a PDF whose overall total matches the screen", async () => {
    const worked = /· (\d+:\d\d) worked$/.exec(await summary())[1];
    await chooseSegment(driver, "File format", "PDF");
    const suggested = await suggestedPath(/\.pdf$/);
    await click(driver, await byRoleText(driver, "button", "Export PDF"));
    const path = await savedPath();
    assert.equal(path, suggested);
    assert.ok(existsSync(path), path);
    assert.equal(readFileSync(path).subarray(0, 5).toString("latin1"), "%PDF-");
    // Move the pointer so the settled page paints before the screenshot (it can stall under Xvfb).
    await driver.actions().move({ origin: await driver.findElement(By.xpath("//*[@aria-label='Export saved']")) }).perform();
    await screenshot(driver, "timesheets-exported-pdf");
    // The summary page's "All employees" row carries the overall worked time.
    const { stdout: pdfText } = await promisify(execFile)("pdftotext", ["-layout", path, "-"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const all = pdfText.split("\n").find((l) => l.includes("All employees"));
    assert.ok(all, "the PDF has an overall total row");
    assert.ok(all.split(/\s+/).includes(worked), `${all} lacks ${worked}`);
    assert.match(pdfText, /Page 1 of \d+/);
    await chooseSegment(driver, "File format", "CSV");
  });
});
