//! One integration-test binary for the whole workspace (it links once).

mod conversations;
mod kb;
mod i18n;
mod pictograms;
mod support;

/// Message ids the adapters use besides the engine's.
pub fn ui_keys() -> Vec<&'static str> {
    Vec::new()
}
