// UI benchmark (not a test): how fast the Timesheets screen shows a 31,000-row report once the data
// has arrived, in the real window. A `timebridge sandbox` with 1,432 employees serves last month;
// the app gets a profile pointing at it through the Settings screen, like a user would add one.
// The screen stamps each report with two figures it measured itself: the wait for the data (fetch
// from TimeClock 365, report build, IPC) and the time from the data arriving to the rows painted.
//
// Run with: bash tests/quickstart.sh bench-ui
import { spawn } from "node:child_process";
import { By, until } from "selenium-webdriver";
import { byRoleText, chooseOption, chooseSegment, click, launchApp, screenshot, typeInto } from "../harness.mjs";

const CLI = process.env.TIMEBRIDGE_CLI;
// 1,432 employees give about 31,000 employee-days with work in a 31-day month (weekends are off).
const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 1432);
const NAME = "Bench sandbox";

function startSandbox() {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, ["sandbox", "--employees", String(EMPLOYEES), "--days", "70"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /sandbox ready on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`the sandbox exited with ${code}`)));
  });
}

async function reportTimings(driver) {
  const summary = await driver.wait(until.elementLocated(By.xpath("//*[@aria-label='Report summary' and @data-render-ms]")), 300_000);
  return {
    text: await summary.getText(),
    wait: Number(await summary.getAttribute("data-wait-ms")),
    render: Number(await summary.getAttribute("data-render-ms")),
  };
}

if (!CLI) throw new Error("TIMEBRIDGE_CLI must point at the built timebridge binary");
const { child, url } = await startSandbox();
let driver;
try {
  driver = await launchApp();
  await click(driver, await byRoleText(driver, "link", "Settings"));
  await click(driver, await byRoleText(driver, "button", "Add profile"));
  await typeInto(driver, "Profile name", NAME);
  await chooseSegment(driver, "Protime environment", "Custom URLs");
  await typeInto(driver, "Protime API address", `${url}/connector/protimeapi/api/v1/`);
  await typeInto(driver, "Protime token address", `${url}/tenants/sandbox/connect/token`);
  await typeInto(driver, "Client id", "timebridge-sandbox");
  await typeInto(driver, "Client secret", "sandbox-secret");
  await typeInto(driver, "TimeClock 365 endpoint", `${url}/api/v1/json-rpc`);
  await typeInto(driver, "TimeClock 365 API key", "sandbox-key");
  await click(driver, await byRoleText(driver, "button", "Save profile"));
  await click(driver, await byRoleText(driver, "button", `Switch to ${NAME}`, 15_000));
  await driver.wait(until.elementLocated(By.xpath(`//*[@role='status' and @aria-label='TimeClock 365: Connected']`)), 60_000);
  await click(driver, await byRoleText(driver, "link", "Timesheets"));
  await chooseSegment(driver, "Period", "Last month");

  // Three loads of the same month (each rounding rule is a new report), each measured by the screen.
  const runs = [];
  for (const rounding of [null, "Nearest 5 min", "Nearest 15 min"]) {
    if (rounding) {
      const before = (await reportTimings(driver)).text;
      await chooseOption(driver, "Rounding", rounding);
      await driver.wait(async () => {
        const el = await driver.findElements(By.xpath("//*[@aria-label='Report summary' and @data-render-ms]"));
        return el.length > 0 && (await el[0].getText()) !== before;
      }, 300_000);
      await driver.sleep(500);
    }
    runs.push(await reportTimings(driver));
  }
  await screenshot(driver, "bench-timesheets-31000-rows");
  const rows = Number(/^(\d+) rows/.exec(runs[0].text)?.[1] ?? 0);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`report on screen: ${rows} rows (${EMPLOYEES} employees, last month)`);
  for (const [i, r] of runs.entries()) console.log(`  run ${i + 1}: data arrived after ${r.wait} ms; on screen ${r.render} ms later`);
  console.log(`median: data ${median(runs.map((r) => r.wait))} ms, then on screen in ${median(runs.map((r) => r.render))} ms (target: under 1000 ms)`);
} finally {
  await driver?.quit();
  child.kill("SIGTERM");
}
