//! One integration-test binary for the whole workspace (it links once).

mod kb;
mod pictograms;
mod support;
