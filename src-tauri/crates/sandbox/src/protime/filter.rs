//! The sandbox's own parser of the Protime filter grammar (spec 3.4). Written independently of the
//! client's builder on purpose.
//!
//! ```text
//! expression       = term { "or" term } .
//! term             = condition { "and" condition } .
//! condition        = simple-condition | "(" expression ")" .
//! simple-condition = identifier rel-op factor .
//! rel-op           = "eq" | "ge" | "le" | "in" .
//! factor           = constant | list .
//! constant         = integer | string | bool .
//! list             = [identifier] "(" constant { "," constant } ")" .
//! ```

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Int(i64),
    Str(String),
    Bool(bool),
}

impl Constant {
    pub fn as_text(&self) -> String {
        match self {
            Constant::Int(i) => i.to_string(),
            Constant::Str(s) => s.clone(),
            Constant::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Factor {
    Const(Constant),
    /// `(1,2)` (group `None`) or `circle(2,8)`.
    List(Option<String>, Vec<Constant>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Cond {
        field: String,
        op: String,
        value: Factor,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Str(String),
    LParen,
    RParen,
    Comma,
}

fn lex(input: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            out.push(Tok::RParen);
            i += 1;
        } else if c == ',' {
            out.push(Tok::Comma);
            i += 1;
        } else if c == '\'' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err("a quoted string is not closed".into()),
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Str(s));
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(Tok::Int(
                text.parse().map_err(|_| format!("bad number {text}"))?,
            ));
        } else if c.is_ascii_alphabetic() || c == '_' || c == '@' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '-' | '_' | '.' | '@'))
            {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            return Err(format!("unexpected character '{c}'"));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s.eq_ignore_ascii_case(kw))
    }
    fn expression(&mut self) -> Result<Expr, String> {
        let mut terms = vec![self.term()?];
        while self.keyword("or") {
            self.pos += 1;
            terms.push(self.term()?);
        }
        Ok(if terms.len() == 1 {
            terms.pop().unwrap()
        } else {
            Expr::Or(terms)
        })
    }
    fn term(&mut self) -> Result<Expr, String> {
        let mut conds = vec![self.condition()?];
        while self.keyword("and") {
            self.pos += 1;
            conds.push(self.condition()?);
        }
        Ok(if conds.len() == 1 {
            conds.pop().unwrap()
        } else {
            Expr::And(conds)
        })
    }
    fn condition(&mut self) -> Result<Expr, String> {
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let e = self.expression()?;
            if self.next() != Some(Tok::RParen) {
                return Err("a '(' is not closed".into());
            }
            return Ok(e);
        }
        let field = match self.next() {
            Some(Tok::Ident(s)) => s,
            other => return Err(format!("expected a field name, found {other:?}")),
        };
        let op = match self.next() {
            Some(Tok::Ident(s))
                if ["eq", "ge", "le", "in"].contains(&s.to_ascii_lowercase().as_str()) =>
            {
                s.to_ascii_lowercase()
            }
            other => {
                return Err(format!(
                    "expected eq, ge, le or in after '{field}', found {other:?}"
                ))
            }
        };
        let value = self.factor()?;
        if op == "in" && !matches!(value, Factor::List(..)) {
            return Err(format!("'{field} in' needs a list"));
        }
        if op != "in" && matches!(value, Factor::List(..)) {
            return Err(format!("'{field} {op}' needs a single value"));
        }
        Ok(Expr::Cond { field, op, value })
    }
    fn constant(&mut self) -> Result<Constant, String> {
        match self.next() {
            Some(Tok::Int(i)) => Ok(Constant::Int(i)),
            Some(Tok::Str(s)) => Ok(Constant::Str(s)),
            Some(Tok::Ident(s)) if s == "true" => Ok(Constant::Bool(true)),
            Some(Tok::Ident(s)) if s == "false" => Ok(Constant::Bool(false)),
            other => Err(format!("expected a value, found {other:?}")),
        }
    }
    fn factor(&mut self) -> Result<Factor, String> {
        let group = match (self.peek(), self.toks.get(self.pos + 1)) {
            (Some(Tok::Ident(name)), Some(Tok::LParen)) => {
                let n = name.clone();
                self.pos += 1;
                Some(n)
            }
            _ => None,
        };
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let mut items = vec![self.constant()?];
            loop {
                match self.next() {
                    Some(Tok::Comma) => items.push(self.constant()?),
                    Some(Tok::RParen) => break,
                    other => return Err(format!("expected ',' or ')' in a list, found {other:?}")),
                }
            }
            return Ok(Factor::List(group, items));
        }
        Ok(Factor::Const(self.constant()?))
    }
}

/// Parses a filter expression.
/// Deepest parenthesis nesting a filter may use.
pub const MAX_NESTING: usize = 32;

pub fn parse(input: &str) -> Result<Expr, String> {
    let toks = lex(input)?;
    if toks.is_empty() {
        return Err("the filter is empty".into());
    }
    // The parser and the evaluators recurse once per parenthesis: bound the nesting so no filter can
    // exhaust the stack.
    let mut depth = 0usize;
    for t in &toks {
        match t {
            Tok::LParen => depth += 1,
            Tok::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_NESTING {
            return Err(format!(
                "the filter nests parentheses more than {MAX_NESTING} deep"
            ));
        }
    }
    let mut p = Parser { toks, pos: 0 };
    let e = p.expression()?;
    if p.pos < p.toks.len() {
        return Err(format!(
            "unexpected {:?} after the end of the expression",
            p.toks[p.pos]
        ));
    }
    Ok(e)
}

/// How a field may be combined (spec 3.4: `or` only on "Multiple" fields).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Category {
    Single,
    Range,
    Multiple,
}

/// Every field used in an expression.
pub fn fields(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Or(v) | Expr::And(v) => v.iter().for_each(|x| fields(x, out)),
        Expr::Cond { field, .. } => out.push(field.clone()),
    }
}

/// Checks field names and the `or` rule against the allowed fields of a collection.
pub fn check(e: &Expr, allowed: &[(&str, Category)]) -> Result<(), String> {
    let mut used = Vec::new();
    fields(e, &mut used);
    for f in &used {
        if !allowed.iter().any(|(n, _)| n == f) {
            return Err(format!("The filter field '{f}' is unknown"));
        }
    }
    check_or(e, allowed)
}

fn check_or(e: &Expr, allowed: &[(&str, Category)]) -> Result<(), String> {
    match e {
        Expr::Or(v) => {
            let mut used = Vec::new();
            fields(e, &mut used);
            for f in used {
                let cat = allowed.iter().find(|(n, _)| *n == f).map(|x| x.1);
                if cat != Some(Category::Multiple) {
                    return Err(format!("'or' cannot be used on the field '{f}'"));
                }
            }
            v.iter().try_for_each(|x| check_or(x, allowed))
        }
        Expr::And(v) => v.iter().try_for_each(|x| check_or(x, allowed)),
        Expr::Cond { .. } => Ok(()),
    }
}

/// The `date ge` / `date le` bounds given at the top level (outside any `or`).
pub fn date_bounds(e: &Expr) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
    let mut ge = None;
    let mut le = None;
    let conds: Vec<&Expr> = match e {
        Expr::And(v) => v.iter().collect(),
        other => vec![other],
    };
    for c in conds {
        if let Expr::Cond { field, op, value } = c {
            if field == "date" {
                let d = match value {
                    Factor::Const(Constant::Str(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .map_err(|_| format!("'{s}' is not a date (YYYY-MM-DD)"))?,
                    _ => return Err("a date must be a quoted YYYY-MM-DD".into()),
                };
                match op.as_str() {
                    "ge" => ge = Some(d),
                    "le" => le = Some(d),
                    "eq" => {
                        ge = Some(d);
                        le = Some(d)
                    }
                    _ => return Err("the date filter takes ge, le or eq".into()),
                }
            }
        }
    }
    Ok((ge, le))
}

/// Evaluates the expression against one item; `lookup(field)` gives the item's value(s) for a field and
/// `group(name, id)` the members of a named group such as `circle(2)`.
pub fn eval(
    e: &Expr,
    lookup: &dyn Fn(&str) -> Option<Constant>,
    in_group: &dyn Fn(&str, &Constant, &Constant) -> bool,
) -> bool {
    match e {
        Expr::Or(v) => v.iter().any(|x| eval(x, lookup, in_group)),
        Expr::And(v) => v.iter().all(|x| eval(x, lookup, in_group)),
        Expr::Cond { field, op, value } => {
            let Some(actual) = lookup(field) else {
                return false;
            };
            match (op.as_str(), value) {
                ("eq", Factor::Const(c)) => eq(&actual, c),
                ("ge", Factor::Const(c)) => cmp(&actual, c).is_some_and(|o| o.is_ge()),
                ("le", Factor::Const(c)) => cmp(&actual, c).is_some_and(|o| o.is_le()),
                ("in", Factor::List(None, items)) => items.iter().any(|c| eq(&actual, c)),
                ("in", Factor::List(Some(g), items)) => {
                    items.iter().any(|c| in_group(g, c, &actual))
                }
                _ => false,
            }
        }
    }
}

fn eq(a: &Constant, b: &Constant) -> bool {
    a.as_text() == b.as_text()
}

fn cmp(a: &Constant, b: &Constant) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Constant::Int(x), Constant::Int(y)) => Some(x.cmp(y)),
        _ => Some(a.as_text().cmp(&b.as_text())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let nested = |n: usize| format!("{}date eq '2024-01-01'{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&nested(MAX_NESTING)).is_ok());
        assert!(parse(&nested(MAX_NESTING + 1)).is_err());
        assert!(parse(&nested(4000)).unwrap_err().contains("deep"));
    }

    #[test]
    fn documented_examples_parse() {
        for f in [
            "kind eq 'Activity'",
            "date ge '2024-01-01'",
            "person in (1, 2, 3)",
            "person in circle(2, 8)",
            "person in org-group(121, 122)",
            "person in (1,2,3) and date ge '2024-01-01'",
            "kind eq 'Activity' or kind eq 'Absence'",
            "(kind eq 'Activity' or kind eq 'Absence') and date ge '2024-01-01'",
            "enabled eq true",
            "status eq 'Disabled'",
            "date ge '2024-01-01' and date le '2024-12-31'",
        ] {
            parse(f).unwrap_or_else(|e| panic!("{f}: {e}"));
        }
    }

    #[test]
    fn bad_syntax_is_refused() {
        for f in [
            "",
            "kind",
            "kind eq",
            "kind gt 1",
            "(kind eq 'A'",
            "person in 1",
            "date ge '2024",
            "a eq 1 b",
        ] {
            assert!(parse(f).is_err(), "{f} accepted");
        }
    }

    #[test]
    fn quotes_are_escaped_by_doubling() {
        let e = parse("name eq 'O''Brien'").unwrap();
        assert_eq!(
            e,
            Expr::Cond {
                field: "name".into(),
                op: "eq".into(),
                value: Factor::Const(Constant::Str("O'Brien".into()))
            }
        );
    }

    #[test]
    fn or_only_on_multiple_fields() {
        let allowed = [("kind", Category::Multiple), ("date", Category::Range)];
        assert!(check(&parse("kind eq 'A' or kind eq 'B'").unwrap(), &allowed).is_ok());
        assert!(check(
            &parse("date ge '2024-01-01' or kind eq 'B'").unwrap(),
            &allowed
        )
        .is_err());
        assert!(check(&parse("foo eq 1").unwrap(), &allowed).is_err());
    }
}
