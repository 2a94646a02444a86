//! Each account's request rate on the API (sync and server functions): a keyed GCRA limiter in
//! memory (governor). A device that overdoes it — a sync loop gone wrong, a script with a
//! stolen cookie — is told 429 with the seconds to wait, and the device's sync loop waits that
//! long; other accounts are not slowed. Sign-in itself is limited by `login_throttle` instead
//! (it has no account yet, and its limits must survive a restart).
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;

#[derive(Clone)]
pub struct AccountRate(Arc<DefaultKeyedRateLimiter<String>>);

impl AccountRate {
    /// `per_second` on average, `burst` at once.
    pub fn new(per_second: u32, burst: u32) -> Self {
        let quota = Quota::per_second(NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN));
        Self(Arc::new(RateLimiter::keyed(quota)))
    }

    /// `Err(seconds to wait)` when the account's rate is used up for now.
    pub fn check(&self, account_id: &str) -> Result<(), u32> {
        self.0
            .check_key(&account_id.to_owned())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                u32::try_from(wait.as_secs()).unwrap_or(u32::MAX).max(1)
            })
    }

    /// Forgets accounts that have been quiet long enough to be back at a full burst.
    pub fn forget_quiet(&self) {
        self.0.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_past_its_burst_waits_while_another_goes_on() {
        let rate = AccountRate::new(1, 3);
        for _ in 0..3 {
            assert_eq!(rate.check("a"), Ok(()));
        }
        let wait = rate.check("a").unwrap_err();
        assert!((1..=2).contains(&wait), "{wait}");
        assert_eq!(rate.check("b"), Ok(()));
    }
}
