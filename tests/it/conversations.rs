//! Whole conversations as scripts: inputs, then the expected reply kinds,
//! service and state. Message keys, not wording, so rewording does not break them.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use engine::{Clock, Config, Engine, Error, HandoverStatus, Input, Mode, Reason, Reply, ReplyKind};
use storage::SledStore;

/// A clock tests move by hand. Starts on a Tuesday at 10:00 (office hours).
pub struct ManualClock {
    now: AtomicI64,
    local: std::sync::Mutex<(usize, u16)>,
}

impl ManualClock {
    pub fn new() -> Arc<ManualClock> {
        Arc::new(ManualClock { now: AtomicI64::new(1_795_000_000), local: std::sync::Mutex::new((1, 600)) })
    }
    pub fn advance(&self, secs: i64) {
        self.now.fetch_add(secs, Ordering::SeqCst);
    }
    pub fn set_local(&self, weekday: usize, minute: u16) {
        *self.local.lock().unwrap() = (weekday, minute);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }
    fn local(&self) -> (usize, u16) {
        *self.local.lock().unwrap()
    }
}

pub struct Fixture {
    pub engine: Engine,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    fixture_in(dir)
}

fn fixture_in(dir: tempfile::TempDir) -> Fixture {
    fixture_with(dir, Config::default())
}

fn fixture_with(dir: tempfile::TempDir, config: Config) -> Fixture {
    let store = Arc::new(SledStore::open(dir.path()).unwrap());
    let clock = ManualClock::new();
    let kb = Arc::new(knowledge_base::KnowledgeBase::load(&knowledge_base::content::default_dir()).unwrap());
    let engine = Engine::new(kb, store, clock.clone(), config);
    Fixture { engine, clock, dir }
}

const SATURDAY_NIGHT: (usize, u16) = (5, 22 * 60);

/// Whether asking for a person puts the conversation in the queue.
fn person_gets_queued(f: &Fixture, lang: Option<engine::Lang>) -> bool {
    let (c, _, _) = f.engine.start("test", lang, None).unwrap();
    let r = f.engine.step(&c.id, Input::Person).unwrap();
    let queued = matches!(state(&f.engine, &c.id), Mode::Waiting { .. });
    assert_eq!(queued, matches!(r[0].handover, Some(HandoverStatus::Queued { .. })), "{r:?}");
    queued
}

#[test]
fn outside_office_hours_a_supporter_in_the_console_is_someone_there() {
    let f = fixture();
    f.clock.set_local(SATURDAY_NIGHT.0, SATURDAY_NIGHT.1);
    assert!(!person_gets_queued(&f, None), "nobody at all");
    f.engine.supporter_seen("anna", "professionals");
    assert!(person_gets_queued(&f, None), "Anna has the console open");
    f.engine.set_available("anna", "professionals", false);
    assert!(!person_gets_queued(&f, None), "Anna said she is away");
    f.engine.set_available("anna", "professionals", true);
    f.clock.advance(f.engine.config().presence_idle_secs + 1);
    assert!(!person_gets_queued(&f, None), "Anna closed her browser: away after the idle time");
    f.engine.supporter_seen("anna", "professionals");
    f.engine.supporter_left("anna");
    assert!(!person_gets_queued(&f, None), "Anna logged off");
}

#[test]
fn only_a_supporter_of_a_fitting_team_counts() {
    let f = fixture();
    f.clock.set_local(SATURDAY_NIGHT.0, SATURDAY_NIGHT.1);
    // Volunteers take Dutch and English only.
    f.engine.supporter_seen("bram", "volunteers");
    assert!(person_gets_queued(&f, Some(engine::Lang::Nl)));
    assert!(!person_gets_queued(&f, Some(engine::Lang::Tr)), "a Turkish resident needs another team");
}

#[test]
fn closing_days_from_the_settings_close_the_office_hours() {
    let clock_today = engine::hours::date_in_netherlands(ManualClock::new().now());
    let config = Config { closed_dates: vec![clock_today], ..Config::default() };
    let f = fixture_with(tempfile::tempdir().unwrap(), config);
    // Tuesday 10:00 would be office hours, but today is a closing day.
    assert!(!person_gets_queued(&f, None));
    let f = fixture();
    assert!(person_gets_queued(&f, None), "an ordinary Tuesday");
}

#[test]
fn a_crisis_with_nobody_there_says_so_shows_the_numbers_and_still_queues() {
    let f = fixture();
    f.clock.set_local(SATURDAY_NIGHT.0, SATURDAY_NIGHT.1);
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    let r = f.engine.step(&c.id, Input::Text("ik wil niet meer leven".into())).unwrap();
    assert_eq!(r[0].kind, ReplyKind::Crisis, "the numbers first");
    assert_eq!(r[1].key, engine::msg::QUEUED_CRISIS_UNSTAFFED, "honest: nobody is there now");
    assert!(matches!(r[1].handover, Some(HandoverStatus::Unstaffed { position: 1 })), "{:?}", r[1].handover);
    assert!(!r[1].args.iter().any(|(k, _)| k == "minutes"), "no waiting time promised");
    let tels: Vec<&str> = r[1].buttons.iter().filter(|b| b.id.starts_with("tel:")).map(|b| b.id.as_str()).collect();
    assert_eq!(tels, ["tel:112", "tel:113"]);
    assert!(matches!(state(&f.engine, &c.id), Mode::Waiting { reason: Reason::Crisis, .. }), "queued for the first who comes");
    assert_eq!(f.engine.queue().unwrap()[0].entry.id, c.id);
}

#[test]
fn when_nobody_claims_a_crisis_in_time_the_numbers_come_again_not_sorry() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Text("ik wil niet meer leven".into())).unwrap();
    f.clock.advance(f.engine.config().claim_timeout_secs + 1);
    assert_eq!(f.engine.tick().unwrap().0, 1);
    let last = f.engine.transcript(&c.id).unwrap().pop().unwrap();
    assert_eq!(last.replies[0].kind, ReplyKind::Crisis, "{:?}", last.replies);
    assert_eq!(last.replies[1].key, engine::msg::NOBODY_AVAILABLE_CRISIS);
    assert!(last.replies.iter().all(|r| r.key != engine::msg::NOBODY_AVAILABLE));
    assert!(matches!(state(&f.engine, &c.id), Mode::Waiting { reason: Reason::Crisis, .. }), "still in the queue");
}

fn kinds(r: &[Reply]) -> Vec<(ReplyKind, String)> {
    r.iter().map(|r| (r.kind, r.key.clone())).collect()
}

fn state(e: &Engine, id: &str) -> Mode {
    e.conversation(id).unwrap().mode
}

#[test]
fn typed_question_gives_service_card_then_feedback() {
    let f = fixture();
    let (c, _token, greeting) = f.engine.start("test", None, None).unwrap();
    assert_eq!(kinds(&greeting), vec![(ReplyKind::Text, "greeting".into()), (ReplyKind::Menu, "home-menu".into())]);
    let r =
        f.engine.step(&c.id, Input::Text("de deurwaarder staat bij me aan de deur, ik heb schulden".into())).unwrap();
    assert_eq!(r[0].kind, ReplyKind::ServiceCard);
    assert_eq!(r[0].service.as_deref(), Some("schuldhulp"));
    let card = r[0].card.as_ref().unwrap();
    assert!(!card.steps.is_empty() && !card.contact.phone.is_empty() && !card.contact.hours.is_empty());
    assert_eq!(r[1].kind, ReplyKind::Feedback);
    let r = f.engine.step(&c.id, Input::Button("yes".into())).unwrap();
    assert_eq!(r[0].key, "feedback-thanks");
    assert_eq!(
        f.engine.store().counters("feedback/schuldhulp/yes").unwrap(),
        vec![("feedback/schuldhulp/yes".into(), 1)]
    );
}

#[test]
fn pictogram_taps_reach_a_service_in_every_life_area() {
    let f = fixture();
    let nav = f.engine.knowledge().navigation().clone();
    for area in &nav.home {
        let (c, _, _) = f.engine.start("test", None, None).unwrap();
        let r = f.engine.step(&c.id, Input::Tap(area.clone())).unwrap();
        assert_eq!(r[0].kind, ReplyKind::Menu, "{area}");
        let first = r[0].choices.first().expect("options").id.clone();
        let ids: Vec<&str> = r[0].buttons.iter().map(|b| b.id.as_str()).collect();
        assert!(ids.contains(&"person") && ids.contains(&"back") && ids.contains(&"home"), "{ids:?}");
        let r = f.engine.step(&c.id, Input::Tap(first)).unwrap();
        assert_eq!(r[0].kind, ReplyKind::ServiceCard, "{area}");
        // Back returns to the area, home to the start.
        let r = f.engine.step(&c.id, Input::Tap("home".into())).unwrap();
        assert_eq!(r[0].key, "home-menu");
    }
}

#[test]
fn not_helped_offers_choices_then_a_person() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Text("ik kan mijn huur niet betalen en heb schulden".into())).unwrap();
    let r = f.engine.step(&c.id, Input::Button("no".into())).unwrap();
    assert_eq!(r[0].key, "feedback-sorry");
    assert!(r[0].buttons.iter().any(|b| b.id == "person"));
    let r = f.engine.step(&c.id, Input::Button("person".into())).unwrap();
    assert!(matches!(r[0].handover, Some(HandoverStatus::Queued { position: 1, .. })), "{r:?}");
    assert!(matches!(state(&f.engine, &c.id), Mode::Waiting { reason: Reason::AnswerDidNotHelp, .. }));
}

#[test]
fn crisis_shows_numbers_first_and_jumps_the_queue() {
    let f = fixture();
    let (a, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&a.id, Input::Person).unwrap();
    f.clock.advance(60);
    let (b, _, _) = f.engine.start("test", None, None).unwrap();
    let r = f.engine.step(&b.id, Input::Text("ik zie het niet meer zitten".into())).unwrap();
    assert_eq!(r[0].kind, ReplyKind::Crisis);
    assert!(r[0].buttons.iter().any(|b| b.id == "tel:112") && r[0].buttons.iter().any(|b| b.id == "tel:08000113"));
    assert_eq!(r[1].key, "queued-crisis");
    let q = f.engine.queue().unwrap();
    assert_eq!(q[0].entry.id, b.id, "crisis first");
    assert_eq!(q[1].entry.id, a.id);
}

#[test]
fn asking_for_a_person_out_of_hours_asks_consent_before_keeping_contact() {
    let f = fixture();
    f.clock.set_local(6, 23 * 60); // Sunday night
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    let r = f.engine.step(&c.id, Input::Text("ik wil met een mens praten".into())).unwrap();
    assert_eq!(r[0].handover, Some(HandoverStatus::OutOfHours));
    assert_eq!(r[1].key, "ask-consent");
    assert!(f.engine.queue().unwrap().is_empty());
    let r = f.engine.step(&c.id, Input::Button("consent-yes".into())).unwrap();
    assert_eq!(r[0].key, "leave-contact");
    let r = f.engine.step(&c.id, Input::Text("bel mij op 0612345678 over mijn huur".into())).unwrap();
    assert_eq!(r[0].key, "contact-saved");
}

#[test]
fn claim_reply_and_hand_back_with_the_bot_silent_in_between() {
    let f = fixture();
    let mut events = f.engine.subscribe();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Person).unwrap();
    f.engine.claim(&c.id, "anna").unwrap();
    assert!(matches!(state(&f.engine, &c.id), Mode::WithSupporter { .. }));
    f.engine.supporter_message(&c.id, "anna", "Hoi, ik ben Anna. Waar kan ik je mee helpen?").unwrap();
    // The resident writes; the bot must not answer over the supporter's head.
    let r = f.engine.step(&c.id, Input::Text("ik heb schulden".into())).unwrap();
    assert!(r.is_empty());
    f.engine.hand_back(&c.id, "anna").unwrap();
    let r = f.engine.step(&c.id, Input::Text("ik heb schulden".into())).unwrap();
    assert_eq!(r[0].kind, ReplyKind::ServiceCard);
    // The resident saw who joined, the message, and who left.
    let mut pushed = Vec::new();
    while let Ok(e) = events.try_recv() {
        if e.conversation == c.id {
            if let engine::EventKind::Push { replies } = e.kind {
                pushed.extend(replies.into_iter().map(|r| r.key));
            }
        }
    }
    assert_eq!(pushed[..3], ["supporter-joined".to_string(), "supporter-message".into(), "supporter-left".into()]);
    let log = f.engine.store().audit_log().unwrap();
    assert!(log.iter().any(|e| e.supporter == "anna" && e.action == "claim" && e.conversation == c.id));
}

#[test]
fn a_supporter_cannot_write_into_a_conversation_they_do_not_hold() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Person).unwrap();
    assert!(matches!(f.engine.supporter_message(&c.id, "bob", "hoi"), Err(Error::NotHolder)));
    f.engine.claim(&c.id, "anna").unwrap();
    assert!(matches!(f.engine.supporter_message(&c.id, "bob", "hoi"), Err(Error::NotHolder)));
    assert!(matches!(f.engine.hand_back(&c.id, "bob"), Err(Error::NotHolder)));
}

#[test]
fn two_supporters_claiming_at_once_exactly_one_wins() {
    let f = Arc::new(fixture());
    for _ in 0..20 {
        let (c, _, _) = f.engine.start("test", None, None).unwrap();
        f.engine.step(&c.id, Input::Person).unwrap();
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let handles: Vec<_> = ["anna", "bob"]
            .into_iter()
            .map(|who| {
                let (f, id, b) = (f.clone(), c.id.clone(), barrier.clone());
                std::thread::spawn(move || {
                    b.wait();
                    f.engine.claim(&id, who).is_ok()
                })
            })
            .collect();
        let wins: usize = handles.into_iter().map(|h| usize::from(h.join().unwrap())).sum();
        assert_eq!(wins, 1);
    }
}

#[test]
fn nobody_claims_in_time_and_the_resident_is_told() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Person).unwrap();
    assert_eq!(f.engine.tick().unwrap().0, 0);
    f.clock.advance(f.engine.config().claim_timeout_secs + 1);
    assert_eq!(f.engine.tick().unwrap().0, 1);
    assert_eq!(f.engine.tick().unwrap().0, 0, "told once");
    let last = f.engine.transcript(&c.id).unwrap().pop().unwrap();
    assert_eq!(last.replies[0].handover, Some(HandoverStatus::NobodyAvailable));
}

#[test]
fn a_restart_in_the_middle_loses_nothing() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Text("ik heb schulden".into())).unwrap();
    f.engine.step(&c.id, Input::Person).unwrap();
    let before = f.engine.transcript(&c.id).unwrap();
    let Fixture { engine, dir, .. } = f;
    drop(engine);
    let f = fixture_in(dir);
    assert_eq!(f.engine.transcript(&c.id).unwrap(), before);
    assert_eq!(f.engine.queue().unwrap()[0].entry.id, c.id);
    f.engine.claim(&c.id, "anna").unwrap();
}

#[test]
fn retention_purges_text_but_keeps_the_conversation() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Text("mijn telefoon is 0612345678 en ik heb schulden".into())).unwrap();
    f.clock.advance(f.engine.config().retention_secs + 10);
    let (_, purged) = f.engine.tick().unwrap();
    assert!(purged >= 1);
    for m in f.engine.transcript(&c.id).unwrap() {
        assert!(m.text.is_none());
        assert!(!serde_json::to_string(&m).unwrap().contains("0612345678"));
    }
}

#[test]
fn deletion_on_request_removes_everything() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Text("zwoegeltekst 0612345678".into())).unwrap();
    let r = f.engine.step(&c.id, Input::Delete).unwrap();
    assert_eq!(r[0].key, "confirm-delete");
    let r = f.engine.step(&c.id, Input::Button("delete-confirm".into())).unwrap();
    assert_eq!(r[0].key, "deleted");
    assert!(matches!(f.engine.transcript(&c.id), Err(Error::NotFound)));
    assert!(f.engine.store().conversation_ids().unwrap().is_empty());
    // Nothing readable is left on disk either (sled keeps old bytes; the key is gone).
    let Fixture { engine, dir, .. } = f;
    drop(engine);
    for marker in ["zwoegeltekst", "0612345678"] {
        let hits = files_containing(dir.path(), marker.as_bytes());
        assert!(hits.is_empty(), "{marker} still on disk in {hits:?}");
    }
}

/// Files under `dir` that contain `needle` as raw bytes.
pub fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if std::fs::read(&p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle)) {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn bad_input_gets_friendly_replies_or_clear_errors() {
    let f = fixture();
    let (c, token, _) = f.engine.start("test", None, None).unwrap();
    let r = f.engine.step(&c.id, Input::Button("v9:nonsense".into())).unwrap();
    assert_eq!(r[0].key, "unknown-choice");
    let r = f.engine.step(&c.id, Input::Tap("no-such-node".into())).unwrap();
    assert_eq!(r[0].key, "unknown-choice");
    assert!(matches!(f.engine.step(&c.id, Input::Text("a".repeat(100_000))), Err(Error::TooLong { .. })));
    assert!(matches!(f.engine.step("unknown", Input::Text("hoi".into())), Err(Error::NotFound)));
    assert!(f.engine.authorize(&c.id, &token).is_ok());
    assert!(matches!(f.engine.authorize(&c.id, "wrong"), Err(Error::NotFound)));
    // Nothing of the refused message was stored.
    assert!(f.engine.transcript(&c.id).unwrap().iter().all(|m| m.text.as_ref().is_none_or(|t| t.len() < 1000)));
}

#[test]
fn language_is_detected_and_can_be_switched() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Text("I have debts and cannot pay my bills".into())).unwrap();
    assert_eq!(f.engine.conversation(&c.id).unwrap().lang, engine::UiLang::En);
    f.engine.step(&c.id, Input::Button("lang:ar".into())).unwrap();
    let conv = f.engine.conversation(&c.id).unwrap();
    assert_eq!(conv.lang, engine::UiLang::Ar);
    assert!(conv.lang.rtl());
}

#[test]
fn a_locked_data_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let _first = SledStore::open(dir.path()).unwrap();
    let second = SledStore::open(dir.path());
    let msg = second.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("in use") || msg.contains("cannot open"), "{msg}");
}

#[test]
fn writers_racing_on_a_new_conversation_agree_on_one_key() {
    use engine::{ConversationStore, Message, Sender};
    let f = fixture();
    let (mut c, _token, _) = f.engine.start("test", None, None).unwrap();
    let store = Arc::new(SledStore::open(&f.dir.path().join("race")).unwrap());
    c.id = "00ff00ff00ff00ff00ff00ff00ff00ff".into();
    c.next_seq = 8;
    // Each thread's first write makes the conversation's key; all must agree.
    let threads: Vec<_> = (0..8u64)
        .map(|seq| {
            let (store, c) = (store.clone(), c.clone());
            std::thread::spawn(move || {
                let m = Message {
                    seq,
                    at: 0,
                    from: Sender::Bot,
                    text: Some(format!("m{seq}")),
                    input: None,
                    replies: vec![],
                    purged: false,
                };
                store.append(&c, &[m]).unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    drop(store);
    // Read back from a fresh handle, so the keys come from the files.
    let store = SledStore::open(&f.dir.path().join("race")).unwrap();
    let texts: Vec<String> = store.messages(&c.id).unwrap().into_iter().filter_map(|m| m.text).collect();
    assert_eq!(texts, (0..8).map(|i| format!("m{i}")).collect::<Vec<_>>());
    assert!(f.dir.path().join("race/keys.bin").exists(), "keys live in slots of one file");
}

#[test]
fn a_message_record_past_next_seq_is_a_cut_write_and_stays_hidden() {
    use engine::{Message, Sender};
    let f = fixture();
    let (c, _token, _) = f.engine.start("test", None, None).unwrap();
    let store = f.engine.store();
    let before = store.messages(&c.id).unwrap().len();
    // What a crash between the message write and the conversation write
    // leaves: a record at `next_seq` that the conversation does not count yet.
    let cut = Message {
        seq: c.next_seq,
        at: 0,
        from: Sender::Resident,
        text: Some("never acknowledged".into()),
        input: None,
        replies: vec![],
        purged: false,
    };
    store.append(&c, &[cut]).unwrap();
    assert_eq!(store.messages(&c.id).unwrap().len(), before, "the cut write is not part of the conversation");
    // The next real step takes that number and overwrites the record.
    f.engine.step(&c.id, Input::Button("home".into())).unwrap();
    let all = store.messages(&c.id).unwrap();
    assert!(all.iter().all(|m| m.text.as_deref() != Some("never acknowledged")));
    assert_eq!(all.iter().map(|m| m.seq).collect::<Vec<_>>(), (0..all.len() as u64).collect::<Vec<_>>());
}

#[test]
fn the_queue_place_in_the_reply_is_the_place_everyone_else_sees() {
    let f = fixture();
    let (a, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&a.id, Input::Person).unwrap();
    f.clock.advance(30);
    let (b, _, _) = f.engine.start("test", None, None).unwrap();
    let r = f.engine.step(&b.id, Input::Person).unwrap();
    let minutes = 2 * f.engine.config().minutes_per_conversation;
    assert_eq!(r[0].handover, Some(HandoverStatus::Queued { position: 2, expected_minutes: minutes }), "the reply");
    assert!(r[0].args.contains(&("position".to_string(), "2".to_string())), "the sentence");
    assert_eq!(f.engine.place_of(&b.id).unwrap(), Some((2, minutes)), "what the status line asks");
    let q = f.engine.queue().unwrap();
    assert_eq!(q.iter().find(|i| i.entry.id == b.id).unwrap().position, 2, "the console");
}

#[test]
fn during_a_takeover_a_tap_is_passed_on_as_a_label_and_stop_ends_the_talk() {
    let f = fixture();
    let (c, _, _) = f.engine.start("test", None, None).unwrap();
    f.engine.step(&c.id, Input::Person).unwrap();
    f.engine.claim(&c.id, "koos").unwrap();
    let joined = f.engine.transcript(&c.id).unwrap().pop().unwrap();
    assert!(joined.replies[0].buttons.iter().any(|b| b.id == "stop" && b.pictogram == "stop"), "stop, as a pictogram");
    // A tap on "home" does not start the bot: it reaches Koos, and the resident is told.
    let r = f.engine.step(&c.id, Input::Tap("home".into())).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].key, engine::msg::TAP_PASSED_ON);
    assert!(r[0].args.contains(&("name".to_string(), "koos".to_string())));
    assert!(matches!(state(&f.engine, &c.id), Mode::WithSupporter { .. }));
    // The console reads it as the button's label in the resident's language, not "home".
    let conv = f.engine.conversation(&c.id).unwrap();
    let loc = locales::Locales::load().unwrap();
    let pics = pictograms::PictogramSet::load(&pictograms::PictogramSet::default_dir()).unwrap();
    let t = web_widget::render::transcript(&conv, &f.engine.transcript(&c.id).unwrap(), &loc, &pics);
    let tapped = t["messages"].as_array().unwrap().iter().rev().find(|m| m["input"].is_object()).unwrap();
    assert_eq!(tapped["input"]["label"], loc.text("nl", "btn-home", &[]));
    // Typed text still goes to Koos with the bot silent.
    assert!(f.engine.step(&c.id, Input::Text("hallo".into())).unwrap().is_empty());
    // Stop ends the talk with the person.
    let r = f.engine.step(&c.id, Input::Button("stop".into())).unwrap();
    assert_eq!(r[0].key, engine::msg::GOODBYE);
    assert!(matches!(state(&f.engine, &c.id), Mode::Closed { .. }));
}
