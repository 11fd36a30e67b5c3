//! The simulator's own records (written from the spec, not shared with the client) and the seeded demo
//! data drawn from the roster.
//!
//! [`records`]: the record types and their JSON; [`generate`](generate()): the seeded demo tenant;
//! [`compute_totals`]: calculated totals from clockings.

mod generate;
mod records;
mod totals;

pub use generate::{
    generate, protime_correction, shifts_from_timeclock, zero_pad_employee_numbers,
};
pub use records::{
    AbsenceDef, AccessClocking, ActivityDef, Clocking, RestrictionCombination, SimPerson, Terminal,
    Totals, Usage,
};
pub use totals::{compute_totals, MAX_COUNTED_PRESENCE};

use crate::roster::Rng;

/// First change version handed out; every change takes the next one. Printed as 20 upper-case hex digits.
pub const CV_BASE: u64 = 0x0000_0902_0000_4BD0_0000;

pub fn cv_text(cv: u64) -> String {
    format!("{cv:020X}")
}

/// The demo activity structure version; the GUID is the one the documentation examples use.
pub const STRUCTURE_VERSION: &str = "b2347a7a-d60d-446f-b03b-7es2cc8c3281";
pub const LEVEL_NAMES: [&str; 3] = ["Company", "Department", "Task"];

/// Values the documentation examples use, mapped onto demo people so those examples work as-is:
/// `@badge-number` 1955 and `@employee-number` 01256 (the person's own fields keep the roster values).
pub const SEED_BADGE_ALIAS: (&str, usize) = ("1955", 7);
pub const SEED_EMPLOYEE_ALIAS: (&str, usize) = ("01256", 12);
/// Demo people whose Protime record deliberately disagrees with TimeClock 365 (people are matched
/// across the systems by employee number): this one has another e-mail address in Protime, ...
pub const MISMATCH_EMAIL_INDEX: usize = 23;
/// ... this one carries the employee number of the person before it (a duplicate number), ...
pub const DUPLICATE_NUMBER_INDEX: usize = 45;
/// ... and this one's number is the roster number plus this offset, which TimeClock 365 does not know.
pub const PROTIME_ONLY_INDEX: usize = 49;
pub const PROTIME_ONLY_OFFSET: u32 = 8000;
/// The person whose calendar `closed_period_until` closes (`periodClosingDate`).
pub const CLOSED_PERIOD_INDEX: usize = 44;
/// First person id: person 76547 of the examples is the 48th demo person.
pub const PERSON_ID_BASE: i64 = 76500;

/// A GUID-looking id derived from the seed (8-4-4-4-12 lower-case hex).
pub fn guid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFF,
        0x8000 | (b >> 48) & 0x3FFF,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// Everything the demo tenant holds.
pub struct Demo {
    pub people: Vec<SimPerson>,
    pub terminals: Vec<Terminal>,
    pub absence_defs: Vec<AbsenceDef>,
    pub defs: Vec<ActivityDef>,
    pub clockings: Vec<Clocking>,
    pub access: Vec<AccessClocking>,
    pub next_cv: u64,
    /// Ids of the out-clockings HR added by hand after the fact (the seeded corrections where
    /// Protime has more time): `--forgotten-out-punches` leaves them out, as before HR added them.
    pub hand_added_outs: Vec<i64>,
}

/// Circles are `1..=20`: person index `i` is in circle `i % 20 + 1` and in org-group `121 + i % 5`.
pub fn in_circle(person_index: usize, circle: i64) -> bool {
    (person_index % 20) as i64 + 1 == circle
}
pub fn in_org_group(person_index: usize, group: i64) -> bool {
    121 + (person_index % 5) as i64 == group
}

#[cfg(test)]
mod tests;
