// Every screen at the two window sizes an HR desktop gives the app, 1280×800 and the minimum
// 900×600: the page never scrolls sideways, and nothing of the screen starts under the navigation,
// the header or the status bar.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { By, until } from "selenium-webdriver";
import { byRoleText, click, launchApp, screenshot } from "./harness.mjs";

const SCREENS = ["Clockings", "Timesheets", "Activities", "Access clockings", "Audit log", "Settings"];
const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 600 },
];

// What the page measures: sideways overflow, and the first heading of the main area against the
// navigation's right edge, the header's bottom and the status bar's top.
const MEASURE = `
  const d = document.documentElement;
  const rect = (el) => el ? el.getBoundingClientRect().toJSON() : null;
  const main = document.querySelector('main');
  return {
    clientWidth: d.clientWidth,
    scrollWidth: d.scrollWidth,
    nav: rect(document.querySelector('nav')),
    header: rect(document.querySelector('header')),
    footer: rect(document.querySelector('footer')),
    heading: rect(main && main.querySelector('h2')),
  };`;

describe("layout of every screen", () => {
  let driver;
  before(async () => {
    driver = await launchApp();
  });
  after(async () => {
    await driver?.manage().window().setRect({ width: 1280, height: 800 });
    await driver?.quit();
  });

  for (const size of SIZES) {
    it(`fits ${size.width}×${size.height} on every screen`, async () => {
      await driver.manage().window().setRect(size);
      await driver.wait(async () => (await driver.executeScript("return window.innerWidth")) <= size.width, 10_000, "the window did not resize");
      for (const name of SCREENS) {
        const started = Date.now();
        await click(driver, await byRoleText(driver, "link", name));
        await driver.wait(until.elementLocated(By.xpath("//main//h2")), 30_000);
        // Let the screen's data arrive and lay out (tables, charts, the status bar's counts).
        await driver.sleep(1500);
        await driver.executeScript("window.scrollTo(0, 0)");
        const m = await driver.executeScript(MEASURE);
        console.log(`layout: ${name} at ${size.width}×${size.height} measured after ${Date.now() - started} ms`);
        const where = `${name} at ${size.width}×${size.height}: ${JSON.stringify(m)}`;
        assert.ok(m.scrollWidth <= m.clientWidth, `the page scrolls sideways on ${where}`);
        assert.ok(m.heading, `no heading on ${where}`);
        if (m.nav && m.nav.width > 0) assert.ok(m.heading.left >= m.nav.right - 1, `the heading starts under the navigation on ${where}`);
        if (m.header) assert.ok(m.heading.top >= m.header.bottom - 1, `the heading starts under the header on ${where}`);
        if (m.footer) assert.ok(m.heading.bottom <= m.footer.top + 1, `the heading is under the status bar on ${where}`);
        // Screenshots of the two busiest screens at the minimum size only (the other end-to-end files
        // show every screen at 1280×800): each takes WebKitWebDriver close to a minute under Xvfb.
        if (size.width === 900 && (name === "Timesheets" || name === "Clockings")) {
          const shot = Date.now();
          await screenshot(driver, `layout-${size.width}x${size.height}-${name.toLowerCase().replace(/ /g, "-")}`);
          console.log(`layout: ${name} at ${size.width}×${size.height}, screenshot ${Date.now() - shot} ms`);
        }
      }
    });
  }
});
