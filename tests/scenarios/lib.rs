//! Scenario tests live in the files beside this one. This library holds what the suites that run
//! the release command line share: where the binary is, and a `timebridge sandbox` process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The release `timebridge` binary the suites run as users run it (`TIMEBRIDGE_RELEASE_CLI` names
/// another one).
pub fn release_cli() -> PathBuf {
    let path = std::env::var_os("TIMEBRIDGE_RELEASE_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/timebridge")
        });
    assert!(
        path.exists(),
        "no release CLI at {}: run `cargo build --release -p timebridge-cli` first",
        path.display()
    );
    path
}

/// `timebridge sandbox` of the release binary in its own process, stopped when dropped.
pub struct ReleaseSandbox {
    child: Child,
    /// `http://127.0.0.1:<port>`, from the sandbox's ready line.
    pub url: String,
}

impl ReleaseSandbox {
    /// Starts it on a free port with the given switches and waits for its ready line.
    pub fn start(switches: &[&str]) -> Self {
        let mut child = Command::new(release_cli())
            .args(["sandbox", "--port", "0"])
            .args(switches)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the release sandbox");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.contains("sandbox ready"), "{line}");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("the ready line names the URL")
            .trim_end_matches([',', ';', ')', '/'])
            .to_string();
        Self { child, url }
    }
}

impl Drop for ReleaseSandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
