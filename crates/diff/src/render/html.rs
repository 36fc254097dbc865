//! One self-contained HTML page (inline CSS, no script, no external request); all page text escaped.

use std::io::{self, Write};

use super::{DiffView, Op, body, label, meta_value, stat_line};

const CSS: &str = "body{font:16px/1.5 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}\
h1{font-size:1.4em}h2{font:bold .9em sans-serif;color:#555;margin-top:2em}\
p.para{white-space:pre-wrap}del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}\
.moved{border-left:3px solid #88c;padding-left:.6em}.stat{font-family:monospace}";

pub(super) fn write(view: &DiffView<'_>, out: &mut dyn Write) -> io::Result<()> {
    let (ra, rb) = (esc(&view.a.reference), esc(&view.b.reference));
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html><head><meta charset=\"utf-8\">")?;
    // No request may leave the page: nothing loads, nothing runs.
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    )?;
    writeln!(
        out,
        "<title>Changes from {ra} to {rb}</title><style>{CSS}</style></head><body>"
    )?;
    writeln!(out, "<h1>Changes from {ra} to {rb}</h1>")?;
    let raw = if view.raw {
        "<li>Typography: compared as it is (--raw), not folded</li>".to_string()
    } else {
        String::new()
    };
    writeln!(
        out,
        "<ul><li>A: {}</li><li>B: {}</li>{raw}</ul>",
        esc(&view.a.describe()),
        esc(&view.b.describe())
    )?;
    if view.diff.identical {
        writeln!(out, "<p>The texts are identical.</p>")?;
    } else {
        writeln!(out, "<p class=\"stat\">{}</p>", esc(&stat_line(view.diff)))?;
    }
    for c in &view.diff.changes {
        let moved = matches!(c, super::Change::Move { .. });
        let class = if moved { " class=\"moved\"" } else { "" };
        writeln!(
            out,
            "<section{class}><h2>{}</h2><p class=\"para\">",
            esc(&label(c))
        )?;
        for s in body(c) {
            let t = esc(&s.text);
            match s.op {
                Op::Equal => write!(out, "{t}")?,
                Op::Delete => write!(out, "<del>{t}</del>")?,
                Op::Insert => write!(out, "<ins>{t}</ins>")?,
            }
        }
        writeln!(out, "</p></section>")?;
    }
    if let Some(hint) = super::formatting_hint(view) {
        writeln!(out, "<p class=\"stat\">{}</p>", esc(&hint))?;
    } else if view.formatting && !view.diff.formatting.is_empty() {
        writeln!(
            out,
            "<details><summary>{} ({})</summary><ul>",
            esc(super::FORMATTING_TITLE),
            view.diff.formatting.len()
        )?;
        for f in &view.diff.formatting {
            let label = esc(&super::formatting_label(f));
            writeln!(out, "<li>{label}: {}</li>", esc(&f.new))?;
        }
        writeln!(out, "</ul></details>")?;
    }
    if !view.metadata_changes.is_empty() {
        writeln!(out, "<h2>Metadata</h2><ul>")?;
        for m in view.metadata_changes {
            writeln!(
                out,
                "<li>{}: <del>{}</del> <ins>{}</ins></li>",
                esc(&m.field),
                esc(meta_value(&m.old)),
                esc(meta_value(&m.new))
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</body></html>")
}

/// Escape for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
