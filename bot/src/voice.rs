//! Replies read aloud, for residents who cannot read: the same plain text as
//! a Telegram voice message, after the text (never instead of it).
//!
//! Speech comes from `espeak-ng` (offline, Debian package `espeak-ng`) as WAV
//! on its stdout, piped straight into `opusenc` (package `opus-tools`), which
//! makes the OGG/Opus file Telegram wants for `sendVoice`. Both run as child
//! processes without a shell: the text goes to espeak-ng's stdin, never into
//! an argument list. A time limit and a length cap keep a reply from waiting
//! long. Voice is an extra: when a program is missing or fails, the resident
//! still has the text, and the log gets one warning (never the text).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

/// The longest either program may take for one reply.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// At most this many characters are read aloud (cut at a sentence end): a
/// minute or so of speech. The text message has the rest.
pub const MAX_CHARS: usize = 1000;
/// Words per minute; espeak-ng's default (175) is fast for a listener who
/// depends on it.
const SPEED: &str = "150";

/// `WEGWIJS_TELEGRAM_VOICE`: whether replies may come as voice messages too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VoiceMode {
    /// No voice, and no `/voorlezen` command.
    #[default]
    Off,
    /// Every chat gets voice; a resident switches it off with `/voorlezen`.
    On,
    /// Offered: a resident switches it on with `/voorlezen`.
    Ask,
}

impl VoiceMode {
    /// `off` (or empty), `on`, `ask`; None for anything else.
    pub fn parse(s: &str) -> Option<VoiceMode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "off" | "0" | "false" | "no" => Some(VoiceMode::Off),
            "on" | "1" | "true" | "yes" => Some(VoiceMode::On),
            "ask" => Some(VoiceMode::Ask),
            _ => None,
        }
    }
}

/// The two programs. Tests point them elsewhere to see a failure handled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Programs {
    pub espeak: PathBuf,
    pub opusenc: PathBuf,
}

impl Default for Programs {
    fn default() -> Programs {
        Programs { espeak: "espeak-ng".into(), opusenc: "opusenc".into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("cannot run {program}: {source}")]
    Start {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{program} failed ({status})")]
    Failed { program: String, status: std::process::ExitStatus },
    #[error("making the voice message took longer than {} s", TIMEOUT.as_secs())]
    Timeout,
    #[error("passing data between the speech programs failed: {0}")]
    Pipe(#[source] std::io::Error),
    #[error("the speech programs gave no OGG audio")]
    NoAudio,
}

/// Voice replies as the server allows them, with the programs found at start.
#[derive(Debug)]
pub struct Voice {
    programs: Programs,
    default_on: bool,
    /// espeak-ng's language codes (`nl`, `en-gb`, ...).
    languages: BTreeSet<String>,
    warned: AtomicBool,
}

fn program_name(p: &std::path::Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Run `program args` and return its stdout, within [`TIMEOUT`].
async fn output(program: &std::path::Path, args: &[&str]) -> Result<Vec<u8>, VoiceError> {
    let name = program_name(program);
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(TIMEOUT, child)
        .await
        .map_err(|_| VoiceError::Timeout)?
        .map_err(|source| VoiceError::Start { program: name.clone(), source })?;
    if !out.status.success() {
        return Err(VoiceError::Failed { program: name, status: out.status });
    }
    Ok(out.stdout)
}

/// Language codes from `espeak-ng --voices`: the second column, after a header.
fn parse_voices(listing: &str) -> BTreeSet<String> {
    listing
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(str::to_ascii_lowercase)
        .collect()
}

impl Voice {
    /// Voice as configured, or None: when off, or (with a clear warning) when
    /// espeak-ng or opusenc cannot be run here.
    pub async fn detect(mode: VoiceMode, programs: Programs) -> Option<Voice> {
        if mode == VoiceMode::Off {
            return None;
        }
        let languages = match output(&programs.espeak, &["--voices"]).await {
            Ok(listing) => parse_voices(&String::from_utf8_lossy(&listing)),
            Err(e) => {
                tracing::warn!(error = %e, "WEGWIJS_TELEGRAM_VOICE is on, but espeak-ng cannot be run (Debian package espeak-ng): voice is off, replies are text only");
                return None;
            }
        };
        if let Err(e) = output(&programs.opusenc, &["--version"]).await {
            tracing::warn!(error = %e, "WEGWIJS_TELEGRAM_VOICE is on, but opusenc cannot be run (Debian package opus-tools): voice is off, replies are text only");
            return None;
        }
        tracing::info!(voices = languages.len(), mode = ?mode, "Telegram replies can be read aloud (espeak-ng, opusenc)");
        Some(Voice {
            programs,
            default_on: mode == VoiceMode::On,
            languages,
            warned: AtomicBool::new(false),
        })
    }

    /// Whether a chat that never used `/voorlezen` gets voice.
    pub fn default_on(&self) -> bool {
        self.default_on
    }

    /// The espeak-ng voice for a UI language code, if espeak-ng has one.
    pub fn voice_for(&self, lang: &str) -> Option<String> {
        let dialect = format!("{lang}-");
        // `en` itself is not listed (only en-gb, en-us, ...), but `-v en` works.
        self.languages
            .iter()
            .any(|l| l == lang || l.starts_with(&dialect))
            .then(|| lang.to_string())
    }

    /// Log a failure once; later ones only at debug level. Never the text.
    pub fn warn_once(&self, e: &VoiceError) {
        if self.warned.swap(true, Ordering::Relaxed) {
            tracing::debug!(error = %e, "no voice message; the text was sent");
        } else {
            tracing::warn!(error = %e, "no voice message; the text was sent (warned once)");
        }
    }

    /// `text` (already [`speakable`]) as an OGG/Opus voice message.
    pub async fn synthesize(&self, voice: &str, text: &str) -> Result<Vec<u8>, VoiceError> {
        synthesize(&self.programs, voice, text).await
    }
}

/// espeak-ng into opusenc, within [`TIMEOUT`]; both are killed when it runs out.
pub async fn synthesize(
    programs: &Programs,
    voice: &str,
    text: &str,
) -> Result<Vec<u8>, VoiceError> {
    let run = async {
        let start = |p: &PathBuf| {
            let program = program_name(p);
            move |source| VoiceError::Start { program, source }
        };
        let mut espeak = Command::new(&programs.espeak)
            // -b 1: the input is UTF-8. --stdin: the text comes on stdin.
            .args(["-v", voice, "-s", SPEED, "-b", "1", "--stdout", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(start(&programs.espeak))?;
        let wav: Stdio = espeak
            .stdout
            .take()
            .ok_or(VoiceError::NoAudio)?
            .try_into()
            .map_err(VoiceError::Pipe)?;
        let mut opusenc = Command::new(&programs.opusenc)
            .args(["--quiet", "--speech", "--bitrate", "24", "-", "-"])
            .stdin(wav)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(start(&programs.opusenc))?;
        let mut stdin = espeak.stdin.take().ok_or(VoiceError::NoAudio)?;
        let mut stdout = opusenc.stdout.take().ok_or(VoiceError::NoAudio)?;
        let write = async move {
            stdin.write_all(text.as_bytes()).await?;
            // Closing stdin tells espeak-ng the text is complete.
            stdin.shutdown().await
        };
        let mut ogg = Vec::new();
        let (written, read) = tokio::join!(write, stdout.read_to_end(&mut ogg));
        let (espeak_done, opusenc_done) = tokio::join!(espeak.wait(), opusenc.wait());
        for (program, done) in [(&programs.espeak, espeak_done), (&programs.opusenc, opusenc_done)]
        {
            let status = done.map_err(VoiceError::Pipe)?;
            if !status.success() {
                return Err(VoiceError::Failed { program: program_name(program), status });
            }
        }
        written.map_err(VoiceError::Pipe)?;
        read.map_err(VoiceError::Pipe)?;
        if !ogg.starts_with(b"OggS") {
            return Err(VoiceError::NoAudio);
        }
        Ok(ogg)
    };
    tokio::time::timeout(TIMEOUT, run).await.map_err(|_| VoiceError::Timeout)?
}

// ----- what to say -----

/// Marks that end a spoken sentence (so espeak-ng pauses).
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ':' | ';' | ',' | '…' | '؟' | '。')
}

/// Emoji, pictographic symbols and list bullets: nothing to say.
fn unspoken(c: char) -> bool {
    matches!(c as u32,
        0x2190..=0x2BFF       // arrows, technical and miscellaneous symbols, dingbats
        | 0x1F000..=0x1FAFF   // emoji
        | 0xFE00..=0xFE0F     // variation selectors
        | 0x200D | 0x20E3     // joiner, keycap
        | 0xE000..=0xF8FF)    // private use
        || matches!(c, '•' | '·' | '*' | '_' | '|')
}

const TLDS: [&str; 10] = ["nl", "be", "eu", "com", "org", "net", "info", "de", "uk", "io"];

/// A web address: `https://...`, `www....` or `gemeente.nl/afval`.
fn is_link(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    if w.contains("://") || w.starts_with("www.") {
        return true;
    }
    if w.contains('@') {
        // An e-mail address is read out.
        return false;
    }
    let host = w.split('/').next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| TLDS.contains(tld))
}

/// Web addresses become `link_word`, keeping the punctuation around them.
fn replace_links(line: &str, link_word: &str) -> String {
    line.split_whitespace()
        .map(|word| {
            let punct = |c: char| {
                matches!(c, '(' | ')' | '<' | '>' | '"' | '\'' | ',' | '.' | ':' | ';' | '!' | '?')
            };
            let core = word.trim_matches(punct);
            if core.is_empty() || !is_link(core) {
                return word.to_string();
            }
            let start = word.find(core).unwrap_or(0);
            format!("{}{link_word}{}", &word[..start], &word[start + core.len()..])
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Phone numbers (a run of at least six digits, with spaces, dashes or
/// brackets between groups) digit by digit, a short pause between groups:
/// "030-286 00 00" becomes "0 3 0, 2 8 6, 0 0, 0 0".
fn phone_digits(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        let after_word =
            i > 0 && (chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '.' | ',' | ':'));
        if !starts || after_word {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < chars.len() && matches!(chars[end], '0'..='9' | ' ' | '-' | '(' | ')' | '/') {
            end += 1;
        }
        // The run ends at its last digit, and not inside a word or a number like 1.500.
        while end > i && !chars[end - 1].is_ascii_digit() {
            end -= 1;
        }
        // Digits glued to letters, or going on after `.`, `,` or `:` (1.500,
        // 9:00), are not a phone number.
        let next = chars.get(end).copied();
        let glued = next.is_some_and(char::is_alphanumeric)
            || (next.is_some_and(|c| matches!(c, '.' | ',' | ':'))
                && chars.get(end + 1).is_some_and(char::is_ascii_digit));
        let run = &chars[i..end];
        if glued || run.iter().filter(|c| c.is_ascii_digit()).count() < 6 {
            out.extend(run);
            i = end;
            continue;
        }
        let groups: Vec<String> = run
            .split(|c| !c.is_ascii_digit() && *c != '+')
            .filter(|g| !g.is_empty())
            .map(|g| g.iter().map(char::to_string).collect::<Vec<_>>().join(" "))
            .collect();
        out.push_str(&groups.join(", "));
        i = end;
    }
    out
}

/// Cut at a sentence end within `max` characters (else at a space).
fn cap(text: &str, max: usize) -> &str {
    let Some((end, _)) = text.char_indices().nth(max) else { return text };
    let head = &text[..end];
    let min = end / 3;
    let sentence = head
        .char_indices()
        .map(|(i, c)| (i + c.len_utf8(), c))
        .rfind(|&(end, c)| matches!(c, '.' | '!' | '?' | '…' | '؟' | '\n') && end > min)
        .map(|(end, _)| end);
    let cut =
        sentence.or_else(|| head.rfind(char::is_whitespace).filter(|&i| i > min)).unwrap_or(end);
    head[..cut].trim_end()
}

/// What a reply's text sounds like: no emoji or bullets, web addresses as
/// `link_word` ("website"), phone numbers digit by digit, every line ending
/// in a pause, at most [`MAX_CHARS`] characters. Empty when nothing is left.
pub fn speakable(text: &str, link_word: &str) -> String {
    let mut lines = Vec::new();
    for line in text.lines() {
        let line: String =
            replace_links(line, link_word).chars().filter(|&c| !unspoken(c)).collect();
        let mut line = phone_digits(&line.split_whitespace().collect::<Vec<_>>().join(" "));
        if line.is_empty() {
            continue;
        }
        // A line without a closing mark would run into the next one.
        if !line.ends_with(ends_sentence) {
            line.push('.');
        }
        lines.push(line);
    }
    cap(&lines.join("\n"), MAX_CHARS).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_from_the_environment() {
        assert_eq!(VoiceMode::parse(""), Some(VoiceMode::Off));
        assert_eq!(VoiceMode::parse("OFF"), Some(VoiceMode::Off));
        assert_eq!(VoiceMode::parse(" on "), Some(VoiceMode::On));
        assert_eq!(VoiceMode::parse("ask"), Some(VoiceMode::Ask));
        assert_eq!(VoiceMode::parse("loud"), None);
    }

    #[test]
    fn emoji_and_bullets_are_not_spoken_and_lines_pause() {
        let card =
            "Schuldhulp\n\nNeem mee:\n• je brieven\n• je bankpas\n\n✅ Nu open.\n⏸️ 🕘 Open: ma-vr";
        assert_eq!(
            speakable(card, "website"),
            "Schuldhulp.\nNeem mee:\nje brieven.\nje bankpas.\nNu open.\nOpen: ma-vr."
        );
        assert_eq!(speakable("🙋 📞", "website"), "");
    }

    #[test]
    fn web_addresses_are_one_word() {
        assert_eq!(
            speakable("🌐 https://www.utrecht.nl/schulden?x=1, of (www.geldfit.nl).", "website"),
            "website, of (website)."
        );
        assert_eq!(speakable("Kijk op gemeente.nl/afval", "web sitesi"), "Kijk op web sitesi.");
        // Not addresses: abbreviations, e-mail, amounts.
        assert_eq!(speakable("o.a. info@x.nl", "website"), "o.a. info@x.nl.");
    }

    #[test]
    fn phone_numbers_digit_by_digit_other_numbers_as_numbers() {
        assert_eq!(speakable("📞 Bel 030-286 00 00", "w"), "Bel 0 3 0, 2 8 6, 0 0, 0 0.");
        assert_eq!(speakable("Bel 0800-0113.", "w"), "Bel 0 8 0 0, 0 1 1 3.");
        assert_eq!(speakable("Bel +31 30 2860000", "w"), "Bel + 3 1, 3 0, 2 8 6 0 0 0 0.");
        assert_eq!(
            speakable("Bel 112. Open 9:00 - 17:00. Je krijgt 1.500 euro in 2026.", "w"),
            "Bel 112. Open 9:00 - 17:00. Je krijgt 1.500 euro in 2026."
        );
        assert_eq!(speakable("Code AB1234567", "w"), "Code AB1234567.");
    }

    #[test]
    fn long_text_is_cut_at_a_sentence_end() {
        let long = "Dit is een zin van een paar woorden. ".repeat(60);
        let spoken = speakable(&long, "w");
        assert!(spoken.chars().count() <= MAX_CHARS, "{}", spoken.len());
        assert!(spoken.chars().count() > MAX_CHARS / 2);
        assert!(spoken.ends_with("woorden."), "{spoken}");
        let one_word = "a".repeat(3000);
        assert_eq!(speakable(&one_word, "w").chars().count(), MAX_CHARS);
    }

    #[test]
    fn voices_are_read_from_the_listing() {
        let listing = "Pty Language       Age/Gender VoiceName          File                 Other Languages\n \
                       5  en-gb           --/M      English_(Great_Britain) gmw/en   (en 2)\n \
                       5  nl              --/M      Dutch              gmw/nl\n";
        let voice = Voice {
            programs: Programs::default(),
            default_on: true,
            languages: parse_voices(listing),
            warned: AtomicBool::new(false),
        };
        assert_eq!(voice.voice_for("nl").as_deref(), Some("nl"));
        assert_eq!(voice.voice_for("en").as_deref(), Some("en"));
        assert_eq!(voice.voice_for("tr"), None);
    }

    #[tokio::test]
    async fn a_missing_program_is_an_error_not_a_panic() {
        let missing =
            Programs { espeak: "/nonexistent/espeak-ng".into(), opusenc: "opusenc".into() };
        let err = synthesize(&missing, "nl", "Hallo.").await.unwrap_err();
        assert!(matches!(err, VoiceError::Start { .. }), "{err}");
        assert!(err.to_string().contains("espeak-ng"), "{err}");
        assert!(Voice::detect(VoiceMode::On, missing).await.is_none());
        assert!(Voice::detect(VoiceMode::Off, Programs::default()).await.is_none());
    }
}
