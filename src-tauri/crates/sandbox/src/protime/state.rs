//! The simulated tenant's state: its records, issued tokens, active deltas, queued faults, accepted
//! operations and the requests received.

use super::config::{AcceptedOutcome, ProtimeSimConfig, ACCEPTED_FAILURE_REASON};
use super::data;
use super::dispatch::Fault;
use crate::roster::{works_nights, Rng};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// One request the simulator received (for tests that read back what was sent).
#[derive(Debug, Clone)]
pub struct ReceivedRequest {
    pub method: String,
    pub path_and_query: String,
    pub body: String,
    pub user_agent: String,
}

pub(crate) struct IssuedToken {
    pub(crate) expires_at: DateTime<Utc>,
    pub(crate) scopes: Vec<String>,
}

/// One active delta (one per collection).
#[derive(Debug, Clone)]
pub(crate) struct DeltaRec {
    pub id: i64,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub last_used: DateTime<Utc>,
    pub ext_refs: String,
}

pub(crate) struct SimState {
    pub config: ProtimeSimConfig,
    pub people: Vec<data::SimPerson>,
    pub terminals: Vec<data::Terminal>,
    pub absence_defs: Vec<data::AbsenceDef>,
    pub defs: Vec<data::ActivityDef>,
    pub clockings: Vec<data::Clocking>,
    pub access: Vec<data::AccessClocking>,
    pub totals: BTreeMap<(i64, NaiveDate), data::Totals>,
    /// Hard deletes: (collection, id, change version) for `Delete` delta items.
    pub tombstones: Vec<(String, String, u64)>,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub next_cv: u64,
    pub next_clocking_id: i64,
    pub deltas: HashMap<String, DeltaRec>,
    pub next_delta_id: i64,
    pub(crate) tokens: HashMap<String, IssuedToken>,
    pub(crate) token_counter: u64,
    pub(crate) clock_offset: chrono::Duration,
    pub(crate) faults: Vec<Fault>,
    pub(crate) latency: Duration,
    pub(crate) rng: Rng,
    pub received: Vec<ReceivedRequest>,
    pub(crate) rate_window: (DateTime<Utc>, u32),
    pub next_operation: i64,
    /// Accepted (`202`) clocking operations by number.
    pub(crate) operations: BTreeMap<i64, Operation>,
    /// Operations accepted by the request being handled, whose completion timer is not started yet.
    pub(crate) operations_to_time: Vec<i64>,
}

/// One accepted (`202`) clocking operation of the status monitor.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub accepted_at: std::time::Instant,
    /// Polls answered `Running` so far.
    pub running_polls: u32,
    pub state: OperationState,
}

#[derive(Debug, Clone)]
pub(crate) enum OperationState {
    /// Validated, not committed yet.
    Running(Box<data::Clocking>),
    Succeeded {
        clocking_id: i64,
    },
    Failed {
        reasons: Vec<String>,
    },
}

impl SimState {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.clock_offset
    }

    /// Stores a validated new clocking under a fresh id and change version; returns the id.
    pub(crate) fn commit_clocking(&mut self, mut c: data::Clocking) -> i64 {
        let id = self.next_clocking_id;
        self.next_clocking_id += 1;
        c.id = id;
        c.cv = self.bump();
        let person = c.person;
        self.clockings.push(c);
        self.recompute_totals(person);
        id
    }

    /// Completes a running accepted operation as configured (commits its clocking, or fails it).
    /// Does nothing to an operation that is unknown or already complete.
    pub(crate) fn complete_operation(&mut self, n: i64) {
        let outcome = self.config.accepted_outcome;
        let Some(op) = self.operations.get_mut(&n) else {
            return;
        };
        let OperationState::Running(draft) = &op.state else {
            return;
        };
        let draft = (**draft).clone();
        let state = match outcome {
            AcceptedOutcome::Succeeded => OperationState::Succeeded {
                clocking_id: self.commit_clocking(draft),
            },
            AcceptedOutcome::Failed => OperationState::Failed {
                reasons: vec![ACCEPTED_FAILURE_REASON.to_string()],
            },
        };
        if let Some(op) = self.operations.get_mut(&n) {
            op.state = state;
        }
    }
    pub fn bump(&mut self) -> u64 {
        self.next_cv += 1;
        self.next_cv
    }
    pub fn person_index(&self, id: i64) -> Option<usize> {
        self.people.iter().find(|p| p.id == id).map(|p| p.index)
    }

    /// Recomputes one person's calculated totals; records whose numbers change get a new change version.
    pub fn recompute_totals(&mut self, person: i64) {
        let Some(index) = self.person_index(person) else {
            return;
        };
        let refs: Vec<&data::Clocking> = self
            .clockings
            .iter()
            .filter(|c| c.person == person)
            .collect();
        // The demo window, plus every other date the person has clockings on.
        let mut dates: Vec<NaiveDate> = self
            .first_day
            .iter_days()
            .take_while(|d| *d <= self.last_day)
            .collect();
        dates.extend(refs.iter().map(|c| c.date));
        dates.sort();
        dates.dedup();
        let rows = data::compute_totals(person, &refs, &dates);
        let mut balance = 0i64;
        for (date, normal, present, calculated) in rows {
            let flextime = calculated - normal;
            balance += flextime;
            let mut rec = data::Totals {
                id: 500_000
                    + index as i64 * 100_000
                    + (date - NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()).num_days(),
                person,
                date,
                normal,
                present,
                calculated,
                flextime,
                balance,
                shift: Some(if works_nights(index) { 12 } else { 11 }),
                cv: 0,
            };
            match self.totals.get(&(person, date)) {
                Some(old)
                    if {
                        rec.cv = old.cv;
                        *old == rec
                    } => {}
                _ => {
                    rec.cv = self.bump();
                    self.totals.insert((person, date), rec);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protime::ProtimeSim;
    use crate::roster::Roster;

    #[test]
    fn accepted_operations_commit_only_when_they_complete() {
        let roster = Roster::generate(1, 60);
        let sim = ProtimeSim::new(1, &roster, ProtimeSimConfig::default(), None);
        let mut s = sim.lock();
        let before = s.clockings.len();
        let draft = s.clockings[0].clone();
        s.operations.insert(
            7,
            Operation {
                accepted_at: std::time::Instant::now(),
                running_polls: 0,
                state: OperationState::Running(Box::new(draft)),
            },
        );
        assert_eq!(s.clockings.len(), before);
        s.complete_operation(7);
        assert_eq!(s.clockings.len(), before + 1);
        // Idempotent; unknown operations are ignored.
        s.complete_operation(7);
        s.complete_operation(8);
        assert_eq!(s.clockings.len(), before + 1);
        assert!(matches!(
            s.operations[&7].state,
            OperationState::Succeeded { .. }
        ));
    }

    #[test]
    fn demo_data_is_deterministic_and_consistent() {
        let roster = Roster::generate(3, 60);
        let a = ProtimeSim::new(3, &roster, ProtimeSimConfig::default(), None);
        let b = ProtimeSim::new(3, &roster, ProtimeSimConfig::default(), None);
        assert_eq!(a.clockings(), b.clockings());
        assert_eq!(a.people_count(), 50);
        let defs = a.activity_definitions();
        assert_eq!(defs.len(), 40);
        let s = a.lock();
        // Change versions are unique 20-digit upper-case hex.
        let mut cvs: Vec<u64> = s
            .clockings
            .iter()
            .map(|c| c.cv)
            .chain(s.totals.values().map(|t| t.cv))
            .collect();
        let n = cvs.len();
        cvs.sort();
        cvs.dedup();
        assert_eq!(cvs.len(), n);
        assert!(s.access.iter().any(|x| x.id == 1234));
        assert!(s.clockings.iter().any(|c| c.status == "Deleted"));
        assert!(s.access.iter().all(|x| (0..1440).contains(&x.time)));
    }
}
