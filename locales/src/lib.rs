//! locales crate.
