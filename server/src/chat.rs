//! `wegwijs chat`: talk to the engine in a terminal, for content editors.
//! With `--jsonl`, each stdin line is one input as JSON and each reply one JSON line.

use std::io::{BufRead, Write};

use anyhow::{bail, Result};
use engine::{Engine, Input, Reply, UiLang};
use web_widget::render::{label, reply_text};
use locales::Locales;

/// Turn a JSON input line into an engine input.
pub fn parse_input(line: &str) -> Result<Input> {
    let v: serde_json::Value = serde_json::from_str(line)?;
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
    if let Some(t) = s("text") {
        return Ok(Input::Text(t));
    }
    if let Some(t) = s("tap") {
        return Ok(Input::Tap(t));
    }
    if let Some(b) = s("button") {
        return Ok(Input::Button(b));
    }
    if let Some(l) = s("lang") {
        return UiLang::from_code(&l).map(Input::SetLang).ok_or_else(|| anyhow::anyhow!("unknown language `{l}`"));
    }
    bail!("expected {{\"text\": ...}}, {{\"tap\": ...}}, {{\"button\": ...}} or {{\"lang\": ...}}")
}

fn reply_json(r: &Reply, lang: &str, loc: &Locales, conversation: &str, state: &str) -> serde_json::Value {
    serde_json::json!({
        "conversation": conversation,
        "kind": r.kind,
        "text": reply_text(r, lang, loc),
        "service": r.service,
        "choices": r.choices.iter().map(|c| serde_json::json!({"id": c.id, "label": label(&c.label, lang, loc), "pictogram": c.pictogram})).collect::<Vec<_>>(),
        "buttons": r.buttons.iter().map(|c| serde_json::json!({"id": c.id, "label": label(&c.label, lang, loc)})).collect::<Vec<_>>(),
        "handover": r.handover,
        "state": state,
        "card": r.card,
    })
}

fn state_of(engine: &Engine, id: &str) -> String {
    engine.conversation(id).map(|c| serde_json::to_value(&c.mode).ok().and_then(|v| v["state"].as_str().map(String::from)).unwrap_or_default()).unwrap_or_else(|_| "deleted".into())
}

fn print_text(out: &mut dyn Write, r: &Reply, lang: &str, loc: &Locales) -> std::io::Result<()> {
    writeln!(out, "< {}", reply_text(r, lang, loc))?;
    if let Some(c) = &r.card {
        writeln!(out, "  {}", c.summary.replace('\n', " "))?;
        for s in &c.steps {
            writeln!(out, "  - {s}")?;
        }
        writeln!(out, "  tel {} | {} | {}{}", c.contact.phone, c.contact.hours.join(", "), c.contact.website, if c.contact.demo { " (demo)" } else { "" })?;
    }
    for (i, c) in r.choices.iter().enumerate() {
        writeln!(out, "  [{}] {} ({})", i + 1, label(&c.label, lang, loc), c.id)?;
    }
    if !r.buttons.is_empty() {
        let b: Vec<String> = r.buttons.iter().map(|c| format!("{}={}", c.id, label(&c.label, lang, loc))).collect();
        writeln!(out, "  buttons: {}", b.join("  "))?;
    }
    Ok(())
}

pub fn run(engine: &Engine, loc: &Locales, conversation: Option<String>, jsonl: bool) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (id, first) = match conversation {
        Some(id) => {
            engine.conversation(&id).map_err(|_| anyhow::anyhow!("no conversation `{id}` in this data directory"))?;
            (id, Vec::new())
        }
        None => {
            let (c, _token, replies) = engine.start("cli", None, None)?;
            (c.id, replies)
        }
    };
    let lang = |engine: &Engine| engine.conversation(&id).map(|c| c.lang.code().to_string()).unwrap_or_else(|_| "nl".into());
    if !jsonl {
        writeln!(out, "conversation {id} (type a question; /tap ID, /button ID, /quit)")?;
    }
    let emit = |out: &mut dyn Write, replies: &[Reply], engine: &Engine| -> Result<()> {
        let l = lang(engine);
        let st = state_of(engine, &id);
        for r in replies {
            if jsonl {
                serde_json::to_writer(&mut *out, &reply_json(r, &l, loc, &id, &st))?;
                writeln!(out)?;
            } else {
                print_text(out, r, &l, loc)?;
            }
        }
        out.flush()?;
        Ok(())
    };
    emit(&mut out, &first, engine)?;
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let input = if jsonl {
            match parse_input(line) {
                Ok(i) => i,
                Err(e) => {
                    serde_json::to_writer(&mut out, &serde_json::json!({"conversation": id, "error": e.to_string()}))?;
                    writeln!(out)?;
                    continue;
                }
            }
        } else if line == "/quit" {
            break;
        } else if let Some(t) = line.strip_prefix("/tap ") {
            Input::Tap(t.trim().into())
        } else if let Some(b) = line.strip_prefix("/button ") {
            Input::Button(b.trim().into())
        } else {
            Input::Text(line.into())
        };
        match engine.step(&id, input) {
            Ok(replies) => emit(&mut out, &replies, engine)?,
            Err(e) => {
                if jsonl {
                    serde_json::to_writer(&mut out, &serde_json::json!({"conversation": id, "error": e.to_string()}))?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "! {e}")?;
                }
            }
        }
    }
    Ok(())
}
