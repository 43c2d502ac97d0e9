//! Wiring: the knowledge base, the store and the engine, from a data directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use engine::{Config, Engine, SystemClock};
use knowledge_base::KnowledgeBase;
use storage::SledStore;

/// Where data lives when `--data` is not given.
pub fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}

/// The store in `data`. `WEGWIJS_STORE_CACHE_MB` sets sled's cache limit.
pub fn open_store(data: &Path) -> Result<Arc<SledStore>> {
    let cache = match std::env::var("WEGWIJS_STORE_CACHE_MB") {
        Ok(v) => {
            v.trim().parse::<u64>().ok().filter(|mb| (1..=65_536).contains(mb)).with_context(|| {
                format!("WEGWIJS_STORE_CACHE_MB: `{v}` is not a number of megabytes from 1 to 65536")
            })? * 1024
                * 1024
        }
        Err(_) => storage::DEFAULT_CACHE_BYTES,
    };
    let store = SledStore::open_with_cache(data, cache)
        .with_context(|| format!("cannot open the store in {}", data.display()))?;
    Ok(Arc::new(store))
}

/// The engine over the shipped or given content and the store in `data`.
pub fn engine(content: &Path, data: &Path, config: Config) -> Result<(Arc<Engine>, Arc<SledStore>)> {
    let kb = KnowledgeBase::load(content).with_context(|| format!("cannot load content from {}", content.display()))?;
    let store = open_store(data)?;
    let engine = Engine::new(Arc::new(kb), store.clone(), Arc::new(SystemClock), config);
    Ok((Arc::new(engine), store))
}
