//! Command-line parsing and the subcommands that need no server.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use engine::Lang;
use knowledge_base::{check, content, eval, export, Content, KnowledgeBase};

#[derive(Parser, Debug)]
#[command(name = "wegwijs", version, about = "Wegwijs: plain-language triage and chat for residents' questions")]
pub struct Cli {
    /// The content folder (services, navigation, signals).
    #[arg(long, global = true, env = "WEGWIJS_CONTENT", default_value_os_t = content::default_dir())]
    pub content: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check or export the knowledge base.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Route questions to services. Without QUESTION and with --format jsonl,
    /// reads one question per line from stdin.
    Triage {
        #[arg(long)]
        lang: Option<LangArg>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        question: Option<String>,
    },
    /// Start the web widget, the supporter console and (with a token) the Telegram bot.
    Serve {
        #[arg(long, env = "WEGWIJS_BIND", default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        #[arg(long, env = "WEGWIJS_DATA", default_value_os_t = crate::app::default_data_dir())]
        data: PathBuf,
    },
    /// Pictograms: list concepts, render one, or compose a numbered grid.
    Pictogram {
        /// A pictogram set folder with a manifest.toml (default: the shipped OpenMoji set).
        #[arg(long, env = "WEGWIJS_PICTOGRAMS")]
        set: Option<PathBuf>,
        #[command(subcommand)]
        command: PictogramCommand,
    },
    /// Load test: whole widget conversations against a running server (loopback only).
    Loadtest {
        /// Base URL of the server, e.g. http://127.0.0.1:8080
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        /// Concurrent conversations.
        #[arg(long, default_value_t = 64)]
        conversations: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// The server's process id, to sample its memory.
        #[arg(long)]
        pid: Option<u32>,
    },
    /// Talk to the engine in the terminal.
    Chat {
        #[arg(long, env = "WEGWIJS_DATA", default_value_os_t = crate::app::default_data_dir())]
        data: PathBuf,
        /// Read inputs as JSON lines and print replies as JSON lines.
        #[arg(long)]
        jsonl: bool,
        /// Continue this conversation.
        #[arg(long)]
        conversation: Option<String>,
    },
    /// Manage supporter accounts.
    Supporter {
        #[arg(long, env = "WEGWIJS_DATA", default_value_os_t = crate::app::default_data_dir())]
        data: PathBuf,
        #[command(subcommand)]
        command: SupporterCommand,
    },
    /// Measure triage on a labelled TSV (question, label, also_ok, kind).
    Eval {
        /// A labelled TSV. Leave out with --cross-validate.
        file: Option<PathBuf>,
        /// Instead of a file: leave out every k-th content example in turn.
        #[arg(long, value_name = "K")]
        cross_validate: Option<usize>,
        /// Change a triage knob for this run (name=value), for tuning.
        #[arg(long, hide = true)]
        tune: Vec<String>,
        /// Print every wrong answer.
        #[arg(long)]
        misses: bool,
        /// Exit non-zero when top-1 accuracy is below this fraction.
        #[arg(long)]
        min_top1: Option<f64>,
    },
}

#[derive(Subcommand, Debug)]
pub enum PictogramCommand {
    /// Print one concept id per line.
    List,
    /// Render one pictogram to a PNG.
    Render {
        concept: String,
        #[arg(long, default_value_t = 256)]
        size: u32,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Compose 2 to 9 pictograms into one numbered grid image.
    Grid {
        concepts: Vec<String>,
        /// Put the concept's word in this language under each tile.
        #[arg(long)]
        labels: Option<String>,
        #[arg(long, default_value_t = 160)]
        tile_size: u32,
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum SupporterCommand {
    /// Add a supporter. Prompts for the password, or reads it from stdin.
    Add {
        name: String,
        /// The supporter's team (see the engine config).
        #[arg(long, default_value = "professionals")]
        team: String,
        /// May see the organisation's figures.
        #[arg(long)]
        stats: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum KbCommand {
    /// Validate all content; exits non-zero on any problem.
    Check {
        /// The organisation's routing table (TSV, ids in the first column).
        #[arg(long)]
        routing: Option<PathBuf>,
    },
    /// Print the content, one JSON object per service.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Instead: list the translation files no native speaker has reviewed
        /// yet (language, subject, file), to send to a translator.
        #[arg(long)]
        unreviewed: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Text,
    Jsonl,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    Nl,
    En,
    Tr,
    Ar,
    Pl,
    Uk,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Nl => Lang::Nl,
            LangArg::En => Lang::En,
            LangArg::Tr => Lang::Tr,
            LangArg::Ar => Lang::Ar,
            LangArg::Pl => Lang::Pl,
            LangArg::Uk => Lang::Uk,
        }
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Kb { command: KbCommand::Check { routing } } => kb_check(&cli.content, routing),
        Command::Kb { command: KbCommand::Export { format: ExportFormat::Jsonl, unreviewed } } => {
            let content = load_content(&cli.content)?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let written = if unreviewed {
                export::write_unreviewed(&content, &mut out)
            } else {
                export::write_jsonl(&content, &mut out)
            };
            // A closed pipe (`| head`) is the reader's choice, not an error.
            match written.and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
                _ => {}
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { bind, data } => {
            crate::serve::run(&cli.content, &data, bind)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Pictogram { set, command } => pictogram(set, command),
        Command::Loadtest { url, conversations, seconds, pid } => {
            // One thread: the generator shares the machine with the server it
            // measures, and a single thread costs it the least processor time.
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let r = rt.block_on(crate::loadtest::run(url.trim_end_matches('/'), conversations.max(1), seconds.max(1), pid))?;
            println!(
                "{} conversations, {seconds} s: {} messages, {:.0} messages/s, p50 {:?}, p99 {:?}, {} errors ({} 5xx)",
                conversations, r.messages, r.per_sec, r.p50, r.p99, r.errors, r.server_errors
            );
            if !r.rss_mb.is_empty() {
                let first = r.rss_mb[0];
                let last = r.rss_mb[r.rss_mb.len() - 1];
                println!("server memory: {first:.0} MB -> {last:.0} MB (max {:.0} MB)", r.rss_mb.iter().cloned().fold(0.0, f64::max));
            }
            let us = |d: Option<std::time::Duration>| d.map_or("-".to_string(), |d| format!("{} µs", d.as_micros()));
            println!("processor time per message: server {}, load generator {}", us(r.server_cpu), us(r.client_cpu));
            if r.messages == 0 {
                anyhow::bail!("no message was answered: is Wegwijs serving at {url}?");
            }
            Ok(if r.server_errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Chat { data, jsonl, conversation } => {
            let (engine, _store) = crate::app::engine(&cli.content, &data, engine::Config::default())?;
            let loc = locales::Locales::load()?;
            crate::chat::run(&engine, &loc, conversation, jsonl)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Supporter { data, command: SupporterCommand::Add { name, team, stats } } => {
            crate::supporter::add(&data, &name, &team, stats)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Triage { lang, format, question } => triage(&cli.content, lang.map(Lang::from), format, question),
        Command::Eval { file, cross_validate, tune, misses, min_top1 } => {
            let mut tuning = knowledge_base::triage::Tuning::default();
            for kv in &tune {
                tuning.set(kv).map_err(|e| anyhow::anyhow!(e))?;
            }
            run_eval(&cli.content, file.as_deref(), cross_validate, tuning, misses, min_top1)
        }
    }
}

fn load_content(dir: &std::path::Path) -> Result<Content> {
    Content::load(dir).with_context(|| format!("cannot load content from {}", dir.display()))
}

pub fn load_kb(dir: &std::path::Path) -> Result<KnowledgeBase> {
    KnowledgeBase::load(dir).with_context(|| format!("cannot load content from {}", dir.display()))
}

fn kb_check(dir: &std::path::Path, routing: Option<PathBuf>) -> Result<ExitCode> {
    let content = match Content::load(dir) {
        Ok(c) => c,
        Err(knowledge_base::Error::Content(problems)) => {
            for p in &problems {
                println!("error: {p}");
            }
            println!("{} problem(s); nothing else was checked", problems.len());
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    let routing = routing.unwrap_or_else(|| dir.join("routing.tsv"));
    let ids = check::read_routing_ids(&routing).map_err(|p| anyhow::anyhow!("{p}"))?;
    let concepts = pictogram_concepts();
    let report = check::check(&content, &ids, concepts.as_ref());
    for p in &report.problems {
        println!("error: {p}");
    }
    println!("longest sentences:");
    for l in report.longest.iter().take(5) {
        println!("  {:>2} words  {} [{}]  {}", l.words, l.service, l.lang, l.sentence);
    }
    // Building the index is part of the check: content that cannot be indexed is broken.
    let start = Instant::now();
    let kb = KnowledgeBase::from_content(content)?;
    println!(
        "{} services, {} examples, {} indexed documents (index built in {} ms)",
        report.services,
        report.examples,
        kb.num_indexed_docs(),
        start.elapsed().as_millis()
    );
    if report.ok() {
        println!("ok: no problems");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problem(s)", report.problems.len());
        Ok(ExitCode::FAILURE)
    }
}

/// The concepts of the default pictogram set and the file that draws each,
/// when the set can be read.
fn pictogram_concepts() -> Option<check::PictogramFiles> {
    let set = pictograms::PictogramSet::load(&pictograms::PictogramSet::default_dir()).ok()?;
    Some(
        set.concepts()
            .filter_map(|c| Some((c.to_string(), set.file(c)?.to_string_lossy().into_owned())))
            .collect(),
    )
}


fn triage(dir: &std::path::Path, lang: Option<Lang>, format: Format, question: Option<String>) -> Result<ExitCode> {
    let kb = load_kb(dir)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let answer = |q: &str, out: &mut dyn Write| -> Result<()> {
        let t = engine::KnowledgeSource::triage(&kb, q, lang);
        match format {
            Format::Jsonl => {
                serde_json::to_writer(&mut *out, &t.to_json(q))?;
                writeln!(out)?;
            }
            Format::Text => {
                writeln!(out, "action:       {}", t.action.as_str())?;
                if let Some(s) = &t.service {
                    let name = kb.services.iter().find(|x| &x.id == s).map(|x| x.text(t.lang).name.as_str()).unwrap_or("");
                    writeln!(out, "service:      {s} ({name})")?;
                }
                writeln!(out, "confidence:   {:.2}", t.confidence)?;
                if !t.alternatives.is_empty() {
                    writeln!(out, "alternatives: {}", t.alternatives.join(", "))?;
                }
                if let Some(p) = kb.crisis_phrase(q) {
                    writeln!(out, "signal:       crisis phrase \"{p}\"")?;
                }
                if let Some(p) = kb.human_phrase(q) {
                    writeln!(out, "signal:       person phrase \"{p}\"")?;
                }
            }
        }
        Ok(())
    };
    match question {
        Some(q) => answer(&q, &mut out)?,
        None => {
            if matches!(format, Format::Text) && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                bail!("give a QUESTION, or pipe questions into `wegwijs triage --format jsonl`");
            }
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            let mut buf = Vec::new();
            let mut line_no = 0usize;
            loop {
                buf.clear();
                if input.read_until(b'\n', &mut buf)? == 0 {
                    break;
                }
                line_no += 1;
                while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    buf.pop();
                }
                // One answer per input line, always: bad bytes are replaced, and
                // said so on stderr, so the output stays aligned with the input.
                let q = match std::str::from_utf8(&buf) {
                    Ok(s) => std::borrow::Cow::Borrowed(s),
                    Err(_) => {
                        eprintln!("wegwijs: line {line_no}: not valid UTF-8; invalid bytes replaced");
                        String::from_utf8_lossy(&buf)
                    }
                };
                answer(&q, &mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_eval(
    dir: &std::path::Path,
    file: Option<&std::path::Path>,
    folds: Option<usize>,
    tuning: knowledge_base::triage::Tuning,
    misses: bool,
    min_top1: Option<f64>,
) -> Result<ExitCode> {
    let report = match (file, folds) {
        (Some(file), None) => {
            let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
            let rows = eval::parse_tsv(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let mut kb = load_kb(dir)?;
            kb.tuning = tuning;
            eval::evaluate(&kb, &rows)
        }
        (None, Some(k)) => eval::cross_validate(&load_content(dir)?, k, &tuning)?,
        _ => bail!("give either a labelled FILE or --cross-validate K"),
    };
    print!("{}", report.render(misses));
    match min_top1 {
        Some(min) if report.top1_accuracy() < min => {
            println!("FAIL: top-1 accuracy below {:.1}%", min * 100.0);
            Ok(ExitCode::FAILURE)
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn pictogram(set: Option<PathBuf>, command: PictogramCommand) -> Result<ExitCode> {
    use pictograms::{PictogramSet, Tile};
    let dir = set.unwrap_or_else(PictogramSet::default_dir);
    let set = PictogramSet::load(&dir).with_context(|| format!("cannot load the pictogram set in {}", dir.display()))?;
    match command {
        PictogramCommand::List => {
            for c in set.concepts() {
                println!("{c}");
            }
        }
        PictogramCommand::Render { concept, size, output } => {
            let png = set.render_png(&concept, size)?;
            write_new_file(&output, &png)?;
        }
        PictogramCommand::Grid { concepts, labels, tile_size, output } => {
            let tiles: Vec<Tile> = concepts
                .iter()
                .map(|c| Tile { concept: c.clone(), label: labels.as_deref().and_then(|l| set.alt(c, l)).map(String::from) })
                .collect();
            let png = set.grid_png(&tiles, tile_size)?;
            write_new_file(&output, &png)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Write a file atomically: a half-written PNG never appears under the name.
fn write_new_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("png.tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}
