//! `kb check`: everything an editor can get wrong in the content, reported with
//! file, field and line, so a non-programmer can fix it.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use engine::model::{Lang, ServiceText};

use crate::content::{locate, Content, Problem, ServiceFile};
use engine::hours;
use crate::text::{sentences, word_count};

/// Limits of the plain-language rule (B1: short sentences).
pub const MAX_AVG_WORDS: f64 = 12.0;
pub const MAX_SENTENCE_WORDS: usize = 20;
pub const MIN_EXAMPLES: usize = 25;
pub const MAX_MENU_ITEMS: usize = 8;
pub const MAX_TAPS: usize = 3;
/// Tap ids every screen already uses.
pub const RESERVED_NODE_IDS: &[&str] = &["home", "back", "person", "stop"];

/// A long sentence, for the "worst ones" list.
#[derive(Clone, Debug)]
pub struct LongSentence {
    pub service: String,
    pub lang: Lang,
    pub words: usize,
    pub sentence: String,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// The longest sentences over all services, longest first.
    pub longest: Vec<LongSentence>,
    pub services: usize,
    pub examples: usize,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The ids the organisation routes to: the first column of a TSV with a header.
pub fn read_routing_ids(path: &Path) -> Result<Vec<String>, Problem> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Problem::file(path, &format!("cannot read routing table: {e}")))?;
    Ok(text
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect())
}

/// The pictogram concepts a set has, each with the file that draws it
/// (relative to the set's folder), from the set's manifest.
pub type PictogramFiles = BTreeMap<String, String>;

/// Check a loaded content folder. `routing` holds the ids that must exist;
/// `concepts` the pictogram concepts the set has and their files (None skips
/// the pictogram checks).
pub fn check(content: &Content, routing: &[String], concepts: Option<&PictogramFiles>) -> Report {
    let mut r = Report { services: content.services.len(), ..Report::default() };
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for sf in &content.services {
        let id = sf.service.id.as_str();
        if let Some(prev) = seen.insert(id, &sf.path) {
            push(&mut r, sf, None, "id", None, &format!("id `{id}` is also used in {}", prev.display()));
        }
        let stem = sf.path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if stem != id {
            push(&mut r, sf, None, "id", None, &format!("file name `{stem}.toml` does not match id `{id}`"));
        }
        if !routing.iter().any(|r| r == id) {
            push(&mut r, sf, None, "id", None, &format!("id `{id}` is not in the routing table"));
        }
        check_service(&mut r, sf, content, concepts);
    }
    for id in routing {
        if !seen.contains_key(id.as_str()) {
            r.problems.push(Problem {
                file: content.dir.join("services").join(format!("{id}.toml")),
                field: None,
                line: None,
                message: format!("service `{id}` from the routing table has no content file"),
            });
        }
    }
    check_shared_examples(&mut r, content);
    check_specials(&mut r, content);
    check_navigation(&mut r, content, concepts);
    if let Some(files) = concepts {
        check_distinct_pictograms(&mut r, content, files);
    }
    check_translated_labels(&mut r, content);
    r.longest.sort_by_key(|l| std::cmp::Reverse(l.words));
    r.longest.truncate(10);
    r
}

fn push(r: &mut Report, sf: &ServiceFile, section: Option<&str>, field: &str, needle: Option<&str>, msg: &str) {
    let line = locate(&sf.source, section, field, needle).or_else(|| locate(&sf.source, section, field, None));
    let field = match section {
        Some(s) => format!("{s}.{field}"),
        None => field.to_string(),
    };
    r.problems.push(Problem { file: sf.path.clone(), field: Some(field), line, message: msg.to_string() });
}

fn check_service(r: &mut Report, sf: &ServiceFile, content: &Content, concepts: Option<&PictogramFiles>) {
    let s = &sf.service;
    if s.pictograms.is_empty() {
        push(r, sf, None, "pictograms", None, "needs at least one pictogram concept");
    }
    if let Some(known) = concepts {
        for c in &s.pictograms {
            if !known.contains_key(c) {
                push(r, sf, None, "pictograms", None, &format!("pictogram concept `{c}` is not in the pictogram manifest"));
            }
        }
    }
    for lang in Lang::SOURCE {
        let at = TextAt { path: &sf.path, source: &sf.source, section: Some(lang.code()), service: &s.id };
        check_text(r, &at, lang, s.text(lang));
    }
    for lang in Lang::TRANSLATED {
        match (content.translation_file(lang, &s.id), s.translations.get(&lang)) {
            (Some(file), Some(text)) => {
                let at = TextAt { path: &file.path, source: &file.source, section: None, service: &s.id };
                check_text(r, &at, lang, text);
            }
            _ => r.problems.push(Problem {
                file: crate::content::translation_path(&content.dir, lang, &s.id),
                field: Some(format!("{}: name, summary, when, steps, keywords, examples", lang.code())),
                line: None,
                message: format!("file is missing: `{}` has no {} ({}) text", s.id, lang.native_name(), lang.code()),
            }),
        }
    }
    let c = &s.contact;
    for (field, v) in [("organisation", &c.organisation)] {
        if v.trim().is_empty() {
            push(r, sf, Some("contact"), field, None, "is empty");
        }
    }
    check_contact_values(r, sf, "contact", Some(&c.phone), Some(&c.website), Some(&c.hours));
    for (m, o) in &c.municipality {
        let section = format!("contact.municipality.{m}");
        if !content.municipalities.iter().any(|x| &x.id == m) {
            push(r, sf, Some(&section), "phone", None, &format!("municipality `{m}` is not in region.toml"));
        }
        check_contact_values(r, sf, &section, o.phone.as_ref(), o.website.as_ref(), o.hours.as_ref());
    }
}

fn check_contact_values(
    r: &mut Report,
    sf: &ServiceFile,
    section: &str,
    phone: Option<&String>,
    website: Option<&String>,
    hours_list: Option<&Vec<String>>,
) {
    if let Some(p) = phone {
        if !valid_phone(p) {
            push(r, sf, Some(section), "phone", None, &format!("`{p}` is not a Dutch phone number (like 088 555 01 10, 0800-2000, 14 020, 112)"));
        }
    }
    if let Some(w) = website {
        if !valid_url(w) {
            push(r, sf, Some(section), "website", None, &format!("`{w}` is not a web address starting with https://"));
        }
    }
    if let Some(h) = hours_list {
        if h.is_empty() {
            push(r, sf, Some(section), "hours", None, "needs at least one line, like \"ma-vr 09:00-17:00\" or \"24/7\"");
        }
        for line in h {
            if let Err(e) = hours::parse_line(line) {
                push(r, sf, Some(section), "hours", Some(line), &format!("`{line}`: {e}"));
            }
        }
    }
}

/// Where the texts of one language of a service are written: a section of
/// the service file, or a translation file of its own.
struct TextAt<'a> {
    path: &'a Path,
    source: &'a str,
    section: Option<&'a str>,
    service: &'a str,
}

fn check_text(r: &mut Report, at: &TextAt<'_>, lang: Lang, t: &ServiceText) {
    let put = |r: &mut Report, field: &str, needle: Option<&str>, msg: &str| {
        let line = locate(at.source, at.section, field, needle).or_else(|| locate(at.source, at.section, field, None));
        r.problems.push(Problem {
            file: at.path.to_path_buf(),
            field: Some(format!("{}.{field}", lang.code())),
            line,
            message: msg.to_string(),
        });
    };
    let required: [(&str, bool); 6] = [
        ("name", t.name.trim().is_empty()),
        ("summary", t.summary.trim().is_empty()),
        ("when", t.when.is_empty()),
        ("steps", t.steps.is_empty()),
        ("keywords", t.keywords.is_empty()),
        ("examples", t.examples.is_empty()),
    ];
    for (field, empty) in required {
        if empty {
            put(r, field, None, "is required and empty");
        }
    }
    if !t.examples.is_empty() && t.examples.len() < MIN_EXAMPLES {
        put(r, "examples", None, &format!("has {} examples; at least {MIN_EXAMPLES} are needed", t.examples.len()));
    }
    r.examples += t.examples.len();
    let mut seen = BTreeSet::new();
    for e in &t.examples {
        let key = crate::text::words(e).join(" ");
        if key.is_empty() {
            put(r, "examples", None, "an example is empty");
        } else if !seen.insert(key) {
            put(r, "examples", Some(e), &format!("example \"{e}\" appears twice"));
        }
    }
    let summary = sentences(&t.summary);
    if !t.summary.trim().is_empty() && !(2..=4).contains(&summary.len()) {
        put(r, "summary", None, &format!("has {} sentences; write 2 to 4 short ones", summary.len()));
    }
    // Plain language over everything a resident reads on the service card.
    let mut all: Vec<(&str, String)> = summary.into_iter().map(|s| ("summary", s)).collect();
    for (field, items) in [("when", &t.when), ("steps", &t.steps), ("bring", &t.bring)] {
        for item in items {
            all.extend(sentences(item).into_iter().map(|s| (field, s)));
        }
    }
    if all.is_empty() {
        return;
    }
    let total: usize = all.iter().map(|(_, s)| word_count(s)).sum();
    let avg = total as f64 / all.len() as f64;
    if avg > MAX_AVG_WORDS {
        put(r, "summary", None, &format!("sentences average {avg:.1} words; keep it at most {MAX_AVG_WORDS}"));
    }
    for (field, s) in &all {
        let n = word_count(s);
        r.longest.push(LongSentence { service: at.service.to_string(), lang, words: n, sentence: s.clone() });
        if n > MAX_SENTENCE_WORDS {
            let needle: String = s.chars().take(30).collect();
            put(r, field, Some(&needle), &format!("sentence of {n} words (at most {MAX_SENTENCE_WORDS}): \"{s}\""));
        }
    }
}

/// The same example under two services teaches the router nothing but confusion.
fn check_shared_examples(r: &mut Report, content: &Content) {
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    for sf in &content.services {
        for lang in Lang::ALL.into_iter().filter(|l| sf.service.has_text(*l)) {
            for e in &sf.service.text(lang).examples {
                let key = crate::text::words(e).join(" ");
                match owner.get(&key) {
                    Some(other) if *other != sf.service.id => {
                        let msg = format!("example \"{e}\" is also an example of `{other}`");
                        if Lang::SOURCE.contains(&lang) {
                            push(r, sf, Some(lang.code()), "examples", Some(e), &msg);
                        } else if let Some(file) = content.translation_file(lang, &sf.service.id) {
                            // The source as it was read: no second read of the file.
                            let line = locate(&file.source, None, "examples", Some(e));
                            let field = Some(format!("{}.examples", lang.code()));
                            r.problems.push(Problem { file: file.path.clone(), field, line, message: msg });
                        }
                    }
                    _ => {
                        owner.insert(key, &sf.service.id);
                    }
                }
            }
        }
    }
}

fn check_specials(r: &mut Report, content: &Content) {
    for (name, sp) in [("special/human.toml", &content.human), ("special/out-of-scope.toml", &content.out_of_scope)] {
        for (lang, ex) in sp.by_lang() {
            if ex.len() < MIN_EXAMPLES {
                let file = if Lang::SOURCE.contains(&lang) {
                    content.dir.join(name)
                } else {
                    crate::content::translation_path(&content.dir, lang, "special")
                };
                let field = match (Lang::SOURCE.contains(&lang), name.contains("human")) {
                    (true, _) => format!("{}.examples", lang.code()),
                    (false, true) => format!("{}: human", lang.code()),
                    (false, false) => format!("{}: out_of_scope", lang.code()),
                };
                r.problems.push(Problem {
                    file,
                    field: Some(field),
                    line: None,
                    message: format!("has {} examples; at least {MIN_EXAMPLES} are needed", ex.len()),
                });
            }
        }
    }
    let sig = content.dir.join("signals.toml");
    for (lang, list) in content.signals.crisis.by_lang() {
        if list.is_empty() {
            let (file, field) = if Lang::SOURCE.contains(&lang) {
                (sig.clone(), format!("crisis.{}", lang.code()))
            } else {
                (crate::content::translation_path(&content.dir, lang, "signals"), format!("{}: crisis", lang.code()))
            };
            r.problems.push(Problem { file, field: Some(field), line: None, message: "is empty: crisis detection needs phrases".into() });
        }
    }
    for p in &content.orphan_translations {
        r.problems.push(Problem::file(p, "no service has this id: the file name must be a service id"));
    }
    // Every translated language has its own special examples, phrases and menu labels.
    for lang in Lang::TRANSLATED {
        for subject in crate::content::TRANSLATION_SUBJECTS {
            if content.translation_file(lang, subject).is_none() {
                r.problems.push(Problem {
                    file: crate::content::translation_path(&content.dir, lang, subject),
                    field: Some(lang.code().to_string()),
                    line: None,
                    message: format!("file is missing: {} ({}) has no {subject} file", lang.native_name(), lang.code()),
                });
            }
        }
    }
}

/// Every menu tile needs a label in each translated language that has a menu file.
fn check_translated_labels(r: &mut Report, content: &Content) {
    let langs: Vec<Lang> =
        Lang::TRANSLATED.into_iter().filter(|l| content.translation_file(*l, "navigation").is_some()).collect();
    for n in &content.navigation.nodes {
        for &lang in &langs {
            if n.labels.get(&lang).is_none_or(|l| l.trim().is_empty()) {
                r.problems.push(Problem {
                    file: crate::content::translation_path(&content.dir, lang, "navigation"),
                    field: Some(format!("{}: labels.\"{}\"", lang.code(), n.id)),
                    line: None,
                    message: format!("node `{}` has no {} label", n.id, lang.native_name()),
                });
            }
        }
    }
}

fn check_navigation(r: &mut Report, content: &Content, concepts: Option<&PictogramFiles>) {
    let nav = &content.navigation;
    let path = content.dir.join("navigation.toml");
    let source = std::fs::read_to_string(&path).unwrap_or_default();
    let mut problem = |node: Option<&str>, msg: String| {
        let line = node.and_then(|n| locate_node(&source, n));
        r.problems.push(Problem { file: path.clone(), field: node.map(|n| format!("node {n}")), line, message: msg });
    };
    if nav.home.is_empty() || nav.home.len() > MAX_MENU_ITEMS {
        problem(None, format!("home has {} life areas; use 1 to {MAX_MENU_ITEMS}", nav.home.len()));
    }
    let mut ids = BTreeSet::new();
    for n in &nav.nodes {
        if !ids.insert(n.id.as_str()) {
            problem(Some(&n.id), format!("node id `{}` is used twice", n.id));
        }
    }
    for id in &nav.home {
        if !ids.contains(id.as_str()) {
            problem(None, format!("home lists `{id}`, which is not a node"));
        }
    }
    let services: BTreeSet<&str> = content.services.iter().map(|s| s.service.id.as_str()).collect();
    for n in &nav.nodes {
        // Taps on these words mean "home", "back" and "person" on every screen.
        if RESERVED_NODE_IDS.contains(&n.id.as_str()) || n.id.contains(':') || n.id.trim().is_empty() {
            problem(Some(&n.id), format!("node id `{}` is reserved or has a `:`; choose another", n.id));
        }
        if n.nl.trim().is_empty() || n.en.trim().is_empty() {
            problem(Some(&n.id), "needs a label in nl and en".into());
        }
        if let Some(known) = concepts {
            if !known.contains_key(&n.pictogram) {
                problem(Some(&n.id), format!("pictogram `{}` is not in the pictogram manifest", n.pictogram));
            }
        }
        if n.pictogram.trim().is_empty() {
            problem(Some(&n.id), "has no pictogram".into());
        }
        if n.children.len() > MAX_MENU_ITEMS {
            problem(Some(&n.id), format!("has {} options; at most {MAX_MENU_ITEMS}", n.children.len()));
        }
        match (&n.service, n.children.is_empty()) {
            (None, true) => problem(Some(&n.id), "is a dead end: no options and no service".into()),
            (Some(_), false) => problem(Some(&n.id), "has both a service and options; choose one".into()),
            (Some(s), true) if !services.contains(s.as_str()) => {
                problem(Some(&n.id), format!("opens service `{s}`, which does not exist"))
            }
            _ => {}
        }
        for c in &n.children {
            if !ids.contains(c.as_str()) {
                problem(Some(&n.id), format!("option `{c}` is not a node"));
            }
        }
    }
    // Breadth-first from the home screen: taps needed to open each service.
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    let mut queue: VecDeque<(&str, usize)> = nav.home.iter().map(|h| (h.as_str(), 1)).collect();
    while let Some((id, d)) = queue.pop_front() {
        if depth.contains_key(id) {
            continue;
        }
        depth.insert(id, d);
        if let Some(n) = nav.node(id) {
            for c in &n.children {
                queue.push_back((c.as_str(), d + 1));
            }
        }
    }
    for s in &services {
        let best = nav
            .nodes
            .iter()
            .filter(|n| n.service.as_deref() == Some(*s))
            .filter_map(|n| depth.get(n.id.as_str()))
            .min();
        match best {
            None => problem(None, format!("service `{s}` cannot be reached from the home screen")),
            Some(&d) if d > MAX_TAPS => problem(None, format!("service `{s}` needs {d} taps; at most {MAX_TAPS}")),
            _ => {}
        }
    }
    for n in &nav.nodes {
        if !depth.contains_key(n.id.as_str()) {
            problem(Some(&n.id), "cannot be reached from the home screen".into());
        }
    }
}

/// Residents who cannot read tell menu tiles apart by their picture alone, so
/// one pictogram file stands for one thing in the whole menu: two navigation
/// nodes may not show the same file (two concept ids with the same file count
/// as the same), nor may a node show the file that is another service's main
/// pictogram (the first of its `pictograms`, shown on its card), nor two
/// services share a main file. The one exception is the same service reached
/// from two life areas ("health.wmo-loket" and "housing.wmo-loket"): those
/// tiles are the same choice and should look the same.
fn check_distinct_pictograms(r: &mut Report, content: &Content, files: &PictogramFiles) {
    // What a picture stands for: the service it opens, or the node itself
    // for a life area.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Meaning<'a> {
        Service(&'a str),
        Area(&'a str),
    }
    // Who shows the picture: a menu node, or a service card.
    #[derive(Clone, Copy)]
    enum Shown<'a> {
        Node(&'a str),
        Card(&'a ServiceFile),
    }
    let describe = |shown: Shown<'_>| match shown {
        Shown::Node(id) => format!("node `{id}`"),
        Shown::Card(sf) => format!("service `{}` (its first pictogram)", sf.service.id),
    };
    let meaning_text = |m: Meaning<'_>| match m {
        Meaning::Service(s) => format!("service `{s}`"),
        Meaning::Area(a) => format!("life area `{a}`"),
    };
    let mut users: Vec<(&str, &str, Meaning<'_>, Shown<'_>)> = Vec::new();
    for n in &content.navigation.nodes {
        if let Some(file) = files.get(&n.pictogram) {
            let meaning = match &n.service {
                Some(s) => Meaning::Service(s.as_str()),
                None => Meaning::Area(n.id.as_str()),
            };
            users.push((file.as_str(), n.pictogram.as_str(), meaning, Shown::Node(n.id.as_str())));
        }
    }
    for sf in &content.services {
        let Some(main) = sf.service.pictograms.first() else { continue };
        if let Some(file) = files.get(main) {
            users.push((file.as_str(), main.as_str(), Meaning::Service(sf.service.id.as_str()), Shown::Card(sf)));
        }
    }
    let path = content.dir.join("navigation.toml");
    let source = std::fs::read_to_string(&path).unwrap_or_default();
    // The first user of each file owns it; everyone after who means
    // something else is reported, naming the owner.
    let mut owner: BTreeMap<&str, (&str, Meaning<'_>, Shown<'_>)> = BTreeMap::new();
    for (file, concept, meaning, shown) in users {
        let Some(&(first_concept, first_meaning, first_shown)) = owner.get(file) else {
            owner.insert(file, (concept, meaning, shown));
            continue;
        };
        if first_meaning == meaning {
            continue;
        }
        let same_file = if first_concept == concept {
            String::new()
        } else {
            format!(", the file of concept `{first_concept}`")
        };
        let msg = format!(
            "shows pictogram `{concept}` ({file}{same_file}), which {} already shows for {}; residents who cannot read tell tiles apart by the picture alone: give one of them another pictogram",
            describe(first_shown),
            meaning_text(first_meaning),
        );
        match shown {
            Shown::Node(id) => r.problems.push(Problem {
                file: path.clone(),
                field: Some(format!("node {id}")),
                line: locate_node(&source, id),
                message: msg,
            }),
            Shown::Card(sf) => push(r, sf, None, "pictograms", None, &msg),
        }
    }
}

fn locate_node(source: &str, id: &str) -> Option<usize> {
    let needle = format!("\"{id}\"");
    source.lines().position(|l| l.trim_start().starts_with("id") && l.contains(&needle)).map(|i| i + 1)
}

/// A Dutch phone number as residents dial it.
pub fn valid_phone(p: &str) -> bool {
    if p.chars().any(|c| !(c.is_ascii_digit() || c == ' ' || c == '-' || c == '+')) {
        return false;
    }
    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
    if p.trim_start().starts_with("+31") {
        return digits.len() == 11;
    }
    if p.contains('+') {
        return false;
    }
    match digits.as_str() {
        "112" | "113" => true,
        d if d.starts_with("14") && (d.len() == 5 || d.len() == 6) => true,
        d if (d.starts_with("0800") || d.starts_with("0900") || d.starts_with("0909")) => (8..=11).contains(&d.len()),
        d => d.len() == 10 && d.starts_with('0'),
    }
}

/// An https web address with a host that has a dot and no spaces.
pub fn valid_url(u: &str) -> bool {
    let Some(rest) = u.strip_prefix("https://") else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !u.chars().any(char::is_whitespace)
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':')
}
