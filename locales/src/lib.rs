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

/// Left-to-right isolation for right-to-left text: every run of Latin letters
/// and digits (a phone number, a postcode, a time, a web address, a Dutch name
/// or sentence) is wrapped in U+2066 LEFT-TO-RIGHT ISOLATE and U+2069 POP
/// DIRECTIONAL ISOLATE. Without it "088 555 14 10" shows as "10 14 555 088"
/// in Arabic, and a Dutch sentence puts its full stop at the start of the line.
/// Plain text only (Telegram messages); the widget does the same with `<bdi>`.
pub fn isolate_ltr(text: &str) -> String {
    const LRI: char = '\u{2066}';
    const PDI: char = '\u{2069}';
    let starts = |c: char| c.is_ascii_alphanumeric() || ('\u{00C0}'..='\u{024F}').contains(&c);
    // Inside a run: spaces and the punctuation of numbers, times and addresses.
    let continues = |c: char| starts(c) || matches!(c, ' ' | '.' | ',' | ':' | '-' | '/' | '+' | '(' | ')' | '\'' | '@' | '?' | '=' | '&' | '_' | '%' | '#');
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        if !starts(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut end = i;
        while end < chars.len() && continues(chars[end]) {
            end += 1;
        }
        // Trailing spaces and separators belong to the surrounding text, and
        // so does a full stop, unless the run is a whole line (a Dutch sentence).
        let whole_line = (i == 0 || chars[i - 1] == '\n') && (end == chars.len() || chars[end] == '\n');
        while end > i && (matches!(chars[end - 1], ' ' | ',' | ':' | '(' | '-' | '/') || (!whole_line && matches!(chars[end - 1], '.' | '!' | '?'))) {
            end -= 1;
        }
        // A closing bracket whose opening one stands outside belongs outside too.
        let count = |c: char, end: usize| chars[i..end].iter().filter(|&&x| x == c).count();
        while end > i && chars[end - 1] == ')' && count(')', end) > count('(', end) {
            end -= 1;
        }
        out.push(LRI);
        out.extend(&chars[i..end]);
        out.push(PDI);
        i = end;
    }
    out
}

#[cfg(test)]
mod bidi_tests {
    use super::isolate_ltr;

    #[test]
    fn isolates_numbers_and_dutch_in_arabic() {
        let s = isolate_ltr("اتصل على 088 555 14 10، من 09:00-17:00");
        assert_eq!(s, "اتصل على \u{2066}088 555 14 10\u{2069}، من \u{2066}09:00-17:00\u{2069}");
        let s = isolate_ltr("مساعدة الديون — Hulp bij schulden (schuldhulpverlening)");
        assert!(s.ends_with("\u{2066}Hulp bij schulden (schuldhulpverlening)\u{2069}"), "{s}");
        assert_eq!(isolate_ltr("مرحبا"), "مرحبا");
        assert_eq!(isolate_ltr("الديون (schuldhulp) مجانية"), "الديون (\u{2066}schuldhulp\u{2069}) مجانية");
        // A full stop after a name ends the Arabic sentence; a Dutch line keeps its own.
        assert_eq!(isolate_ltr("إلى: Schuldhulp."), "إلى: \u{2066}Schuldhulp\u{2069}.");
        assert_eq!(isolate_ltr("أنا\nDat is goed."), "أنا\n\u{2066}Dat is goed.\u{2069}");
    }
}
