//! One file per subcommand, and what several of them share: loading a reference's text, cleaning a file.

pub mod blame;
pub(crate) mod capture;
pub mod ctx;
pub mod diff;
pub mod error;
pub mod export;
pub mod history;
pub mod init;
pub mod lineage;
pub mod log;
pub mod normalize;
pub mod refile;
pub mod renormalize;
pub mod report;
pub mod show;
pub mod snapshot;
pub mod summary;
pub mod verify;
pub mod watch;

pub use ctx::Ctx;
pub use error::{CliError, EXIT_ERROR, EXIT_FINDING, EXIT_OK, Outcome};

use std::path::Path;

use crate::archive::refs::{self, Indexed, Lookup, Resolved};
use crate::archive::{Archive, Capture, textless};
use crate::config::sha256_hex;
use crate::fetch::{self, Source};
pub use crate::normalize::stripped_summary;
use crate::normalize::{Input, Metadata, Normalized, Rules};

/// A reference resolved and its clean text loaded.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub reference: String,
    pub capture: Option<Capture>,
    pub text: String,
    pub metadata: Metadata,
    /// For files cleaned on the fly: the whole normalizer output.
    pub normalized: Option<Normalized>,
}

impl Loaded {
    pub fn text_sha256(&self) -> String {
        sha256_hex(self.text.as_bytes())
    }
}

/// The archive's captures as references find them: through its index (none without an archive).
pub fn lookup(archive: Option<&Archive>) -> Result<Box<dyn Lookup + '_>, CliError> {
    Ok(match archive {
        Some(archive) => Box::new(Indexed::new(archive)?),
        None => Box::new(Vec::<Capture>::new()),
    })
}

/// Resolve `reference` and load its clean text: today's normalizer's unless `as_recorded`.
pub fn load(
    ctx: &Ctx,
    archive: Option<&Archive>,
    captures: &dyn Lookup,
    reference: &str,
    as_recorded: bool,
) -> Result<Loaded, CliError> {
    load_with(ctx, archive, captures, reference, as_recorded, false)
}

/// [`load`] for comparing: a file laid out as a clean text already
/// ([`crate::normalize::is_clean_text`], e.g. saved from `prov show`) is taken as it is.
pub fn load_comparable(
    ctx: &Ctx,
    archive: Option<&Archive>,
    captures: &dyn Lookup,
    reference: &str,
    as_recorded: bool,
) -> Result<Loaded, CliError> {
    load_with(ctx, archive, captures, reference, as_recorded, true)
}

fn load_with(
    ctx: &Ctx,
    archive: Option<&Archive>,
    captures: &dyn Lookup,
    reference: &str,
    as_recorded: bool,
    clean_as_is: bool,
) -> Result<Loaded, CliError> {
    let resolved = resolve(ctx, archive, captures, reference)?;
    load_resolved(archive, resolved, reference, as_recorded, clean_as_is)
}

/// Resolve `reference`, saying on stderr when a name stood for an earlier capture than its
/// latest (see [`refs::resolve_noted`]).
fn resolve(
    ctx: &Ctx,
    archive: Option<&Archive>,
    captures: &dyn Lookup,
    reference: &str,
) -> Result<Resolved, CliError> {
    let (resolved, note) = refs::resolve_noted(archive, captures, reference, &ctx.cwd)?;
    if let Some(note) = note {
        eprintln!("prov: {}", printable(&note));
    }
    Ok(resolved)
}

/// [`load_with`] of a reference already resolved.
fn load_resolved(
    archive: Option<&Archive>,
    resolved: Resolved,
    reference: &str,
    as_recorded: bool,
    clean_as_is: bool,
) -> Result<Loaded, CliError> {
    match resolved {
        Resolved::Capture(c) => load_capture(archive, *c, reference, as_recorded),
        Resolved::File(path) if clean_as_is => comparable_file(
            reference,
            &path,
            &rules_of(archive),
            read_comparable(&path)?,
        ),
        Resolved::File(path) => {
            let fetched = fetch::fetch(&file_source(&path))?;
            loaded_file(
                reference,
                clean_fetched(&fetched, &path, &rules_of(archive))?,
            )
        }
    }
}

/// [`load_comparable`] of two references. Two files are read, checked and cleaned on two
/// threads: for long texts, reading them and checking their UTF-8 is a fifth of a
/// comparison, and cleaning two pastes takes longer than comparing them.
pub fn load_comparable_pair(
    ctx: &Ctx,
    archive: Option<&Archive>,
    captures: &dyn Lookup,
    a: &str,
    b: &str,
    as_recorded: bool,
) -> Result<(Loaded, Loaded), CliError> {
    let both = (
        resolve(ctx, archive, captures, a)?,
        resolve(ctx, archive, captures, b)?,
    );
    let (Resolved::File(pa), Resolved::File(pb)) = both else {
        return Ok((
            load_resolved(archive, both.0, a, as_recorded, true)?,
            load_resolved(archive, both.1, b, as_recorded, true)?,
        ));
    };
    // Each file read, checked and, when it is not a clean text already, cleaned on a
    // thread of its own: two long pastes are cleaned side by side.
    let rules = rules_of(archive);
    let load = |reference: &str, path: &Path| {
        comparable_file(reference, path, &rules, read_comparable(path)?)
    };
    let (la, lb) = std::thread::scope(|s| {
        let second = s.spawn(|| load(b, &pb));
        let first = load(a, &pa);
        (
            first,
            second
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        )
    });
    Ok((la?, lb?))
}

/// The archive's normalizer rules, or the defaults outside an archive.
fn rules_of(archive: Option<&Archive>) -> Rules {
    archive.map(|a| a.config.rules()).unwrap_or_default()
}

/// A file read for comparing: its text when it is laid out as a clean text already, else
/// what was fetched, to be cleaned.
fn read_comparable(path: &Path) -> Result<Result<String, fetch::Fetched>, CliError> {
    let mut fetched = fetch::fetch(&file_source(path))?;
    match crate::utf8::into_string(std::mem::take(&mut fetched.bytes)) {
        Ok(text) if crate::normalize::is_clean_text(&text) => return Ok(Ok(text)),
        Ok(text) => fetched.bytes = text.into_bytes(),
        Err(e) => fetched.bytes = e.into_bytes(),
    }
    Ok(Err(fetched))
}

/// A file read by [`read_comparable`] as a [`Loaded`]: taken as it is, or cleaned with the
/// archive's rules.
fn comparable_file(
    reference: &str,
    path: &Path,
    rules: &Rules,
    read: Result<String, fetch::Fetched>,
) -> Result<Loaded, CliError> {
    match read {
        Ok(text) => {
            let title = text.lines().next().and_then(|l| l.strip_prefix("# "));
            Ok(Loaded {
                reference: reference.to_string(),
                capture: None,
                metadata: Metadata {
                    title: title.map(|t| t.trim().to_string()),
                    ..Metadata::default()
                },
                text,
                normalized: None,
            })
        }
        Err(fetched) => loaded_file(reference, clean_fetched(&fetched, path, rules)?),
    }
}

pub fn load_capture(
    archive: Option<&Archive>,
    capture: Capture,
    reference: &str,
    as_recorded: bool,
) -> Result<Loaded, CliError> {
    let archive = archive.ok_or_else(|| CliError::new("a capture needs an archive"))?;
    let text = if as_recorded {
        archive.recorded_text(&capture)?
    } else {
        archive.current_text(&capture)?
    };
    Ok(Loaded {
        reference: reference.to_string(),
        metadata: capture.meta.page.clone(),
        capture: Some(capture),
        text,
        normalized: None,
    })
}

fn file_source(path: &Path) -> Source {
    if path == Path::new("-") {
        Source::Stdin
    } else {
        Source::File(path.to_path_buf())
    }
}

fn clean_fetched(
    fetched: &fetch::Fetched,
    path: &Path,
    rules: &Rules,
) -> Result<Normalized, CliError> {
    clean(fetched, &path.display().to_string(), rules, None)
}

fn loaded_file(reference: &str, n: Normalized) -> Result<Loaded, CliError> {
    Ok(Loaded {
        reference: reference.to_string(),
        capture: None,
        text: n.text.clone(),
        metadata: n.metadata.clone(),
        normalized: Some(n),
    })
}

/// Read and clean one file (or stdin), naming it in any error.
pub fn clean_file(path: &Path, rules: Rules, url: Option<&str>) -> Result<Normalized, CliError> {
    let fetched = fetch::fetch(&file_source(path))?;
    clean(&fetched, &path.display().to_string(), &rules, url)
}

/// Clean fetched bytes, naming the source in any error; bytes that give no text are an
/// error here (for commands that archive nothing: see [`clean_to_record`]).
pub fn clean(
    fetched: &fetch::Fetched,
    name: &str,
    rules: &Rules,
    url: Option<&str>,
) -> Result<Normalized, CliError> {
    let n = clean_to_record(fetched, name, rules, url)?;
    match &n.no_text {
        Some(reason) => Err(CliError::new(format!("{name}: {reason}"))),
        None => Ok(n),
    }
}

/// Clean fetched bytes to record them: bytes that give no text give an empty text and its
/// reason, never an error (a capture is never refused for its content).
pub fn clean_to_record(
    fetched: &fetch::Fetched,
    name: &str,
    rules: &Rules,
    url: Option<&str>,
) -> Result<Normalized, CliError> {
    let input = Input {
        bytes: &fetched.bytes,
        content_type: fetched
            .http
            .as_ref()
            .and_then(|h| h.content_type.as_deref()),
        url: url.or(fetched.url.as_deref()),
        file_name: fetched.file_name.as_deref(),
    };
    crate::normalize::normalize(&input, rules).map_err(|e| CliError::new(format!("{name}: {e}")))
}

/// How texts are compared in this archive: its ignore rules plus the command's.
pub fn diff_options(
    archive: Option<&Archive>,
    extra_ignores: &[String],
    raw: bool,
) -> Result<crate::diff::Options, CliError> {
    let mut ignore = Vec::new();
    let configured = archive
        .map(|a| a.config.diff.ignore.clone())
        .unwrap_or_default();
    for pattern in configured.iter().chain(extra_ignores) {
        let re = regex::Regex::new(pattern).map_err(|e| {
            // regex explains syntax errors over several lines; the last one says what is wrong.
            let why = e.to_string();
            let why = why
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            let why = why.trim().trim_start_matches("error: ");
            CliError::new(format!("the ignore pattern {pattern:?} is invalid: {why}"))
        })?;
        ignore.push(re);
    }
    Ok(crate::diff::Options {
        raw,
        ignore,
        ..Default::default()
    })
}

/// The one-line change of `capture` against the previous capture of its copy.
pub fn change_since_previous(
    archive: &Archive,
    captures: &[Capture],
    index: usize,
    opts: &crate::diff::Options,
) -> Result<String, CliError> {
    let c = &captures[index];
    if c.meta.kind != crate::archive::Kind::Page {
        return Ok(format!("{:?}", c.meta.kind).to_lowercase());
    }
    if textless(c.meta.text.as_ref()) {
        return Ok(no_text_summary(c.meta.no_text.as_ref()));
    }
    match previous_with_text(captures, index) {
        None => Ok("first capture".to_string()),
        Some(p) => {
            let a = archive.current_text(p)?;
            let b = archive.current_text(c)?;
            Ok(crate::diff::diff(&a, &b, opts).summary())
        }
    }
}

/// A page with a text: not a gone or moved finding, not bytes that gave no text.
pub fn has_text(c: &Capture) -> bool {
    c.meta.kind == crate::archive::Kind::Page && !textless(c.meta.text.as_ref())
}

/// What `captures[index]`'s change is measured against (`captures` in order): its copy's
/// last page with a text before it, past any gone or moved finding or page without text,
/// as `prov log`, snapshot and watch say it.
pub fn previous_with_text(captures: &[Capture], index: usize) -> Option<&Capture> {
    let c = &captures[index];
    captures[..index]
        .iter()
        .rev()
        .find(|p| p.article() == c.article() && p.copy() == c.copy() && has_text(p))
}

/// `s` safe to print to a terminal: control characters (ESC, BEL, C1 codes...) written as
/// escapes, so that a URL or name from a page, a WARC record or a forged commit can neither
/// move the cursor nor rewrite what is shown.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// The change summary of a capture whose bytes gave no text.
pub fn no_text_summary(reason: Option<&crate::normalize::NoText>) -> String {
    match reason {
        Some(r) => format!("no text ({r})"),
        None => "no text".to_string(),
    }
}

/// An article's captures (oldest first) and their texts by today's normalizer (`None` for a
/// capture that is not a page); an error naming the article when the archive has none.
pub fn article_texts<'c>(
    archive: &Archive,
    captures: &'c [Capture],
    article: &str,
) -> Result<Vec<(&'c Capture, Option<String>)>, CliError> {
    let article = article_name(captures, article)?;
    let article = article.as_str();
    let mut out = Vec::new();
    for c in captures.iter().filter(|c| c.article() == article) {
        let text = match c.meta.kind {
            crate::archive::Kind::Page => Some(archive.current_text(c)?),
            crate::archive::Kind::Gone | crate::archive::Kind::Moved => None,
        };
        out.push((c, text));
    }
    if out.is_empty() {
        return Err(CliError::new(format!(
            "the archive has no article named {article:?}"
        )));
    }
    Ok(out)
}

/// The article a name given on the command line means: its own name, or a unique prefix of
/// it; a miss names the closest articles.
pub fn article_name(captures: &(impl Lookup + ?Sized), name: &str) -> Result<String, CliError> {
    // The common case, an exact name, is answered without listing every article.
    if !captures.of_article(name, None)?.is_empty() {
        return Ok(name.to_string());
    }
    Ok(refs::article_named(&captures.article_names()?, name)?)
}

/// The provenance module's view of an article's captures and texts.
pub fn items<'a>(loaded: &'a [(&'a Capture, Option<String>)]) -> Vec<crate::provenance::Item<'a>> {
    loaded
        .iter()
        .map(|(c, t)| crate::provenance::Item {
            capture: c,
            text: t.as_deref(),
        })
        .collect()
}

/// Write a value as pretty JSON with a final newline.
pub fn write_json(
    value: &impl serde::Serialize,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    // Through io::Error, so that a closed pipe exits quietly.
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}
