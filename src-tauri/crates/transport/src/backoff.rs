//! The retry schedule both clients use for reads.

use std::time::Duration;

/// Exponential backoff with jitter: attempt `n` (1-based) waits `base · 2^(n-1)`, at most `max`,
/// scaled by a factor in `[0.5, 1)` so parallel requests do not retry in lockstep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Backoff {
    /// 250 ms, doubling, at most 8 s.
    pub const DEFAULT: Backoff = Backoff {
        base: Duration::from_millis(250),
        max: Duration::from_secs(8),
    };

    /// The un-jittered wait after failed attempt `attempt` (1-based; 0 counts as 1).
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(30);
        self.base.saturating_mul(1u32 << doublings).min(self.max)
    }

    /// The wait after failed attempt `attempt`, with jitter in `[50%, 100%)` of [`Self::ceiling`].
    pub fn delay(&self, attempt: u32) -> Duration {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let frac = 0.5 + f64::from(nanos % 1000) / 2000.0;
        let ceiling = self.ceiling(attempt);
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * frac)
            .map_or(ceiling, |d| d.min(ceiling))
    }
}

/// How long to wait before retrying after failed attempt `attempt`: the server's `Retry-After`
/// (capped at `cap`) when it sent one, else the backoff.
pub fn retry_wait(
    retry_after: Option<Duration>,
    backoff: &Backoff,
    attempt: u32,
    cap: Duration,
) -> Duration {
    match retry_after {
        Some(r) => r.min(cap),
        None => backoff.delay(attempt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_max_with_jitter() {
        let b = Backoff::DEFAULT;
        assert_eq!(b.ceiling(0), Duration::from_millis(250));
        assert_eq!(b.ceiling(1), Duration::from_millis(250));
        assert_eq!(b.ceiling(2), Duration::from_millis(500));
        assert_eq!(b.ceiling(4), Duration::from_secs(2));
        assert_eq!(b.ceiling(10), Duration::from_secs(8));
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(8));
        for attempt in 1..40 {
            let d = b.delay(attempt);
            let c = b.ceiling(attempt);
            assert!(d >= c / 2 && d < c, "{attempt}: {d:?} of {c:?}");
        }
        assert!(b.delay(1) < b.delay(2));
        let huge = Backoff {
            base: Duration::MAX,
            max: Duration::MAX,
        };
        let _ = huge.delay(u32::MAX);
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let b = Backoff::DEFAULT;
        let cap = Duration::from_secs(30);
        assert_eq!(retry_wait(Some(Duration::from_secs(3600)), &b, 1, cap), cap);
        assert_eq!(
            retry_wait(Some(Duration::from_secs(2)), &b, 1, cap),
            Duration::from_secs(2)
        );
        assert!(retry_wait(None, &b, 3, cap) <= b.ceiling(3));
    }
}
