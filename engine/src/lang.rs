//! UI languages. Content exists in Dutch and English; the UI (menus, buttons,
//! bot sentences) also in Turkish, Arabic, Polish and Ukrainian.

use serde::{Deserialize, Serialize};

use crate::model::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UiLang {
    Nl,
    En,
    Tr,
    Ar,
    Pl,
    Uk,
}

impl UiLang {
    pub const ALL: [UiLang; 6] = [UiLang::Nl, UiLang::En, UiLang::Tr, UiLang::Ar, UiLang::Pl, UiLang::Uk];

    pub fn code(self) -> &'static str {
        match self {
            UiLang::Nl => "nl",
            UiLang::En => "en",
            UiLang::Tr => "tr",
            UiLang::Ar => "ar",
            UiLang::Pl => "pl",
            UiLang::Uk => "uk",
        }
    }

    pub fn parse(s: &str) -> Option<UiLang> {
        UiLang::ALL.into_iter().find(|l| l.code() == s.trim().to_ascii_lowercase())
    }

    /// The content language for service texts: Dutch for everyone but English
    /// readers, since services and their letters are in Dutch.
    pub fn content(self) -> Lang {
        match self {
            UiLang::En => Lang::En,
            _ => Lang::Nl,
        }
    }

    pub fn rtl(self) -> bool {
        self == UiLang::Ar
    }

    /// The language's own name, for the language menu.
    pub fn native_name(self) -> &'static str {
        match self {
            UiLang::Nl => "Nederlands",
            UiLang::En => "English",
            UiLang::Tr => "Türkçe",
            UiLang::Ar => "العربية",
            UiLang::Pl => "Polski",
            UiLang::Uk => "Українська",
        }
    }
}

impl From<Lang> for UiLang {
    fn from(l: Lang) -> UiLang {
        match l {
            Lang::Nl => UiLang::Nl,
            Lang::En => UiLang::En,
        }
    }
}
