// Release smoke test: the binary installed from the release .deb (unpacked with `dpkg -x`) opens
// its window on the built-in sandbox, reaches both systems, renders the Clockings screen, and runs
// as the release identifier (its log folder), never as the development build.
// Not a *.test.mjs on purpose: the normal end-to-end suite must not pick it up; run it through
// `bash tests/quickstart.sh release`, which builds and unpacks the .deb first.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { By, until } from "selenium-webdriver";
import { byRoleText, launchApp, screenHeading, screenshot } from "../harness.mjs";

// The throwaway XDG data folder the script gave the app, and the identifiers of the two builds.
const DATA_HOME = process.env.TIMEBRIDGE_E2E_DATA_HOME;
const RELEASE_ID = process.env.TIMEBRIDGE_RELEASE_IDENTIFIER;
const DEV_ID = process.env.TIMEBRIDGE_DEV_IDENTIFIER;

describe("installed release build", () => {
  let driver;
  before(async () => {
    assert.ok(DATA_HOME && RELEASE_ID && DEV_ID, "run this through tests/quickstart.sh release");
    driver = await launchApp();
  });
  after(async () => {
    await driver?.quit();
  });

  it("opens a window titled Timebridge", async () => {
    assert.equal(await driver.getTitle(), "Timebridge");
  });

  it("reaches both systems on the built-in sandbox", async () => {
    for (const system of ["Protime", "TimeClock 365"]) {
      const status = await driver.wait(
        until.elementLocated(By.xpath(`//*[@role='status' and @aria-label='${system}: Connected']`)),
        45_000,
        `${system} never reported Connected in the release build`,
      );
      assert.equal(await status.getAttribute("data-state"), "ok");
    }
    const footer = await driver.executeScript("return document.querySelector('footer').textContent");
    assert.match(footer, /Sandbox/);
  });

  it("renders the Clockings screen", async () => {
    await (await byRoleText(driver, "link", "Clockings")).click();
    await driver.wait(async () => (await screenHeading(driver)) === "Clockings", 10_000, "Clockings did not open");
    await driver.wait(until.elementLocated(By.xpath("//form[@aria-label='Manual clocking']")), 10_000);
    await screenshot(driver, "release-clockings");
  });

  it("keeps its files under the release identifier, apart from a development build", async () => {
    const log = join(DATA_HOME, RELEASE_ID, "logs", "timebridge.log");
    assert.ok(existsSync(log), `no log at ${log}`);
    assert.match(readFileSync(log, "utf8"), /Timebridge \S+ starting/);
    // A release build refuses the mock secret store: it runs on the real OS keychain (the script
    // starts GNOME Keyring's Secret Service on the session bus).
    assert.match(readFileSync(log, "utf8"), /secrets in the OS keychain/);
    assert.ok(!existsSync(join(DATA_HOME, DEV_ID)), `the release build wrote into the development folder ${DEV_ID}`);
  });
});
