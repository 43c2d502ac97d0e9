//! Inline-button callback data: short, versioned, validated.
//!
//! Telegram gives a button at most 64 bytes of data and sends back whatever a
//! client puts there, so the data is treated as untrusted input. The format is
//! `v1:<kind>:<argument>`: `t` a pictogram tile (menu node or `service:<id>`),
//! `b` one of a fixed set of engine buttons, `l` a UI language. A new format
//! gets a new version; buttons of an old version in a resident's chat history
//! are then "stale" and get a friendly answer instead of an error.

use engine::UiLang;

pub const VERSION: &str = "v1";

/// Telegram's limit for callback data, in bytes.
pub const MAX_DATA: usize = 64;

/// The engine buttons a callback may carry (see `Engine::step`).
pub const BUTTONS: &[&str] = &[
    "yes",
    "no",
    "person",
    "back",
    "home",
    "stop",
    "delete",
    "delete-confirm",
    "delete-cancel",
    "consent-yes",
    "consent-no",
];

/// What a valid callback asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A pictogram tile: a menu node id or `service:<id>`.
    Tap(String),
    /// An engine button id from [`BUTTONS`].
    Button(String),
    Lang(UiLang),
}

/// Why callback data was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// Another version (an old message in the chat history).
    Stale,
    /// Not data this bot ever sends.
    Malformed,
}

fn arg_ok(arg: &str) -> bool {
    !arg.is_empty()
        && arg.len() + VERSION.len() + 3 <= MAX_DATA
        && arg.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.' | b':')
        })
}

/// Data for a pictogram tile (a `Choice` of a menu). `None` if the id cannot
/// travel in 64 bytes or has characters the decoder refuses.
pub fn tile(id: &str) -> Option<String> {
    arg_ok(id).then(|| format!("{VERSION}:t:{id}"))
}

/// Data for an engine button id. `lang:<code>` becomes a language choice,
/// `service:<id>` a tile; phone buttons (`tel:`) have no callback (the
/// numbers are in the text, where Telegram makes them tappable).
pub fn button(id: &str) -> Option<String> {
    if let Some(code) = id.strip_prefix("lang:") {
        return UiLang::from_code(code).map(|l| format!("{VERSION}:l:{}", l.code()));
    }
    if id.starts_with("service:") {
        return tile(id);
    }
    BUTTONS.contains(&id).then(|| format!("{VERSION}:b:{id}"))
}

/// Data for a language choice.
pub fn lang(l: UiLang) -> String {
    format!("{VERSION}:l:{}", l.code())
}

/// Read callback data. Checks form only; whether a tile exists is for the caller.
pub fn decode(data: &str) -> Result<Action, Invalid> {
    if data.len() > MAX_DATA {
        return Err(Invalid::Malformed);
    }
    let mut parts = data.splitn(3, ':');
    let (Some(version), Some(kind), Some(arg)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Invalid::Malformed);
    };
    if version != VERSION {
        let looks_versioned = version.len() >= 2
            && version.starts_with('v')
            && version[1..].bytes().all(|b| b.is_ascii_digit());
        return Err(if looks_versioned { Invalid::Stale } else { Invalid::Malformed });
    }
    if !arg_ok(arg) {
        return Err(Invalid::Malformed);
    }
    match kind {
        "t" => Ok(Action::Tap(arg.to_string())),
        "b" if BUTTONS.contains(&arg) => Ok(Action::Button(arg.to_string())),
        "l" => UiLang::from_code(arg).map(Action::Lang).ok_or(Invalid::Malformed),
        _ => Err(Invalid::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(
            decode(&tile("money.toeslagen").unwrap()),
            Ok(Action::Tap("money.toeslagen".into()))
        );
        assert_eq!(
            decode(&button("service:schuldhulp").unwrap()),
            Ok(Action::Tap("service:schuldhulp".into()))
        );
        assert_eq!(
            decode(&button("delete-confirm").unwrap()),
            Ok(Action::Button("delete-confirm".into()))
        );
        assert_eq!(decode(&button("lang:uk").unwrap()), Ok(Action::Lang(UiLang::Uk)));
        assert_eq!(button("tel:112"), None);
        assert_eq!(button("rm -rf"), None);
    }

    #[test]
    fn refuses_tampered_and_old_data() {
        assert_eq!(decode("v0:b:yes"), Err(Invalid::Stale));
        assert_eq!(decode("v2:t:money"), Err(Invalid::Stale));
        for bad in [
            "",
            "v1",
            "v1:b",
            "v1:b:",
            "v1:b:drop",
            "v1:x:yes",
            "v1:t:../etc",
            "v1:t:Money",
            "v1:l:xx",
            "yes",
            "v1:t:a b",
        ] {
            assert_eq!(decode(bad), Err(Invalid::Malformed), "{bad:?}");
        }
        assert_eq!(decode(&format!("v1:t:{}", "a".repeat(60))), Err(Invalid::Malformed));
        assert_eq!(tile(&"a".repeat(60)), None);
    }

    #[test]
    fn every_encoding_fits_telegram() {
        for b in BUTTONS {
            assert!(button(b).unwrap().len() <= MAX_DATA);
        }
    }
}
