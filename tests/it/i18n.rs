//! Every message id the code uses exists in every locale it must, and every
//! id in a locale is used by the code.
//!
//! Resident-facing ids (the engine's and the adapters' `UI_KEYS`) exist in
//! every locale. The supporter console's ids (`web_widget::CONSOLE_KEYS`)
//! exist in exactly the console's languages (`web_widget::CONSOLE_LANGS`,
//! Dutch and English), since supporters work in those; other locales must not
//! carry them half-translated.

use std::collections::BTreeSet;

#[test]
fn every_locale_has_every_used_id_and_nothing_unused() {
    let loc = locales::Locales::load().expect("locales parse");
    let mut resident: BTreeSet<String> = engine::msg::ALL.iter().map(|s| s.to_string()).collect();
    resident.extend(crate::ui_keys().into_iter().map(String::from));
    let console: BTreeSet<String> =
        web_widget::CONSOLE_KEYS.iter().map(|s| s.to_string()).collect();
    assert!(console.iter().all(|k| k.starts_with("console-")), "console ids start with console-");
    assert!(
        resident.iter().all(|k| !k.starts_with("console-")),
        "console- is the console's prefix"
    );
    for lang in web_widget::CONSOLE_LANGS {
        assert!(locales::LANGS.contains(&lang), "console language {lang} is a locale");
    }
    for lang in locales::LANGS {
        let mut used = resident.clone();
        if web_widget::CONSOLE_LANGS.contains(&lang) {
            used.extend(console.iter().cloned());
        }
        let ids = loc.ids(lang);
        let missing: Vec<_> = used.difference(&ids).collect();
        let unused: Vec<_> = ids.difference(&used).collect();
        assert!(missing.is_empty(), "{lang} misses {missing:?}");
        assert!(unused.is_empty(), "{lang} has unused ids {unused:?}");
    }
}

#[test]
fn arguments_are_filled_without_direction_marks() {
    let loc = locales::Locales::load().unwrap();
    let s = loc.text(
        "nl",
        "queued",
        &[("position".into(), "2".into()), ("minutes".into(), "10".into())],
    );
    assert!(s.contains("nummer 2") && s.contains("10 minuten"), "{s}");
    assert!(!s.contains('\u{2068}'));
    assert!(locales::is_rtl("ar") && !locales::is_rtl("nl"));
}

#[test]
fn the_engine_has_no_framework_dependencies() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["tree", "-p", "engine", "-e", "normal", "--prefix", "none", "--offline"])
        .current_dir(crate::support::repo_root())
        .output()
        .expect("cargo tree runs");
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for banned in ["teloxide", "axum", "sled", "tantivy", "resvg", "fluent"] {
        assert!(!tree.lines().any(|l| l.starts_with(banned)), "engine depends on {banned}");
    }
}
