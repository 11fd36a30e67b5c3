//! Finds the JSON examples in a seed document's text, so tests take them from the seed itself.
//! Shared by the client crates' seed round-trip tests (`#[path]`-included; no crate of its own).
//!
//! An example starts at a line that is `{` alone, or a `"name": [`/`"name": {` fragment (the
//! restrictions example is printed without its braces), and ends where its brackets balance, which
//! may be mid-line (`} Reason clockings: …`). When prose starts before they balance, the seed
//! printed the example cut short: it is closed (a trailing comma dropped, brackets closed) and
//! marked `repaired`. The label is the last line of prose before the example that is not a URL.

#![allow(dead_code)]

use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Example {
    pub label: String,
    pub text: String,
    pub repaired: bool,
    pub value: Value,
}

/// The seed's text from `tests/seeds/` at the repository root.
pub fn seed_text(name: &str) -> String {
    let path = format!("{}/../../../tests/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

fn looks_like_json_line(t: &str) -> bool {
    t.is_empty()
        || t.starts_with(['"', '{', '}', '[', ']', '-'])
        || t.starts_with(|c: char| c.is_ascii_digit())
        || t.starts_with("true")
        || t.starts_with("false")
        || t.starts_with("null")
}

fn is_start(t: &str) -> bool {
    t == "{" || (t.starts_with('"') && (t.ends_with(": [") || t.ends_with(": {")))
}

pub fn examples(text: &str) -> Vec<Example> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if !is_start(t) {
            i += 1;
            continue;
        }
        let label = lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| {
                !l.is_empty()
                    && !l.starts_with("http")
                    && !l.starts_with("//")
                    && !l.starts_with("GET")
            })
            .unwrap_or_default()
            .to_string();
        let (body, next, repaired) = take_balanced(&lines, i);
        let json_text = if body.trim_start().starts_with('"') {
            format!("{{{body}}}")
        } else {
            body.clone()
        };
        let value: Value = serde_json::from_str(&json_text)
            .unwrap_or_else(|e| panic!("example after '{label}' is not JSON ({e}):\n{json_text}"));
        out.push(Example {
            label,
            text: body,
            repaired,
            value,
        });
        i = next;
    }
    out
}

/// From line `start`: the balanced text, the line to continue at, and whether it had to be closed.
fn take_balanced(lines: &[&str], start: usize) -> (String, usize, bool) {
    let mut stack: Vec<char> = Vec::new();
    let mut body = String::new();
    let mut in_str = false;
    let mut escaped = false;
    for (n, line) in lines.iter().enumerate().skip(start) {
        if n > start && !stack.is_empty() && !looks_like_json_line(line.trim()) {
            // Cut short in the seed: close what is open.
            let mut closed = body.trim_end().trim_end_matches(',').to_string();
            while let Some(open) = stack.pop() {
                closed.push(if open == '{' { '}' } else { ']' });
            }
            return (closed, n, true);
        }
        for c in line.chars() {
            body.push(c);
            if in_str {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '{' | '[' => stack.push(c),
                '}' | ']' => {
                    stack.pop();
                    if stack.is_empty() {
                        return (body, n + 1, false);
                    }
                }
                _ => {}
            }
        }
        body.push('\n');
    }
    // The text ended inside the example (the restrictions fragment is the last thing in its seed).
    let mut closed = body.trim_end().trim_end_matches(',').to_string();
    while let Some(open) = stack.pop() {
        closed.push(if open == '{' { '}' } else { ']' });
    }
    (closed, lines.len(), true)
}

/// Every path in `seed` whose value `ours` lost or changed. Values compare as the API means them:
/// a number and a string holding the same number are equal (the seed prints coordinates and
/// employee numbers either way), and so are date-times written with a space or a `T`.
pub fn lost(seed: &Value, ours: &Value, path: &str, out: &mut Vec<String>) {
    match (seed, ours) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let p = format!("{path}.{k}");
                // A key the model does not have is lost even when the seed's value is null: a
                // tenant that fills it would lose the value.
                match b.get(k) {
                    Some(w) => lost(v, w, &p, out),
                    None => out.push(format!("{p}: missing")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!("{path}: {} items, not {}", b.len(), a.len()));
            }
            for (n, (v, w)) in a.iter().zip(b).enumerate() {
                lost(v, w, &format!("{path}[{n}]"), out);
            }
        }
        (a, b) if same_scalar(a, b) => {}
        (a, b) => out.push(format!("{path}: {a} became {b}")),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.replacen('T', " ", 1)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn same_scalar(a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (Value::Number(_), _) | (_, Value::Number(_)) => {
            let num = |v: &Value| match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            num(a).is_some() && num(a) == num(b)
        }
        _ => scalar_text(a).is_some() && scalar_text(a) == scalar_text(b),
    }
}
