//! Requests per client address are bounded: each address has a bucket of
//! `burst` requests refilled at `requests_per_minute`; past it, the answer is
//! 429 with Retry-After, before any work is done for the request.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

pub struct RateLimit {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Addresses tracked before idle ones are forgotten.
const TRACKED: usize = 10_000;

impl RateLimit {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        RateLimit { per_second: f64::from(per_minute.max(1)) / 60.0, burst: f64::from(burst.max(1)), buckets: Mutex::default() }
    }

    /// Whether [`take`](Self::take) would succeed, without taking.
    pub fn peek(&self, address: IpAddr, now: Instant) -> Result<(), u64> {
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let Some(bucket) = buckets.get(&address) else { return Ok(()) };
        let tokens = (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * self.per_second).min(self.burst);
        if tokens >= 1.0 {
            Ok(())
        } else {
            Err(((1.0 - tokens) / self.per_second).ceil() as u64)
        }
    }

    /// `Ok` to serve a request from `address` now, or the whole seconds to wait.
    pub fn take(&self, address: IpAddr, now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= TRACKED && !buckets.contains_key(&address) {
            // A full bucket is one that has been idle long enough to refill.
            let refill = self.burst / self.per_second;
            buckets.retain(|_, b| now.duration_since(b.at).as_secs_f64() < refill);
        }
        let bucket = buckets.entry(address).or_insert(Bucket { tokens: self.burst, at: now });
        let elapsed = now.duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / self.per_second).ceil() as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_the_steady_rate_per_address() {
        let limit = RateLimit::new(120, 3);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let start = Instant::now();
        assert!((0..3).all(|_| limit.take(a, start).is_ok()));
        assert_eq!(limit.take(a, start), Err(1));
        assert!(limit.take(b, start).is_ok(), "another address has its own bucket");
        assert!(limit.take(a, start + Duration::from_millis(500)).is_ok(), "half a second refills one at 2/s");
        assert!(limit.take(a, start + Duration::from_millis(500)).is_err());
    }
}
