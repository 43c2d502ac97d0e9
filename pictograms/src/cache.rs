//! A small least-recently-used cache with a byte budget.
//!
//! Callers choose sizes and tile lists, so an unbounded cache would let a
//! client grow memory without limit; a byte budget bounds it whatever mix
//! of sizes is asked for. The caches hold tens to hundreds of entries, so
//! a linear scan on eviction is cheaper than keeping an ordered index.

use std::collections::HashMap;
use std::hash::Hash;

pub(crate) struct Cache<K, V> {
    entries: HashMap<K, Entry<V>>,
    budget: usize,
    used: usize,
    clock: u64,
}

struct Entry<V> {
    value: V,
    cost: usize,
    last_used: u64,
}

impl<K: Hash + Eq + Clone, V: Clone> Cache<K, V> {
    pub(crate) fn new(budget: usize) -> Self {
        Cache { entries: HashMap::new(), budget, used: 0, clock: 0 }
    }

    pub(crate) fn get(&mut self, key: &K) -> Option<V> {
        self.clock += 1;
        let entry = self.entries.get_mut(key)?;
        entry.last_used = self.clock;
        Some(entry.value.clone())
    }

    /// Inserts, evicting least recently used entries to stay in budget. A
    /// value bigger than the whole budget is simply not kept.
    pub(crate) fn insert(&mut self, key: K, value: V, cost: usize) {
        if cost > self.budget {
            return;
        }
        if let Some(old) = self.entries.remove(&key) {
            self.used -= old.cost;
        }
        while self.used + cost > self.budget {
            let oldest =
                self.entries.iter().min_by_key(|(_, e)| e.last_used).map(|(k, _)| k.clone());
            match oldest.and_then(|k| self.entries.remove(&k)) {
                Some(evicted) => self.used -= evicted.cost,
                None => break,
            }
        }
        self.clock += 1;
        self.used += cost;
        self.entries.insert(key, Entry { value, cost, last_used: self.clock });
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.used = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_within_budget_and_keeps_recent_entries() {
        let mut c = Cache::new(10);
        c.insert("a", 1, 4);
        c.insert("b", 2, 4);
        assert_eq!(c.get(&"a"), Some(1));
        c.insert("c", 3, 4); // evicts b, the least recently used
        assert_eq!(c.get(&"b"), None);
        assert_eq!(c.get(&"a"), Some(1));
        assert_eq!(c.get(&"c"), Some(3));
        c.insert("huge", 9, 11);
        assert_eq!(c.get(&"huge"), None);
        assert!(c.used <= 10);
        c.clear();
        assert_eq!(c.get(&"a"), None);
    }
}
