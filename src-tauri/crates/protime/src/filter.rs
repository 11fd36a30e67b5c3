//! Typed builder (and parser) of the Protime filter grammar (spec 3.4):
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
//!
//! Strings and dates are single-quoted (a quote inside is doubled), integers and booleans bare.

use chrono::NaiveDate;
use std::fmt;

/// A constant of the grammar. Dates print as quoted `YYYY-MM-DD` strings (and parse back as `Str`).
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Int(i64),
    Str(String),
    Bool(bool),
    Date(NaiveDate),
}

impl From<i64> for Constant {
    fn from(v: i64) -> Self {
        Constant::Int(v)
    }
}
impl From<&str> for Constant {
    fn from(v: &str) -> Self {
        Constant::Str(v.to_string())
    }
}
impl From<String> for Constant {
    fn from(v: String) -> Self {
        Constant::Str(v)
    }
}
impl From<bool> for Constant {
    fn from(v: bool) -> Self {
        Constant::Bool(v)
    }
}
impl From<NaiveDate> for Constant {
    fn from(v: NaiveDate) -> Self {
        Constant::Date(v)
    }
}

impl fmt::Display for Constant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constant::Int(i) => write!(f, "{i}"),
            Constant::Bool(b) => write!(f, "{b}"),
            Constant::Str(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Constant::Date(d) => write!(f, "'{}'", d.format("%Y-%m-%d")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ge,
    Le,
    In,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ge => "ge",
            Op::Le => "le",
            Op::In => "in",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Const(Constant),
    /// `(1,2,3)` or, with a group name, `circle(2,8)`.
    List(Option<String>, Vec<Constant>),
}

/// A filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Cond {
        field: String,
        op: Op,
        value: Operand,
    },
    And(Vec<Filter>),
    Or(Vec<Filter>),
}

impl Filter {
    pub fn eq(field: &str, v: impl Into<Constant>) -> Self {
        Self::Cond {
            field: field.into(),
            op: Op::Eq,
            value: Operand::Const(v.into()),
        }
    }
    pub fn ge(field: &str, v: impl Into<Constant>) -> Self {
        Self::Cond {
            field: field.into(),
            op: Op::Ge,
            value: Operand::Const(v.into()),
        }
    }
    pub fn le(field: &str, v: impl Into<Constant>) -> Self {
        Self::Cond {
            field: field.into(),
            op: Op::Le,
            value: Operand::Const(v.into()),
        }
    }
    /// `field in (a, b, c)`
    pub fn is_in<C: Into<Constant>>(field: &str, values: impl IntoIterator<Item = C>) -> Self {
        Self::Cond {
            field: field.into(),
            op: Op::In,
            value: Operand::List(None, values.into_iter().map(Into::into).collect()),
        }
    }
    /// `field in group(a, b)`, e.g. `person in circle(2, 8)`.
    pub fn in_group<C: Into<Constant>>(
        field: &str,
        group: &str,
        values: impl IntoIterator<Item = C>,
    ) -> Self {
        Self::Cond {
            field: field.into(),
            op: Op::In,
            value: Operand::List(
                Some(group.into()),
                values.into_iter().map(Into::into).collect(),
            ),
        }
    }
    /// `date ge 'from' and date le 'until'`
    pub fn date_range(from: NaiveDate, until: NaiveDate) -> Self {
        Self::ge("date", from).and(Self::le("date", until))
    }
    pub fn and(self, other: Filter) -> Self {
        let mut v = match self {
            Filter::And(v) => v,
            x => vec![x],
        };
        match other {
            Filter::And(w) => v.extend(w),
            x => v.push(x),
        }
        Filter::And(v)
    }
    pub fn or(self, other: Filter) -> Self {
        let mut v = match self {
            Filter::Or(v) => v,
            x => vec![x],
        };
        match other {
            Filter::Or(w) => v.extend(w),
            x => v.push(x),
        }
        Filter::Or(v)
    }

    /// Whether any condition uses `field`.
    pub fn uses_field(&self, field: &str) -> bool {
        match self {
            Filter::Cond { field: f, .. } => f == field,
            Filter::And(v) | Filter::Or(v) => v.iter().any(|x| x.uses_field(field)),
        }
    }

    /// The form the parser gives back: dates as strings, nested and/or flattened, single-item
    /// groups unwrapped.
    pub fn normalized(&self) -> Filter {
        match self {
            Filter::Cond { field, op, value } => {
                let norm = |c: &Constant| match c {
                    Constant::Date(d) => Constant::Str(d.format("%Y-%m-%d").to_string()),
                    x => x.clone(),
                };
                let value = match value {
                    Operand::Const(c) => Operand::Const(norm(c)),
                    Operand::List(g, items) => {
                        Operand::List(g.clone(), items.iter().map(norm).collect())
                    }
                };
                Filter::Cond {
                    field: field.clone(),
                    op: *op,
                    value,
                }
            }
            Filter::And(v) | Filter::Or(v) => {
                let is_and = matches!(self, Filter::And(_));
                let mut out = Vec::new();
                for x in v.iter().map(Filter::normalized) {
                    match x {
                        Filter::And(w) if is_and => out.extend(w),
                        Filter::Or(w) if !is_and => out.extend(w),
                        other => out.push(other),
                    }
                }
                if out.len() == 1 {
                    out.pop().unwrap()
                } else if is_and {
                    Filter::And(out)
                } else {
                    Filter::Or(out)
                }
            }
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Cond { field, op, value } => {
                write!(f, "{field} {} ", op.as_str())?;
                match value {
                    Operand::Const(c) => write!(f, "{c}"),
                    Operand::List(g, items) => {
                        if let Some(g) = g {
                            f.write_str(g)?;
                        }
                        let list: Vec<String> = items.iter().map(|c| c.to_string()).collect();
                        write!(f, "({})", list.join(", "))
                    }
                }
            }
            Filter::And(v) => {
                let parts: Vec<String> = v
                    .iter()
                    .map(|x| match x {
                        Filter::Or(_) | Filter::And(_) => format!("({x})"),
                        _ => x.to_string(),
                    })
                    .collect();
                f.write_str(&parts.join(" and "))
            }
            Filter::Or(v) => {
                let parts: Vec<String> = v
                    .iter()
                    .map(|x| match x {
                        Filter::Or(_) => format!("({x})"),
                        _ => x.to_string(),
                    })
                    .collect();
                f.write_str(&parts.join(" or "))
            }
        }
    }
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
    let mut out = Vec::new();
    let mut it = input.chars().peekable();
    while let Some(&c) = it.peek() {
        match c {
            c if c.is_whitespace() => {
                it.next();
            }
            '(' => {
                it.next();
                out.push(Tok::LParen)
            }
            ')' => {
                it.next();
                out.push(Tok::RParen)
            }
            ',' => {
                it.next();
                out.push(Tok::Comma)
            }
            '\'' => {
                it.next();
                let mut s = String::new();
                loop {
                    match it.next() {
                        None => return Err("unterminated string".into()),
                        Some('\'') if it.peek() == Some(&'\'') => {
                            it.next();
                            s.push('\'');
                        }
                        Some('\'') => break,
                        Some(ch) => s.push(ch),
                    }
                }
                out.push(Tok::Str(s));
            }
            c if c.is_ascii_digit() || c == '-' => {
                let mut s = String::new();
                s.push(c);
                it.next();
                while let Some(&d) = it.peek() {
                    if d.is_ascii_digit() {
                        s.push(d);
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Int(
                    s.parse().map_err(|_| format!("bad integer '{s}'"))?,
                ));
            }
            c if c.is_ascii_alphabetic() || c == '_' || c == '@' => {
                let mut s = String::new();
                while let Some(&d) = it.peek() {
                    if d.is_ascii_alphanumeric() || matches!(d, '-' | '_' | '.' | '@') {
                        s.push(d);
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Ident(s));
            }
            other => return Err(format!("unexpected character '{other}'")),
        }
    }
    Ok(out)
}

/// Parses a filter expression written in the documented grammar.
pub fn parse(input: &str) -> Result<Filter, String> {
    let toks = lex(input)?;
    let mut pos = 0;
    let f = expr(&toks, &mut pos)?;
    if pos != toks.len() {
        return Err(format!("unexpected {:?}", toks[pos]));
    }
    Ok(f)
}

fn is_kw(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Ident(s)) if s == kw)
}

fn expr(t: &[Tok], p: &mut usize) -> Result<Filter, String> {
    let mut v = vec![term(t, p)?];
    while is_kw(t.get(*p), "or") {
        *p += 1;
        v.push(term(t, p)?);
    }
    Ok(if v.len() == 1 {
        v.pop().unwrap()
    } else {
        Filter::Or(v)
    })
}

fn term(t: &[Tok], p: &mut usize) -> Result<Filter, String> {
    let mut v = vec![cond(t, p)?];
    while is_kw(t.get(*p), "and") {
        *p += 1;
        v.push(cond(t, p)?);
    }
    Ok(if v.len() == 1 {
        v.pop().unwrap()
    } else {
        Filter::And(v)
    })
}

fn constant(t: &[Tok], p: &mut usize) -> Result<Constant, String> {
    let c = match t.get(*p) {
        Some(Tok::Int(i)) => Constant::Int(*i),
        Some(Tok::Str(s)) => Constant::Str(s.clone()),
        Some(Tok::Ident(s)) if s == "true" => Constant::Bool(true),
        Some(Tok::Ident(s)) if s == "false" => Constant::Bool(false),
        other => return Err(format!("expected a constant, found {other:?}")),
    };
    *p += 1;
    Ok(c)
}

fn cond(t: &[Tok], p: &mut usize) -> Result<Filter, String> {
    if t.get(*p) == Some(&Tok::LParen) {
        *p += 1;
        let e = expr(t, p)?;
        if t.get(*p) != Some(&Tok::RParen) {
            return Err("missing ')'".into());
        }
        *p += 1;
        return Ok(e);
    }
    let Some(Tok::Ident(field)) = t.get(*p).cloned() else {
        return Err(format!("expected a field, found {:?}", t.get(*p)));
    };
    *p += 1;
    let op = match t.get(*p) {
        Some(Tok::Ident(s)) if s == "eq" => Op::Eq,
        Some(Tok::Ident(s)) if s == "ge" => Op::Ge,
        Some(Tok::Ident(s)) if s == "le" => Op::Le,
        Some(Tok::Ident(s)) if s == "in" => Op::In,
        other => return Err(format!("expected eq/ge/le/in, found {other:?}")),
    };
    *p += 1;
    let group = match (t.get(*p), t.get(*p + 1)) {
        (Some(Tok::Ident(g)), Some(Tok::LParen)) if g != "true" && g != "false" => {
            *p += 1;
            Some(g.clone())
        }
        _ => None,
    };
    let value = if t.get(*p) == Some(&Tok::LParen) {
        *p += 1;
        let mut items = vec![constant(t, p)?];
        loop {
            match t.get(*p) {
                Some(Tok::Comma) => {
                    *p += 1;
                    items.push(constant(t, p)?);
                }
                Some(Tok::RParen) => {
                    *p += 1;
                    break;
                }
                other => return Err(format!("expected ',' or ')', found {other:?}")),
            }
        }
        Operand::List(group, items)
    } else {
        Operand::Const(constant(t, p)?)
    };
    Ok(Filter::Cond { field, op, value })
}

/// `?externalReferences=(collection,ref)(collection,ref)` builder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalReferences(Vec<(String, String)>);

impl ExternalReferences {
    pub fn none() -> Self {
        Self::default()
    }
    /// Adds `(collection,reference)`, e.g. `("people", "@badge-number")`.
    pub fn with(mut self, collection: &str, reference: &str) -> Self {
        self.0.push((collection.to_string(), reference.to_string()));
        self
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `(people,@badge-number)(terminals,@external-code)`
    pub fn to_query_value(&self) -> String {
        self.0.iter().map(|(c, r)| format!("({c},{r})")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn builds_documented_examples() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            Filter::is_in("person", [1i64, 2, 3])
                .and(Filter::ge("date", d("2024-01-01")))
                .to_string(),
            "person in (1, 2, 3) and date ge '2024-01-01'"
        );
        assert_eq!(
            Filter::eq("kind", "Activity")
                .or(Filter::eq("kind", "Absence"))
                .and(Filter::ge("date", d("2024-01-01")))
                .to_string(),
            "(kind eq 'Activity' or kind eq 'Absence') and date ge '2024-01-01'"
        );
        assert_eq!(
            Filter::in_group("person", "circle", [2i64, 8]).to_string(),
            "person in circle(2, 8)"
        );
        assert_eq!(Filter::eq("enabled", true).to_string(), "enabled eq true");
        assert_eq!(
            Filter::eq("name", "O'Brien").to_string(),
            "name eq 'O''Brien'"
        );
        assert_eq!(
            ExternalReferences::none()
                .with("people", "@badge-number")
                .with("terminals", "@external-code")
                .to_query_value(),
            "(people,@badge-number)(terminals,@external-code)"
        );
    }

    fn constant() -> impl Strategy<Value = Constant> {
        prop_oneof![
            any::<i64>().prop_map(Constant::Int),
            any::<bool>().prop_map(Constant::Bool),
            "[a-zA-Z0-9 ',()@-]{0,12}".prop_map(Constant::Str),
            (2000i32..2100, 1u32..13, 1u32..29)
                .prop_map(|(y, m, d)| Constant::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())),
        ]
    }

    fn cond() -> impl Strategy<Value = Filter> {
        let field = "[a-z][a-z-]{0,10}".prop_filter("keywords", |f| {
            !["and", "or", "true", "false", "eq", "ge", "le", "in"].contains(&f.as_str())
        });
        let group = proptest::option::of(
            "[a-z][a-z-]{0,8}".prop_filter("kw", |g| !["true", "false"].contains(&g.as_str())),
        );
        prop_oneof![
            (
                field.clone(),
                prop_oneof![Just(Op::Eq), Just(Op::Ge), Just(Op::Le)],
                constant()
            )
                .prop_map(|(field, op, c)| Filter::Cond {
                    field,
                    op,
                    value: Operand::Const(c)
                }),
            (field, group, proptest::collection::vec(constant(), 1..4)).prop_map(
                |(field, g, items)| Filter::Cond {
                    field,
                    op: Op::In,
                    value: Operand::List(g, items)
                }
            ),
        ]
    }

    fn filter() -> impl Strategy<Value = Filter> {
        cond().prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Filter::And),
                proptest::collection::vec(inner, 2..4).prop_map(Filter::Or),
            ]
        })
    }

    proptest! {
        #[test]
        fn build_then_parse_round_trips(f in filter()) {
            let text = f.to_string();
            let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert_eq!(parsed.normalized(), f.normalized(), "{}", text);
            prop_assert_eq!(parsed.normalized().to_string(), f.normalized().to_string());
        }
    }
}
