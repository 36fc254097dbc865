//! Unified diff of the two texts' lines (3 lines of context) that `patch` applies to A.
//!
//! Known limit: it is a plain line diff of the texts as stored, so when two texts differ
//! both in substance and in typography, typography-only lines appear as changed too; only
//! when the texts are identical after folding is nothing printed.

use std::collections::HashMap;
use std::io::{self, Write};

use super::DiffView;
use crate::lcs;

const CONTEXT: usize = 3;

#[derive(Clone, Copy, PartialEq)]
enum L {
    Eq(usize, usize),
    Del(usize),
    Ins(usize),
}

pub(super) fn write(view: &DiffView<'_>, out: &mut dyn Write) -> io::Result<()> {
    if view.diff.identical {
        return Ok(());
    }
    let a: Vec<&str> = view.a.text.split_inclusive('\n').collect();
    let b: Vec<&str> = view.b.text.split_inclusive('\n').collect();
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let ka = keys(&a, &mut ids);
    let kb = keys(&b, &mut ids);
    let mut ops = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    for (pi, pj) in lcs::align(&ka, &kb)
        .into_iter()
        .chain(std::iter::once((a.len(), b.len())))
    {
        ops.extend((i..pi).map(L::Del));
        ops.extend((j..pj).map(L::Ins));
        if pi < a.len() && pj < b.len() {
            ops.push(L::Eq(pi, pj));
        }
        i = pi + 1;
        j = pj + 1;
    }
    let changed: Vec<usize> = (0..ops.len())
        .filter(|&k| !matches!(ops[k], L::Eq(..)))
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    if view.raw {
        // A line before the first `---` is a comment to `patch` and to git.
        writeln!(out, "prov diff: {}", super::RAW_NOTE)?;
    }
    writeln!(out, "--- a/{}", view.a.reference)?;
    writeln!(out, "+++ b/{}", view.b.reference)?;
    // Lines of each side before `done`, advanced hunk by hunk (hunks start in order).
    let (mut done, mut a0, mut b0) = (0, 0, 0);
    let mut k = 0;
    while k < changed.len() {
        let first = changed[k];
        let mut last = first;
        while k + 1 < changed.len() && changed[k + 1] - last <= 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        k += 1;
        let start = first.saturating_sub(CONTEXT);
        let end = (last + CONTEXT + 1).min(ops.len());
        let hunk = &ops[start..end];
        for op in &ops[done..start] {
            match op {
                L::Eq(..) => {
                    a0 += 1;
                    b0 += 1;
                }
                L::Del(_) => a0 += 1,
                L::Ins(_) => b0 += 1,
            }
        }
        let na = hunk.iter().filter(|o| !matches!(o, L::Ins(_))).count();
        let nb = hunk.iter().filter(|o| !matches!(o, L::Del(_))).count();
        let from = if na == 0 { a0 } else { a0 + 1 };
        let to = if nb == 0 { b0 } else { b0 + 1 };
        writeln!(out, "@@ -{from},{na} +{to},{nb} @@")?;
        done = start;
        for op in hunk {
            let (mark, line) = match *op {
                L::Eq(x, _) => (' ', a[x]),
                L::Del(x) => ('-', a[x]),
                L::Ins(y) => ('+', b[y]),
            };
            write!(out, "{mark}{line}")?;
            if !line.ends_with('\n') {
                write!(out, "\n\\ No newline at end of file\n")?;
            }
        }
    }
    Ok(())
}

/// Lines as ids: equal lines, equal ids.
fn keys<'t>(lines: &[&'t str], ids: &mut HashMap<&'t str, u32>) -> Vec<u32> {
    lines
        .iter()
        .map(|l| {
            let n = ids.len() as u32;
            *ids.entry(*l).or_insert(n)
        })
        .collect()
}
