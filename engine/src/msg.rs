//! The fluent message ids the engine uses. Every id here must exist in every
//! locale, and every id in a locale must be used (a test checks both).

macro_rules! ids {
    ($($name:ident = $id:literal,)*) => {
        $(pub const $name: &str = $id;)*
        /// All ids the engine may emit.
        pub const ALL: &[&str] = &[$($id),*];
    };
}

ids! {
    GREETING = "greeting",
    CHOOSE_LANGUAGE = "choose-language",
    LANGUAGE_SET = "language-set",
    HOME_MENU = "home-menu",
    SUBMENU = "submenu",
    SERVICE_INTRO = "service-intro",
    ASK_FEEDBACK = "ask-feedback",
    FEEDBACK_THANKS = "feedback-thanks",
    FEEDBACK_SORRY = "feedback-sorry",
    CLARIFY = "clarify",
    NOT_UNDERSTOOD = "not-understood",
    NOT_UNDERSTOOD_AGAIN = "not-understood-again",
    OUT_OF_SCOPE = "out-of-scope",
    CRISIS_CARD = "crisis-card",
    QUEUED = "queued",
    QUEUED_CRISIS = "queued-crisis",
    QUEUED_CRISIS_UNSTAFFED = "queued-crisis-unstaffed",
    STILL_WAITING = "still-waiting",
    SUPPORTER_JOINED = "supporter-joined",
    SUPPORTER_LEFT = "supporter-left",
    TAP_PASSED_ON = "tap-passed-on",
    CONVERSATION_CLOSED = "conversation-closed",
    OUT_OF_HOURS = "out-of-hours",
    NOBODY_AVAILABLE = "nobody-available",
    NOBODY_AVAILABLE_CRISIS = "nobody-available-crisis",
    ASK_CONSENT = "ask-consent",
    LEAVE_CONTACT = "leave-contact",
    CONTACT_SAVED = "contact-saved",
    NO_CONSENT = "no-consent",
    CONFIRM_DELETE = "confirm-delete",
    DELETED = "deleted",
    DELETE_CANCELLED = "delete-cancelled",
    GOODBYE = "goodbye",
    UNKNOWN_CHOICE = "unknown-choice",
    TOO_LONG = "too-long",
    SUPPORTER_MESSAGE = "supporter-message",
    BTN_YES = "btn-yes",
    BTN_NO = "btn-no",
    BTN_PERSON = "btn-person",
    BTN_BACK = "btn-back",
    BTN_HOME = "btn-home",
    BTN_STOP = "btn-stop",
    BTN_DELETE = "btn-delete",
    BTN_CANCEL = "btn-cancel",
    BTN_CALL = "btn-call",
}
