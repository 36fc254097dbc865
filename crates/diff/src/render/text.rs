//! Plain text: a header, `@@ label @@` per change with `[-old-]{+new+}` or red/green marks, a stat line.

use std::io::{self, Write};

use super::{DiffView, Op, body, label, meta_value, stat_line};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

pub(super) fn write(view: &DiffView<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let (bold, cyan, reset) = if color {
        (BOLD, CYAN, RESET)
    } else {
        ("", "", "")
    };
    let (a, b) = (clean(&view.a.describe()), clean(&view.b.describe()));
    if view.raw {
        writeln!(out, "({})", super::RAW_NOTE)?;
    }
    if view.diff.identical {
        writeln!(out, "{a} and {b} are identical")?;
    } else {
        writeln!(out, "{bold}--- a: {a}{reset}")?;
        writeln!(out, "{bold}+++ b: {b}{reset}")?;
        for c in &view.diff.changes {
            writeln!(out)?;
            writeln!(out, "{cyan}@@ {} @@{reset}", label(c))?;
            for s in body(c) {
                let t = clean(&s.text);
                match (s.op, color) {
                    (Op::Equal, _) => write!(out, "{t}")?,
                    (Op::Delete, false) => write!(out, "[-{t}-]")?,
                    (Op::Insert, false) => write!(out, "{{+{t}+}}")?,
                    (Op::Delete, true) => write!(
                        out,
                        "{RED}{}{RESET}",
                        t.replace('\n', &format!("{RESET}\n{RED}"))
                    )?,
                    (Op::Insert, true) => write!(
                        out,
                        "{GREEN}{}{RESET}",
                        t.replace('\n', &format!("{RESET}\n{GREEN}"))
                    )?,
                }
            }
            writeln!(out)?;
        }
        writeln!(out)?;
        writeln!(out, "{}", stat_line(view.diff))?;
    }
    if let Some(hint) = super::formatting_hint(view) {
        writeln!(out, "{hint}")?;
    } else if view.formatting && !view.diff.formatting.is_empty() {
        writeln!(out, "{}:", super::FORMATTING_TITLE.to_lowercase())?;
        for f in &view.diff.formatting {
            writeln!(
                out,
                "  {}: {}",
                clean(&super::formatting_label(f)),
                clean(&f.new)
            )?;
        }
    }
    for m in view.metadata_changes {
        writeln!(
            out,
            "metadata {}: {} -> {}",
            clean(&m.field),
            clean(meta_value(&m.old)),
            clean(meta_value(&m.new))
        )?;
    }
    Ok(())
}

/// Page text must not drive the terminal: control characters (escape sequences, carriage
/// returns) are shown as U+FFFD; newlines and tabs stay.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}
