//! bot crate.
