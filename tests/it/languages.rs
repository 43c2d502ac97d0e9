//! The six languages: crisis first in each, triage in each, cards in each,
//! right-to-left text, and what the content check demands of translations.

use std::process::Command;

use engine::{Action, Input, KnowledgeSource, Lang, ReplyKind};
use knowledge_base::{check, eval, Content};

use crate::conversations::fixture;
use crate::support::{content_copy, content_dir, data_file, kb, wegwijs_bin};

/// Crisis messages written for these tests, in every language and the ways
/// residents write them (not lines of any labelled set).
const CRISES: &[(Lang, &str)] = &[
    (Lang::Nl, "ik wil niet meer leven"),
    (Lang::En, "i dont want to be alive anymore"),
    (Lang::Tr, "artık yaşamak istemiyorum"),
    (Lang::Tr, "artik yasamak istemiyorum, intihar etmeyi dusunuyorum"),
    (Lang::Ar, "أريد أن أموت"),
    (Lang::Ar, "أُرِيدُ أَنْ أَمُوتَ"),
    (Lang::Ar, "bdi mout, ma 3ad badi 3ish"),
    (Lang::Pl, "nie chcę już żyć"),
    (Lang::Pl, "nie chce juz zyc, mysle o samobojstwie"),
    (Lang::Uk, "я не хочу більше жити"),
    (Lang::Uk, "не хочу жить, думаю о самоубийстве"),
];

#[test]
fn a_crisis_in_every_language_gets_the_crisis_card_first_and_in_that_language() {
    let f = fixture();
    for (lang, text) in CRISES {
        let (c, _, _) = f.engine.start("test", None, None).unwrap();
        let replies = f.engine.step(&c.id, Input::Text(text.to_string())).unwrap();
        assert_eq!(replies[0].kind, ReplyKind::Crisis, "{lang}: {text}");
        let tels: Vec<&str> = replies[0].buttons.iter().map(|b| b.id.as_str()).collect();
        assert!(tels.starts_with(&["tel:112", "tel:113"]), "{tels:?}");
        assert_eq!(f.engine.conversation(&c.id).unwrap().lang, *lang, "the reply language follows the message: {text}");
    }
}

#[test]
fn the_multilingual_set_meets_the_targets_in_every_language() {
    let rows = eval::parse_tsv(&std::fs::read_to_string(data_file("dev-multi.tsv")).unwrap()).unwrap();
    let report = eval::evaluate(kb(), &rows);
    let summary = report.render(true);
    assert_eq!(report.oos_answered, 0, "{summary}");
    for lang in [Lang::Tr, Lang::Ar, Lang::Pl, Lang::Uk] {
        let s = report.by_lang.get(&lang).copied().unwrap_or_default();
        assert!(s.total >= 10, "{lang}: {summary}");
        assert_eq!(s.crisis_recall(), 1.0, "{lang}: every crisis found\n{summary}");
        assert!(s.top1_accuracy() >= 0.85, "{lang}: top-1 at least 85%\n{summary}");
    }
}

/// `tests/data/crisis-<lang>.tsv`: `expect<TAB>message`, expect `crisis`,
/// `calm`, or `accepted`: a calm message we accept to see the crisis card
/// for ("this deadline kills me" reads like a threat), kept to show the price.
#[test]
fn crisis_regression_sets_fire_on_every_crisis_and_on_no_calm_message() {
    let mut seen = 0;
    for lang in Lang::TRANSLATED {
        let path = data_file(&format!("crisis-{}.tsv", lang.code()));
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        seen += 1;
        let mut wrong = Vec::new();
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let (expect, message) = line.split_once('\t').expect("expect<TAB>message");
            assert!(["crisis", "calm", "accepted"].contains(&expect), "{}: `{expect}`", path.display());
            if expect == "accepted" {
                continue;
            }
            let got = kb().triage(message, None).action == Action::Crisis;
            if got != (expect == "crisis") {
                wrong.push(format!("{expect}: {message}"));
            }
        }
        assert!(wrong.is_empty(), "{}: {} wrong:\n{}", path.display(), wrong.len(), wrong.join("\n"));
    }
    assert!(seen >= 3, "the crisis sets are in tests/data");
}

#[test]
fn a_message_in_an_unknown_language_still_gets_the_menu_and_the_crisis_numbers() {
    let f = fixture();
    // Somali, Tigrinya, emoji only, bidi overrides, mixed scripts, harakat everywhere.
    let inputs = [
        "Waxaan u baahanahay caawimaad",
        "ሓገዝ የድልየኒ ኣሎ",
        "😢😢😢",
        "\u{202E}txet desrever\u{202C}",
        "hello привет مرحبا",
        "مَرْحَبًا كَيْفَ حَالُكَ",
    ];
    for text in inputs {
        let (c, _, _) = f.engine.start("test", None, None).unwrap();
        let replies = f.engine.step(&c.id, Input::Text(text.to_string())).unwrap();
        assert!(!replies.is_empty(), "{text}");
        if replies[0].key == engine::msg::NOT_UNDERSTOOD {
            let tels: Vec<&str> = replies[0].buttons.iter().map(|b| b.id.as_str()).collect();
            assert_eq!(tels, ["tel:112", "tel:113"], "112 and 113 stay in reach: {text}");
            assert!(replies.iter().any(|r| r.kind == ReplyKind::Menu && !r.choices.is_empty()), "the pictogram menu: {text}");
        }
    }
    // Harakat on every letter read as the bare word: a crisis stays a crisis.
    assert_eq!(kb().triage("أُرِيدُ أَنْ أَنْتَحِرَ", None).action, Action::Crisis);
    assert_eq!(kb().triage("\u{202E}أريد أن أموت\u{202C}", None).action, Action::Crisis);
}

#[test]
fn questions_in_each_language_reach_their_service_and_are_read_as_that_language() {
    for (text, lang, service) in [
        ("borçlarımı ödeyemiyorum, icra geldi", Lang::Tr, "schuldhulp"),
        ("لا أستطيع دفع الديون والفواتير", Lang::Ar, "schuldhulp"),
        ("mam długi i nie mogę zapłacić rachunków", Lang::Pl, "schuldhulp"),
        ("у мене борги, не можу заплатити рахунки", Lang::Uk, "schuldhulp"),
        ("ik kan mijn rekeningen niet meer betalen", Lang::Nl, "schuldhulp"),
    ] {
        let t = kb().triage(text, None);
        assert_eq!(t.service.as_deref(), Some(service), "{text}: {t:?}");
        assert_eq!(t.lang, lang, "{text}");
    }
}

#[test]
fn a_resident_who_chose_turkish_and_types_dutch_is_understood_and_answered_in_turkish() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", Some(Lang::Tr), None).unwrap();
    let replies = f.engine.step(&c.id, Input::Text("ik heb schulden en de deurwaarder komt".into())).unwrap();
    let card = replies.iter().find_map(|r| r.card.as_ref()).expect("a service card");
    assert_eq!(card.id, "schuldhulp");
    let s = kb().service("schuldhulp").unwrap();
    assert_eq!(card.name, s.text(Lang::Tr).name, "the card is in Turkish");
    assert_eq!(card.name_nl.as_deref(), Some(s.nl.name.as_str()), "with the Dutch name beside it");
    let intro = replies.iter().find(|r| r.kind == ReplyKind::ServiceCard).unwrap();
    let service_arg = &intro.args.iter().find(|(k, _)| k == "service").unwrap().1;
    assert!(service_arg.contains(&s.nl.name) && service_arg.contains(&card.name), "{service_arg}");
    assert_eq!(f.engine.conversation(&c.id).unwrap().lang, Lang::Tr, "a chosen language stays");
}

#[test]
fn every_service_and_tile_has_texts_in_all_six_languages() {
    for s in kb().services() {
        for lang in Lang::ALL {
            assert!(s.has_text(lang), "{} has no {lang} text", s.id);
            assert!(!s.text(lang).name.trim().is_empty());
        }
        for lang in Lang::TRANSLATED {
            assert_ne!(s.text(lang).summary, s.nl.summary, "{} {lang}: translated, not Dutch", s.id);
        }
    }
    for n in &kb().navigation().nodes {
        for lang in Lang::TRANSLATED {
            assert!(n.labels.contains_key(&lang), "tile {} has no {lang} label", n.id);
        }
    }
}

#[test]
fn a_missing_translation_is_a_check_error_naming_file_field_and_language() {
    let tmp = content_copy();
    std::fs::remove_file(tmp.path().join("translations/pl/services/wonen.toml")).unwrap();
    let file = tmp.path().join("translations/uk/services/uwv.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let without_steps: String = {
        // Drop the `steps = [...]` list.
        let mut out = String::new();
        let mut skipping = false;
        for line in text.lines() {
            if line.starts_with("steps") {
                skipping = !line.trim_end().ends_with(']');
                continue;
            }
            if skipping {
                skipping = !line.trim_start().starts_with(']');
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    };
    std::fs::write(&file, without_steps).unwrap();
    let err = Content::load(tmp.path()).expect_err("a file without steps does not load").to_string();
    assert!(err.contains("translations/uk/services/uwv.toml") && err.contains("(uk)") && err.contains("steps"), "{err}");
    std::fs::write(&file, text).unwrap();
    let content = Content::load(tmp.path()).unwrap();
    let ids = check::read_routing_ids(&tmp.path().join("routing.tsv")).unwrap();
    let report = check::check(&content, &ids, None);
    let msgs: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("translations/pl/services/wonen.toml") && m.contains("pl") && m.contains("file is missing")),
        "{msgs:?}"
    );
}

#[test]
fn export_lists_the_translations_no_native_speaker_reviewed() {
    let out = Command::new(wegwijs_bin())
        .args(["--content", content_dir().to_str().unwrap(), "kb", "export", "--unreviewed"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let content = Content::load(&content_dir()).unwrap();
    let unreviewed = content.translations.iter().filter(|t| !t.reviewed).count();
    assert_eq!(lines.len(), unreviewed);
    for lang in ["tr", "ar", "pl", "uk"] {
        assert!(lines.iter().any(|l| l.starts_with(&format!("{lang}\tschuldhulp\ttranslations/{lang}/services/schuldhulp.toml"))) || content.translations.iter().any(|t| t.lang.code() == lang && t.subject == "schuldhulp" && t.reviewed), "{text}");
    }
}

#[test]
fn cli_triage_takes_every_language_and_detects_it_when_left_out() {
    for (lang, q) in [("tr", "kira yardımı"), ("ar", "مساعدة في الإيجار"), ("pl", "pomoc z czynszem"), ("uk", "допомога з орендою")] {
        let out = Command::new(wegwijs_bin()).args(["triage", "--format", "jsonl", "--lang", lang, q]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let out = Command::new(wegwijs_bin()).args(["triage", "--format", "jsonl", q]).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["lang"], lang, "{q}: {v}");
    }
}
