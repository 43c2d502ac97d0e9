//! Loading the content folder: service files, region, navigation and signals.
//!
//! Loading is strict: a syntax error, a missing field or an unknown field is an
//! error that names the file and the line, never a silent skip.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use engine::model::{Municipality, NavNode, Navigation, Service};
use serde::Deserialize;

use crate::{Error, Result};

/// Examples of what a resident types when the answer is not a service.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialExamples {
    pub kind: String,
    pub nl: LangExamples,
    pub en: LangExamples,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangExamples {
    pub examples: Vec<String>,
}

/// Phrases that signal danger or a wish for a person, per language.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signals {
    pub crisis: LangPhrases,
    pub human: LangPhrases,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangPhrases {
    pub nl: Vec<String>,
    pub en: Vec<String>,
}

impl LangPhrases {
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.nl.iter().chain(self.en.iter())
    }
}

/// Everyday words and the words the content uses for them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonyms {
    /// Each group is a set of words that mean the same to a resident.
    pub groups: Vec<Vec<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionFile {
    #[serde(default)]
    demo: bool,
    municipality: Vec<Municipality>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NavigationFile {
    home: Vec<String>,
    node: Vec<NavNode>,
}

/// A service together with where it came from, so checks can point at the file.
#[derive(Clone, Debug)]
pub struct ServiceFile {
    pub path: PathBuf,
    pub source: String,
    pub service: Service,
}

/// Everything in a content folder, parsed but not yet checked.
#[derive(Clone, Debug)]
pub struct Content {
    pub dir: PathBuf,
    pub services: Vec<ServiceFile>,
    pub human: SpecialExamples,
    pub out_of_scope: SpecialExamples,
    pub signals: Signals,
    pub synonyms: Synonyms,
    pub municipalities: Vec<Municipality>,
    pub region_is_demo: bool,
    pub navigation: Navigation,
}

/// The content folder shipped with Wegwijs.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

impl Content {
    /// Parse every file of a content folder. Collects all parse errors before
    /// failing, so an editor sees every broken file at once.
    pub fn load(dir: &Path) -> Result<Content> {
        if !dir.is_dir() {
            return Err(Error::Content(vec![Problem::file(dir, "is not a folder")]));
        }
        let mut problems = Vec::new();
        let services_dir = dir.join("services");
        let mut paths: Vec<PathBuf> = match fs::read_dir(&services_dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect(),
            Err(e) => {
                problems.push(Problem::file(&services_dir, &format!("cannot read folder: {e}")));
                Vec::new()
            }
        };
        paths.sort();
        let mut services = Vec::new();
        for path in paths {
            match read_toml::<Service>(&path) {
                Ok((service, source)) => services.push(ServiceFile { path, source, service }),
                Err(p) => problems.push(p),
            }
        }
        let mut take = |name: &str| -> Option<PathBuf> {
            let p = dir.join(name);
            if p.is_file() {
                Some(p)
            } else {
                problems.push(Problem::file(&p, "file is missing"));
                None
            }
        };
        let human_p = take("special/human.toml");
        let oos_p = take("special/out-of-scope.toml");
        let signals_p = take("signals.toml");
        let syn_p = take("synonyms.toml");
        let region_p = take("region.toml");
        let nav_p = take("navigation.toml");
        let mut load = |p: Option<PathBuf>| -> Option<(PathBuf, String)> {
            let p = p?;
            match fs::read_to_string(&p) {
                Ok(s) => Some((p, s)),
                Err(e) => {
                    problems.push(Problem::file(&p, &format!("cannot read: {e}")));
                    None
                }
            }
        };
        let files = [human_p, oos_p, signals_p, syn_p, region_p, nav_p].map(&mut load);
        let [human, oos, signals, syn, region, nav] = files;
        let human = parse_or(&mut problems, human);
        let out_of_scope = parse_or(&mut problems, oos);
        let signals = parse_or(&mut problems, signals);
        let synonyms = parse_or(&mut problems, syn);
        let region: Option<RegionFile> = parse_opt(&mut problems, region);
        let nav: Option<NavigationFile> = parse_opt(&mut problems, nav);
        if !problems.is_empty() {
            return Err(Error::Content(problems));
        }
        let region = region.expect("parsed when no problems");
        let nav = nav.expect("parsed when no problems");
        Ok(Content {
            dir: dir.to_path_buf(),
            services,
            human,
            out_of_scope,
            signals,
            synonyms,
            municipalities: region.municipality,
            region_is_demo: region.demo,
            navigation: Navigation { home: nav.home, nodes: nav.node },
        })
    }

    pub fn service_map(&self) -> BTreeMap<&str, &ServiceFile> {
        self.services.iter().map(|s| (s.service.id.as_str(), s)).collect()
    }
}

fn parse_opt<T: for<'de> Deserialize<'de>>(
    problems: &mut Vec<Problem>,
    file: Option<(PathBuf, String)>,
) -> Option<T> {
    let (path, source) = file?;
    match parse_toml(&path, &source) {
        Ok(v) => Some(v),
        Err(p) => {
            problems.push(p);
            None
        }
    }
}

fn parse_or<T: for<'de> Deserialize<'de> + Default>(
    problems: &mut Vec<Problem>,
    file: Option<(PathBuf, String)>,
) -> T {
    parse_opt(problems, file).unwrap_or_default()
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> std::result::Result<(T, String), Problem> {
    let source = fs::read_to_string(path)
        .map_err(|e| Problem::file(path, &format!("cannot read: {e}")))?;
    let v = parse_toml(path, &source)?;
    Ok((v, source))
}

fn parse_toml<T: for<'de> Deserialize<'de>>(path: &Path, source: &str) -> std::result::Result<T, Problem> {
    toml::from_str(source).map_err(|e| {
        let line = e.span().map(|s| line_of_offset(source, s.start));
        let message = e.message().trim().to_string();
        Problem { file: path.to_path_buf(), field: None, line, message }
    })
}

/// 1-based line number of a byte offset.
pub fn line_of_offset(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// Where a field of a TOML file is written: the first line of `[section]` that
/// assigns `field`, or holds `needle` when one is given (a list item).
pub fn locate(source: &str, section: Option<&str>, field: &str, needle: Option<&str>) -> Option<usize> {
    let mut current: Option<String> = None;
    let mut in_field = false;
    for (i, line) in source.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') && !t.starts_with("[[") && t.ends_with(']') && !t.contains('"') {
            current = Some(t.trim_matches(|c| c == '[' || c == ']').trim().to_string());
            in_field = false;
            continue;
        }
        let section_ok = match section {
            None => current.is_none(),
            Some(s) => current.as_deref() == Some(s),
        };
        if !section_ok {
            continue;
        }
        let assigns = t.split('=').next().is_some_and(|k| k.trim() == field) && t.contains('=');
        if assigns {
            in_field = true;
            if needle.is_none() {
                return Some(i + 1);
            }
        } else if in_field && !t.starts_with('"') && !t.starts_with('\'') && t.contains('=') {
            in_field = false;
        }
        if in_field {
            if let Some(n) = needle {
                if line.contains(n) {
                    return Some(i + 1);
                }
            }
        }
    }
    None
}

/// One thing wrong in the content, located as precisely as we can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub field: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn file(path: &Path, message: &str) -> Problem {
        Problem { file: path.to_path_buf(), field: None, line: None, message: message.to_string() }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}
