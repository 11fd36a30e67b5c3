//! Simulator of the Protime API (`shared/spec/protime-api.md`, section 5 "Simulator checklist").
//!
//! One dispatcher serves `/connector/protimeapi/api/v1/...`: it checks the URI length, injects faults,
//! checks `User-Agent`, the bearer token and the collection scope, then routes to the handlers in
//! [`api`]. The simulator has its own records ([`data`]) and its own filter parser ([`filter`]); it
//! never imports the client crate.
//!
//! Faults ([`Fault`], queued with [`ProtimeSim::inject`] or drawn at random with
//! [`ProtimeSimConfig::fault_rate`]) are the ones real servers show: error statuses, 429, latency, a
//! dropped connection before or after a write was committed (the connection really closes, see
//! [`crate::server`]; no panic), and writes committed after the client gave up
//! ([`Fault::LateCommit`], [`ProtimeSimConfig::write_delay`]).
//!
//! With [`ClockingPostAnswer::Accepted`], `POST /clockings` answers `202` + `Operation-Location` and
//! `GET …/status-monitor/clockings/{n}` (scope `connector-protimeapi-clockings.read`) reports the
//! operation; its body is the sandbox's reading of an UNCONFIRMED point of the spec (see
//! [`AcceptedOutcome`]).
//!
//! Sandbox-only conveniences (not in the contract): `GET /terminals`, `GET /activity-structure-versions`
//! and `GET /activity-structure-versions/{id}` under the API prefix, and the unauthenticated test hooks
//! `GET /sandbox/protime/clockings` and `GET /sandbox/protime/requests` (read back what the sandbox
//! holds and received). Tests in Rust can use [`ProtimeSim::clockings`], [`ProtimeSim::received`],
//! [`ProtimeSim::inject`], [`ProtimeSim::advance_clock`] and friends directly.
//!
//! Demo data (seeded, deterministic): the first 50 roster people (ids 76500…, so the documented person
//! 76547 exists; `@badge-number` 1955 and `@employee-number` 01256 of the examples are aliases of demo
//! people), 10 absence definitions from id 6578 (some `isReasonForClocking`), 6 terminals with
//! `@external-code` and the custom reference `SapTerminalCode` (SAPTO1…), one activity structure version
//! (the documented GUID) with Company › Department › Task and 40 definitions (the documented GUIDs
//! included, data entry codes 00011…, 10011…, 20001…) with usages and restrictions, 60 days of clockings
//! up to today (night shifts with times past 1440, activity clockings, reasons, soft deletes, edited
//! clockings), access clockings from id 1001 (1234 exists) and calculated totals computed from the
//! clockings. The in/out clockings of people who also clock in the TimeClock 365 simulator follow their
//! sessions there, apart from about one seeded correction in 30 days ([`data::protime_correction`]), so a
//! merged report of the demo flags exceptions rather than nearly every day.

mod api;
mod config;
pub mod data;
mod dispatch;
pub mod filter;
mod hooks;
mod responses;
mod state;
mod token;

pub use config::{
    AcceptedOutcome, ClockingPostAnswer, ProtimeSimArgs, ProtimeSimConfig, ACCEPTED_FAILURE_REASON,
    API_PREFIX, DELTA_LIFETIME_HOURS, MAX_DELAY_MS, MAX_LATE_COMMIT_SECS, MAX_URI,
};
pub use dispatch::Fault;
pub use state::ReceivedRequest;

pub(crate) use responses::{bad_request, error, reasons_error, validation};
pub(crate) use state::{DeltaRec, Operation, OperationState, SimState};

use crate::roster::{Rng, Roster, TimeClockCompany};
use axum::routing::{any, post};
use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The Protime simulator's shared state; clones share it.
#[derive(Clone)]
pub struct ProtimeSim {
    state: Arc<Mutex<SimState>>,
}

impl ProtimeSim {
    /// The demo tenant; the people who also clock in `timeclock` get clockings that agree with it.
    pub fn new(
        seed: u64,
        roster: &Roster,
        config: ProtimeSimConfig,
        timeclock: Option<TimeClockCompany>,
    ) -> Self {
        let today = chrono::Local::now().date_naive();
        let mut demo = data::generate(seed, roster, today, timeclock);
        if config.zero_padded_numbers {
            data::zero_pad_employee_numbers(&mut demo.people);
        }
        if let Some(person) = demo
            .people
            .iter_mut()
            .find(|p| p.index == data::CLOSED_PERIOD_INDEX)
        {
            person.period_closing_date = config.closed_period_until;
        }
        if config.forgotten_out_punches {
            let forgotten: std::collections::HashSet<i64> =
                demo.hand_added_outs.iter().copied().collect();
            demo.clockings.retain(|c| !forgotten.contains(&c.id));
        }
        let next_clocking_id = demo.clockings.iter().map(|c| c.id).max().unwrap_or(100_000) + 1;
        let latency = config.latency;
        let mut st = SimState {
            config,
            people: demo.people,
            terminals: demo.terminals,
            absence_defs: demo.absence_defs,
            defs: demo.defs,
            clockings: demo.clockings,
            access: demo.access,
            totals: BTreeMap::new(),
            tombstones: Vec::new(),
            first_day: today - chrono::Duration::days(59),
            last_day: today,
            next_cv: demo.next_cv,
            next_clocking_id,
            deltas: HashMap::new(),
            next_delta_id: 30080,
            tokens: HashMap::new(),
            token_counter: 0,
            clock_offset: chrono::Duration::zero(),
            faults: Vec::new(),
            latency,
            rng: Rng::derive(seed, &[0xFA17]),
            received: Vec::new(),
            rate_window: (Utc::now(), 0),
            next_operation: 900,
            operations: BTreeMap::new(),
            operations_to_time: Vec::new(),
        };
        let ids: Vec<i64> = st.people.iter().map(|p| p.id).collect();
        for id in ids {
            st.recompute_totals(id);
        }
        Self {
            state: Arc::new(Mutex::new(st)),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/tenants/{tenant}/connect/token", post(token::token))
            .route(
                "/connector/protimeapi/api/v1/{*rest}",
                any(dispatch::dispatch),
            )
            .route(
                "/sandbox/protime/clockings",
                axum::routing::get(hooks::readback_clockings),
            )
            .route(
                "/sandbox/protime/requests",
                axum::routing::get(hooks::readback_requests),
            )
            .with_state(self.clone())
    }

    /// Number of people in the simulated tenant.
    pub fn people_count(&self) -> usize {
        self.lock().people.len()
    }

    /// Makes every issued token expire now (fault injection: token expiry).
    pub fn expire_all_tokens(&self) {
        let mut s = self.lock();
        let now = s.now();
        for t in s.tokens.values_mut() {
            t.expires_at = now;
        }
    }

    /// Queues faults: each following API request takes the next one.
    pub fn inject(&self, faults: impl IntoIterator<Item = Fault>) {
        self.lock().faults.extend(faults);
    }
    /// Added latency on every API request.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }
    pub fn set_fault_rate(&self, rate: f64) {
        self.lock().config.fault_rate = rate.clamp(0.0, 1.0);
    }
    /// Changes the switches at run time.
    pub fn configure(&self, f: impl FnOnce(&mut ProtimeSimConfig)) {
        f(&mut self.lock().config);
    }
    /// Moves the simulator's clock forward (delta expiry, token expiry) without waiting.
    pub fn advance_clock(&self, by: chrono::Duration) {
        self.lock().clock_offset += by;
    }
    /// The simulator's notion of now.
    pub fn now(&self) -> DateTime<Utc> {
        self.lock().now()
    }

    /// Every clocking the tenant holds, as the API would show it.
    pub fn clockings(&self) -> Vec<Value> {
        self.lock().clockings.iter().map(|c| c.to_json()).collect()
    }
    pub fn clocking(&self, id: i64) -> Option<Value> {
        self.lock()
            .clockings
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.to_json())
    }
    /// Calculated totals of one person and date.
    pub fn totals(&self, person: i64, date: NaiveDate) -> Option<Value> {
        self.lock().totals.get(&(person, date)).map(|t| t.to_json())
    }
    /// All activity definitions (every version and level).
    pub fn activity_definitions(&self) -> Vec<Value> {
        self.lock().defs.iter().map(|d| d.to_json()).collect()
    }
    /// Every request received on the API so far.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.lock().received.clone()
    }
    /// Person ids of the demo tenant.
    pub fn person_ids(&self) -> Vec<i64> {
        self.lock().people.iter().map(|p| p.id).collect()
    }

    /// Soft-deletes a clocking as a user in myProtime would: status `Deleted`, new change version.
    pub fn soft_delete_clocking(&self, id: i64) -> bool {
        let mut s = self.lock();
        let cv = s.bump();
        let Some(c) = s.clockings.iter_mut().find(|c| c.id == id) else {
            return false;
        };
        c.status = "Deleted".into();
        c.cv = cv;
        let person = c.person;
        s.recompute_totals(person);
        true
    }
    /// Removes an access clocking for good (delivered as `Delete` in delta).
    pub fn hard_delete_access_clocking(&self, id: i64) -> bool {
        let mut s = self.lock();
        let Some(pos) = s.access.iter().position(|a| a.id == id) else {
            return false;
        };
        s.access.remove(pos);
        let cv = s.bump();
        s.tombstones
            .push(("access-clockings".into(), id.to_string(), cv));
        true
    }
}
