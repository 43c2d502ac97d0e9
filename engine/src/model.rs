//! The knowledge the engine talks about: services, their texts and contacts.
//!
//! These are plain data types. The `knowledge-base` crate loads them from the
//! content files; the engine only reads them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A language Wegwijs speaks: the UI, the service texts and triage all cover
/// the same six.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Nl,
    En,
    Tr,
    Ar,
    Pl,
    Uk,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::Nl, Lang::En, Lang::Tr, Lang::Ar, Lang::Pl, Lang::Uk];
    /// Languages written in the service files themselves; the others are
    /// translations of them (`content/translations/<lang>/`).
    pub const SOURCE: [Lang; 2] = [Lang::Nl, Lang::En];
    pub const TRANSLATED: [Lang; 4] = [Lang::Tr, Lang::Ar, Lang::Pl, Lang::Uk];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
            Lang::Tr => "tr",
            Lang::Ar => "ar",
            Lang::Pl => "pl",
            Lang::Uk => "uk",
        }
    }

    /// Exactly one of the six codes (`nl`, `en`, `tr`, `ar`, `pl`, `uk`), as
    /// buttons, callback data and the API carry them.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// A language code or name, as people type it on a command line.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" | "nld" | "dutch" | "nederlands" => Some(Lang::Nl),
            "en" | "eng" | "english" | "engels" => Some(Lang::En),
            "tr" | "tur" | "turkish" | "turks" | "türkçe" => Some(Lang::Tr),
            "ar" | "ara" | "arabic" | "arabisch" => Some(Lang::Ar),
            "pl" | "pol" | "polish" | "pools" | "polski" => Some(Lang::Pl),
            "uk" | "ukr" | "ua" | "ukrainian" | "oekraïens" | "oekraiens" => Some(Lang::Uk),
            _ => None,
        }
    }

    /// Written right to left.
    pub fn rtl(self) -> bool {
        self == Lang::Ar
    }

    /// The language's own name, for the language menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
            Lang::Tr => "Türkçe",
            Lang::Ar => "العربية",
            Lang::Pl => "Polski",
            Lang::Uk => "Українська",
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The texts of a service in one language.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceText {
    pub name: String,
    pub summary: String,
    pub when: Vec<String>,
    pub steps: Vec<String>,
    #[serde(default)]
    pub bring: Vec<String>,
    pub keywords: Vec<String>,
    pub examples: Vec<String>,
}

/// How to reach a service. Fields left out of a municipality override fall back
/// to the service-wide value.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub organisation: String,
    pub phone: String,
    pub website: String,
    pub hours: Vec<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// Fictional contact data, shown with a "demo" mark.
    #[serde(default)]
    pub demo: bool,
    #[serde(default)]
    pub municipality: BTreeMap<String, ContactOverride>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ContactOverride {
    pub organisation: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub hours: Option<Vec<String>>,
    pub address: Option<String>,
}

/// The contact as a resident of one municipality sees it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LocalContact {
    pub organisation: String,
    pub phone: String,
    pub website: String,
    pub hours: Vec<String>,
    pub address: Option<String>,
    pub demo: bool,
}

impl Contact {
    pub fn for_municipality(&self, municipality: Option<&str>) -> LocalContact {
        let o = municipality.and_then(|m| self.municipality.get(m));
        let pick = |v: Option<&String>, d: &String| v.unwrap_or(d).clone();
        LocalContact {
            organisation: pick(o.and_then(|o| o.organisation.as_ref()), &self.organisation),
            phone: pick(o.and_then(|o| o.phone.as_ref()), &self.phone),
            website: pick(o.and_then(|o| o.website.as_ref()), &self.website),
            hours: o.and_then(|o| o.hours.clone()).unwrap_or_else(|| self.hours.clone()),
            address: o.and_then(|o| o.address.clone()).or_else(|| self.address.clone()),
            demo: self.demo,
        }
    }
}

/// One service residents can be sent to.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    /// Concept ids of the pictogram set; the first is the main one.
    pub pictograms: Vec<String>,
    pub nl: ServiceText,
    pub en: ServiceText,
    /// Texts in the other languages. They live in their own files
    /// (`content/translations/<lang>/services/<id>.toml`), never in the service file.
    #[serde(default, skip_deserializing, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<Lang, ServiceText>,
    pub contact: Contact,
}

impl Service {
    /// The texts in one language; Dutch where a translation is missing (the
    /// content check refuses that, so it only happens with unchecked content).
    pub fn text(&self, lang: Lang) -> &ServiceText {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
            other => self.translations.get(&other).unwrap_or(&self.nl),
        }
    }

    /// Whether the service has its own texts in this language.
    pub fn has_text(&self, lang: Lang) -> bool {
        matches!(lang, Lang::Nl | Lang::En) || self.translations.contains_key(&lang)
    }

    pub fn main_pictogram(&self) -> &str {
        self.pictograms.first().map(String::as_str).unwrap_or("question")
    }
}

/// A municipality of the region.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    pub id: String,
    pub name: String,
}

/// A screen of the pictogram menu.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NavNode {
    pub id: String,
    pub pictogram: String,
    pub nl: String,
    pub en: String,
    /// Labels in the other languages, from `content/translations/<lang>/navigation.toml`.
    #[serde(default, skip_deserializing, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<Lang, String>,
    /// Child node ids; empty for a leaf that opens a service.
    #[serde(default)]
    pub children: Vec<String>,
    /// The service a leaf opens.
    #[serde(default)]
    pub service: Option<String>,
}

impl NavNode {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
            other => self.labels.get(&other).unwrap_or(&self.nl),
        }
    }
}

/// The pictogram menu: a home screen and the screens under it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Navigation {
    /// Ids of the life areas on the home screen.
    pub home: Vec<String>,
    pub nodes: Vec<NavNode>,
}

impl Navigation {
    pub fn node(&self, id: &str) -> Option<&NavNode> {
        self.nodes.iter().find(|n| n.id == id)
    }
}
