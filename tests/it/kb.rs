//! Knowledge base: content checks, export, triage contract and bad input.

use std::io::Write;
use std::process::{Command, Stdio};

use engine::{Action, KnowledgeSource, Lang};
use knowledge_base::{check, eval, Content, KnowledgeBase};

use crate::support::{content_copy, content_dir, dev_tsv, kb, wegwijs_bin};

fn kb_content() -> &'static Content {
    static CONTENT: std::sync::OnceLock<Content> = std::sync::OnceLock::new();
    CONTENT.get_or_init(|| Content::load(&content_dir()).expect("loads"))
}

fn routing() -> Vec<String> {
    check::read_routing_ids(&content_dir().join("routing.tsv")).expect("routing table")
}

/// Concept -> file of the shipped pictogram set, as `wegwijs kb check` builds it.
fn pictogram_files() -> check::PictogramFiles {
    let set = pictograms::PictogramSet::load(&pictograms::PictogramSet::default_dir()).expect("pictograms");
    set.concepts().map(|c| (c.to_string(), set.file(c).expect("file").display().to_string())).collect()
}

#[test]
fn shipped_content_passes_every_check() {
    let content = Content::load(&content_dir()).expect("loads");
    let concepts = pictogram_files();
    let report = check::check(&content, &routing(), Some(&concepts));
    let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(problems.is_empty(), "problems:\n{}", problems.join("\n"));
    assert_eq!(report.services, 27);
}

#[test]
fn routing_table_matches_the_shared_one() {
    // The organisation's routing table, copied beside the public sets.
    let shared = crate::support::data_file("services.tsv");
    assert_eq!(check::read_routing_ids(&shared).unwrap(), routing());
    assert_eq!(routing().len(), 27);
}

#[test]
fn a_syntax_error_names_file_and_line() {
    let tmp = content_copy();
    let file = tmp.path().join("services/schuldhulp.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text = text.replacen("[nl]", "[nl]\nname = \"unclosed", 1);
    std::fs::write(&file, text).unwrap();
    let err = Content::load(tmp.path()).expect_err("must fail");
    let msg = err.to_string();
    assert!(msg.contains("schuldhulp.toml:"), "{msg}");
}

#[test]
fn a_missing_field_and_a_bad_phone_are_reported_with_field_and_line() {
    let tmp = content_copy();
    let file = tmp.path().join("services/voedselbank.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    // Empty the Dutch name and break the phone number.
    let mut out = String::new();
    let mut section = String::new();
    for line in text.lines() {
        if line.starts_with('[') {
            section = line.to_string();
        }
        if section == "[nl]" && line.starts_with("name") {
            out.push_str("name = \"\"\n");
        } else if section == "[contact]" && line.starts_with("phone") {
            out.push_str("phone = \"bel ons\"\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(&file, out).unwrap();
    let content = Content::load(tmp.path()).expect("still parses");
    let report = check::check(&content, &routing(), None);
    let name = report.problems.iter().find(|p| p.field.as_deref() == Some("nl.name")).expect("nl.name reported");
    assert!(name.file.ends_with("voedselbank.toml") && name.line.is_some(), "{name}");
    let phone = report.problems.iter().find(|p| p.field.as_deref() == Some("contact.phone")).expect("phone reported");
    assert!(phone.line.is_some() && phone.message.contains("bel ons"), "{phone}");
}

#[test]
fn a_missing_service_and_a_long_sentence_fail_the_check() {
    let tmp = content_copy();
    std::fs::remove_file(tmp.path().join("services/pgb.toml")).unwrap();
    let file = tmp.path().join("services/wonen.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let long = "Dit is een hele lange zin met veel te veel woorden die niemand in een keer kan lezen of begrijpen als je moe bent.";
    let text = text.replacen("steps = [", &format!("steps = [\n  \"{long}\","), 1);
    std::fs::write(&file, text).unwrap();
    let content = Content::load(tmp.path()).unwrap();
    let report = check::check(&content, &routing(), None);
    assert!(report.problems.iter().any(|p| p.message.contains("`pgb`")), "{:?}", report.problems);
    assert!(report.problems.iter().any(|p| p.message.contains("sentence of") && p.line.is_some()));
    assert!(!report.ok());
}

#[test]
fn navigation_dead_ends_and_unreachable_services_fail_the_check() {
    let tmp = content_copy();
    let file = tmp.path().join("navigation.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    // Cut the voedselbank leaf off the money menu and leave a dead end behind.
    let text = text.replace("\"money.voedselbank\", ", "").replace("service = \"voedselbank\"", "");
    std::fs::write(&file, text).unwrap();
    let content = Content::load(tmp.path()).unwrap();
    let report = check::check(&content, &routing(), None);
    let msgs: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(msgs.iter().any(|m| m.contains("dead end")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("`voedselbank` cannot be reached")), "{msgs:?}");
}

#[test]
fn two_tiles_with_one_pictogram_file_fail_the_check() {
    let files = pictogram_files();
    // Two concept ids that point at one file count as the same picture.
    let mut aliased = files.clone();
    aliased.insert("allowance".into(), files["no-income"].clone());
    let report = check::check(kb_content(), &routing(), Some(&aliased));
    let msgs: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("node money.toeslagen") && m.contains("node `money.inkomen-bijstand`") && m.contains("concept `no-income`")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("toeslagen.toml") && m.contains("pictograms")), "the card's main pictogram too: {msgs:?}");

    // A life area showing the main pictogram of a service, in the content itself.
    let tmp = content_copy();
    let file = tmp.path().join("navigation.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("pictogram = \"arrange\"", "pictogram = \"letter\"", 1);
    std::fs::write(&file, text).unwrap();
    let content = Content::load(tmp.path()).unwrap();
    let report = check::check(&content, &routing(), Some(&files));
    let hit = report
        .problems
        .iter()
        .find(|p| p.field.as_deref() == Some("node money.administratie") || p.field.as_deref() == Some("node arrange.administratie"))
        .unwrap_or_else(|| panic!("{:?}", report.problems));
    assert!(hit.line.is_some() && hit.message.contains("life area `arrange`"), "{hit}");

    // The same service reached from two life areas shares its picture: the
    // shipped menu does that (wmo-loket, onderwijs, ...) and passes.
    let shared = kb_content().navigation.nodes.iter().filter(|n| n.service.as_deref() == Some("wmo-loket")).count();
    assert!(shared >= 2);
    assert!(check::check(kb_content(), &routing(), Some(&files)).ok());
}

#[test]
fn every_service_is_reachable_in_three_taps() {
    let nav = &kb().navigation;
    assert!(nav.home.len() <= 8);
    for s in &kb().services {
        let reachable = nav.home.iter().any(|h| {
            let area = nav.node(h).unwrap();
            area.service.as_deref() == Some(&s.id)
                || area.children.iter().any(|c| {
                    let n = nav.node(c).unwrap();
                    n.service.as_deref() == Some(&s.id)
                        || n.children.iter().any(|g| nav.node(g).unwrap().service.as_deref() == Some(&s.id))
                })
        });
        assert!(reachable, "{} not reachable in 3 taps", s.id);
    }
}

#[test]
fn export_writes_one_json_object_per_service() {
    let content = Content::load(&content_dir()).unwrap();
    let mut out = Vec::new();
    knowledge_base::export::write_jsonl(&content, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 27);
    for v in &lines {
        for lang in ["nl", "en"] {
            let t = &v["texts"][lang];
            assert!(t["name"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
            assert!(t["examples"].as_array().is_some_and(|a| a.len() >= 25));
            assert!(t["keywords"].as_array().is_some_and(|a| !a.is_empty()));
        }
    }
}

#[test]
fn typed_questions_reach_their_service() {
    let cases = [
        ("ik heb schulden en de deurwaarder komt", "schuldhulp"),
        ("mijn huurtoeslag moet ik terugbetalen", "toeslagen"),
        ("I need help with my DigiD login", "digitale-hulp"),
        ("ik wil leren lezen en schrijven", "taal-lezen"),
    ];
    for (q, want) in cases {
        let t = kb().triage(q, None);
        assert_eq!(t.service.as_deref(), Some(want), "{q}: {t:?}");
    }
}

#[test]
fn crisis_is_detected_with_typos_and_indirect_words() {
    for q in [
        "ik zie het niet meer zitten",
        "ik wil er een eind aan maken",
        "ik denk aan zelfmorod",
        "everyone would be better off without me",
        "I want to kill myself",
    ] {
        let t = kb().triage(q, None);
        assert_eq!(t.action, Action::Crisis, "{q}: {t:?}");
        assert_eq!(t.service.as_deref(), Some("crisis"));
    }
}

#[test]
fn asking_for_a_person_gives_human_and_off_topic_gives_out_of_scope() {
    assert_eq!(kb().triage("ik wil een mens spreken", None).action, Action::Human);
    assert_eq!(kb().triage("Can I talk to a real person please", None).action, Action::Human);
    let t = kb().triage("wie wint de champions league dit jaar", None);
    assert_eq!(t.action, Action::OutOfScope, "{t:?}");
    assert!(t.service.is_none());
}

#[test]
fn bad_input_never_panics_and_gets_a_clear_action() {
    let huge = "schulden ".repeat(12_000); // ~100 kB
    for q in ["", "   ", "🙂🙂🙂", "?!?!...", &huge, "\u{0}\u{1}", "ééé"] {
        let t = kb().triage(q, Some(Lang::Nl));
        assert!((0.0..=1.0).contains(&t.confidence));
        assert!(matches!(t.action, Action::Clarify | Action::OutOfScope | Action::Answer), "{t:?}");
    }
    assert_eq!(kb().triage("", None).action, Action::OutOfScope);
    assert_eq!(kb().triage(&huge, None).service.as_deref(), Some("schuldhulp"));
}

#[test]
fn dev_set_meets_the_targets() {
    let text = std::fs::read_to_string(dev_tsv()).unwrap();
    let rows = eval::parse_tsv(&text).unwrap();
    let report = eval::evaluate(kb(), &rows);
    let summary = report.render(true);
    assert_eq!(report.crisis_recall(), 1.0, "{summary}");
    assert_eq!(report.oos_answered, 0, "{summary}");
    // The targets: top-1 at least 90%, every crisis found, no off-topic question answered.
    assert!(report.top1_accuracy() >= 0.90, "{summary}");
}

#[test]
fn cli_triage_jsonl_keeps_order_and_survives_invalid_utf8() {
    let mut child = Command::new(wegwijs_bin())
        .args(["triage", "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let stdin = child.stdin.as_mut().unwrap();
        stdin.write_all(b"ik heb schulden\n").unwrap();
        stdin.write_all(b"bad \xff\xfe bytes\n").unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.write_all(b"ik wil dood\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["question"], "ik heb schulden");
    assert_eq!(lines[0]["service"], "schuldhulp");
    assert_eq!(lines[2]["action"], "out_of_scope");
    assert!(lines[2]["service"].is_null());
    assert_eq!(lines[3]["action"], "crisis");
    assert_eq!(lines[3]["service"], "crisis");
    for l in &lines {
        let c = l["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
        assert!(l["alternatives"].is_array());
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
}

#[test]
fn cli_kb_check_fails_on_broken_content() {
    let tmp = content_copy();
    std::fs::write(tmp.path().join("services/extra.toml"), "id = \"extra\"\n").unwrap();
    let out = Command::new(wegwijs_bin()).args(["kb", "check", "--content"]).arg(tmp.path()).output().unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("extra.toml"), "{text}");
}

#[test]
fn index_is_rebuilt_from_changed_content() {
    let tmp = content_copy();
    let file = tmp.path().join("services/voedselbank.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("examples = [", "examples = [\n  \"zwoegelbrood ophalen\",", 1);
    std::fs::write(&file, text).unwrap();
    let kb = KnowledgeBase::load(tmp.path()).unwrap();
    assert_eq!(kb.triage("zwoegelbrood", None).service.as_deref(), Some("voedselbank"));
}
