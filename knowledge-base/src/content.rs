//! Loading the content folder: service files, region, navigation and signals.
//!
//! Loading is strict: a syntax error, a missing field or an unknown field is an
//! error that names the file and the line, never a silent skip.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use engine::model::{Municipality, NavNode, Navigation, Service, ServiceText};
use engine::Lang;
use serde::Deserialize;

use crate::{Error, Result};

/// Examples of what a resident types when the answer is not a service.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialExamples {
    pub kind: String,
    pub nl: LangExamples,
    pub en: LangExamples,
    /// Examples in the other languages, from `translations/<lang>/special.toml`.
    #[serde(skip)]
    pub translations: BTreeMap<Lang, LangExamples>,
}

impl SpecialExamples {
    /// The examples of every language that has them.
    pub fn by_lang(&self) -> impl Iterator<Item = (Lang, &Vec<String>)> {
        [(Lang::Nl, &self.nl.examples), (Lang::En, &self.en.examples)]
            .into_iter()
            .chain(self.translations.iter().map(|(l, e)| (*l, &e.examples)))
    }

    pub fn examples_mut(&mut self, lang: Lang) -> &mut Vec<String> {
        match lang {
            Lang::Nl => &mut self.nl.examples,
            Lang::En => &mut self.en.examples,
            other => &mut self.translations.entry(other).or_default().examples,
        }
    }
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
    /// Phrases in the other languages, from `translations/<lang>/signals.toml`.
    #[serde(skip)]
    pub translations: BTreeMap<Lang, Vec<String>>,
}

impl LangPhrases {
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.by_lang().flat_map(|(_, p)| p.iter())
    }

    pub fn by_lang(&self) -> impl Iterator<Item = (Lang, &Vec<String>)> {
        [(Lang::Nl, &self.nl), (Lang::En, &self.en)].into_iter().chain(self.translations.iter().map(|(l, p)| (*l, p)))
    }
}

/// A service in one of the translated languages:
/// `translations/<lang>/services/<id>.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TranslatedService {
    reviewed: bool,
    name: String,
    summary: String,
    when: Vec<String>,
    steps: Vec<String>,
    #[serde(default)]
    bring: Vec<String>,
    keywords: Vec<String>,
    examples: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TranslatedSpecial {
    reviewed: bool,
    human: Vec<String>,
    out_of_scope: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TranslatedSignals {
    reviewed: bool,
    crisis: Vec<String>,
    human: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TranslatedNavigation {
    reviewed: bool,
    labels: BTreeMap<String, String>,
}

/// One file of a translated language, with whether a native speaker checked it.
#[derive(Clone, Debug)]
pub struct TranslationFile {
    pub lang: Lang,
    pub path: PathBuf,
    pub source: String,
    /// What the file translates: a service id, or `special`, `signals`, `navigation`.
    pub subject: String,
    pub reviewed: bool,
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
    /// The files of `translations/`, in the order they were read.
    pub translations: Vec<TranslationFile>,
    /// Translation files whose name is no service id (the check names them).
    pub orphan_translations: Vec<PathBuf>,
}

/// The file names every translated language has beside its services.
pub const TRANSLATION_SUBJECTS: [&str; 3] = ["special", "signals", "navigation"];

/// Where the file of one subject of a translated language lives.
pub fn translation_path(dir: &Path, lang: Lang, subject: &str) -> PathBuf {
    let base = dir.join("translations").join(lang.code());
    if TRANSLATION_SUBJECTS.contains(&subject) {
        base.join(format!("{subject}.toml"))
    } else {
        base.join("services").join(format!("{subject}.toml"))
    }
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
        let mut content = Content {
            dir: dir.to_path_buf(),
            services,
            human,
            out_of_scope,
            signals,
            synonyms,
            municipalities: region.municipality,
            region_is_demo: region.demo,
            navigation: Navigation { home: nav.home, nodes: nav.node },
            translations: Vec::new(),
            orphan_translations: Vec::new(),
        };
        content.load_translations(&mut problems);
        if !problems.is_empty() {
            return Err(Error::Content(problems));
        }
        Ok(content)
    }

    /// Read `translations/<lang>/` for every translated language. A missing
    /// file is not a load error (the check names it); a broken one is.
    fn load_translations(&mut self, problems: &mut Vec<Problem>) {
        for lang in Lang::TRANSLATED {
            let ids: Vec<String> = self.services.iter().map(|s| s.service.id.clone()).collect();
            for id in ids.iter().map(String::as_str).chain(TRANSLATION_SUBJECTS) {
                let path = translation_path(&self.dir, lang, id);
                if !path.is_file() {
                    continue;
                }
                let source = match fs::read_to_string(&path) {
                    Ok(s) => s,
                    Err(e) => {
                        problems.push(Problem::file(&path, &format!("cannot read: {e}")));
                        continue;
                    }
                };
                let reviewed = match self.apply_translation(lang, id, &path, &source) {
                    Ok(r) => r,
                    Err(p) => {
                        problems.push(p);
                        continue;
                    }
                };
                self.translations.push(TranslationFile { lang, path, source, subject: id.to_string(), reviewed });
            }
            // A file for a service that does not exist is a typo in its name.
            let services_dir = self.dir.join("translations").join(lang.code()).join("services");
            if let Ok(rd) = fs::read_dir(&services_dir) {
                let mut extra: Vec<PathBuf> = rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .filter(|p| !p.file_stem().and_then(|s| s.to_str()).is_some_and(|s| ids.iter().any(|i| i == s)))
                    .collect();
                extra.sort();
                self.orphan_translations.extend(extra);
            }
        }
    }

    /// Parse one translation file into the content; returns its `reviewed` flag.
    fn apply_translation(&mut self, lang: Lang, subject: &str, path: &Path, source: &str) -> std::result::Result<bool, Problem> {
        // A missing field is reported with the language it is missing in.
        let in_lang = |mut p: Problem| {
            p.message = format!("{} ({}): {}", lang.native_name(), lang.code(), p.message);
            p
        };
        self.apply_translation_in(lang, subject, path, source).map_err(in_lang)
    }

    fn apply_translation_in(&mut self, lang: Lang, subject: &str, path: &Path, source: &str) -> std::result::Result<bool, Problem> {
        match subject {
            "special" => {
                let t: TranslatedSpecial = parse_toml(path, source)?;
                self.human.translations.insert(lang, LangExamples { examples: t.human });
                self.out_of_scope.translations.insert(lang, LangExamples { examples: t.out_of_scope });
                Ok(t.reviewed)
            }
            "signals" => {
                let t: TranslatedSignals = parse_toml(path, source)?;
                self.signals.crisis.translations.insert(lang, t.crisis);
                self.signals.human.translations.insert(lang, t.human);
                Ok(t.reviewed)
            }
            "navigation" => {
                let t: TranslatedNavigation = parse_toml(path, source)?;
                for (id, label) in t.labels {
                    match self.navigation.nodes.iter_mut().find(|n| n.id == id) {
                        Some(n) => {
                            n.labels.insert(lang, label);
                        }
                        None => {
                            let line = locate(source, Some("labels"), &format!("\"{id}\""), None)
                                .or_else(|| locate(source, Some("labels"), &id, None));
                            return Err(Problem {
                                file: path.to_path_buf(),
                                field: Some(format!("labels.{id}")),
                                line,
                                message: "no menu node has this id".into(),
                            });
                        }
                    }
                }
                Ok(t.reviewed)
            }
            id => {
                let t: TranslatedService = parse_toml(path, source)?;
                let text = ServiceText {
                    name: t.name,
                    summary: t.summary,
                    when: t.when,
                    steps: t.steps,
                    bring: t.bring,
                    keywords: t.keywords,
                    examples: t.examples,
                };
                if let Some(sf) = self.services.iter_mut().find(|s| s.service.id == id) {
                    sf.service.translations.insert(lang, text);
                }
                Ok(t.reviewed)
            }
        }
    }

    /// The translation file of one subject (a service id, or one of
    /// `TRANSLATION_SUBJECTS`) in one language, if it was read.
    pub fn translation_file(&self, lang: Lang, subject: &str) -> Option<&TranslationFile> {
        self.translations.iter().find(|t| t.lang == lang && t.subject == subject)
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
