//! The client's filter builder against the sandbox's own, independently written parser.

use chrono::NaiveDate;
use proptest::prelude::*;
use timebridge_protime::filter::{Constant, Filter, Op, Operand};
use timebridge_sandbox::protime::filter as sim;

fn constant() -> impl Strategy<Value = Constant> {
    prop_oneof![
        (-1_000_000i64..1_000_000).prop_map(Constant::Int),
        any::<bool>().prop_map(Constant::Bool),
        "[a-zA-Z0-9 ',()-]{0,10}".prop_map(Constant::Str),
        (2000i32..2100, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| Constant::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())),
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    let field = prop_oneof![Just("person"), Just("date"), Just("kind"), Just("status")];
    let leaf = prop_oneof![
        (
            field.clone(),
            prop_oneof![Just(Op::Eq), Just(Op::Ge), Just(Op::Le)],
            constant()
        )
            .prop_map(|(f, op, c)| Filter::Cond {
                field: f.into(),
                op,
                value: Operand::Const(c)
            }),
        (
            field,
            proptest::option::of(Just("circle".to_string())),
            proptest::collection::vec(constant(), 1..4)
        )
            .prop_map(|(f, g, items)| Filter::Cond {
                field: f.into(),
                op: Op::In,
                value: Operand::List(g, items)
            }),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 2..4).prop_map(Filter::And),
            proptest::collection::vec(inner, 2..4).prop_map(Filter::Or),
        ]
    })
}

fn to_sim_const(c: &Constant) -> sim::Constant {
    match c {
        Constant::Int(i) => sim::Constant::Int(*i),
        Constant::Bool(b) => sim::Constant::Bool(*b),
        Constant::Str(s) => sim::Constant::Str(s.clone()),
        Constant::Date(d) => sim::Constant::Str(d.format("%Y-%m-%d").to_string()),
    }
}

/// What the sandbox's parser should produce for a (normalised) client filter.
fn expected(f: &Filter) -> sim::Expr {
    match f {
        Filter::Cond { field, op, value } => sim::Expr::Cond {
            field: field.clone(),
            op: match op {
                Op::Eq => "eq",
                Op::Ge => "ge",
                Op::Le => "le",
                Op::In => "in",
            }
            .into(),
            value: match value {
                Operand::Const(c) => sim::Factor::Const(to_sim_const(c)),
                Operand::List(g, items) => {
                    sim::Factor::List(g.clone(), items.iter().map(to_sim_const).collect())
                }
            },
        },
        Filter::And(v) => sim::Expr::And(v.iter().map(expected).collect()),
        Filter::Or(v) => sim::Expr::Or(v.iter().map(expected).collect()),
    }
}

/// Flattens nested and/or the same way `Filter::normalized` does.
fn flatten(e: sim::Expr) -> sim::Expr {
    match e {
        sim::Expr::And(v) => {
            let mut out = Vec::new();
            for x in v.into_iter().map(flatten) {
                match x {
                    sim::Expr::And(w) => out.extend(w),
                    o => out.push(o),
                }
            }
            sim::Expr::And(out)
        }
        sim::Expr::Or(v) => {
            let mut out = Vec::new();
            for x in v.into_iter().map(flatten) {
                match x {
                    sim::Expr::Or(w) => out.extend(w),
                    o => out.push(o),
                }
            }
            sim::Expr::Or(out)
        }
        c => c,
    }
}

proptest! {
    #[test]
    fn the_sandbox_reads_what_the_client_writes(f in filter()) {
        let text = f.to_string();
        let parsed = sim::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(flatten(parsed), expected(&f.normalized()), "{}", text);
    }
}
