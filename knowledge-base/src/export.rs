//! `kb export`: the content as JSON lines, one service per line, for review and other tools.

use std::io::Write;

use engine::Lang;
use serde_json::{json, Value};

use crate::content::Content;

/// One JSON object for a service: its id and all its texts per language.
pub fn service_json(sf: &crate::content::ServiceFile) -> Value {
    let s = &sf.service;
    let mut texts = serde_json::Map::new();
    for lang in Lang::ALL {
        let t = s.text(lang);
        texts.insert(
            lang.code().into(),
            json!({
                "name": t.name,
                "summary": t.summary.trim(),
                "when": t.when,
                "steps": t.steps,
                "bring": t.bring,
                "keywords": t.keywords,
                "examples": t.examples,
            }),
        );
    }
    json!({
        "id": s.id,
        "pictograms": s.pictograms,
        "texts": texts,
        "contact": s.contact,
    })
}

/// Write every service as one line of JSON.
pub fn write_jsonl(content: &Content, out: &mut dyn Write) -> std::io::Result<()> {
    for sf in &content.services {
        serde_json::to_writer(&mut *out, &service_json(sf))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
