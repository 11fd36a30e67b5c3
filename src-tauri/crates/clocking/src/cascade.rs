//! The activity cascade of the clocking form: for each level of the structure, the definitions a
//! person may book on a date, given what is already chosen at the other levels.
//!
//! A definition is offered at level L when it is active on the date, usable by the person, its
//! parent is the choice at level L−1 (level 1 has no parent), and no restriction forbids it: neither
//! its own restrictions on levels already chosen, nor the chosen definitions' restrictions on L.
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
    pub restrictions: Vec<RestrictionRule>,
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

    fn restriction_on(&self, level: u32) -> Option<&RestrictionRule> {
        self.restrictions.iter().find(|r| r.level == level)
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
        let needs_parent = *level > levels.first().map(|l| l.0).unwrap_or(1);
        let mut options = Vec::new();
        if !needs_parent || parent_choice.is_some() {
            for node in nodes.iter().filter(|n| n.level == *level) {
                if needs_parent && node.parent_id.as_deref() != parent_choice {
                    continue;
                }
                if !node.active_on(date) {
                    continue;
                }
                let Some(flagged) = node.usable_by(person_id, date) else {
                    continue;
                };
                let own_ok = valid.iter().all(|(l, chosen)| {
                    node.restriction_on(*l)
                        .is_none_or(|r| r.allowed.iter().any(|a| a == &chosen.id))
                });
                let others_ok = choices
                    .iter()
                    .filter(|(l, _)| **l != *level)
                    .filter_map(|(_, id)| by_id.get(id.as_str()))
                    .all(|chosen| {
                        chosen
                            .restriction_on(*level)
                            .is_none_or(|r| r.allowed.iter().any(|a| a == &node.id))
                    });
                if own_ok && others_ok {
                    options.push(ActivityOption {
                        id: node.id.clone(),
                        name: node.name.clone(),
                        data_entry_code: node.data_entry_code.clone(),
                        limited_to_groups: flagged,
                    });
                }
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
        } else if needs_parent && parent_choice.is_none() {
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
        nodes[6].restrictions = vec![RestrictionRule {
            level: 1,
            allowed: vec!["globex".into()],
        }];
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
        nodes[0].restrictions = vec![RestrictionRule {
            level: 2,
            allowed: vec!["y".into()],
        }];
        let choices: BTreeMap<u32, String> = [(1, "a".to_string())].into();
        let out = options_for_levels(&levels()[..2], &nodes, d("2025-01-01"), None, &choices);
        assert_eq!(ids(&out[1]), vec!["y"]);
    }
}
