//! Reading and checking a pictogram set's `manifest.toml`.
//!
//! The manifest is the only thing that ties a concept id (what the rest of
//! Wegwijs talks about) to a file in a set, so a set can be swapped for
//! another one (ARASAAC, Sclera, a care home's own photos) without touching
//! code. Everything here is checked strictly, because a typo in a manifest
//! should stop the program at start-up, not show a resident an empty tile.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::{Error, Result};

/// A manifest larger than this is certainly not a pictogram manifest; the
/// limit keeps a wrong path (a log file, a disk image) from being read whole.
const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// Longest concept id and language code we accept; ids are short words such
/// as `older-person`, so anything longer is a mistake.
const MAX_ID_LEN: usize = 64;
const MAX_LANG_LEN: usize = 12;

/// Longest alt text; alt texts are labels of one to three words.
const MAX_ALT_CHARS: usize = 80;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    name: String,
    licence: String,
    attribution: String,
    #[serde(default)]
    concepts: BTreeMap<String, RawConcept>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    file: String,
    #[serde(default)]
    alt: BTreeMap<String, String>,
}

/// A manifest that passed every check except "does the SVG parse", which the
/// caller does because it needs the parsed tree anyway.
#[derive(Debug)]
pub(crate) struct Manifest {
    pub name: String,
    pub licence: String,
    pub attribution: String,
    pub concepts: BTreeMap<String, ManifestConcept>,
}

#[derive(Debug)]
pub(crate) struct ManifestConcept {
    /// Path relative to the set directory, already checked by [`check_relative`].
    pub file: PathBuf,
    pub alt: BTreeMap<String, String>,
}

/// Reads and checks `path` (a set's `manifest.toml`).
pub(crate) fn read(path: &Path) -> Result<Manifest> {
    let io_err = |source| Error::Io { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.len() > MAX_MANIFEST_BYTES {
        return Err(manifest_err(
            path,
            format!("file is {} bytes, more than the {MAX_MANIFEST_BYTES} allowed", meta.len()),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(io_err)?;
    parse(path, &text)
}

/// Parses manifest text; `path` is only used in error messages.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Manifest> {
    let raw: RawManifest = toml::from_str(text).map_err(|e| manifest_err(path, e.to_string()))?;

    let name = required_text(path, "name", raw.name)?;
    let licence = required_text(path, "licence", raw.licence)?;
    let attribution = required_text(path, "attribution", raw.attribution)?;
    if raw.concepts.is_empty() {
        return Err(manifest_err(path, "no [concepts.<id>] tables: the set is empty".into()));
    }

    let mut concepts = BTreeMap::new();
    for (id, concept) in raw.concepts {
        check_concept_id(path, &id)?;
        let file = check_relative(&concept.file)?;
        let alt = check_alt(path, &id, concept.alt)?;
        concepts.insert(id, ManifestConcept { file, alt });
    }
    Ok(Manifest { name, licence, attribution, concepts })
}

/// Accepts only a plain relative path below the set directory.
///
/// A manifest may come from a third party (a replacement set), so it must not
/// be able to make us read `/etc/passwd` or `../../secrets` and serve the
/// bytes as a "pictogram".
pub(crate) fn check_relative(file: &str) -> Result<PathBuf> {
    let bad = || Error::BadPath(file.to_string());
    if file.trim().is_empty() || file.contains('\0') || file.contains('\\') {
        return Err(bad());
    }
    let path = Path::new(file);
    // `has_root` also catches `/x` on Windows, where `is_absolute` is false.
    if path.is_absolute() || path.has_root() {
        return Err(bad());
    }
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => clean.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return Err(bad()),
        }
    }
    if clean.as_os_str().is_empty() {
        return Err(bad());
    }
    Ok(clean)
}

fn check_concept_id(path: &Path, id: &str) -> Result<()> {
    // Ids end up in URLs, log lines and callback data of chat buttons, so keep
    // them to the same small alphabet as concepts.txt.
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(manifest_err(
            path,
            format!("concept id `{id}` must be 1-{MAX_ID_LEN} characters a-z, 0-9 or '-'"),
        ))
    }
}

fn check_alt(
    path: &Path,
    id: &str,
    alt: BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let mut clean = BTreeMap::new();
    for (lang, text) in alt {
        let lang_ok = (2..=MAX_LANG_LEN).contains(&lang.len())
            && lang.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        if !lang_ok {
            return Err(manifest_err(
                path,
                format!("concept `{id}`: alt language `{lang}` is not a lower-case language code"),
            ));
        }
        let text = text.trim();
        if text.is_empty()
            || text.chars().count() > MAX_ALT_CHARS
            || text.chars().any(char::is_control)
        {
            return Err(manifest_err(
                path,
                format!(
                    "concept `{id}`: alt text for `{lang}` must be 1-{MAX_ALT_CHARS} characters on one line"
                ),
            ));
        }
        clean.insert(lang, text.to_string());
    }
    // Screen readers and the text-only chat need some words for every tile;
    // `alt()` falls back to en and then nl, so one of those must be present.
    if !clean.contains_key("nl") && !clean.contains_key("en") {
        return Err(manifest_err(path, format!("concept `{id}`: alt needs at least `nl` or `en`")));
    }
    Ok(clean)
}

fn required_text(path: &Path, field: &str, value: String) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        Err(manifest_err(path, format!("`{field}` must not be empty")))
    } else {
        Ok(value.to_string())
    }
}

fn manifest_err(path: &Path, message: String) -> Error {
    Error::Manifest { path: path.to_path_buf(), message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_checked() {
        assert!(check_relative("svg/1F4B6.svg").is_ok());
        assert_eq!(check_relative("./svg/a.svg").ok(), Some(PathBuf::from("svg/a.svg")));
        for bad in
            ["../x", "svg/../../x", "/etc/passwd", "", " ", ".", "a\\..\\b", "svg/..", "a\0b"]
        {
            assert!(
                matches!(check_relative(bad), Err(Error::BadPath(_))),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn manifest_errors_name_the_problem() {
        let p = Path::new("m.toml");
        let err = parse(p, "name = 1").map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("m.toml"), "{err}");

        let text =
            "name='a'\nlicence='b'\nattribution='c'\n[concepts.Yes]\nfile='a.svg'\nalt={nl='Ja'}\n";
        let err = parse(p, text).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("Yes"), "{err}");

        let text = "name='a'\nlicence='b'\nattribution='c'\n[concepts.yes]\nfile='a.svg'\nalt={tr='Evet'}\n";
        let err = parse(p, text).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("at least"), "{err}");

        let text = "name='a'\nlicence='b'\nattribution='c'\n[concepts.yes]\nfil='a.svg'\n";
        assert!(parse(p, text).is_err(), "unknown keys are typos");
    }
}
