// Shared helpers for the end-to-end tests: one app session per test file, controls found by their
// label and role (never by CSS classes), and a screenshot per screen under tests/artifacts/.
import { Builder, By, until } from "selenium-webdriver";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = process.env.TIMEBRIDGE_SCREENSHOTS ?? join(here, "..", "artifacts", "screenshots");
const DRIVER_URL = process.env.TAURI_DRIVER_URL ?? "http://127.0.0.1:4444";
const APP = process.env.TIMEBRIDGE_APP;

/** Starts the app through tauri-driver and returns the WebDriver session. */
export async function launchApp() {
  if (!APP) throw new Error("TIMEBRIDGE_APP must point at the built app binary");
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
  return driver.wait(until.elementLocated(By.xpath(xpath)), timeout, `no ${role} named "${text}"`);
}

/** The form control labelled `label` (through <label for>, aria-label or aria-labelledby). */
export async function byLabel(driver, label, timeout = 10_000) {
  const lit = xpathLiteral(label);
  const labelEl = await driver.wait(
    until.elementLocated(By.xpath(`//label[normalize-space(.)=${lit}] | //*[@aria-label=${lit}]`)),
    timeout,
    `no control labelled "${label}"`,
  );
  if ((await labelEl.getTagName()) !== "label") return labelEl;
  const id = await labelEl.getAttribute("for");
  return driver.findElement(By.id(id));
}

/** The main heading of the current screen. */
export async function screenHeading(driver) {
  const h2 = await driver.wait(until.elementLocated(By.xpath("//main//h2")), 10_000);
  return h2.getText();
}

export async function screenshot(driver, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const png = await driver.takeScreenshot();
  const file = join(SCREENSHOTS, `${name}.png`);
  writeFileSync(file, Buffer.from(png, "base64"));
  return file;
}
