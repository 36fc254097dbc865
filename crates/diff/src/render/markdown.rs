//! Markdown report for a git host: heading, the two sides, a summary, then each change with
//! its old paragraph (deletions ~~struck~~) and new one (insertions **bold**).

use std::io::{self, Write};

use super::{Change, DiffView, Op, Segment, body, label, meta_value, stat_line};

pub(super) fn write(view: &DiffView<'_>, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "# Changes from {} to {}",
        esc(&view.a.reference),
        esc(&view.b.reference)
    )?;
    writeln!(out)?;
    writeln!(out, "- **A:** {}", esc(&view.a.describe()))?;
    writeln!(out, "- **B:** {}", esc(&view.b.describe()))?;
    if view.raw {
        writeln!(
            out,
            "- **Typography:** compared as it is (`--raw`), not folded"
        )?;
    }
    writeln!(out)?;
    if view.diff.identical {
        writeln!(out, "The texts are identical.")?;
    } else {
        writeln!(out, "**Summary:** {}", stat_line(view.diff))?;
    }
    for c in &view.diff.changes {
        writeln!(out)?;
        writeln!(out, "## {}", capitalize(&label(c)))?;
        writeln!(out)?;
        write_change(c, out)?;
    }
    if let Some(hint) = super::formatting_hint(view) {
        writeln!(out)?;
        writeln!(out, "{}", esc(&hint))?;
    } else if view.formatting && !view.diff.formatting.is_empty() {
        writeln!(out)?;
        writeln!(out, "## {}", super::FORMATTING_TITLE)?;
        writeln!(out)?;
        for f in &view.diff.formatting {
            let label = esc(&super::formatting_label(f));
            writeln!(out, "- {label}: {}", esc(&f.new))?;
        }
    }
    if !view.metadata_changes.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Metadata")?;
        writeln!(out)?;
        for m in view.metadata_changes {
            let (o, n) = (esc(meta_value(&m.old)), esc(meta_value(&m.new)));
            writeln!(out, "- {}: {o} → {n}", esc(&m.field))?;
        }
    }
    Ok(())
}

/// The body of one change: its old paragraph (deletions ~~struck~~) and its new one
/// (insertions **bold**) as block quotes, or the one paragraph a delete, insert or move has.
pub fn write_change(c: &Change, out: &mut dyn Write) -> io::Result<()> {
    let segs = body(c);
    let has = |op| segs.iter().any(|s| s.op == op);
    match c {
        Change::Delete { .. } => quote(out, "Deleted", &segs, Op::Delete),
        Change::Insert { .. } => quote(out, "Inserted", &segs, Op::Insert),
        Change::Move { inline: None, .. } => quote(out, "Text", &segs, Op::Insert),
        _ => {
            if has(Op::Delete) || !has(Op::Insert) {
                quote(out, "Old", &super::old_side(c), Op::Delete)?;
                writeln!(out)?;
            }
            quote(out, "New", &segs, Op::Insert)
        }
    }
}

/// One side of a change as a block quote: `side`'s marked segments wrapped in `~~` or `**`.
fn quote(out: &mut dyn Write, title: &str, segs: &[Segment], side: Op) -> io::Result<()> {
    let mut s = String::new();
    for seg in segs.iter().filter(|g| g.op == Op::Equal || g.op == side) {
        if seg.op == Op::Equal {
            s.push_str(&esc(&seg.text));
            continue;
        }
        let mark = if side == Op::Delete { "~~" } else { "**" };
        // Emphasis may not start or end with white space: keep it outside the marks, per line.
        for (k, line) in seg.text.split('\n').enumerate() {
            if k > 0 {
                s.push('\n');
            }
            let core = line.trim();
            if core.is_empty() {
                s.push_str(line);
                continue;
            }
            let lead = &line[..line.len() - line.trim_start().len()];
            let trail = &line[line.trim_end().len()..];
            s.push_str(&format!("{lead}{mark}{}{mark}{trail}", esc(core)));
        }
    }
    writeln!(out, "**{title}:**")?;
    writeln!(out)?;
    for line in s.split('\n') {
        if line.is_empty() {
            writeln!(out, ">")?
        } else {
            writeln!(out, "> {line}")?
        }
    }
    Ok(())
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Backslash-escape what Markdown (CommonMark, GFM) would read as syntax or HTML: inline
/// syntax anywhere, block syntax (`#`, `-`, `1.`, `>`) only where a line could start with
/// it, so that page text stays readable in the raw file too.
pub fn esc(s: &str) -> String {
    const INLINE: &str = "\\`*_[]<>|~&";
    const LINE_START: &str = "#+-=!:";
    let mut out = String::with_capacity(s.len() + 8);
    // The end of a leading run of digits: "1." or "1)" would start an ordered list.
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in s.chars().enumerate() {
        let list_number = i == digits && digits > 0 && (c == '.' || c == ')');
        if INLINE.contains(c) || (i == 0 && LINE_START.contains(c)) || list_number {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
