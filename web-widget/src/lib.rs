//! web-widget crate.
