//! What the HTML and Markdown renderers share: the template environment's settings, the
//! filters that format times and shares, and turning template errors into I/O errors.

use std::io;

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior};

/// An environment that trims block lines, keeps a template's final newline, and fails on an
/// undefined value instead of printing nothing.
pub(super) fn base() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    Ok(env)
}

pub(super) fn render(
    env: &Environment<'_>,
    name: &str,
    ctx: minijinja::Value,
) -> io::Result<String> {
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(io_error)
}

pub(super) fn io_error(e: minijinja::Error) -> io::Error {
    io::Error::other(format!("the report template failed: {e:#}"))
}

/// `2018-05-04T10:12:00Z` as `2018-05-04 10:12 UTC` (seconds when not zero); anything else as it is.
pub(super) fn when(t: &str) -> String {
    match t.parse::<jiff::Timestamp>() {
        Ok(ts) if ts.as_second() % 60 == 0 => ts.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        Err(_) => t.to_string(),
    }
}

/// 0.98125 as `98.1%`.
pub(super) fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// One block of a clean text, as the report shows it.
#[derive(Debug, serde::Serialize, PartialEq, Eq)]
pub(super) struct Block<'a> {
    /// `title` (`# `), `heading` (`## `) or `paragraph`.
    kind: &'static str,
    text: &'a str,
}

/// A clean text's blocks: one a line, blank lines between them.
pub(super) fn blocks(text: &str) -> Vec<Block<'_>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            if let Some(t) = l.strip_prefix("# ") {
                Block {
                    kind: "title",
                    text: t,
                }
            } else if let Some(t) = l.strip_prefix("## ") {
                Block {
                    kind: "heading",
                    text: t,
                }
            } else {
                Block {
                    kind: "paragraph",
                    text: l,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_text_is_read_as_title_headings_and_paragraphs() {
        let b = blocks("# T\n\nOne.\n\n## H\n\nTwo # not a title.\n");
        let kinds: Vec<&str> = b.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, ["title", "paragraph", "heading", "paragraph"]);
        assert_eq!(b[0].text, "T");
        assert_eq!(b[3].text, "Two # not a title.");
    }
}
