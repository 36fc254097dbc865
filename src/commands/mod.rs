//! One file per subcommand, and what several of them share: loading a reference's text, cleaning a file.

pub mod diff;
pub mod init;
pub mod log;
pub mod normalize;
pub mod renormalize;
pub mod report;
pub mod show;
pub mod snapshot;
pub mod verify;

use std::path::Path;

use crate::archive::refs::{self, Indexed, Lookup, Resolved};
use crate::archive::{Archive, Capture};
use crate::cli::{CliError, Ctx};
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
        Some(archive) => Box::new(Indexed {
            archive,
            index: archive.index()?,
        }),
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
    match refs::resolve(archive, captures, reference, &ctx.cwd)? {
        Resolved::Capture(c) => load_capture(archive, *c, reference, as_recorded),
        Resolved::File(path) => {
            let n = clean_file(
                &path,
                archive.map(|a| a.config.rules()).unwrap_or_default(),
                None,
            )?;
            Ok(Loaded {
                reference: reference.to_string(),
                capture: None,
                text: n.text.clone(),
                metadata: n.metadata.clone(),
                normalized: Some(n),
            })
        }
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

/// Read and clean one file (or stdin), naming it in any error.
pub fn clean_file(path: &Path, rules: Rules, url: Option<&str>) -> Result<Normalized, CliError> {
    let source = if path == Path::new("-") {
        Source::Stdin
    } else {
        Source::File(path.to_path_buf())
    };
    let fetched = fetch::fetch(&source)?;
    clean(&fetched, &path.display().to_string(), &rules, url)
}

/// Clean fetched bytes, naming the source in any error.
pub fn clean(
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
    let previous = captures[..index].iter().rev().find(|p| {
        p.article() == c.article()
            && p.copy() == c.copy()
            && p.meta.kind == crate::archive::Kind::Page
    });
    match previous {
        None => Ok("first capture".to_string()),
        Some(p) => {
            let a = archive.current_text(p)?;
            let b = archive.current_text(c)?;
            Ok(crate::diff::diff(&a, &b, opts).summary())
        }
    }
}
