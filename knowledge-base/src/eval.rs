//! Evaluation of triage against a labelled set (the dev.tsv format).
//!
//! Scoring: `@human` is right when the action is `human`; `@out-of-scope` when it
//! is `out_of_scope`; `crisis` when it is `crisis`; any other label when the
//! service is the label or one of `also_ok`.

use std::collections::BTreeMap;

use engine::{Action, Lang, Triage};

use crate::KnowledgeBase;

#[derive(Clone, Debug)]
pub struct Row {
    pub question: String,
    pub label: String,
    pub also_ok: Vec<String>,
    pub kind: String,
}

/// Parse a labelled TSV: `question<TAB>label<TAB>also_ok<TAB>kind` with a header.
pub fn parse_tsv(text: &str) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            return Err(format!("line {}: expected at least 2 tab-separated columns", i + 1));
        }
        rows.push(Row {
            question: cols[0].to_string(),
            label: cols[1].trim().to_string(),
            also_ok: cols.get(2).map(|s| s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()).unwrap_or_default(),
            kind: cols.get(3).map(|s| s.trim().to_string()).unwrap_or_default(),
        });
    }
    Ok(rows)
}

fn correct(row: &Row, t: &Triage) -> bool {
    match row.label.as_str() {
        "@human" => t.action == Action::Human,
        "@out-of-scope" => t.action == Action::OutOfScope,
        "crisis" => t.action == Action::Crisis,
        label => t.service.as_deref().is_some_and(|s| s == label || row.also_ok.iter().any(|a| a == s)),
    }
}

fn in_top3(row: &Row, t: &Triage) -> bool {
    if row.label.starts_with('@') || row.label == "crisis" {
        return correct(row, t);
    }
    let ok = |s: &str| s == row.label || row.also_ok.iter().any(|a| a == s);
    t.service.iter().chain(t.alternatives.iter()).take(3).any(|s| ok(s))
}

fn predicted(t: &Triage) -> String {
    match t.action {
        Action::Human => "@human".into(),
        Action::OutOfScope => "@out-of-scope".into(),
        Action::Crisis => "crisis".into(),
        _ => t.service.clone().unwrap_or_else(|| "-".into()),
    }
}

/// The figures of one language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LangScore {
    pub total: usize,
    pub top1: usize,
    pub crisis_total: usize,
    pub crisis_found: usize,
    /// `@out-of-scope` questions answered with a service.
    pub oos_answered: usize,
}

impl LangScore {
    fn add(&mut self, o: &LangScore) {
        self.total += o.total;
        self.top1 += o.top1;
        self.crisis_total += o.crisis_total;
        self.crisis_found += o.crisis_found;
        self.oos_answered += o.oos_answered;
    }

    pub fn top1_accuracy(&self) -> f64 {
        ratio(self.top1, self.total)
    }
    pub fn crisis_recall(&self) -> f64 {
        ratio(self.crisis_found, self.crisis_total)
    }
}

/// The language a labelled row is written in: the kind says so when it
/// starts with a language code ("tr-typo", "en"), "english" means English,
/// and otherwise triage's own reading decides.
pub fn row_lang(row: &Row, t: &Triage) -> Lang {
    let head = row.kind.split(['-', '_']).next().unwrap_or("");
    if head == "english" {
        return Lang::En;
    }
    Lang::ALL.into_iter().find(|l| l.code() == head).unwrap_or(t.lang)
}

#[derive(Clone, Debug, Default)]
pub struct EvalReport {
    pub total: usize,
    pub top1: usize,
    pub top3: usize,
    pub crisis_total: usize,
    pub crisis_found: usize,
    pub oos_predicted: usize,
    pub oos_predicted_right: usize,
    pub oos_answered: usize,
    pub by_kind: BTreeMap<String, (usize, usize)>,
    /// Per language of the question (see `row_lang`).
    pub by_lang: BTreeMap<Lang, LangScore>,
    /// (label, predicted) -> count, for the wrong ones.
    pub confusions: BTreeMap<(String, String), usize>,
    pub misses: Vec<(Row, Triage)>,
    /// Time per question, sorted.
    pub times: Vec<std::time::Duration>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl EvalReport {
    pub fn top1_accuracy(&self) -> f64 {
        ratio(self.top1, self.total)
    }
    pub fn top3_recall(&self) -> f64 {
        ratio(self.top3, self.total)
    }
    pub fn crisis_recall(&self) -> f64 {
        ratio(self.crisis_found, self.crisis_total)
    }
    pub fn out_of_scope_precision(&self) -> f64 {
        ratio(self.oos_predicted_right, self.oos_predicted)
    }

    /// The report as `wegwijs eval` prints it.
    pub fn render(&self, show_misses: bool) -> String {
        let mut s = String::new();
        let pct = |x: f64| format!("{:.1}%", x * 100.0);
        s += &format!("questions              {}\n", self.total);
        s += &format!("top-1 accuracy         {} ({}/{})\n", pct(self.top1_accuracy()), self.top1, self.total);
        s += &format!("top-3 recall           {} ({}/{})\n", pct(self.top3_recall()), self.top3, self.total);
        s += &format!("crisis recall          {} ({}/{})\n", pct(self.crisis_recall()), self.crisis_found, self.crisis_total);
        s += &format!("out-of-scope precision {} ({}/{})\n", pct(self.out_of_scope_precision()), self.oos_predicted_right, self.oos_predicted);
        s += &format!("out-of-scope answered  {}\n", self.oos_answered);
        if !self.times.is_empty() {
            let at = |p: usize| self.times[(self.times.len() * p / 100).min(self.times.len() - 1)];
            s += &format!("triage time            p50 {:?}, p99 {:?}\n", at(50), at(99));
        }
        s += "by language:\n";
        for (l, x) in &self.by_lang {
            s += &format!(
                "  {:<3} top-1 {} ({}/{}), crisis recall {} ({}/{}), out-of-scope answered {}\n",
                l.code(),
                pct(x.top1_accuracy()),
                x.top1,
                x.total,
                pct(x.crisis_recall()),
                x.crisis_found,
                x.crisis_total,
                x.oos_answered
            );
        }
        s += "by kind:\n";
        for (k, (ok, n)) in &self.by_kind {
            s += &format!("  {:<10} {} ({ok}/{n})\n", if k.is_empty() { "-" } else { k }, pct(ratio(*ok, *n)));
        }
        let mut conf: Vec<_> = self.confusions.iter().collect();
        conf.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        s += "worst confusions (label -> predicted):\n";
        for ((l, p), n) in conf.iter().take(10) {
            s += &format!("  {n:>3}  {l} -> {p}\n");
        }
        if show_misses {
            s += "misses:\n";
            for (row, t) in &self.misses {
                s += &format!("  [{}] {} -> {} ({:.2}) | {}\n", row.label, row.kind, predicted(t), t.confidence, row.question);
            }
        }
        s
    }
}

/// Triage every row and score the answers.
pub fn evaluate(kb: &KnowledgeBase, rows: &[Row]) -> EvalReport {
    let mut r = EvalReport::default();
    for row in rows {
        let start = std::time::Instant::now();
        let t = kb.triage_question(&row.question, None);
        r.times.push(start.elapsed());
        r.total += 1;
        let ok = correct(row, &t);
        r.top1 += usize::from(ok);
        r.top3 += usize::from(in_top3(row, &t));
        let k = r.by_kind.entry(row.kind.clone()).or_default();
        k.0 += usize::from(ok);
        k.1 += 1;
        if row.label == "crisis" {
            r.crisis_total += 1;
            r.crisis_found += usize::from(t.action == Action::Crisis);
        }
        if t.action == Action::OutOfScope {
            r.oos_predicted += 1;
            r.oos_predicted_right += usize::from(row.label == "@out-of-scope");
        }
        if row.label == "@out-of-scope" && t.action == Action::Answer {
            r.oos_answered += 1;
        }
        let l = r.by_lang.entry(row_lang(row, &t)).or_default();
        l.total += 1;
        l.top1 += usize::from(ok);
        l.oos_answered += usize::from(row.label == "@out-of-scope" && t.action == Action::Answer);
        if row.label == "crisis" {
            l.crisis_total += 1;
            l.crisis_found += usize::from(t.action == Action::Crisis);
        }
        if !ok {
            *r.confusions.entry((row.label.clone(), predicted(&t))).or_default() += 1;
            r.misses.push((row.clone(), t));
        }
    }
    r.times.sort();
    r
}

/// Cross-validation over the content's own examples: build the index without
/// every k-th example, ask the left-out ones, and score them. A measure of how
/// well the content generalises to questions it has not seen, far larger than
/// any hand-labelled set.
pub fn cross_validate(
    content: &crate::Content,
    folds: usize,
    tuning: &crate::triage::Tuning,
) -> crate::Result<EvalReport> {
    let folds = folds.max(2);
    let mut total = EvalReport::default();
    for fold in 0..folds {
        let mut train = content.clone();
        let mut rows = Vec::new();
        let mut split = |list: &mut Vec<String>, label: &str, kind: &str| {
            let mut keep = Vec::new();
            for (i, e) in list.drain(..).enumerate() {
                if i % folds == fold {
                    rows.push(Row { question: e, label: label.to_string(), also_ok: Vec::new(), kind: kind.to_string() });
                } else {
                    keep.push(e);
                }
            }
            *list = keep;
        };
        for sf in &mut train.services {
            let id = sf.service.id.clone();
            split(&mut sf.service.nl.examples, &id, "nl");
            split(&mut sf.service.en.examples, &id, "en");
            for (lang, t) in sf.service.translations.iter_mut() {
                split(&mut t.examples, &id, lang.code());
            }
        }
        for lang in Lang::ALL {
            if train.human.by_lang().any(|(l, _)| l == lang) {
                split(train.human.examples_mut(lang), "@human", lang.code());
            }
            if train.out_of_scope.by_lang().any(|(l, _)| l == lang) {
                split(train.out_of_scope.examples_mut(lang), "@out-of-scope", lang.code());
            }
        }
        let mut kb = KnowledgeBase::from_content(train)?;
        kb.tuning = tuning.clone();
        let r = evaluate(&kb, &rows);
        total.merge(r);
    }
    Ok(total)
}

impl EvalReport {
    fn merge(&mut self, o: EvalReport) {
        self.total += o.total;
        self.top1 += o.top1;
        self.top3 += o.top3;
        self.crisis_total += o.crisis_total;
        self.crisis_found += o.crisis_found;
        self.oos_predicted += o.oos_predicted;
        self.oos_predicted_right += o.oos_predicted_right;
        self.oos_answered += o.oos_answered;
        for (k, x) in o.by_lang {
            self.by_lang.entry(k).or_default().add(&x);
        }
        for (k, (a, b)) in o.by_kind {
            let e = self.by_kind.entry(k).or_default();
            e.0 += a;
            e.1 += b;
        }
        for (k, n) in o.confusions {
            *self.confusions.entry(k).or_default() += n;
        }
        self.misses.extend(o.misses);
        self.times.extend(o.times);
        self.times.sort();
    }
}
