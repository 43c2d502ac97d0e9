//! storage crate.
