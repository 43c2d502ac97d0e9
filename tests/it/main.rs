//! One integration-test binary.
mod pictograms;
