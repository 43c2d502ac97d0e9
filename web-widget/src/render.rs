//! Engine replies and transcripts as the widget's JSON: message keys become
//! text in the conversation's language; the rest stays data. The widget puts
//! every string into the page with `textContent`, never as markup.

use std::collections::HashMap;

use engine::model::LocalContact;
use engine::{
    Choice, Conversation, HandoverStatus, Label, Message, Mode, Reply, ReplyKind, Sender,
    ServiceCard,
};
use locales::Locales;
use pictograms::PictogramSet;
use serde::Serialize;
use serde_json::{json, Value};

pub fn label(l: &Label, lang: &str, loc: &Locales) -> String {
    match l {
        Label::Key(k) => loc.text(lang, k, &[]),
        Label::Text(t) => t.clone(),
    }
}

/// The text a resident reads for one reply, as the CLI prints it.
pub fn reply_text(r: &Reply, lang: &str, loc: &Locales) -> String {
    let mut s = loc.text(lang, &r.key, &r.args);
    if let Some(t) = &r.text {
        s.push(' ');
        s.push_str(t);
    }
    s
}

/// A tile or button as the widget gets it.
#[derive(Serialize)]
pub struct ChoiceOut<'a> {
    id: &'a str,
    label: String,
    pictogram: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<usize>,
}

fn choice<'a>(
    c: &'a Choice,
    number: Option<usize>,
    lang: &str,
    loc: &Locales,
    pics: &PictogramSet,
) -> ChoiceOut<'a> {
    ChoiceOut {
        id: &c.id,
        label: label(&c.label, lang, loc),
        pictogram: pics.contains(&c.pictogram).then_some(c.pictogram.as_str()),
        number,
    }
}

/// A service card, its contact with the phone number as digits for a `tel:` link.
#[derive(Serialize)]
pub struct CardOut<'a> {
    id: &'a str,
    name: &'a str,
    /// The Dutch name, when `name` is a translation: residents need it at the counter.
    #[serde(skip_serializing_if = "Option::is_none")]
    name_nl: Option<&'a str>,
    summary: &'a str,
    when: &'a [String],
    steps: &'a [String],
    bring: &'a [String],
    contact: ContactOut<'a>,
    open_now: bool,
    pictograms: &'a [String],
}

fn card(c: &ServiceCard) -> CardOut<'_> {
    // Destructured so a new field of ServiceCard cannot be forgotten here.
    let ServiceCard { id, name, name_nl, summary, when, steps, bring, contact, open_now, pictograms } = c;
    CardOut {
        id,
        name,
        name_nl: name_nl.as_deref(),
        summary,
        when,
        steps,
        bring,
        contact: ContactOut { contact, tel: tel(&contact.phone) },
        open_now: *open_now,
        pictograms,
    }
}

/// The contact of a card, with `tel` beside the other fields.
#[derive(Serialize)]
struct ContactOut<'a> {
    #[serde(flatten)]
    contact: &'a LocalContact,
    tel: String,
}

/// One reply as the widget gets it. Serialized straight from borrowed parts.
#[derive(Serialize)]
pub struct ReplyOut<'a> {
    kind: ReplyKind,
    key: &'a str,
    text: String,
    service: Option<&'a str>,
    choices: Vec<ChoiceOut<'a>>,
    buttons: Vec<ChoiceOut<'a>>,
    card: Option<CardOut<'a>>,
    handover: Option<&'a HandoverStatus>,
    pictogram: Option<&'a str>,
    pictogram_alt: Option<&'a str>,
    /// Supporter replies only: the intro ("Anna writes:"), their own words
    /// and their name, apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    intro: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supporter: Option<Option<&'a str>>,
}

/// Digits and a leading plus, for a `tel:` link.
pub fn tel(phone: &str) -> String {
    phone
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect()
}

pub fn reply<'a>(r: &'a Reply, lang: &str, loc: &Locales, pics: &'a PictogramSet) -> ReplyOut<'a> {
    let supporter = r.kind == ReplyKind::Supporter;
    ReplyOut {
        kind: r.kind,
        key: &r.key,
        text: reply_text(r, lang, loc),
        service: r.service.as_deref(),
        choices: r
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| choice(c, Some(i + 1), lang, loc, pics))
            .collect(),
        buttons: r.buttons.iter().map(|c| choice(c, None, lang, loc, pics)).collect(),
        card: r.card.as_ref().map(card),
        handover: r.handover.as_ref(),
        pictogram: r.pictogram.as_deref().filter(|p| pics.contains(p)),
        pictogram_alt: r.pictogram.as_deref().and_then(|p| pics.alt(p, lang)),
        intro: supporter.then(|| loc.text(lang, &r.key, &r.args)),
        message: supporter.then_some(r.text.as_deref()),
        supporter: supporter
            .then(|| r.args.iter().find(|(k, _)| k == "name").map(|(_, v)| v.as_str())),
    }
}

pub fn replies<'a>(
    rs: &'a [Reply],
    lang: &str,
    loc: &Locales,
    pics: &'a PictogramSet,
) -> Vec<ReplyOut<'a>> {
    rs.iter().map(|r| reply(r, lang, loc, pics)).collect()
}

/// The conversation's mode as a word, plus the supporter when one holds it.
pub fn state(c: &Conversation) -> Value {
    match &c.mode {
        Mode::Bot => json!({"state": "bot"}),
        Mode::Waiting { reason, .. } => json!({"state": "waiting", "reason": reason}),
        Mode::WithSupporter { supporter, .. } => {
            json!({"state": "with_supporter", "supporter": supporter})
        }
        Mode::Closed { outcome } => json!({"state": "closed", "outcome": outcome}),
    }
}

/// The whole conversation for the resident, messages in order. A tap or
/// button keeps its id and gets the label it had on screen.
pub fn transcript(
    c: &Conversation,
    messages: &[Message],
    loc: &Locales,
    pics: &PictogramSet,
) -> Value {
    let lang = c.lang.code();
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(messages.len());
    for m in messages {
        let mut v = json!({"seq": m.seq, "at": m.at});
        match &m.from {
            Sender::Resident => v["from"] = "resident".into(),
            Sender::Bot => v["from"] = "bot".into(),
            Sender::System => v["from"] = "system".into(),
            Sender::Supporter { name } => {
                v["from"] = "supporter".into();
                v["name"] = name.clone().into();
            }
        }
        if m.from == Sender::Resident {
            v["text"] = m.text.clone().into();
            if let Some(input) = &m.input {
                let mut iv = serde_json::to_value(input).unwrap_or(Value::Null);
                if let Some(id) = iv["value"].as_str() {
                    // What the resident saw on the tile or button: from the
                    // replies before, else the fixed buttons every screen has.
                    let fixed = format!("btn-{id}");
                    if let Some(l) = labels.get(id) {
                        iv["label"] = l.clone().into();
                    } else if loc.has(lang, &fixed) {
                        iv["label"] = loc.text(lang, &fixed, &[]).into();
                    }
                }
                v["input"] = iv;
            }
        }
        if m.purged {
            v["purged"] = true.into();
        }
        for r in &m.replies {
            for c in r.choices.iter().chain(&r.buttons) {
                labels.insert(c.id.clone(), label(&c.label, lang, loc));
            }
        }
        v["replies"] = json!(replies(&m.replies, lang, loc, pics));
        out.push(v);
    }
    json!({
        "id": c.id,
        "lang": lang,
        "dir": if c.lang.rtl() { "rtl" } else { "ltr" },
        "state": state(c),
        "messages": out,
    })
}
