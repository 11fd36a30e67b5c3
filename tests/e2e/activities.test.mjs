// Activity definition admin in the real window: create a parent and a child, edit the child through
// the diff preview, add/edit/delete a usage, set two restriction combinations, upsert by external reference; every
// result is checked in the sandbox over its HTTP API.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { By, Key, until } from "selenium-webdriver";
import { byLabel, byRoleText, chooseOption, click, launchApp, protimeGet, sandboxUrl, screenshot, typeInto } from "./harness.mjs";

const V = "b2347a7a-d60d-446f-b03b-7es2cc8c3281";

describe("activity definitions", () => {
  let driver;
  let sandbox;

  /** GET on the sandbox's Protime API, as any client would (token, User-Agent). */
  const api = (path) => protimeGet(sandbox, path, "connector-protimeapi-activity-definitions.read");

  async function definitions(level) {
    const page = await api(`activity-structure-versions/${V}/levels/${level}/activity-definitions`);
    return page.value ?? page;
  }

  async function byExternal(level, ref) {
    return (await definitions(level)).find((d) => d.externalReference === ref);
  }

  async function resultText(label, contains) {
    const el = await driver.wait(
      until.elementLocated(By.xpath(`//*[@role='status' and @aria-label='${label}' and contains(., '${contains}')]`)),
      20_000,
      `no '${contains}' in ${label}`,
    );
    return driver.executeScript("return arguments[0].textContent", el);
  }

  async function waitFor(xpath, message) {
    return driver.wait(until.elementLocated(By.xpath(xpath)), 20_000, message);
  }

  before(async () => {
    driver = await launchApp();
    sandbox = await sandboxUrl(driver);
    await (await byRoleText(driver, "link", "Activities")).click();
    await waitFor("//table[@aria-label='Activity definitions']//button[@aria-label='Open Acme Belgium']", "the tree never loaded");
  });
  after(async () => {
    await driver?.quit();
  });

  it("shows the tree across levels", async () => {
    const rows = await driver.findElements(By.xpath("//table[@aria-label='Activity definitions']/tbody/tr"));
    assert.ok(rows.length >= 39, `only ${rows.length} rows`);
    await screenshot(driver, "activities-tree");
  });

  it("creates a parent and a child", async () => {
    await click(driver, await byRoleText(driver, "button", "New definition on Company"));
    await typeInto(driver, "Name", "E2E Company");
    await typeInto(driver, "Name (nl)", "E2E Bedrijf");
    await typeInto(driver, "External reference", "E2E-CO");
    await click(driver, await byRoleText(driver, "button", "Create definition"));
    await resultText("Result", "Protime created the definition");
    const parent = await byExternal(1, "E2E-CO");
    assert.equal(parent.name.translations.nl, "E2E Bedrijf");

    await chooseOption(driver, "Level", "Department");
    await click(driver, await byRoleText(driver, "button", "New definition on Department"));
    await chooseOption(driver, "Parent Company", "E2E Company", { type: true });
    await typeInto(driver, "Name", "E2E Dept");
    await typeInto(driver, "External reference", "E2E-DEPT");
    await typeInto(driver, "Short code", "E2ED");
    await typeInto(driver, "Info", "first version");
    await screenshot(driver, "activities-create-editor");
    await click(driver, await byRoleText(driver, "button", "Create definition"));
    await resultText("Result", "Protime created the definition");
    const child = await byExternal(2, "E2E-DEPT");
    assert.equal(child.parent.id, parent.id);
    assert.equal(child.info, "first version");
  });

  it("edits the child after showing the diff", async () => {
    await click(driver, await byRoleText(driver, "button", "Open E2E Dept", 20_000));
    const panel = await waitFor("//section[@aria-label='Definition details']//td[normalize-space(.)='E2E-DEPT']", "no detail panel");
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", panel);
    await screenshot(driver, "activities-detail");
    await click(driver, await byRoleText(driver, "button", "Edit"));
    const parent = await byLabel(driver, "Parent Company");
    assert.equal(await parent.getAttribute("readonly"), "true");
    await typeInto(driver, "Name", "E2E Department");
    await typeInto(driver, "Info", "");
    await click(driver, await byRoleText(driver, "button", "Review changes"));
    await waitFor("//table[@aria-label='Changes']//tr[td[1]='name' and td[2]='E2E Dept' and td[3]='E2E Department']", "no name change");
    await waitFor("//table[@aria-label='Changes']//tr[td[1]='info' and td[2]='first version' and td[3]='(empty)']", "no info change");
    const changed = await driver.findElements(By.xpath("//table[@aria-label='Changes']/tbody/tr"));
    assert.equal(changed.length, 2, "only the edited fields are in the diff");
    await screenshot(driver, "activities-edit-diff");
    await click(driver, await byRoleText(driver, "button", "Save changes"));
    await resultText("Result", "Saved: 2 field(s) changed");
    const child = await byExternal(2, "E2E-DEPT");
    assert.equal(child.name.default, "E2E Department");
    assert.ok(!child.info, "info was cleared");
    assert.equal(child.shortCode, "E2ED", "fields not in the diff keep their value");
  });

  it("adds, edits and deletes a usage", async () => {
    await waitFor("//table[@aria-label='Usages']", "no usages table");
    await chooseOption(driver, "Person", "(");
    await typeInto(driver, "From", "2025-01-01");
    await typeInto(driver, "Until", "2025-06-30");
    await click(driver, await byRoleText(driver, "button", "Add usage"));
    await waitFor("//table[@aria-label='Usages']//td[normalize-space(.)='2025-06-30']", "usage not added");
    const child = await byExternal(2, "E2E-DEPT");
    const base = `activity-structure-versions/${V}/levels/2/activity-definitions/${child.id}`;
    let usages = (await api(`${base}/usages`)).usages;
    assert.equal(usages.length, 1);
    assert.equal(usages[0].until, "2025-06-30");

    await click(driver, await byRoleText(driver, "button", "Edit the usage from 2025-01-01"));
    await typeInto(driver, "Until", "2025-03-31");
    await screenshot(driver, "activities-usages-editor");
    await click(driver, await byRoleText(driver, "button", "Save usage"));
    await waitFor("//table[@aria-label='Usages']//td[normalize-space(.)='2025-03-31']", "usage not edited");
    usages = (await api(`${base}/usages`)).usages;
    assert.deepEqual(
      usages.map((u) => [u.from, u.until]),
      [["2025-01-01", "2025-03-31"]],
    );

    await click(driver, await byRoleText(driver, "button", "Delete the usage from 2025-01-01"));
    await waitFor("//table[@aria-label='Usages']//td[contains(., 'No usages')]", "usage not deleted");
    assert.equal((await api(`${base}/usages`)).usages.length, 0);
  });

  it("sets two restriction combinations and reads them back as two", async () => {
    // Combination 1: company E2E Company; combination 2: company Acme Belgium.
    await click(driver, await byRoleText(driver, "button", "Add a combination"));
    await chooseOption(driver, "Combination 1: allowed on Company", "E2E Company", { type: true });
    await (await byLabel(driver, "Combination 1: allowed on Company")).sendKeys(Key.ESCAPE);
    await click(driver, await byRoleText(driver, "button", "Add a combination"));
    await chooseOption(driver, "Combination 2: allowed on Company", "Acme Belgium", { type: true });
    await (await byLabel(driver, "Combination 2: allowed on Company")).sendKeys(Key.ESCAPE);
    // Saving waits for the preview, and the screen says so.
    await waitFor("//*[contains(., 'saving is enabled once the changes are shown')]", "no hint about the preview");
    const save = await byRoleText(driver, "button", "Save restrictions");
    assert.equal(await save.getAttribute("disabled"), "true", "save waits for the preview");
    await click(driver, await byRoleText(driver, "button", "Show what changes"));
    await waitFor("//*[@aria-label='What will change' and contains(., 'Combination 1, Company: adds E2E Company')]", "no change in combination 1");
    await waitFor("//*[@aria-label='What will change' and contains(., 'Combination 2, Company: adds Acme Belgium')]", "no change in combination 2");
    await screenshot(driver, "activities-restrictions-editor");
    await click(driver, await byRoleText(driver, "button", "Save restrictions"));
    await resultText("Restrictions saved", "Saved in Protime");
    const parent = await byExternal(1, "E2E-CO");
    const acme = (await definitions(1)).find((d) => d.name.default === "Acme Belgium");
    const child = await byExternal(2, "E2E-DEPT");
    const r = await api(`activity-structure-versions/${V}/levels/2/activity-definitions/${child.id}/restrictions`);
    assert.deepEqual(
      r.restrictions.map((combo) => combo.map((l) => [l.levelIndex, l.activityDefinitions.map((d) => d.id)])),
      [[[1, [parent.id]]], [[1, [acme.id]]]],
      "two combinations, as saved",
    );
    // The screen reads the stored set back as two combinations too.
    await waitFor("//*[@aria-label='Current restrictions' and contains(., 'Combination 2: Company: Acme Belgium')]", "not read back as two");
  });

  it("upserts by external reference: creates, then updates", async () => {
    await typeInto(driver, "Reference value", "E2E-UP");
    await chooseOption(driver, "Parent (only on creation)", "E2E Company", { type: true });
    await typeInto(driver, "Name", "E2E Upserted");
    await click(driver, await byRoleText(driver, "button", "Upsert definition"));
    await resultText("Upsert result", "Created");
    const parent = await byExternal(1, "E2E-CO");
    let up = await byExternal(2, "E2E-UP");
    assert.equal(up.parent.id, parent.id);
    await typeInto(driver, "Name", "E2E Upserted again");
    await click(driver, await byRoleText(driver, "button", "Upsert definition"));
    await resultText("Upsert result", "Updated");
    up = await byExternal(2, "E2E-UP");
    assert.equal(up.name.default, "E2E Upserted again");
    const puts = (await (await fetch(`${sandbox}/sandbox/protime/requests`)).json()).filter(
      (r) => r.method === "PUT" && r.pathAndQuery.includes("/E2E-UP?") && decodeURIComponent(r.pathAndQuery).includes("(activity-definitions,@external-reference)"),
    );
    assert.equal(puts.length, 2);
  });

  it("bulk upserts from pasted CSV: problems by line, then counts", async () => {
    const csv = "externalReference,name,name_nl,parent\nE2E-CSV,E2E Csv,E2E Csv nl,E2E-CO\nE2E-BAD,,,\n";
    const area = await byLabel(driver, "Or paste the definitions CSV");
    await click(driver, area);
    await driver.executeScript(
      "const el = arguments[0]; const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set; set.call(el, arguments[1]); el.dispatchEvent(new Event('input', { bubbles: true }));",
      area,
      csv,
    );
    await waitFor("//table[@aria-label='Problems in the definitions file']//tr[td[1]='3' and td[2]='name']", "no problem row");
    await click(driver, await byRoleText(driver, "button", "Check against Protime and send 1 row(s)"));
    await resultText("Upsert summary", "Created 1, updated 0, refused 1");
    await screenshot(driver, "activities-csv-upsert");
    const parent = await byExternal(1, "E2E-CO");
    const created = await byExternal(2, "E2E-CSV");
    assert.equal(created.parent.id, parent.id);
    assert.equal(created.name.translations.nl, "E2E Csv nl");
  });

  it("deactivates a definition with an explanation", async () => {
    await click(driver, await byRoleText(driver, "button", "Open E2E Department", 20_000));
    await waitFor("//section[@aria-label='Definition details']//td[normalize-space(.)='E2E-DEPT']", "no detail panel");
    await click(driver, await byRoleText(driver, "button", "Deactivate"));
    await waitFor("//*[@role='dialog' and contains(., 'Protime has no delete')]", "no explanation");
    await typeInto(driver, "Last day it may be used", "2025-12-31");
    await click(driver, await waitFor("//*[@role='dialog']//button[normalize-space(.)='Deactivate']", "no confirm button"));
    await resultText("Result", "The definition ends on 2025-12-31");
    const child = await byExternal(2, "E2E-DEPT");
    assert.equal(child.activeUntil, "2025-12-31");
    assert.equal(child.shortCode, "E2ED", "deactivating keeps every other field");
  });
});
