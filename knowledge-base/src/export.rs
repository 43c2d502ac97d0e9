//! `kb export`: the content as JSON lines, one service per line, for review and other tools.

use std::io::Write;

use engine::Lang;
use serde_json::{json, Value};

use crate::content::Content;

/// One JSON object for a service: its id and all its texts per language.
pub fn service_json(content: &Content, sf: &crate::content::ServiceFile) -> Value {
    let s = &sf.service;
    let mut texts = serde_json::Map::new();
    for lang in Lang::ALL.into_iter().filter(|l| s.has_text(*l)) {
        let t = s.text(lang);
        texts.insert(
            lang.code().into(),
            json!({
                "reviewed": reviewed(content, sf, lang),
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

/// Whether a native speaker checked a service's texts in one language. Dutch
/// and English are the source texts, which the editors write themselves.
fn reviewed(content: &Content, sf: &crate::content::ServiceFile, lang: Lang) -> bool {
    Lang::SOURCE.contains(&lang)
        || content.translation_file(lang, &sf.service.id).is_some_and(|t| t.reviewed)
}

/// List the translation files that wait for a native speaker: language,
/// subject and path, tab-separated, one per line.
pub fn write_unreviewed(content: &Content, out: &mut dyn Write) -> std::io::Result<()> {
    for t in content.translations.iter().filter(|t| !t.reviewed) {
        let rel = t.path.strip_prefix(&content.dir).unwrap_or(&t.path);
        writeln!(out, "{}\t{}\t{}", t.lang.code(), t.subject, rel.display())?;
    }
    Ok(())
}

/// Write every service as one line of JSON.
pub fn write_jsonl(content: &Content, out: &mut dyn Write) -> std::io::Result<()> {
    for sf in &content.services {
        serde_json::to_writer(&mut *out, &service_json(content, sf))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
