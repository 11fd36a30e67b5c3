//! The activity cascade of the clocking form: for each level of the structure, the definitions a
//! person may book on a date, given what is already chosen at the other levels.
//!
//! A definition is offered at level L when it is active on the date, usable by the person, its
//! parent (when it has one: the seed makes the parent optional at every level) is the choice at
//! level L−1, and the restrictions allow it: its own restrictions with the choices above, and the
//! chosen definitions' restrictions with it. Restrictions are combinations (Protime's
//! `[[{levelIndex, …}, …], …]`): a definition with restrictions allows a set of choices when one of
//! its combinations matches, i.e. at every level the combination names, the choice (if made) is one
//! of the listed definitions. A definition without parent is offered wherever its restrictions allow,
//! whatever is chosen above.
//! Usages: none means everyone may book; `Person` usages are checked against the person; `Group` and
//! `Circle` usages cannot be checked (the API exposes no membership), so such definitions are offered
//! and flagged.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageKind {
    Person,
    Group,
    Circle,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRule {
    pub kind: UsageKind,
    pub reference: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl UsageRule {
    fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

/// One level of a restriction combination: the definitions allowed at `level`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestrictionRule {
    pub level: u32,
    pub allowed: Vec<String>,
}

/// One activity definition as the cascade needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityNode {
    pub id: String,
    pub level: u32,
    pub name: String,
    pub parent_id: Option<String>,
    pub data_entry_code: Option<String>,
    pub active_from: Option<NaiveDate>,
    pub active_until: Option<NaiveDate>,
    pub usages: Vec<UsageRule>,
    /// Allowed combinations; empty means no restriction.
    pub restrictions: Vec<Vec<RestrictionRule>>,
}

impl ActivityNode {
    fn active_on(&self, date: NaiveDate) -> bool {
        self.active_from.is_none_or(|f| f <= date) && self.active_until.is_none_or(|u| date <= u)
    }

    /// `Some(flagged)` when usable: flagged means "limited to groups or circles, not checked".
    fn usable_by(&self, person_id: Option<&str>, date: NaiveDate) -> Option<bool> {
        let current: Vec<&UsageRule> = self.usages.iter().filter(|u| u.covers(date)).collect();
        if self.usages.is_empty() {
            return Some(false);
        }
        if let Some(pid) = person_id {
            if current
                .iter()
                .any(|u| u.kind == UsageKind::Person && u.reference == pid)
            {
                return Some(false);
            }
        }
        current
            .iter()
            .any(|u| u.kind != UsageKind::Person)
            .then_some(true)
    }

    /// Whether the restrictions allow the choices (`chosen(level)`; levels not chosen yet do not
    /// rule a combination out).
    fn permits<'a>(&self, chosen: impl Fn(u32) -> Option<&'a str>) -> bool {
        self.restrictions.is_empty()
            || self.restrictions.iter().any(|combo| {
                combo.iter().all(|rule| {
                    chosen(rule.level).is_none_or(|c| rule.allowed.iter().any(|a| a == c))
                })
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ActivityOption {
    pub id: String,
    pub name: String,
    pub data_entry_code: Option<String>,
    /// Limited to groups or circles, which Timebridge cannot check.
    pub limited_to_groups: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct LevelOptions {
    pub level: u32,
    pub name: String,
    pub options: Vec<ActivityOption>,
    /// The choice at this level, if it is still allowed.
    pub chosen: Option<String>,
    /// Why there is nothing to choose, when `options` is empty.
    pub hint: Option<String>,
}

pub fn options_for_levels(
    levels: &[(u32, String)],
    nodes: &[ActivityNode],
    date: NaiveDate,
    person_id: Option<&str>,
    choices: &BTreeMap<u32, String>,
) -> Vec<LevelOptions> {
    let by_id: BTreeMap<&str, &ActivityNode> = nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    // Only choices that are still consistent count, walking down the levels.
    let mut valid: BTreeMap<u32, &ActivityNode> = BTreeMap::new();
    let mut out = Vec::new();
    for (level, name) in levels {
        let parent_choice = level
            .checked_sub(1)
            .and_then(|p| valid.get(&p))
            .map(|n| n.id.as_str());
        let is_first = *level <= levels.first().map(|l| l.0).unwrap_or(1);
        let mut options = Vec::new();
        let mut waiting_for_parent = false;
        for node in nodes.iter().filter(|n| n.level == *level) {
            // A parent ties the definition to the choice above; without one it fits under anything.
            if let Some(p) = node.parent_id.as_deref().filter(|_| !is_first) {
                if parent_choice != Some(p) {
                    waiting_for_parent |= parent_choice.is_none();
                    continue;
                }
            }
            if !node.active_on(date) {
                continue;
            }
            let Some(flagged) = node.usable_by(person_id, date) else {
                continue;
            };
            // Its own restrictions: with the consistent choices above and the choices below.
            let own_ok = node.permits(|l| {
                if l < *level {
                    valid.get(&l).map(|n| n.id.as_str())
                } else {
                    choices.get(&l).map(String::as_str)
                }
            });
            // Each chosen definition elsewhere must allow this one together with the other choices.
            let with_node = |l: u32| {
                if l == *level {
                    Some(node.id.as_str())
                } else {
                    choices.get(&l).map(String::as_str)
                }
            };
            let others_ok = choices
                .iter()
                .filter(|(l, _)| **l != *level)
                .filter_map(|(_, id)| by_id.get(id.as_str()))
                .all(|chosen| chosen.permits(with_node));
            if own_ok && others_ok {
                options.push(ActivityOption {
                    id: node.id.clone(),
                    name: node.name.clone(),
                    data_entry_code: node.data_entry_code.clone(),
                    limited_to_groups: flagged,
                });
            }
        }
        options.sort_by_key(|o| o.name.to_lowercase());
        let chosen = choices
            .get(level)
            .filter(|c| options.iter().any(|o| &o.id == *c))
            .cloned();
        if let Some(c) = &chosen {
            if let Some(node) = by_id.get(c.as_str()) {
                valid.insert(*level, node);
            }
        }
        let hint = if !options.is_empty() {
            None
        } else if waiting_for_parent {
            Some(format!("Choose the level {} activity first", level - 1))
        } else {
            Some("Nothing at this level is active on this date and open to this person".to_string())
        };
        out.push(LevelOptions {
            level: *level,
            name: name.clone(),
            options,
            chosen,
            hint,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn node(id: &str, level: u32, parent: Option<&str>) -> ActivityNode {
        ActivityNode {
            id: id.into(),
            level,
            name: id.to_uppercase(),
            parent_id: parent.map(str::to_string),
            data_entry_code: None,
            active_from: None,
            active_until: None,
            usages: vec![],
            restrictions: vec![],
        }
    }

    fn levels() -> Vec<(u32, String)> {
        vec![
            (1, "Company".into()),
            (2, "Department".into()),
            (3, "Task".into()),
        ]
    }

    fn ids(l: &LevelOptions) -> Vec<&str> {
        l.options.iter().map(|o| o.id.as_str()).collect()
    }

    #[test]
    fn hierarchy_dates_usages_and_restrictions() {
        let mut nodes = vec![
            node("acme", 1, None),
            node("globex", 1, None),
            node("sales", 2, Some("acme")),
            node("support", 2, Some("acme")),
            node("lab", 2, Some("globex")),
            node("calls", 3, Some("support")),
            node("tickets", 3, Some("support")),
            node("old", 3, Some("support")),
            node("secret", 3, Some("support")),
            node("team", 3, Some("support")),
        ];
        nodes[7].active_until = Some(d("2024-12-31"));
        nodes[8].usages = vec![UsageRule {
            kind: UsageKind::Person,
            reference: "7".into(),
            from: d("2025-01-01"),
            until: None,
        }];
        nodes[9].usages = vec![UsageRule {
            kind: UsageKind::Group,
            reference: "3".into(),
            from: d("2025-01-01"),
            until: None,
        }];
        // "tickets" may only be combined with company "globex".
        nodes[6].restrictions = vec![vec![RestrictionRule {
            level: 1,
            allowed: vec!["globex".into()],
        }]];
        let date = d("2025-02-14");

        let none = options_for_levels(&levels(), &nodes, date, Some("1"), &BTreeMap::new());
        assert_eq!(ids(&none[0]), vec!["acme", "globex"]);
        assert!(none[1].options.is_empty());
        assert_eq!(
            none[1].hint.as_deref(),
            Some("Choose the level 1 activity first")
        );

        let choices: BTreeMap<u32, String> =
            [(1, "acme".to_string()), (2, "support".to_string())].into();
        let for_1 = options_for_levels(&levels(), &nodes, date, Some("1"), &choices);
        assert_eq!(ids(&for_1[1]), vec!["sales", "support"]);
        // old is inactive, secret is for person 7, tickets is restricted to globex; team is flagged.
        assert_eq!(ids(&for_1[2]), vec!["calls", "team"]);
        assert!(for_1[2].options[1].limited_to_groups);
        let for_7 = options_for_levels(&levels(), &nodes, date, Some("7"), &choices);
        assert_eq!(ids(&for_7[2]), vec!["calls", "secret", "team"]);
    }

    /// Two versions of a definition around 1 January (the old one active until 31 December, its
    /// successor from 1 January): the choices are those valid on the clocking's date, and a choice
    /// made for another date is dropped.
    #[test]
    fn the_version_valid_on_the_clocking_date_is_offered() {
        let mut nodes = vec![
            node("sales-2024", 1, None),
            node("sales-2025", 1, None),
            node("always", 1, None),
            node("desk-2024", 2, Some("sales-2024")),
            node("desk-2025", 2, Some("sales-2025")),
        ];
        for (i, from, until) in [
            (0, None, Some("2024-12-31")),
            (1, Some("2025-01-01"), None),
            (3, Some("2024-01-01"), Some("2024-12-31")),
            (4, Some("2025-01-01"), Some("2025-12-31")),
        ] {
            nodes[i].active_from = from.map(d);
            nodes[i].active_until = until.map(d);
        }
        let on = |date: &str, choices: &BTreeMap<u32, String>| {
            options_for_levels(&levels()[..2], &nodes, d(date), None, choices)
        };
        let none = BTreeMap::new();
        assert_eq!(
            ids(&on("2024-12-31", &none)[0]),
            vec!["always", "sales-2024"]
        );
        assert_eq!(
            ids(&on("2025-01-01", &none)[0]),
            vec!["always", "sales-2025"]
        );
        let old: BTreeMap<u32, String> = [(1, "sales-2024".to_string())].into();
        let before = on("2024-12-31", &old);
        assert_eq!(before[0].chosen.as_deref(), Some("sales-2024"));
        assert_eq!(ids(&before[1]), vec!["desk-2024"]);
        // The same choice on the next day is no longer valid: nothing chosen, nothing below it.
        let after = on("2025-01-01", &old);
        assert_eq!(after[0].chosen, None);
        assert!(!ids(&after[1]).contains(&"desk-2024"));
    }

    #[test]
    fn stale_choices_below_a_changed_parent_are_dropped() {
        let nodes = vec![
            node("a", 1, None),
            node("b", 1, None),
            node("a1", 2, Some("a")),
            node("b1", 2, Some("b")),
        ];
        let choices: BTreeMap<u32, String> = [(1, "b".to_string()), (2, "a1".to_string())].into();
        let out = options_for_levels(&levels()[..2], &nodes, d("2025-01-01"), None, &choices);
        assert_eq!(out[0].chosen.as_deref(), Some("b"));
        assert_eq!(ids(&out[1]), vec!["b1"]);
        assert_eq!(out[1].chosen, None, "a1 is not under b");
    }

    #[test]
    fn a_chosen_definition_restricts_other_levels() {
        let mut nodes = vec![
            node("a", 1, None),
            node("x", 2, Some("a")),
            node("y", 2, Some("a")),
        ];
        nodes[0].restrictions = vec![vec![RestrictionRule {
            level: 2,
            allowed: vec!["y".into()],
        }]];
        let choices: BTreeMap<u32, String> = [(1, "a".to_string())].into();
        let out = options_for_levels(&levels()[..2], &nodes, d("2025-01-01"), None, &choices);
        assert_eq!(ids(&out[1]), vec!["y"]);
    }

    #[test]
    fn definitions_without_parent_are_offered_where_restrictions_allow() {
        let mut nodes = vec![
            node("a", 1, None),
            node("b", 1, None),
            node("a1", 2, Some("a")),
            node("free", 2, None),
            node("only_b", 2, None),
            node("t", 3, None),
        ];
        // only_b: allowed with company b, or with task t (two combinations).
        nodes[4].restrictions = vec![
            vec![RestrictionRule {
                level: 1,
                allowed: vec!["b".into()],
            }],
            vec![RestrictionRule {
                level: 3,
                allowed: vec!["t".into()],
            }],
        ];
        let date = d("2025-01-01");
        // Nothing chosen: the parentless definitions are offered at once, also at level 3.
        let none = options_for_levels(&levels(), &nodes, date, None, &BTreeMap::new());
        assert_eq!(ids(&none[1]), vec!["free", "only_b"]);
        assert_eq!(ids(&none[2]), vec!["t"]);
        // Company a: its child and the free one; only_b is ruled out by its first combination, but
        // its second (task t, not chosen yet) still holds.
        let a: BTreeMap<u32, String> = [(1, "a".to_string())].into();
        assert_eq!(
            ids(&options_for_levels(&levels(), &nodes, date, None, &a)[1]),
            vec!["a1", "free", "only_b"]
        );
        // Company a with task t: the second combination matches; with another task it would not.
        let at: BTreeMap<u32, String> = [(1, "a".to_string()), (3, "t".to_string())].into();
        assert_eq!(
            ids(&options_for_levels(&levels(), &nodes, date, None, &at)[1]),
            vec!["a1", "free", "only_b"]
        );
        nodes[4].restrictions[1][0].allowed = vec!["other".into()];
        assert_eq!(
            ids(&options_for_levels(&levels(), &nodes, date, None, &at)[1]),
            vec!["a1", "free"]
        );
        let b: BTreeMap<u32, String> = [(1, "b".to_string())].into();
        assert_eq!(
            ids(&options_for_levels(&levels(), &nodes, date, None, &b)[1]),
            vec!["free", "only_b"]
        );
    }
}
