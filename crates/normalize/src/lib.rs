//! The normalizer: raw bytes of a captured page in, clean text, metadata and an audit of stripped noise out.
//!
//! Pure: it knows nothing of git, HTTP, the terminal or the file system. The same bytes
//! under the same [`NORMALIZER_VERSION`] and [`Rules`] give the same output everywhere.

use serde::{Deserialize, Serialize};

mod bio;
mod charset;
mod gate;
mod html;
mod metadata;
mod noise;
mod paste;
pub mod score;
mod shapes;
mod site;
mod sniff;
#[cfg(test)]
mod tests;
mod text;

#[cfg(test)]
use prov_testing as testing;

// The page's facts are the data model's (meta.json records them): re-exported here, where
// they are found.
pub use prov_model::page::{
    Charset, CharsetSource, Format, Metadata, NoText, Stripped, stripped_summary,
};

/// Raised whenever the clean text of any page changes.
pub const NORMALIZER_VERSION: u32 = 51;

/// What the caller knows about the bytes besides the bytes themselves.
#[derive(Debug, Clone, Default)]
pub struct Input<'a> {
    pub bytes: &'a [u8],
    /// The HTTP `Content-Type` header, if the bytes came over HTTP.
    pub content_type: Option<&'a str>,
    /// Where the page lives, used to pick per-site rules.
    pub url: Option<&'a str>,
    /// A file name hint (`raw.html`, `page.txt`), used only to tell text from HTML when the bytes are ambiguous.
    pub file_name: Option<&'a str>,
}

/// Per-site rules from `prov.toml`, added to the built-in ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    #[serde(default, rename = "site")]
    pub sites: Vec<SiteRule>,
}

/// Rules for one host (and its subdomains).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRule {
    pub host: String,
    /// CSS selectors whose elements are dropped.
    #[serde(default)]
    pub drop: Vec<String>,
    /// A CSS selector taken as the article body.
    #[serde(default)]
    pub body: Option<String>,
    /// Regular expressions: paragraphs matching one are dropped.
    #[serde(default)]
    pub drop_text: Vec<String>,
}

/// The normalizer's whole output for one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Normalized {
    /// The clean text in the spec's format: `# title`, paragraphs separated by a blank line,
    /// `## ` subheadings, a final newline. Empty exactly when `no_text` says why.
    pub text: String,
    /// HTML or text; `None` when the bytes were not read as either (empty, binary).
    pub format: Option<Format>,
    /// `None` when the bytes were not decoded (empty, binary).
    pub charset: Option<Charset>,
    pub metadata: Metadata,
    pub stripped: Vec<Stripped>,
    /// Why the bytes gave no clean text, when they gave none. Such bytes are still a
    /// capture (evidence is never refused for its content): the caller records them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_text: Option<NoText>,
}

impl Normalized {
    /// The title as it stands in the clean text (its first line without `# `).
    pub fn title(&self) -> Option<&str> {
        self.text.lines().next().and_then(|l| l.strip_prefix("# "))
    }

    /// No clean text, for `reason`: what was learned of the bytes is kept.
    fn without_text(
        reason: NoText,
        format: Option<Format>,
        charset: Option<Charset>,
        metadata: Metadata,
        stripped: Vec<Stripped>,
    ) -> Normalized {
        Normalized {
            text: String::new(),
            format,
            charset,
            metadata,
            stripped,
            no_text: Some(reason),
        }
    }
}

/// What keeps the normalizer from running at all: the rules, never the page.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NormalizeError {
    #[error("the per-site rule {rule:?} is invalid: {reason}")]
    BadRule { rule: String, reason: String },
}

/// Clean one page. Bytes that give no clean text (empty, binary, no body, no title) give a
/// [`Normalized`] with an empty text and the reason in `no_text`; only invalid per-site
/// rules are an error.
pub fn normalize(input: &Input<'_>, rules: &Rules) -> Result<Normalized, NormalizeError> {
    let site = site::compile(rules, input.url)?;
    let none = |reason, format, charset| {
        Ok(Normalized::without_text(
            reason,
            format,
            charset,
            Metadata::default(),
            Vec::new(),
        ))
    };
    if input.bytes.iter().all(u8::is_ascii_whitespace) {
        return none(NoText::Empty, None, None);
    }
    if let Err(what) = sniff::refuse_binary(input.bytes) {
        return none(NoText::Binary { what }, None, None);
    }
    let format = sniff::format(input);
    let (decoded, charset) =
        charset::decode(input.bytes, input.content_type, format == Format::Html);
    if decoded.trim().is_empty() {
        return none(NoText::Empty, Some(format), Some(charset));
    }
    let (title, standfirst, body, stripped, mut metadata, notes) = match format {
        Format::Html => {
            let doc = scraper::Html::parse_document(&html::pre_parse(&decoded, site.selects()));
            let arena = html::Arena::build(&doc);
            let (metadata, declared) = metadata::collect(&arena);
            let page = html::extract(
                &arena,
                &site,
                metadata.title.as_deref(),
                // Entities escaped twice by the template (`&amp;#039;`) are read as the
                // headline's are: the description is compared with the page's text.
                metadata
                    .description
                    .as_deref()
                    .map(text::decode_entities)
                    .as_deref(),
                declared.article_body.as_deref(),
            );
            // The declared headline is the publisher's title of record; the visible `<h1>`
            // is often a shorter or livelier variant, or a section's name.
            // But a headline that is the `<h1>` plus more (" - Site Name") yields to it.
            let headline = declared
                .headline
                .as_deref()
                .map(text::decode_entities)
                .filter(|t| !t.is_empty())
                .filter(|h| {
                    page.title.as_deref().is_none_or(|t| {
                        let (h, t) = (fold_title(h), fold_title(t));
                        h == t || !h.starts_with(&t)
                    })
                });
            // A visible `<h1>` that is the `og:title` while the JSON-LD headline differs is
            // the title readers see and share; the JSON-LD one is then a search variant.
            let h1_shared = page.title.as_deref().is_some_and(|t| {
                let t = fold_title(t);
                declared
                    .og_title
                    .as_deref()
                    .is_some_and(|o| fold_title(o) == t)
                    && headline.as_deref().is_some_and(|h| fold_title(h) != t)
            });
            let title = if h1_shared {
                page.title
            } else {
                headline.or(page.title)
            }
            .or_else(|| metadata.title.as_deref().map(strip_site_suffix));
            (
                title,
                page.standfirst,
                page.body,
                page.stripped,
                metadata,
                page.notes,
            )
        }
        Format::Text => {
            // A paste: the first line is the title and the next paragraph the standfirst,
            // past the furniture a browser copies with them ("Share this article", a
            // picture's "Photo", the byline's date), which never takes their place.
            let mut paras = text::paragraphs(&decoded).into_iter().peekable();
            let mut stripped = Vec::new();
            let mut head = || {
                let furniture = |p: &String| {
                    paste::furniture(p).or_else(|| noise::paste_dateline(p).then_some("date"))
                };
                while let Some(rule) = paras.peek().and_then(furniture) {
                    if let Some(text) = paras.next() {
                        stripped.push(Stripped::new(rule, text));
                    }
                }
                paras.next()
            };
            let title = head();
            let standfirst = head();
            let body = paras.map(text::Block::para).collect();
            let metadata = Metadata {
                title: title.clone(),
                ..Metadata::default()
            };
            (title, standfirst, body, stripped, metadata, Vec::new())
        }
    };
    let mut found = noise::Found {
        stripped,
        attribution: None,
    };
    let head: Vec<&str> = [title.as_deref(), standfirst.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let body = noise::clean_body(
        body,
        &head,
        format == Format::Text,
        &site.drop_text,
        &mut found,
    );
    // The writer's notes boxed by the template follow the body, once each.
    let mut body = body;
    for note in notes {
        if !body.iter().any(|b| b.text == note.text) {
            body.push(note);
        }
    }
    if let Some(a) = found.attribution {
        metadata.attribution = Some(a);
    }
    let has_body = body.iter().any(|b| b.kind == text::Kind::Para);
    let reason = match &title {
        _ if !has_body && standfirst.is_none() => Some(NoText::NoBody),
        None => Some(NoText::NoTitle),
        Some(_) => None,
    };
    if let (Some(title), None) = (&title, &reason) {
        return Ok(Normalized {
            text: render(title, standfirst.as_deref(), &body),
            format: Some(format),
            charset: Some(charset),
            metadata,
            stripped: found.stripped,
            no_text: None,
        });
    }
    Ok(Normalized::without_text(
        reason.unwrap_or(NoText::NoBody),
        Some(format),
        Some(charset),
        metadata,
        found.stripped,
    ))
}

/// Whether `text` is laid out as a clean text already (what `prov show` and `prov normalize`
/// print, or a text written by hand the same way): a `# title` line, then one block a line
/// with one blank line before each, at least one block, a final newline. Linear: one pass
/// over the lines, nothing copied.
///
/// `prov diff` compares such a file as it is (the comparison folds typography and white
/// space anyway): the normalizer would read its `# ` as part of the title and run the noise
/// rules over blocks its author chose, and `--format unified` then applies to the file itself.
pub fn is_clean_text(text: &str) -> bool {
    let Some(text) = text.strip_suffix('\n') else {
        return false;
    };
    // `prov diff` asks this of whole files.
    let mut lines = prov_text::lines::split(text);
    let title_ok = lines
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .is_some_and(|t| !t.trim().is_empty());
    if !title_ok {
        return false;
    }
    let mut blocks = 0;
    loop {
        match (lines.next(), lines.next()) {
            (None, _) => return blocks > 0,
            (Some(blank), Some(line)) if blank.trim().is_empty() && !line.trim().is_empty() => {
                blocks += 1
            }
            _ => return false,
        }
    }
}

/// The clean text format: `# title`, then one block a line with blank lines between.
fn render(title: &str, standfirst: Option<&str>, body: &[text::Block]) -> String {
    let mut out = String::with_capacity(
        title.len() + body.iter().map(|b| b.text.len() + 4).sum::<usize>() + 16,
    );
    out.push_str("# ");
    out.push_str(title);
    out.push('\n');
    if let Some(s) = standfirst {
        out.push('\n');
        out.push_str(s);
        out.push('\n');
    }
    for b in body {
        out.push('\n');
        if b.kind == text::Kind::Heading {
            out.push_str("## ");
        }
        out.push_str(&b.text);
        out.push('\n');
    }
    out
}

/// Letters and digits only, lowercased: titles compared across typography. Char by char
/// through Unicode's tables: also the plain version `html::fold` is tested against.
fn fold_title(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `Title | Section | Site` or `Title - Site` without the site's part.
fn strip_site_suffix(title: &str) -> String {
    if let Some((head, _)) = title.split_once(" | ")
        && !head.trim().is_empty()
    {
        return head.trim().to_string();
    }
    for dash in [" - ", " – ", " — "] {
        if let Some((head, tail)) = title.rsplit_once(dash)
            && tail.split_whitespace().count() <= 4
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
    }
    title.to_string()
}

impl Rules {
    /// The rules in force as text: what meta.json keeps, and what the rules hash is taken over.
    /// Built-in rules are code and are covered by [`NORMALIZER_VERSION`]; this is the user's part.
    pub fn to_text(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}
