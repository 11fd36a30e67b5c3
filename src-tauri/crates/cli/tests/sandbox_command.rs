//! `timebridge sandbox` as a user runs it: a real process, a real port, a clean stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn sandbox_prints_ready_serves_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .args(["sandbox", "--port", "0", "--seed", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start timebridge sandbox");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("sandbox ready"), "{line}");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("url in ready line");
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0, "port 0 must be replaced by the real port");

    // It answers JSON-RPC on that port.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    use std::io::{Read, Write};
    let body = r#"{"jsonrpc":"2.0","method":"nope","params":{},"id":1}"#;
    write!(
        stream,
        "POST /api/v1/json-rpc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sandbox-key\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.contains("-32601"), "{answer}");

    #[cfg(unix)]
    {
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "sandbox exited with {status}");
                break;
            }
            assert!(Instant::now() < deadline, "sandbox did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    #[cfg(not(unix))]
    child.kill().unwrap();
}

#[test]
fn bad_flags_get_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .args(["sandbox", "--employees", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--employees"), "{err}");
}
