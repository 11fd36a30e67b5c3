// UI benchmark (not a test): how fast the Timesheets screen shows a 31,000-row report once the data
// has arrived, in the real window. A `timebridge sandbox` with 1,432 employees serves last month;
// the app gets a profile pointing at it through the Settings screen, like a user would add one.
// The screen stamps each report with two figures it measured itself: the wait for the data (fetch
// from TimeClock 365, report build, IPC) and the time from the data arriving to the rows painted.
//
// Run with: bash tests/quickstart.sh bench-ui
import { By, until } from "selenium-webdriver";
import { byRoleText, chooseOption, chooseSegment, click, launchApp, screenshot, startCliSandbox, useSandboxProfile } from "../harness.mjs";

// 1,432 employees give about 31,000 employee-days with work in a 31-day month (weekends are off).
const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 1432);
const NAME = "Bench sandbox";

async function reportTimings(driver) {
  const summary = await driver.wait(until.elementLocated(By.xpath("//*[@aria-label='Report summary' and @data-render-ms]")), 300_000);
  return {
    text: await summary.getText(),
    wait: Number(await summary.getAttribute("data-wait-ms")),
    render: Number(await summary.getAttribute("data-render-ms")),
  };
}

const { child, url } = await startCliSandbox(["--employees", String(EMPLOYEES), "--days", "70"]);
let driver;
try {
  driver = await launchApp();
  await useSandboxProfile(driver, NAME, url);
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
