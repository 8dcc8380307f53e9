//! How long to wait before trying again after a failure: one rule for the SDK and for the apps
//! built on it, with jitter, so that clients a server restart cut off together do not all come
//! back in the same instant (and again at every step after).

use std::fmt;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Waits that grow from `first` to `most`, each drawn at random.
///
/// The n-th wait is centred on `first × 2ⁿ` (at most `most`) and drawn uniformly from half of
/// that to one and a half times it, never more than `most`: clients that failed at the same
/// moment spread their first retries over a whole `first`, evenly, and drift further apart
/// with every step.
///
/// ```
/// use std::time::Duration;
/// let mut backoff = beckon::Backoff::new(Duration::from_secs(2), Duration::from_secs(60));
/// let wait = backoff.next_delay();
/// assert!(wait >= Duration::from_secs(1) && wait < Duration::from_secs(3));
/// backoff.reset(); // after a success: the next failure starts again at `first`
/// ```
pub struct Backoff {
    first: Duration,
    most: Duration,
    centre: Duration,
    random: StdRng,
}

impl Backoff {
    /// Waits from `first` up to `most`, random from the system's entropy.
    pub fn new(first: Duration, most: Duration) -> Self {
        Self::with_random(first, most, StdRng::from_entropy())
    }

    /// The same, with a random source seeded with `seed`: the same waits every time, for
    /// tests.
    pub fn seeded(first: Duration, most: Duration, seed: u64) -> Self {
        Self::with_random(first, most, StdRng::seed_from_u64(seed))
    }

    fn with_random(first: Duration, most: Duration, random: StdRng) -> Self {
        let most = most.max(first);
        Self {
            first,
            most,
            centre: first,
            random,
        }
    }

    /// The next wait; each call moves one step further.
    pub fn next_delay(&mut self) -> Duration {
        let wait = jitter(self.centre, &mut self.random).min(self.most);
        self.centre = self.centre.saturating_mul(2).min(self.most);
        wait
    }

    /// Starts again from `first` (after a success).
    pub fn reset(&mut self) {
        self.centre = self.first;
    }
}

/// `centre` made random: uniform from half of it to one and a half times it.
fn jitter(centre: Duration, random: &mut impl Rng) -> Duration {
    centre.mul_f64(random.gen_range(0.5..1.5))
}

/// One fixed wait made random as [`Backoff`]'s are (for the retries the official SDKs make
/// after fixed delays).
pub(crate) fn jittered(centre: Duration) -> Duration {
    jitter(centre, &mut rand::thread_rng())
}

impl fmt::Debug for Backoff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Backoff")
            .field("first", &self.first)
            .field("most", &self.most)
            .field("next_centre", &self.centre)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: Duration = Duration::from_secs(2);
    const MOST: Duration = Duration::from_secs(60);

    #[test]
    fn a_hundred_clients_spread_evenly_over_a_whole_first_wait() {
        let firsts: Vec<f64> = (0..100)
            .map(|seed| {
                Backoff::seeded(FIRST, MOST, seed)
                    .next_delay()
                    .as_secs_f64()
            })
            .collect();
        let low = firsts.iter().copied().fold(f64::MAX, f64::min);
        let high = firsts.iter().copied().fold(f64::MIN, f64::max);
        assert!(high - low >= 1.0, "from {low} to {high}");
        assert!(low >= 1.0 && high < 3.0);
        let mut tenths = [0; 10];
        for d in &firsts {
            tenths[(((d - low) / (high - low)) * 10.0).min(9.0) as usize] += 1;
        }
        assert!(tenths.iter().all(|n| *n <= 25), "{tenths:?}");
    }

    #[test]
    fn waits_grow_to_the_most_never_past_it_and_reset_starts_again() {
        let mut backoff = Backoff::seeded(FIRST, MOST, 7);
        let waits: Vec<Duration> = (0..10).map(|_| backoff.next_delay()).collect();
        assert!(waits.iter().all(|w| *w <= MOST));
        assert!(waits[4] >= Duration::from_secs(16), "{waits:?}");
        assert!(waits[9] >= Duration::from_secs(30), "{waits:?}");
        backoff.reset();
        assert!(backoff.next_delay() < Duration::from_secs(3));
        let same = |seed| Backoff::seeded(FIRST, MOST, seed).next_delay();
        assert_eq!(same(3), same(3), "seeded: the same waits");
    }
}
