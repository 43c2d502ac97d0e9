//! Rate limits: a token bucket per conversation and per client address.
//! Buckets live in memory; a restart forgives everyone, which is fine.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::Rate;

struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct Buckets {
    rate: Rate,
    map: Mutex<HashMap<String, Bucket>>,
}

/// Above this many keys, full buckets are dropped (they hold no information).
const MAX_KEYS: usize = 50_000;

impl Buckets {
    pub fn new(rate: Rate) -> Buckets {
        Buckets { rate, map: Mutex::new(HashMap::new()) }
    }

    /// Take one token for `key`. `Err(seconds)` says when the next one comes.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let burst = f64::from(self.rate.burst.max(1));
        let per_sec = self.rate.per_sec.max(0.001);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > MAX_KEYS {
            map.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec < burst);
        }
        let b = map.entry(key.to_string()).or_insert(Bucket { tokens: burst, at: now });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / per_sec).ceil().max(1.0) as u64)
        }
    }
}

pub struct Limits {
    pub conversation: Buckets,
    pub client: Buckets,
}

impl Limits {
    pub fn new(conversation: Rate, client: Rate) -> Limits {
        Limits { conversation: Buckets::new(conversation), client: Buckets::new(client) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_and_refills_per_key() {
        let b = Buckets::new(Rate { burst: 2, per_sec: 20.0 });
        assert!(b.take("a").is_ok() && b.take("a").is_ok());
        assert_eq!(b.take("a"), Err(1));
        assert!(b.take("b").is_ok(), "keys do not share a bucket");
        std::thread::sleep(std::time::Duration::from_millis(120));
        assert!(b.take("a").is_ok(), "refilled");
    }
}
