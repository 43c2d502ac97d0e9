//! Engine replies and transcripts as the widget's JSON: message keys become
//! text in the conversation's language; the rest stays data. The widget puts
//! every string into the page with `textContent`, never as markup.

use std::collections::HashMap;

use engine::{Choice, Conversation, Label, Message, Mode, Reply, ReplyKind, Sender};
use locales::Locales;
use pictograms::PictogramSet;
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

fn choice(
    c: &Choice,
    number: Option<usize>,
    lang: &str,
    loc: &Locales,
    pics: &PictogramSet,
) -> Value {
    let mut v = json!({
        "id": c.id,
        "label": label(&c.label, lang, loc),
        "pictogram": pics.contains(&c.pictogram).then_some(&c.pictogram),
    });
    if let Some(n) = number {
        v["number"] = n.into();
    }
    v
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

pub fn reply(r: &Reply, lang: &str, loc: &Locales, pics: &PictogramSet) -> Value {
    let arg = |name: &str| r.args.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let mut v = json!({
        "kind": r.kind,
        "key": r.key,
        "text": reply_text(r, lang, loc),
        "service": r.service,
        "choices": r.choices.iter().enumerate().map(|(i, c)| choice(c, Some(i + 1), lang, loc, pics)).collect::<Vec<_>>(),
        "buttons": r.buttons.iter().map(|c| choice(c, None, lang, loc, pics)).collect::<Vec<_>>(),
        "card": r.card.as_ref().map(|c| {
            let mut card = serde_json::to_value(c).unwrap_or(Value::Null);
            card["contact"]["tel"] = tel(&c.contact.phone).into();
            card
        }),
        "handover": r.handover,
        "pictogram": r.pictogram.as_ref().filter(|p| pics.contains(p)),
        "pictogram_alt": r.pictogram.as_ref().and_then(|p| pics.alt(p, lang)),
    });
    if r.kind == ReplyKind::Supporter {
        // The intro ("Anna writes:") and the supporter's own words, apart.
        v["intro"] = loc.text(lang, &r.key, &r.args).into();
        v["message"] = r.text.clone().into();
        v["supporter"] = arg("name").into();
    }
    v
}

pub fn replies(rs: &[Reply], lang: &str, loc: &Locales, pics: &PictogramSet) -> Vec<Value> {
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
                    if let Some(l) = labels.get(id) {
                        iv["label"] = l.clone().into();
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
        v["replies"] = replies(&m.replies, lang, loc, pics).into();
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
