// One Timebridge at a time: a second launch of the same build, in the same session (same home, same
// display, same D-Bus session bus as the app the driver runs), hands over to the first window and
// exits on its own; the first window keeps answering. Without any session bus the app still starts
// (without the lock) and says so in its log.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { byRoleText, launchApp, screenHeading, screenshot } from "./harness.mjs";

const APP = process.env.TIMEBRIDGE_APP;
const HOME = process.env.TIMEBRIDGE_E2E_HOME;
const DISPLAY = process.env.TIMEBRIDGE_E2E_DISPLAY;
const BUS = process.env.TIMEBRIDGE_E2E_DBUS_ADDRESS;

/** The environment e2e_session (tests/quickstart.sh) gives tauri-driver, and so the driven app. */
function sessionEnv(home) {
  return {
    PATH: process.env.PATH,
    DISPLAY,
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_DATA_HOME: join(home, "data"),
    XDG_CACHE_HOME: join(home, "cache"),
    XDG_RUNTIME_DIR: join(home, "run"),
    TIMEBRIDGE_SECRET_STORE: "mock",
    WEBKIT_DISABLE_DMABUF_RENDERER: "1",
    LIBGL_ALWAYS_SOFTWARE: "1",
  };
}

/** Starts the app binary; resolves its exit code, or null if it still runs after `ms`. */
function launch(env, ms) {
  const child = spawn(APP, [], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const outcome = Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(null), ms))]);
  return { child, exited, outcome, output: () => output };
}

function logOf(dataHome) {
  // <XDG_DATA_HOME>/<identifier>/logs/timebridge.log
  for (const id of existsSync(dataHome) ? readdirSync(dataHome) : []) {
    const file = join(dataHome, id, "logs", "timebridge.log");
    if (existsSync(file)) return readFileSync(file, "utf8");
  }
  return "";
}

describe("single instance", () => {
  let driver;

  before(async () => {
    assert.ok(APP && HOME && DISPLAY && BUS, "run through tests/quickstart.sh e2e (it sets TIMEBRIDGE_E2E_*)");
    driver = await launchApp();
  });
  after(async () => {
    await driver?.quit();
  });

  it("a second launch exits within 10 s and the first window still answers", async () => {
    await (await byRoleText(driver, "link", "Clockings")).click();
    const second = launch({ ...sessionEnv(HOME), DBUS_SESSION_BUS_ADDRESS: BUS }, 10_000);
    const outcome = await second.outcome;
    if (outcome === null) second.child.kill("SIGKILL");
    assert.ok(outcome !== null, `the second launch was still running after 10 s:\n${second.output()}`);
    assert.equal(outcome.code, 0, `the second launch failed:\n${second.output()}`);
    // The first one is still there and still works: it switches screens and reads from the backend.
    await (await byRoleText(driver, "link", "Settings")).click();
    await driver.wait(async () => (await screenHeading(driver)) === "Settings", 10_000, "the first window stopped answering");
    await (await byRoleText(driver, "link", "Clockings")).click();
    await driver.wait(async () => (await screenHeading(driver)) === "Clockings", 10_000);
    await driver.wait(
      async () => logOf(join(HOME, "data")).includes("Timebridge was launched again"),
      10_000,
      "the first instance never heard of the second launch",
    );
    await screenshot(driver, "single-instance-first-window");
  });

  it("starts without any D-Bus session bus (no lock then) and says so in its log", async () => {
    // Its own home and an empty runtime folder: no DBUS_SESSION_BUS_ADDRESS and no $XDG_RUNTIME_DIR/bus.
    const home = mkdtempSync(join(HOME, "nobus-"));
    mkdirSync(join(home, "run"), { mode: 0o700 });
    const lone = launch(sessionEnv(home), 12_000);
    const outcome = await lone.outcome;
    try {
      assert.equal(outcome, null, `the app exited without a session bus (${JSON.stringify(outcome)}):\n${lone.output()}`);
      const log = logOf(join(home, "data"));
      assert.match(log, /Timebridge .* starting/, `the app never started:\n${lone.output()}`);
      assert.match(log, /no D-Bus session bus/);
    } finally {
      lone.child.kill("SIGTERM");
      await Promise.race([lone.exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (lone.child.exitCode === null && lone.child.signalCode === null) lone.child.kill("SIGKILL");
    }
  });
});
