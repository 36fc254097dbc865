//! `report.md`: one article's report for a git host, rendered from the model by
//! `templates/report.md`. The environment's formatter escapes every string value for Markdown
//! (as `prov diff --format markdown` does) unless a filter made it safe on purpose.

use std::io::{self, Write};

use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};

use super::{Report, templates};
use prov_diff::Change;
use prov_diff::render::{html_escape, markdown_escape, write_markdown_change};

fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = templates::base()?;
    env.add_template("report.md", include_str!("templates/report.md"))?;
    env.set_formatter(|out, _state, value| {
        match value.as_str() {
            Some(s) if !value.is_safe() => out.write_str(&markdown_escape(s))?,
            _ => write!(out, "{value}")?,
        }
        Ok(())
    });
    env.add_filter("when", |t: &str| {
        Value::from_safe_string(templates::when(t))
    });
    env.add_filter("pct", |x: f64| Value::from_safe_string(templates::pct(x)));
    env.add_filter("code", code);
    env.add_filter("url", url);
    // Text inside an HTML block (`<summary>`), where Markdown escapes do not apply.
    env.add_filter("html", |s: &str| Value::from_safe_string(html_escape(s)));
    env.add_filter("oneline", |s: &str| {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    });
    env.add_filter("change", change);
    env.add_filter("blocks", |t: &str| Value::from(Serde(templates::blocks(t))));
    Ok(env)
}

/// One article's `report.md`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let env = environment().map_err(templates::io_error)?;
    let page = templates::render(&env, "report.md", context! { r => Serde(report) })?;
    out.write_all(page.as_bytes())
}

/// A code span, fenced with more backticks than the text holds.
fn code(s: &str) -> Value {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    Value::from_safe_string(format!("{fence}{pad}{s}{pad}{fence}"))
}

/// An http(s) URL as an autolink; anything else as escaped text.
fn url(s: &str) -> Value {
    let plain = (s.starts_with("https://") || s.starts_with("http://"))
        && !s.chars().any(|c| c.is_whitespace() || "<>|`\\".contains(c));
    if plain {
        Value::from_safe_string(format!("<{s}>"))
    } else {
        Value::from_safe_string(markdown_escape(s))
    }
}

/// One change's body, as `prov diff --format markdown` writes it.
fn change(c: Serde<Change>) -> Result<Value, minijinja::Error> {
    let mut buf = Vec::new();
    write_markdown_change(&c, &mut buf)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))?;
    let text = String::from_utf8_lossy(&buf);
    Ok(Value::from_safe_string(text.trim_end().to_string()))
}
