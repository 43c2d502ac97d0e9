//! One integration-test binary for the whole workspace (it links once).

mod conversations;
mod authz;
mod crash;
mod fuzz;
mod kb;
mod languages;
mod load;
mod i18n;
mod pictograms;
mod privacy;
mod support;
mod web;
mod telegram;

/// Message ids the adapters use besides the engine's.
pub fn ui_keys() -> Vec<&'static str> {
    web_widget::UI_KEYS.iter().chain(bot::UI_KEYS.iter()).copied().collect()
}
