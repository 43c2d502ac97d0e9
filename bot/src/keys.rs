//! The fluent message ids only the Telegram adapter uses (prefix `tg-`).
//! Every id here must exist in every locale (the i18n test checks it).

macro_rules! ids {
    ($($name:ident = $id:literal,)*) => {
        $(pub const $name: &str = $id;)*
        /// All ids the bot may show, besides the engine's (`engine::msg::ALL`).
        pub const UI_KEYS: &[&str] = &[$($id),*];
    };
}

ids! {
    PRIVATE_ONLY = "tg-private-only",
    NOT_TEXT = "tg-not-text",
    NOT_TEXT_PERSON = "tg-not-text-person",
    STALE_BUTTON = "tg-stale-button",
    WITH_PERSON = "tg-with-person",
    ERROR = "tg-error",
    HELP = "tg-help",
    CMD_START = "tg-cmd-start",
    CMD_MENU = "tg-cmd-menu",
    CMD_MENS = "tg-cmd-mens",
    CMD_TAAL = "tg-cmd-taal",
    CMD_STOP = "tg-cmd-stop",
    CMD_VERGEET = "tg-cmd-vergeet",
    CMD_VOORLEZEN = "tg-cmd-voorlezen",
    VOICE_ON = "tg-voice-on",
    VOICE_OFF = "tg-voice-off",
    VOICE_NO_LANG = "tg-voice-no-lang",
    VOICE_LINK = "tg-voice-link",
    CARD_WHEN = "tg-card-when",
    CARD_STEPS = "tg-card-steps",
    CARD_BRING = "tg-card-bring",
    CARD_PHONE = "tg-card-phone",
    CARD_HOURS = "tg-card-hours",
    CARD_OPEN_NOW = "tg-card-open-now",
    CARD_CLOSED_NOW = "tg-card-closed-now",
    CARD_DEMO = "tg-card-demo",
}
