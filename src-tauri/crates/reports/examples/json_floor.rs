//! The parse half of the scale benchmark's floor (tests/bench/scale.sh): reads a JSON-RPC answer
//! from standard input (curl's download of the month) and parses it whole into a `serde_json`
//! value, as any client must before it can use the data. Prints the bytes, the employees in
//! `result` and the parse time.
//!
//! `curl -s … | json_floor`; built with `cargo build --release -p timebridge-reports --example json_floor`.

use std::io::Read;
use std::time::Instant;

fn main() {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("json_floor: cannot read standard input: {e}");
        std::process::exit(2);
    }
    let started = Instant::now();
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("json_floor: not JSON ({} bytes): {e}", bytes.len());
            std::process::exit(1);
        }
    };
    let Some(employees) = value.get("result").and_then(|r| r.as_array()) else {
        eprintln!(
            "json_floor: the answer has no `result` array: {:.200}",
            value.to_string()
        );
        std::process::exit(1);
    };
    println!(
        "bytes={} employees={} parse_seconds={:.3}",
        bytes.len(),
        employees.len(),
        started.elapsed().as_secs_f64()
    );
}
