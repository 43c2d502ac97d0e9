//! All resident- and supporter-facing text, from fluent files in this folder
//! (`<lang>/wegwijs.ftl`), embedded in the binary.

use std::collections::{BTreeSet, HashMap};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// UI languages, in menu order.
pub const LANGS: [&str; 6] = ["nl", "en", "tr", "ar", "pl", "uk"];

const SOURCES: [(&str, &str); 6] = [
    ("nl", include_str!("../nl/wegwijs.ftl")),
    ("en", include_str!("../en/wegwijs.ftl")),
    ("tr", include_str!("../tr/wegwijs.ftl")),
    ("ar", include_str!("../ar/wegwijs.ftl")),
    ("pl", include_str!("../pl/wegwijs.ftl")),
    ("uk", include_str!("../uk/wegwijs.ftl")),
];

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("locale {lang}: {message}")]
    Parse { lang: String, message: String },
}

pub struct Locales {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
    ids: HashMap<&'static str, BTreeSet<String>>,
}

pub fn is_rtl(lang: &str) -> bool {
    lang == "ar"
}

impl Locales {
    /// Parse every embedded locale. Fails on a syntax error, naming the language.
    pub fn load() -> Result<Locales, Error> {
        let mut bundles = HashMap::new();
        let mut ids = HashMap::new();
        for (lang, src) in SOURCES {
            let res = FluentResource::try_new(src.to_string()).map_err(|(_, errs)| Error::Parse {
                lang: lang.into(),
                message: errs.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>().join("; "),
            })?;
            let mut set = BTreeSet::new();
            for entry in res.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    set.insert(m.id.name.to_string());
                }
            }
            let langid: LanguageIdentifier = lang.parse().map_err(|_| Error::Parse { lang: lang.into(), message: "bad language id".into() })?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Direction marks around arguments show up as junk in Telegram and HTML.
            bundle.set_use_isolating(false);
            bundle.add_resource(res).map_err(|e| Error::Parse { lang: lang.into(), message: format!("{e:?}") })?;
            bundles.insert(lang, bundle);
            ids.insert(lang, set);
        }
        Ok(Locales { bundles, ids })
    }

    /// The message ids a language defines.
    pub fn ids(&self, lang: &str) -> BTreeSet<String> {
        self.ids.get(lang).cloned().unwrap_or_default()
    }

    pub fn has(&self, lang: &str, id: &str) -> bool {
        self.ids.get(lang).is_some_and(|s| s.contains(id))
    }

    /// The text of `id` in `lang`, falling back to English, then Dutch, then the id itself.
    pub fn text(&self, lang: &str, id: &str, args: &[(String, String)]) -> String {
        for l in [lang, "en", "nl"] {
            if let Some(s) = self.format(l, id, args) {
                return s;
            }
        }
        id.to_string()
    }

    fn format(&self, lang: &str, id: &str, args: &[(String, String)]) -> Option<String> {
        let bundle = self.bundles.get(lang)?;
        let msg = bundle.get_message(id)?;
        let pattern = msg.value()?;
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(k.as_str(), v.as_str());
        }
        let mut errors = Vec::new();
        let s = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        Some(s.into_owned())
    }
}
