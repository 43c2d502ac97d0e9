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

pub fn open_store(data: &Path) -> Result<Arc<SledStore>> {
    Ok(Arc::new(SledStore::open(data).with_context(|| format!("cannot open the store in {}", data.display()))?))
}

/// The engine over the shipped or given content and the store in `data`.
pub fn engine(content: &Path, data: &Path, config: Config) -> Result<(Arc<Engine>, Arc<SledStore>)> {
    let kb = KnowledgeBase::load(content).with_context(|| format!("cannot load content from {}", content.display()))?;
    let store = open_store(data)?;
    let engine = Engine::new(Arc::new(kb), store.clone(), Arc::new(SystemClock), config);
    Ok((Arc::new(engine), store))
}
