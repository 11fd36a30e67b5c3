//! The demo workforce both simulators draw from, so employee numbers overlap across the two systems
//! (reports match people by employee number).

/// How many people the Protime simulator has (the first of the roster).
pub const PROTIME_PEOPLE: usize = 50;

/// Whether a roster person works night shifts (in both simulators, so both tell the same story).
pub fn works_nights(index: usize) -> bool {
    index % 10 == 7
}

/// What the Protime simulator needs to know of the TimeClock 365 company it shares people with: the
/// first `employees` roster people clock there, with ordinary data on the days of `window`
/// (inclusive; the last day is "today", with sessions still open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeClockCompany {
    pub employees: usize,
    pub window: (chrono::NaiveDate, chrono::NaiveDate),
}

/// A small deterministic PRNG (SplitMix64): the demo data must not change when a dependency does.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// A generator for one derived stream, e.g. (seed, employee, day).
    pub fn derive(seed: u64, parts: &[u64]) -> Self {
        let mut r = Self::new(seed);
        for p in parts {
            r.0 ^= p.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            r.next_u64();
        }
        r
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}

/// One member of the demo workforce.
#[derive(Debug, Clone)]
pub struct RosterPerson {
    pub index: usize,
    pub first_name: String,
    pub last_name: String,
    pub employee_number: u32,
    pub badge_number: String,
    pub email: String,
    /// IANA zone the person works in: Asia/Jerusalem or Europe/Brussels.
    pub timezone: &'static str,
}

#[derive(Debug, Clone)]
pub struct Roster {
    pub people: Vec<RosterPerson>,
}

const BE_FIRST: &[&str] = &[
    "Lotte", "Wout", "Elise", "Jonas", "Marie", "Thomas", "Sofie", "Lucas", "Nora", "Arthur",
    "Camille", "Louis", "Fien", "Victor", "Julie",
];
const BE_LAST: &[&str] = &[
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Leclercq",
];
// Israeli colleagues: half are registered in Hebrew script, half in Latin script (both happen in real
// tenants, and reports must render both); a person's first and last name share one script.
const IL_FIRST_HE: &[&str] = &[
    "נועה",
    "איתי",
    "מאיה",
    "יונתן",
    "תמר",
    "דניאל",
    "שירה",
    "אורי",
];
const IL_LAST_HE: &[&str] = &[
    "כהן",
    "לוי",
    "מזרחי",
    "פרץ",
    "ביטון",
    "אברהם",
    "שפירא",
    "כץ",
];
const IL_FIRST_LATIN: &[&str] = &[
    "Yael", "Avi", "Michal", "Eitan", "Noa", "Itai", "Tamar", "Omer",
];
const IL_LAST_LATIN: &[&str] = &[
    "Friedman", "Shapiro", "Katz", "Levi", "Cohen", "Mizrahi", "Peretz", "Golan",
];

impl Roster {
    /// `count` people; the same seed gives the same people. Employee numbers start at 1001; roughly
    /// one person in three works in Asia/Jerusalem.
    pub fn generate(seed: u64, count: usize) -> Self {
        let mut rng = Rng::derive(seed, &[0x5EED]);
        let people = (0..count)
            .map(|index| {
                let israeli = index % 3 == 1;
                let (first, last, tz) = if israeli && index % 2 == 1 {
                    (
                        rng.pick(IL_FIRST_HE),
                        rng.pick(IL_LAST_HE),
                        "Asia/Jerusalem",
                    )
                } else if israeli {
                    (
                        rng.pick(IL_FIRST_LATIN),
                        rng.pick(IL_LAST_LATIN),
                        "Asia/Jerusalem",
                    )
                } else {
                    (rng.pick(BE_FIRST), rng.pick(BE_LAST), "Europe/Brussels")
                };
                let employee_number = 1001 + index as u32;
                RosterPerson {
                    index,
                    first_name: first.to_string(),
                    last_name: last.to_string(),
                    employee_number,
                    badge_number: format!("{}", 1900 + index * 7 + (rng.range(0, 6) as usize)),
                    email: format!("employee{employee_number}@demo.timebridge.test"),
                    timezone: tz,
                }
            })
            .collect();
        Self { people }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_people_and_unique_numbers() {
        let a = Roster::generate(7, 200);
        let b = Roster::generate(7, 200);
        let c = Roster::generate(8, 200);
        let names = |r: &Roster| {
            r.people
                .iter()
                .map(|p| format!("{} {} {}", p.first_name, p.last_name, p.badge_number))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&c));
        let mut badges: Vec<_> = a.people.iter().map(|p| p.badge_number.clone()).collect();
        badges.sort();
        badges.dedup();
        assert_eq!(badges.len(), 200, "badge numbers must be unique");
    }
}
