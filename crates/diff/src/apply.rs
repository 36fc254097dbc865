//! Rebuild B's paragraphs from A and a [`Diff`]: the check that a diff says all there is.

use super::{Change, Diff};

/// Apply `d` to the clean text `a`: B's paragraphs, joined by blank lines. Paragraphs no
/// change mentions are the unchanged ones and fill B's unmentioned places in order (exact
/// when no ignore rules were used: an ignored paragraph is mentioned by no change). `None`
/// when the diff does not fit `a`.
pub fn apply(a: &str, d: &Diff) -> Option<String> {
    let pa: Vec<&str> = a.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut used_a = vec![false; pa.len()];
    let mut placed: Vec<(usize, String)> = Vec::new();
    let mut mark = |i: usize| -> Option<()> {
        *used_a.get_mut(i)? = true;
        Some(())
    };
    for c in &d.changes {
        match c {
            Change::Replace {
                a_para,
                b_para,
                new,
                ..
            }
            | Change::Move {
                a_para,
                b_para,
                new,
                ..
            } => {
                mark(*a_para)?;
                placed.push((*b_para, new.clone()));
            }
            Change::Delete { a_para, .. } => mark(*a_para)?,
            Change::Insert { b_para, new } => placed.push((*b_para, new.clone())),
            Change::Split {
                a_para,
                b_paras,
                new,
                ..
            } => {
                mark(*a_para)?;
                let parts: Vec<&str> = new.split("\n\n").collect();
                if parts.len() != b_paras.len() {
                    return None;
                }
                placed.extend(b_paras.iter().zip(parts).map(|(&b, t)| (b, t.to_string())));
            }
            Change::Merge {
                a_paras,
                b_para,
                new,
                ..
            } => {
                for &i in a_paras {
                    mark(i)?;
                }
                placed.push((*b_para, new.clone()));
            }
        }
    }
    let mut unchanged = pa
        .iter()
        .zip(&used_a)
        .filter(|(_, u)| !**u)
        .map(|(t, _)| *t);
    let total = placed.len() + pa.len() - used_a.iter().filter(|u| **u).count();
    let mut out: Vec<Option<String>> = vec![None; total];
    for (b, t) in placed {
        let slot = out.get_mut(b)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(t);
    }
    let mut paras = Vec::with_capacity(total);
    for slot in out {
        match slot {
            Some(t) => paras.push(t),
            None => paras.push(unchanged.next()?.to_string()),
        }
    }
    Some(paras.join("\n\n"))
}
