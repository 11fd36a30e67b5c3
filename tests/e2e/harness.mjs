// Shared helpers for the end-to-end tests: one app session per test file, controls found by their
// label and role (never by CSS classes), and a screenshot per screen under tests/artifacts/.
import { Builder, By, Key, until } from "selenium-webdriver";
import { mkdirSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = process.env.TIMEBRIDGE_SCREENSHOTS ?? join(here, "..", "artifacts", "screenshots");
const DRIVER_URL = process.env.TAURI_DRIVER_URL ?? "http://127.0.0.1:4444";
const APP = process.env.TIMEBRIDGE_APP;

/** The pids of running processes whose program is `binary`. */
export function processesOf(binary) {
  let target;
  try {
    target = realpathSync(binary);
  } catch {
    return [];
  }
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/exe`) === target) pids.push(Number(entry));
    } catch {
      // gone, or not ours to look at
    }
  }
  return pids;
}

/** Waits until no app of an earlier test file still runs: it would hold the single-instance lock. */
async function previousAppGone(timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (processesOf(APP).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

/** Starts the app through tauri-driver and returns the WebDriver session. */
export async function launchApp() {
  if (!APP) throw new Error("TIMEBRIDGE_APP must point at the built app binary");
  await previousAppGone();
  const capabilities = { browserName: "wry", "tauri:options": { application: APP } };
  const driver = await new Builder().usingServer(DRIVER_URL).withCapabilities(capabilities).build();
  await driver.manage().setTimeouts({ implicit: 0, script: 30_000 });
  await driver.wait(until.elementLocated(By.css("nav")), 30_000, "the app window never showed its navigation");
  return driver;
}

/** XPath string literal that survives quotes in the text. */
export function xpathLiteral(text) {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return `concat('${text.split("'").join(`', "'", '`)}')`;
}

/** A link or button by its accessible text. */
export async function byRoleText(driver, role, text, timeout = 10_000) {
  const lit = xpathLiteral(text);
  const xpath =
    role === "link"
      ? `//a[normalize-space(.)=${lit} or @aria-label=${lit}]`
      : `//*[(self::button or @role=${xpathLiteral(role)}) and (normalize-space(.)=${lit} or @aria-label=${lit})]`;
  // A match removed while WebKitWebDriver builds the answer (the screen re-rendering) is "look again".
  return driver.wait(
    async () => {
      try {
        return (await driver.findElements(By.xpath(xpath)))[0] ?? null;
      } catch (e) {
        if (e?.name === "StaleElementReferenceError") return null;
        throw e;
      }
    },
    timeout,
    `no ${role} named "${text}"`,
  );
}

/** The visible form control labelled `label` (through <label for>, aria-label or aria-labelledby). */
export async function byLabel(driver, label, timeout = 10_000) {
  const lit = xpathLiteral(label);
  let found = null;
  await driver.wait(
    async () => {
      const candidates = await driver.findElements(By.xpath(`//label[normalize-space(.)=${lit}] | //*[@aria-label=${lit}]`));
      for (const c of candidates) {
        let target = c;
        if ((await c.getTagName()) === "label") {
          const id = await c.getAttribute("for");
          if (!id) continue;
          const targets = await driver.findElements(By.id(id));
          if (targets.length === 0) continue;
          target = targets[0];
        }
        // A segmented control's radio is hidden behind its label; skip controls that are not shown.
        if ((await target.isDisplayed()) || (await target.getAttribute("type")) === "checkbox") {
          found = target;
          return true;
        }
      }
      return false;
    },
    timeout,
    `no visible control labelled "${label}"`,
  );
  return found;
}

/** The main heading of the current screen. */
export async function screenHeading(driver) {
  // Read through the DOM: screens re-render while their data loads, which makes element handles stale.
  return driver.executeScript("const h = document.querySelector('main h2'); return h ? h.textContent : ''");
}

/**
 * How many elements match `xpath` now. WebKitWebDriver can fail a search with a stale-element error
 * when a match is removed while it builds the answer (a form or dialog closing): that counts as "look
 * again", never as a failure.
 */
export async function countOf(driver, xpath) {
  for (;;) {
    try {
      return (await driver.findElements(By.xpath(xpath))).length;
    } catch (e) {
      if (e?.name !== "StaleElementReferenceError") throw e;
    }
  }
}

/**
 * Saves what the window shows now. Under the test session's Xvfb the window is grabbed from the X
 * display (ImageMagick's `import`, cropped to the window): WebKitWebDriver's own screenshot waits for
 * the page's next frame, and a page with nothing moving paints again only when the status bar's
 * minute check comes, so it took up to 60 s. Elsewhere (no display given) WebDriver's is used.
 */
export async function screenshot(driver, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  const display = process.env.TIMEBRIDGE_E2E_DISPLAY;
  if (display) {
    const { x, y, width, height } = await driver.manage().window().getRect();
    try {
      execFileSync("import", ["-display", display, "-window", "root", "-crop", `${width}x${height}+${x}+${y}`, "+repage", file], { stdio: "ignore" });
      return file;
    } catch {
      // No ImageMagick here: fall back to the driver's screenshot.
    }
  }
  const png = await driver.takeScreenshot();
  writeFileSync(file, Buffer.from(png, "base64"));
  return file;
}

/**
 * Scrolls the element to the middle of the window (clear of the fixed header and status bar), then
 * clicks. While a drawer or dialog is still sliding in or fading out its overlay takes the click:
 * that is tried again for up to five seconds, so an element covered for good still fails.
 */
export async function click(driver, element) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
      await element.click();
      return;
    } catch (e) {
      if (e?.name !== "ElementClickInterceptedError" || Date.now() > deadline) throw e;
      await driver.sleep(200);
    }
  }
}

/** Picks `option` in the SegmentedControl labelled `group`. */
export async function chooseSegment(driver, group, option) {
  // The screen may re-render between finding the label and clicking (data arriving, a language or
  // scheme change): a stale element means "look again", up to ten seconds.
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const label = await driver.wait(
        until.elementLocated(By.xpath(`//*[@id and normalize-space(.)=${xpathLiteral(group)}]`)),
        10_000,
        `no segmented control "${group}"`,
      );
      const id = await label.getAttribute("id");
      const choice = await driver.findElement(
        By.xpath(`//*[@aria-labelledby=${xpathLiteral(id)}]//label[normalize-space(.)=${xpathLiteral(option)}]`),
      );
      await click(driver, choice);
      return;
    } catch (e) {
      if (e?.name !== "StaleElementReferenceError" || Date.now() > deadline) throw e;
    }
  }
}

/** Opens the Select labelled `label`, optionally types to filter, and clicks the first option containing `text`. */
export async function chooseOption(driver, label, text, { type = false } = {}) {
  const input = await byLabel(driver, label);
  await click(driver, input);
  if (type) await input.sendKeys(text);
  let option = null;
  await driver.wait(
    async () => {
      const listbox = await input.getAttribute("aria-controls");
      const scope = listbox ? `//*[@id=${xpathLiteral(listbox)}]` : "";
      const options = await driver.findElements(
        By.xpath(`${scope}//*[@role='option' and contains(normalize-space(.), ${xpathLiteral(text)})]`),
      );
      for (const o of options) {
        if (await o.isDisplayed()) {
          option = o;
          return true;
        }
      }
      return false;
    },
    15_000,
    `no option "${text}" in ${label}`,
  );
  await click(driver, option);
}

/** Replaces the value of the text field labelled `label`. */
export async function typeInto(driver, label, value) {
  const input = await byLabel(driver, label);
  await click(driver, input);
  await input.sendKeys(Key.chord(Key.CONTROL, "a"), Key.BACK_SPACE);
  if (value) await input.sendKeys(value);
}

/** Opens the profile form's "Advanced settings" (addresses, scopes, structure versions) unless open. */
export async function openAdvancedSettings(driver) {
  const button = await driver.wait(
    until.elementLocated(By.xpath("//form//button[contains(normalize-space(.), 'Advanced settings')]")),
    10_000,
    "the profile form has no Advanced settings",
  );
  if ((await button.getAttribute("aria-expanded")) !== "true") await click(driver, button);
}

/** The built-in sandbox's URL, as the Settings screen shows it. */
export async function sandboxUrl(driver) {
  await (await byRoleText(driver, "link", "Settings")).click();
  const cell = await driver.wait(
    until.elementLocated(
      By.xpath("//table[@aria-label='Active profile']//tr[th[normalize-space(.)='Sandbox address']]/td[starts-with(normalize-space(.), 'http')]"),
    ),
    20_000,
  );
  return (await cell.getText()).trim();
}

/**
 * GET on a sandbox's Protime API as any client would: a client-credentials token for `scope`, then
 * the request with it. Returns the parsed JSON; any status but 200 fails the test.
 */
export async function protimeGet(sandbox, path, scope) {
  const token = await fetch(`${sandbox}/tenants/sandbox/connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: "timebridge-sandbox", client_secret: "sandbox-secret", scope }),
  }).then((r) => r.json());
  const res = await fetch(`${sandbox}/connector/protimeapi/api/v1/${path}`, {
    headers: { authorization: `Bearer ${token.access_token}`, "user-agent": "Timebridge-e2e/1.0 (tests)" },
  });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  return res.json();
}

/** Starts `timebridge sandbox` with `args` and resolves with its process and base URL once it serves. */
export function startCliSandbox(args = []) {
  const cli = process.env.TIMEBRIDGE_CLI;
  if (!cli) throw new Error("TIMEBRIDGE_CLI must point at the built timebridge binary");
  return new Promise((resolve, reject) => {
    const child = spawn(cli, ["sandbox", ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /sandbox ready on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`the sandbox exited with ${code}`)));
  });
}

/**
 * Adds a profile with custom URLs pointing at a `timebridge sandbox` through Settings, as a user
 * does, switches to it and waits until TimeClock 365 answers.
 */
export async function useSandboxProfile(driver, name, url) {
  await click(driver, await byRoleText(driver, "link", "Settings"));
  await click(driver, await byRoleText(driver, "button", "Add profile"));
  await typeInto(driver, "Profile name", name);
  await chooseSegment(driver, "Protime environment", "Custom URLs");
  await typeInto(driver, "Protime API address", `${url}/connector/protimeapi/api/v1/`);
  await typeInto(driver, "Protime token address", `${url}/tenants/sandbox/connect/token`);
  await typeInto(driver, "Client id", "timebridge-sandbox");
  await typeInto(driver, "Client secret", "sandbox-secret");
  await openAdvancedSettings(driver);
  await typeInto(driver, "TimeClock 365 endpoint", `${url}/api/v1/json-rpc`);
  await typeInto(driver, "TimeClock 365 API key", "sandbox-key");
  await click(driver, await byRoleText(driver, "button", "Save profile"));
  await click(driver, await byRoleText(driver, "button", `Switch to ${name}`, 15_000));
  await driver.wait(until.elementLocated(By.xpath("//*[@role='status' and @aria-label='TimeClock 365: Connected']")), 60_000);
}
