// Profiles, access clockings and the audit log in the real window: create a profile that points at the
// built-in sandbox with custom URLs and the demo credentials, test it, switch to it, look up an access
// clocking, submit a clocking and find the write in the audit log. Ends back on the Sandbox profile.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { By, Key, until } from "selenium-webdriver";
import { byLabel, byRoleText, chooseOption, chooseSegment, click, countOf, launchApp, openAdvancedSettings, sandboxUrl, screenshot, typeInto } from "./harness.mjs";

const NAME = "Local sandbox";

describe("profiles, access clockings and the audit log", () => {
  let driver;
  let sandbox;

  async function goTo(link) {
    await click(driver, await byRoleText(driver, "link", link));
  }

  async function activeProfileName() {
    // textContent: a Mantine badge renders its text in capitals.
    return driver.executeScript("return document.querySelector(\"footer [aria-label='Profile']\")?.textContent.trim() ?? ''");
  }

  before(async () => {
    driver = await launchApp();
    sandbox = await sandboxUrl(driver);
  });
  after(async () => {
    if (driver) {
      // Leave the Sandbox profile active for the next test file (the mock keychain forgets on restart).
      try {
        await goTo("Settings");
        const back = await byRoleText(driver, "button", "Switch to Sandbox", 5_000);
        if ((await back.getAttribute("disabled")) === null) await click(driver, back);
        await driver.wait(async () => (await activeProfileName()) === "Sandbox", 15_000);
      } finally {
        await driver.quit();
      }
    }
  });

  it("creates a profile with custom URLs and the demo credentials", async () => {
    await click(driver, await byRoleText(driver, "button", "Add profile"));
    await typeInto(driver, "Profile name", NAME);
    await typeInto(driver, "Colour", "#7048e8");
    // Leave the colour field so its picker closes (it would cover the fields below it).
    await (await byLabel(driver, "Colour")).sendKeys(Key.TAB);
    await chooseSegment(driver, "Protime environment", "Custom URLs");
    await typeInto(driver, "Protime API address", `${sandbox}/connector/protimeapi/api/v1/`);
    await typeInto(driver, "Protime token address", `${sandbox}/tenants/sandbox/connect/token`);
    await typeInto(driver, "Client id", "timebridge-sandbox");
    await typeInto(driver, "Client secret", "sandbox-secret");
    await openAdvancedSettings(driver);
    await typeInto(driver, "TimeClock 365 endpoint", `${sandbox}/api/v1/json-rpc`);
    await typeInto(driver, "TimeClock 365 API key", "sandbox-key");
    await screenshot(driver, "settings-profile-form");
    await click(driver, await byRoleText(driver, "button", "Save profile"));
    const row = await driver.wait(
      until.elementLocated(By.xpath(`//table[@aria-label='Profiles']//tr[.//*[normalize-space(.)='${NAME}']]`)),
      15_000,
      "the new profile is not listed",
    );
    assert.match(await row.getText(), /Secrets in the keychain/);
    const page = await driver.executeScript("return document.body.innerText");
    assert.ok(!page.includes("sandbox-secret") && !page.includes("sandbox-key"), "a secret is shown on the page");
  });

  it("tests the new profile: both systems work", async () => {
    await click(driver, await byRoleText(driver, "button", `Test connection of ${NAME}`));
    for (const system of ["Protime", "TimeClock 365"]) {
      await driver.wait(
        until.elementLocated(By.xpath(`//*[@role='status' and @aria-label='${system}: Connection works']`)),
        30_000,
        `${system} test did not pass`,
      );
    }
    const result = await driver.findElement(By.xpath(`//section[@aria-label='Connection test: ${NAME}']`));
    assert.match(await result.getText(), /50 people/);
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", result);
    await screenshot(driver, "settings-connection-test");
  });

  it("duplicates the profile, names a refused API key on the copy, then deletes the copy", async () => {
    const copy = `${NAME} (copy)`;
    await click(driver, await byRoleText(driver, "button", `Duplicate ${NAME}`));
    await click(driver, await byRoleText(driver, "button", `Edit ${copy}`, 15_000));
    await driver.wait(until.elementLocated(By.xpath("//form[@aria-label='Edit profile']")), 10_000);
    await typeInto(driver, "TimeClock 365 API key", "wrong-key");
    await click(driver, await byRoleText(driver, "button", "Save profile"));
    await driver.wait(
      async () => (await countOf(driver, "//form[@aria-label='Edit profile']")) === 0,
      10_000,
      "the form stayed open",
    );
    await click(driver, await byRoleText(driver, "button", `Test connection of ${copy}`));
    const section = `//section[@aria-label='Connection test: ${copy}']`;
    await driver.wait(
      until.elementLocated(By.xpath(`${section}//*[@role='status' and @aria-label='TimeClock 365: Connection failed']`)),
      30_000,
      "the wrong key was not reported",
    );
    const result = await driver.findElement(By.xpath(section));
    const text = await driver.executeScript("return arguments[0].textContent", result);
    assert.match(text, /API key refused/);
    assert.match(text, /TimeClock 365 refused the API key/);
    assert.ok(!text.includes("wrong-key"), "the refused key is shown");
    await driver.findElement(By.xpath(`${section}//*[@role='status' and @aria-label='Protime: Connection works']`));
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", result);
    await screenshot(driver, "settings-connection-failure");

    await click(driver, await byRoleText(driver, "button", `Delete ${copy}`));
    // The confirmation dialog fades in: click its button once it is shown and settled.
    const confirm = await driver.wait(
      until.elementLocated(By.xpath("//*[@role='dialog']//button[normalize-space(.)='Delete profile']")),
      10_000,
    );
    await driver.wait(until.elementIsVisible(confirm), 10_000);
    await driver.sleep(400);
    await click(driver, confirm);
    await driver.wait(
      async () => (await countOf(driver, "//*[@role='dialog']")) === 0,
      10_000,
      "the confirmation dialog stayed open",
    );
    await driver.wait(
      async () =>
        (await countOf(driver, `//table[@aria-label='Profiles']//tr[.//*[normalize-space(.)='${copy}']]`)) === 0,
      10_000,
      "the copy is still listed",
    );
  });

  it("switches to the new profile", async () => {
    await click(driver, await byRoleText(driver, "button", `Switch to ${NAME}`));
    await driver.wait(async () => (await activeProfileName()) === NAME, 20_000, "the status bar never showed the new profile");
    await driver.wait(
      until.elementLocated(By.xpath(`//table[@aria-label='Profiles']//tr[@data-active='true' and .//*[normalize-space(.)='${NAME}']]`)),
      10_000,
    );
    for (const system of ["Protime", "TimeClock 365"]) {
      await driver.wait(
        until.elementLocated(By.xpath(`//*[@role='status' and @aria-label='${system}: Connected']`)),
        45_000,
        `${system} not connected on the new profile`,
      );
    }
    await driver.executeScript("window.scrollTo(0, 0)");
    await screenshot(driver, "settings-profiles");
  });

  it("looks up access clocking 1234 with the person's employee number, and lists a week", async () => {
    await goTo("Access clockings");
    await typeInto(driver, "Access clocking id", "1234");
    await click(driver, await byRoleText(driver, "button", "Look up"));
    const result = await driver.wait(
      until.elementLocated(By.xpath("//table[@aria-label='Access clocking']")),
      20_000,
      "no lookup result",
    );
    const text = await result.getText();
    assert.match(text, /1234/);
    assert.match(text, /Access granted|Access denied|PIN code|Alarm code|Anti-passback|zone|Badge was unknown/);
    await click(driver, await byRoleText(driver, "button", "Show access clockings"));
    const list = await driver.wait(
      until.elementLocated(By.xpath("//table[@aria-label='Access clockings found']//tbody/tr")),
      20_000,
      "no access clockings listed",
    );
    assert.ok(list);
    await driver.executeScript("window.scrollTo(0, 0)");
    await screenshot(driver, "access-clockings");
  });

  it("records a clocking sent on the Clockings screen in the audit log", async () => {
    await goTo("Clockings");
    await driver.wait(until.elementLocated(By.xpath("//form[@aria-label='Manual clocking']")), 10_000);
    await chooseOption(driver, "Person", "1007", { type: true });
    await typeInto(driver, "Time", "10:15");
    const button = await byRoleText(driver, "button", "Submit clocking");
    await driver.wait(async () => (await button.getAttribute("disabled")) === null, 10_000, "Submit stayed disabled");
    await click(driver, button);
    const created = await driver.wait(
      until.elementLocated(By.xpath("//*[@role='status' and @aria-label='Result' and contains(., 'Protime created clocking')]")),
      20_000,
      "no 'created' result",
    );
    const id = /clocking (\d+)/.exec(await driver.executeScript("return arguments[0].textContent", created))[1];

    await goTo("Audit log");
    const row = await driver.wait(
      until.elementLocated(By.xpath(`//table[@aria-label='Audit entries']//tr[td[normalize-space(.)='${id}']]`)),
      15_000,
      `clocking ${id} is not in the audit log`,
    );
    const rowText = await driver.executeScript("return arguments[0].textContent", row);
    assert.match(rowText, new RegExp(NAME));
    assert.match(rowText, /POST \/clockings/);
    assert.match(rowText, /Created/);
    const tenant = await row.findElement(By.xpath("./td[3]"));
    assert.equal((await tenant.getText()).trim(), "sandbox", "the Protime tenant written to");
    await click(driver, await byRoleText(driver, "button", "Save CSV to Downloads"));
    const saved = await driver.wait(
      until.elementLocated(By.xpath("//*[@role='status' and @aria-label='CSV saved']")),
      10_000,
    );
    assert.match(await saved.getText(), /timebridge-audit-.*\.csv/);
    await driver.executeScript("window.scrollTo(0, 0)");
    await screenshot(driver, "audit-log");
    const page = await driver.executeScript("return document.body.innerText");
    assert.ok(!page.includes("sandbox-secret") && !page.includes("sandbox-token"), "a secret is shown on the page");
  });

  it("keeps the built-in Sandbox profile: it cannot be deleted", async () => {
    await goTo("Settings");
    await byRoleText(driver, "button", `Delete ${NAME}`);
    const deletes = await driver.findElements(By.xpath("//*[@aria-label='Delete Sandbox']"));
    assert.equal(deletes.length, 0);
    await byLabel(driver, "Profile name", 1_000).then(
      () => assert.fail("the form should be closed"),
      () => {},
    );
  });
});
