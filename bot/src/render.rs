//! Engine replies to Telegram messages: plain text, inline keyboards and
//! numbered pictogram grids. Pure functions, so they are tested without a
//! network; `telegram.rs` turns the result into Bot API requests.

use engine::{Choice, Label, Reply, ReplyKind, ServiceCard};
use locales::Locales;
use pictograms::{PictogramSet, Tile};

use crate::callback;
use crate::keys;

/// Telegram's limit for a message text, in UTF-16 code units.
pub const MAX_TEXT: usize = 4096;
/// Telegram's limit for a photo caption, in UTF-16 code units.
pub const MAX_CAPTION: usize = 1024;
/// Edge of one grid tile in pixels: a 3 x 3 grid is about 620 px wide, sharp
/// on a phone without a large upload.
pub const TILE_SIZE: u32 = 192;

/// One inline button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Button {
    pub text: String,
    pub data: String,
}

/// Rows of inline buttons.
pub type Keyboard = Vec<Vec<Button>>;

/// One message to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    Text {
        text: String,
        keyboard: Keyboard,
    },
    /// A numbered pictogram grid (sendPhoto). `fallback` is the same menu as
    /// a numbered list, for when the image cannot be drawn or sent.
    Grid {
        tiles: Vec<Tile>,
        caption: String,
        keyboard: Keyboard,
        fallback: String,
    },
}

impl Outgoing {
    pub fn keyboard(&self) -> &Keyboard {
        match self {
            Outgoing::Text { keyboard, .. } | Outgoing::Grid { keyboard, .. } => keyboard,
        }
    }

    fn keyboard_mut(&mut self) -> &mut Keyboard {
        match self {
            Outgoing::Text { keyboard, .. } | Outgoing::Grid { keyboard, .. } => keyboard,
        }
    }
}

/// What a batch of replies becomes.
#[derive(Debug, Default)]
pub struct Rendered {
    pub messages: Vec<Outgoing>,
    /// Choice ids of the last numbered menu, so a typed "2" picks tile 2.
    pub menu: Option<Vec<String>>,
}

pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// An emoji for a button's pictogram concept: in Telegram, emoji are the
/// pictograms a keyboard can show.
fn emoji(concept: &str) -> Option<&'static str> {
    Some(match concept {
        "person" => "🙋",
        "back" => "⬅️",
        "home" => "🏠",
        "yes" => "👍",
        "no" => "👎",
        "stop" => "✋",
        "phone" => "📞",
        _ => return None,
    })
}

pub struct Renderer<'a> {
    pub locales: &'a Locales,
    pub pictograms: &'a PictogramSet,
    pub lang: &'a str,
}

impl Renderer<'_> {
    fn t(&self, id: &str) -> String {
        self.locales.text(self.lang, id, &[])
    }

    fn t_args(&self, id: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(String, String)> =
            args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.locales.text(self.lang, id, &args)
    }

    fn label(&self, l: &Label) -> String {
        match l {
            Label::Key(k) => self.t(k),
            Label::Text(t) => t.clone(),
        }
    }

    /// The button for "talk to a person", which every screen offers.
    pub fn person_button(&self) -> Button {
        Button {
            text: format!("🙋 {}", self.t(engine::msg::BTN_PERSON)),
            data: callback::button("person").unwrap_or_default(),
        }
    }

    fn body(&self, r: &Reply) -> String {
        let mut s = self.locales.text(self.lang, &r.key, &r.args);
        if let Some(t) = &r.text {
            // A supporter's own words, on their own line under "<name> writes:".
            s.push('\n');
            s.push_str(t);
        }
        if let Some(card) = &r.card {
            s.push_str("\n\n");
            s.push_str(&self.card(card));
        }
        {
            // Phone buttons cannot be inline buttons in Telegram; numbers on
            // their own line are tappable (the crisis card's, and 112 and 113
            // wherever the engine keeps them in reach).
            for b in r.buttons.iter().filter(|b| b.id.starts_with("tel:")) {
                s.push_str(&format!("\n📞 {}", self.label(&b.label)));
            }
        }
        if locales::is_rtl(self.lang) {
            // Numbers, times, addresses and Dutch names read left to right.
            return locales::isolate_ltr(&s);
        }
        s
    }

    /// A service card as plain text (no parse mode: nothing to escape, nothing to break).
    pub fn card(&self, c: &ServiceCard) -> String {
        let mut parts = vec![c.summary.trim().to_string()];
        let list = |title: String, items: &[String], numbered: bool| -> Option<String> {
            if items.is_empty() {
                return None;
            }
            let mut s = title;
            for (i, item) in items.iter().enumerate() {
                if numbered {
                    s.push_str(&format!("\n{}. {}", i + 1, item.trim()));
                } else {
                    s.push_str(&format!("\n• {}", item.trim()));
                }
            }
            Some(s)
        };
        parts.extend(list(self.t(keys::CARD_WHEN), &c.when, false));
        parts.extend(list(self.t(keys::CARD_STEPS), &c.steps, true));
        parts.extend(list(self.t(keys::CARD_BRING), &c.bring, false));
        let k = &c.contact;
        let mut contact = Vec::new();
        if !k.phone.trim().is_empty() {
            contact.push(format!(
                "📞 {}",
                self.t_args(
                    keys::CARD_PHONE,
                    &[("organisation", k.organisation.trim()), ("phone", k.phone.trim())]
                )
            ));
        }
        if !k.hours.is_empty() {
            contact.push(format!(
                "🕘 {}",
                self.t_args(keys::CARD_HOURS, &[("hours", &k.hours.join(", "))])
            ));
            contact.push(if c.open_now {
                format!("✅ {}", self.t(keys::CARD_OPEN_NOW))
            } else {
                format!("⏸️ {}", self.t(keys::CARD_CLOSED_NOW))
            });
        }
        if let Some(a) = k.address.as_deref().filter(|a| !a.trim().is_empty()) {
            contact.push(format!("📍 {}", a.trim()));
        }
        if !k.website.trim().is_empty() {
            contact.push(format!("🌐 {}", k.website.trim()));
        }
        if k.demo {
            contact.push(format!("⚠️ {}", self.t(keys::CARD_DEMO)));
        }
        if !contact.is_empty() {
            parts.push(contact.join("\n"));
        }
        parts.retain(|p| !p.is_empty());
        parts.join("\n\n")
    }

    fn button_row(&self, buttons: &[Choice]) -> Keyboard {
        let mut rows: Keyboard = Vec::new();
        let mut row = Vec::new();
        let mut person = None;
        for b in buttons {
            let Some(data) = callback::button(&b.id) else { continue };
            let label = self.label(&b.label);
            let text = match emoji(&b.pictogram) {
                Some(e) if !b.id.starts_with("lang:") => format!("{e} {label}"),
                _ => label,
            };
            let button = Button { text, data };
            // "Talk to a person" is long and important: a row of its own, at
            // the bottom, where it is on every screen.
            if b.id == "person" {
                person = Some(button);
            } else {
                row.push(button);
                if row.len() == 3 {
                    rows.push(std::mem::take(&mut row));
                }
            }
        }
        if !row.is_empty() {
            rows.push(row);
        }
        rows.extend(person.map(|p| vec![p]));
        rows
    }

    fn tile_concept(&self, concept: &str) -> Option<String> {
        if self.pictograms.contains(concept) {
            Some(concept.to_string())
        } else if self.pictograms.contains("question") {
            Some("question".to_string())
        } else {
            None
        }
    }

    /// One reply alone, and the choice ids it numbers (if a menu).
    fn one(&self, r: &Reply) -> (Outgoing, Option<Vec<String>>) {
        let body = self.body(r);
        let choices: Vec<(&Choice, String)> =
            r.choices.iter().filter_map(|c| callback::tile(&c.id).map(|data| (c, data))).collect();
        let mut keyboard = Keyboard::new();
        let menu = (!choices.is_empty())
            .then(|| choices.iter().map(|(c, _)| c.id.clone()).collect::<Vec<_>>());
        let columns = if choices.len() <= 4 { 2 } else { 3 };
        for chunk in choices.chunks(columns) {
            let base = keyboard.iter().map(Vec::len).sum::<usize>();
            keyboard.push(
                chunk
                    .iter()
                    .enumerate()
                    .map(|(i, (c, data))| Button {
                        text: format!("{} {}", base + i + 1, self.label(&c.label)),
                        data: data.clone(),
                    })
                    .collect(),
            );
        }
        keyboard.extend(self.button_row(&r.buttons));
        let list: String = choices
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("\n{}. {}", i + 1, self.label(&c.label)))
            .collect();
        let tiles: Option<Vec<Tile>> = choices
            .iter()
            .map(|(c, _)| {
                self.tile_concept(&c.pictogram).map(|p| Tile::labelled(p, self.label(&c.label)))
            })
            .collect();
        let grid_ok = (pictograms::MIN_TILES..=pictograms::MAX_TILES).contains(&choices.len());
        let out = match tiles {
            Some(tiles) if grid_ok && utf16_len(&body) <= MAX_CAPTION => Outgoing::Grid {
                tiles,
                caption: body.clone(),
                keyboard,
                fallback: format!("{body}\n{list}"),
            },
            _ if choices.is_empty() => Outgoing::Text { text: body, keyboard },
            _ => Outgoing::Text { text: format!("{body}\n{list}"), keyboard },
        };
        (out, menu)
    }

    /// A batch of replies (one engine answer or push) as messages. Replies
    /// without buttons are joined to the next one, so a turn reads as one or
    /// two messages, not five (Telegram also limits messages per chat).
    pub fn render(&self, replies: &[Reply]) -> Rendered {
        let mut out = Rendered::default();
        let mut pending = String::new();
        for r in replies {
            let (mut msg, menu) = self.one(r);
            if menu.is_some() {
                out.menu = menu;
            }
            let plain = matches!(&msg, Outgoing::Text { keyboard, .. } if keyboard.is_empty());
            if plain {
                if let Outgoing::Text { text, .. } = msg {
                    push_para(&mut pending, &text);
                }
                continue;
            }
            if !pending.is_empty() {
                match &mut msg {
                    Outgoing::Text { text, .. } => {
                        let mut joined = std::mem::take(&mut pending);
                        push_para(&mut joined, text);
                        *text = joined;
                    }
                    Outgoing::Grid { caption, fallback, .. } => {
                        let mut joined = pending.clone();
                        push_para(&mut joined, caption);
                        if utf16_len(&joined) <= MAX_CAPTION {
                            *caption = joined;
                            let mut f = std::mem::take(&mut pending);
                            push_para(&mut f, fallback);
                            *fallback = f;
                        } else {
                            out.messages.push(Outgoing::Text {
                                text: std::mem::take(&mut pending),
                                keyboard: Vec::new(),
                            });
                        }
                    }
                }
            }
            out.messages.push(msg);
        }
        if !pending.is_empty() {
            out.messages.push(Outgoing::Text { text: pending, keyboard: Vec::new() });
        }
        // "Talk to a person" on every screen, except where a person is
        // already coming or here (the queue shows "stop" instead).
        let person = callback::button("person").unwrap_or_default();
        let offers_person =
            out.messages.iter().any(|m| m.keyboard().iter().flatten().any(|b| b.data == person));
        let handover =
            replies.iter().any(|r| matches!(r.kind, ReplyKind::Handover | ReplyKind::Supporter));
        if !offers_person && !handover {
            if let Some(last) = out.messages.last_mut() {
                last.keyboard_mut().push(vec![self.person_button()]);
            }
        }
        out
    }
}

fn push_para(acc: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if !acc.is_empty() {
        acc.push_str("\n\n");
    }
    acc.push_str(text);
}

/// Split `text` into pieces of at most `max` UTF-16 units, at a paragraph,
/// line or sentence end where possible, else at a space, else anywhere.
pub fn split_text(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while utf16_len(rest) > max {
        // The longest prefix that fits, on a char boundary.
        let mut units = 0;
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            if units + c.len_utf16() > max {
                break;
            }
            units += c.len_utf16();
            end = i + c.len_utf8();
        }
        let head = &rest[..end];
        // Only cut at a boundary that keeps the piece reasonably full.
        let min = end / 3;
        let after = |pat: &str| head.rfind(pat).map(|i| i + pat.len()).filter(|&i| i > min);
        let sentence = || {
            head.char_indices()
                .filter(|&(i, c)| {
                    matches!(c, '.' | '!' | '?' | '…' | '。' | '؟')
                        && head[i + c.len_utf8()..].chars().next().is_some_and(char::is_whitespace)
                })
                .map(|(i, c)| i + c.len_utf8())
                .next_back()
                .filter(|&i| i > min)
        };
        let space = || head.rfind(char::is_whitespace).filter(|&i| i > min);
        let cut =
            after("\n\n").or_else(|| after("\n")).or_else(sentence).or_else(space).unwrap_or(end);
        let cut = if cut == 0 { end } else { cut };
        pieces.push(rest[..cut].trim_end().to_string());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(rest.to_string());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::{HandoverStatus, Label};

    fn with_renderer(lang: &str, f: impl FnOnce(&Renderer<'_>)) {
        let locales = Locales::load().unwrap();
        let pictograms = PictogramSet::load(&PictogramSet::default_dir()).unwrap();
        f(&Renderer { locales: &locales, pictograms: &pictograms, lang });
    }

    fn choice(id: &str, label: &str, pictogram: &str) -> Choice {
        Choice { id: id.into(), label: Label::Text(label.into()), pictogram: pictogram.into() }
    }

    fn key_button(id: &str, key: &str, pictogram: &str) -> Choice {
        Choice { id: id.into(), label: Label::Key(key.into()), pictogram: pictogram.into() }
    }

    fn data(m: &Outgoing) -> Vec<String> {
        m.keyboard().iter().flatten().map(|b| b.data.clone()).collect()
    }

    #[test]
    fn a_menu_is_one_numbered_grid_with_words_and_the_person_button_last() {
        with_renderer("nl", |r| {
            let mut menu = Reply::new(ReplyKind::Menu, "home-menu");
            menu.choices = vec![
                choice("money", "Geld", "money"),
                choice("housing", "Wonen", "house"),
                choice("odd", "Iets", "no-such-pictogram"),
            ];
            menu.buttons = vec![
                key_button("person", "btn-person", "person"),
                key_button("back", "btn-back", "back"),
            ];
            let out = r.render(&[Reply::text("language-set").arg("language", "Nederlands"), menu]);
            assert_eq!(out.menu, Some(vec!["money".into(), "housing".into(), "odd".into()]));
            let [Outgoing::Grid { tiles, caption, keyboard, .. }] = out.messages.as_slice() else {
                panic!("{:?}", out.messages)
            };
            assert_eq!(tiles[0], Tile::labelled("money", "Geld"));
            assert_eq!(tiles[2].concept, "question", "an unknown pictogram falls back");
            assert!(
                caption.starts_with("Ik praat nu Nederlands")
                    && caption.ends_with("Tik op een plaatje."),
                "{caption}"
            );
            assert_eq!(keyboard[0][0], Button { text: "1 Geld".into(), data: "v1:t:money".into() });
            assert_eq!(keyboard[1][0].text, "3 Iets");
            assert_eq!(keyboard.last().unwrap()[0].data, "v1:b:person");
            assert_eq!(keyboard.iter().flatten().filter(|b| b.data == "v1:b:person").count(), 1);
        });
    }

    #[test]
    fn too_many_choices_become_a_numbered_list() {
        with_renderer("en", |r| {
            let mut menu = Reply::new(ReplyKind::Menu, "clarify");
            menu.choices = (0..10)
                .map(|i| choice(&format!("n{i}"), &format!("Choice {i}"), "money"))
                .collect();
            let out = r.render(&[menu]);
            let [Outgoing::Text { text, keyboard }] = out.messages.as_slice() else { panic!() };
            assert!(text.contains("\n10. Choice 9"), "{text}");
            assert_eq!(
                keyboard.iter().flatten().filter(|b| b.data.starts_with("v1:t:")).count(),
                10
            );
        });
    }

    #[test]
    fn crisis_numbers_are_text_and_the_queue_has_no_person_button() {
        with_renderer("nl", |r| {
            let mut crisis = Reply::new(ReplyKind::Crisis, "crisis-card");
            crisis.buttons =
                vec![choice("tel:112", "112", "phone"), choice("tel:113", "113", "phone")];
            let mut queued = Reply::new(ReplyKind::Handover, "queued-crisis")
                .arg("position", 1)
                .arg("minutes", 5);
            queued.handover = Some(HandoverStatus::Queued { position: 1, expected_minutes: 5 });
            queued.buttons = vec![key_button("stop", "btn-stop", "stop")];
            let out = r.render(&[crisis, queued]);
            let [m] = out.messages.as_slice() else { panic!("{:?}", out.messages) };
            let Outgoing::Text { text, .. } = m else { panic!() };
            assert!(text.contains("📞 112\n📞 113"), "{text}");
            assert_eq!(data(m), vec!["v1:b:stop".to_string()]);
            assert_eq!(out.menu, None);
        });
    }

    #[test]
    fn a_supporter_message_shows_name_and_words() {
        with_renderer("en", |r| {
            let mut s = Reply::new(ReplyKind::Supporter, "supporter-message").arg("name", "Sanne");
            s.text = Some("Hello, how can I help?".into());
            let out = r.render(&[s]);
            let [Outgoing::Text { text, keyboard }] = out.messages.as_slice() else { panic!() };
            assert_eq!(text, "Sanne writes:\nHello, how can I help?");
            assert!(keyboard.is_empty());
        });
    }

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split_text("Hallo. Hoe gaat het?", 4096), vec!["Hallo. Hoe gaat het?"]);
    }

    #[test]
    fn splits_at_sentence_ends_within_the_limit() {
        let sentence = "Dit is een korte zin met een paar woorden. ";
        let text = sentence.repeat(300);
        let pieces = split_text(&text, MAX_TEXT);
        assert!(pieces.len() >= 3);
        for p in &pieces {
            assert!(utf16_len(p) <= MAX_TEXT);
            assert!(p.ends_with('.'), "cut mid-sentence: …{}", &p[p.len() - 20..]);
        }
        assert_eq!(pieces.join(" "), text.trim());
    }

    #[test]
    fn counts_utf16_and_never_cuts_inside_a_character() {
        let text = "😀".repeat(3000);
        let pieces = split_text(&text, MAX_TEXT);
        assert!(pieces.iter().all(|p| utf16_len(p) <= MAX_TEXT));
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn prefers_paragraphs() {
        let text = format!("{}\n\n{}", "a ".repeat(40).trim(), "b ".repeat(40).trim());
        let pieces = split_text(&text, 100);
        assert_eq!(pieces.len(), 2);
        assert!(pieces[0].starts_with('a') && pieces[1].starts_with('b'));
    }
}
