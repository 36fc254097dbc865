//! Paragraph alignment: exact matches first (on folded keys), then pairing of the leftovers
//! by shared words (edits, moves, splits, merges), then the choice of which pairs moved.
//!
//! Bound on the similarity pairing: each unmatched paragraph of B gets at most
//! `3 + CANDIDATES + 2·WINDOW + 1` candidate partners in A: the same text at the same rank,
//! those sharing the most of its `RARE_WORDS` rarest words (words found in at most `MAX_DF`
//! unmatched paragraphs of A), and the nearest unmatched ones between the same anchors. Each
//! candidate is scored with up to five multiset intersections, linear in the two paragraphs'
//! lengths. So the work is O(P·L) for P paragraphs of at most L words, never O(P²).

use foldhash::HashMap;
use std::cmp::Ordering;

use super::lcs;
use super::words::words;
use super::work;

const MAX_DF: usize = 32;
const RARE_WORDS: usize = 12;
const CANDIDATES: usize = 6;
const WINDOW: usize = 2;
/// Share of words two paragraphs between the same anchors need to be one edited paragraph.
pub(crate) const MIN_IN_PLACE: f64 = 0.3;
/// Share of words a paragraph found elsewhere needs to count as moved (or split, merged).
pub(crate) const MIN_MOVED: f64 = 0.5;

/// One compared paragraph: its index in `text.txt`, its text as written, its folded key.
#[derive(Debug)]
pub(crate) struct Para<'a> {
    pub idx: usize,
    pub text: &'a str,
    pub folded: &'a str,
    pub key: u32,
    /// Words of `folded`.
    pub words: usize,
}

/// The paragraphs of one side of a link: one or two, kept inline (a long text has thousands
/// of links).
pub(crate) type Paras = smallvec::SmallVec<[usize; 2]>;

/// Paragraphs paired across the texts (positions in the compared lists, in order).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    pub a: Paras,
    pub b: Paras,
    /// Folded texts equal (only for one-to-one links).
    pub exact: bool,
    /// Part of the largest order-preserving set of links; the others moved.
    pub in_place: bool,
}

#[derive(Debug)]
pub(crate) struct Alignment {
    pub links: Vec<Link>,
    pub words_a: usize,
    pub words_b: usize,
    pub common_words: usize,
}

struct Cand {
    score: f64,
    same_gap: bool,
    a: Paras,
    b: Paras,
}

pub(crate) fn align<'p>(pa: &'p [Para<'_>], pb: &'p [Para<'_>]) -> Alignment {
    let ka: Vec<u32> = pa.iter().map(|p| p.key).collect();
    let kb: Vec<u32> = pb.iter().map(|p| p.key).collect();
    let exact = lcs::align(&ka, &kb);

    let mut free_a = vec![true; pa.len()];
    let mut free_b = vec![true; pb.len()];
    let mut common_words = 0;
    let mut words_a = 0;
    let mut words_b = 0;
    for &(i, j) in &exact {
        free_a[i] = false;
        free_b[j] = false;
        let n = pa[i].words;
        common_words += n;
        words_a += n;
        words_b += n;
    }
    // Gap of an unmatched paragraph: how many exact anchors precede it on its side.
    let gaps = |free: &[bool]| -> Vec<usize> {
        let mut g = 0;
        free.iter()
            .map(|&f| {
                if !f {
                    g += 1;
                }
                g
            })
            .collect()
    };
    let gap_a = gaps(&free_a);
    let gap_b = gaps(&free_b);

    // Words of the unmatched paragraphs as sorted ids (a multiset each).
    let mut ids: HashMap<&str, u32> = HashMap::default();
    let mut bag = |folded: &'p str| -> Vec<u32> {
        let mut v: Vec<u32> = words(folded)
            .into_iter()
            .map(|w| {
                let n = ids.len() as u32;
                *ids.entry(w).or_insert(n)
            })
            .collect();
        v.sort_unstable();
        v
    };
    let wa: Vec<Vec<u32>> = pa
        .iter()
        .zip(&free_a)
        .map(|(p, &f)| if f { bag(p.folded) } else { vec![] })
        .collect();
    let wb: Vec<Vec<u32>> = pb
        .iter()
        .zip(&free_b)
        .map(|(p, &f)| if f { bag(p.folded) } else { vec![] })
        .collect();
    let nids = ids.len();
    {
        let mut ca = vec![0usize; nids];
        let mut cb = vec![0usize; nids];
        for w in wa.iter().flatten() {
            ca[*w as usize] += 1;
        }
        for w in wb.iter().flatten() {
            cb[*w as usize] += 1;
        }
        words_a += ca.iter().sum::<usize>();
        words_b += cb.iter().sum::<usize>();
        common_words += ca.iter().zip(&cb).map(|(x, y)| x.min(y)).sum::<usize>();
    }

    let cands = candidates(pa, pb, &free_a, &free_b, &gap_a, &gap_b, &wa, &wb, nids);

    let mut paired: Vec<Link> = Vec::new();
    for c in cands {
        if c.a.iter().all(|&i| free_a[i]) && c.b.iter().all(|&j| free_b[j]) {
            for &i in &c.a {
                free_a[i] = false;
            }
            for &j in &c.b {
                free_b[j] = false;
            }
            let exact = c.a.len() == 1 && c.b.len() == 1 && pa[c.a[0]].key == pb[c.b[0]].key;
            paired.push(Link {
                a: c.a,
                b: c.b,
                exact,
                in_place: true,
            });
        }
    }
    // All links in B's order: the exact ones are in it already (increasing on both sides),
    // the pairings are sorted and merged in. (A paragraph of B is in one link at most.)
    paired.sort_by_key(|l| (l.b[0], l.a[0]));
    let mut paired = paired.into_iter().peekable();
    let mut links: Vec<Link> = Vec::with_capacity(exact.len() + paired.len());
    for &(i, j) in &exact {
        while let Some(l) = paired.next_if(|l| l.b[0] < j) {
            links.push(l);
        }
        links.push(Link {
            a: smallvec::smallvec![i],
            b: smallvec::smallvec![j],
            exact: true,
            in_place: true,
        });
    }
    links.extend(paired);
    drop(exact);
    // Which links moved: all but a longest chain that keeps A's order along B.
    let order: Vec<usize> = links.iter().map(|l| l.a[0]).collect();
    let keep = lcs::lis(&order);
    let mut in_place = vec![false; links.len()];
    for k in keep {
        in_place[k] = true;
    }
    for (l, f) in links.iter_mut().zip(in_place) {
        l.in_place = f;
    }
    Alignment {
        links,
        words_a,
        words_b,
        common_words,
    }
}

/// Candidate pairings of unmatched paragraphs, best first (see the module's bound).
#[allow(clippy::too_many_arguments)] // the pairing state of one call; a struct would only rename it
fn candidates(
    pa: &[Para<'_>],
    pb: &[Para<'_>],
    free_a: &[bool],
    free_b: &[bool],
    gap_a: &[usize],
    gap_b: &[usize],
    wa: &[Vec<u32>],
    wb: &[Vec<u32>],
    nids: usize,
) -> Vec<Cand> {
    // The same text at the same rank among its unmatched copies.
    let mut by_key: HashMap<u32, Vec<usize>> = HashMap::default();
    for (i, p) in pa.iter().enumerate().filter(|(i, _)| free_a[*i]) {
        by_key.entry(p.key).or_default().push(i);
    }
    let mut rank_of_key: HashMap<u32, usize> = HashMap::default();
    // Document frequency over unmatched paragraphs of A, and postings of the rare words.
    let mut df = vec![0usize; nids];
    for (i, w) in wa.iter().enumerate().filter(|(i, _)| free_a[*i]) {
        let _ = i;
        let mut prev = None;
        for &x in w {
            if prev != Some(x) {
                df[x as usize] += 1;
            }
            prev = Some(x);
        }
    }
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); nids];
    for (i, w) in wa.iter().enumerate().filter(|(i, _)| free_a[*i]) {
        let mut prev = None;
        for &x in w {
            if prev != Some(x) && df[x as usize] <= MAX_DF {
                postings[x as usize].push(i);
            }
            prev = Some(x);
        }
    }
    // Unmatched paragraphs of each gap, for the window.
    let ngaps = gap_a
        .last()
        .copied()
        .unwrap_or(0)
        .max(gap_b.last().copied().unwrap_or(0))
        + 1;
    let mut in_gap_a: Vec<Vec<usize>> = vec![Vec::new(); ngaps];
    for i in (0..pa.len()).filter(|&i| free_a[i]) {
        in_gap_a[gap_a[i]].push(i);
    }
    let mut rank_in_gap_b = vec![0usize; ngaps];

    let mut out = Vec::new();
    let mut partners: Vec<usize> = Vec::new();
    for j in (0..pb.len()).filter(|&j| free_b[j]) {
        partners.clear();
        if let Some(list) = by_key.get(&pb[j].key) {
            let r = rank_of_key.entry(pb[j].key).or_insert(0);
            let lo = r.saturating_sub(1);
            partners.extend(list.iter().skip(lo).take(3));
            *r += 1;
        }
        // Rarest words first; ties by id keep it deterministic.
        let mut rare: Vec<u32> = wb[j].clone();
        rare.dedup();
        rare.retain(|&x| (1..=MAX_DF).contains(&df[x as usize]));
        rare.sort_by_key(|&x| (df[x as usize], x));
        rare.truncate(RARE_WORDS);
        let mut hits: Vec<usize> = rare
            .iter()
            .flat_map(|&x| postings[x as usize].iter().copied())
            .collect();
        work::add(hits.len());
        hits.sort_unstable();
        let mut counted: Vec<(usize, usize)> = Vec::new();
        for h in hits {
            match counted.last_mut() {
                Some((p, n)) if *p == h => *n += 1,
                _ => counted.push((h, 1)),
            }
        }
        counted.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        partners.extend(counted.iter().take(CANDIDATES).map(|c| c.0));
        let g = gap_b[j];
        let r = rank_in_gap_b[g];
        rank_in_gap_b[g] += 1;
        if let Some(list) = in_gap_a.get(g) {
            let lo = r.saturating_sub(WINDOW);
            partners.extend(list.iter().skip(lo).take(2 * WINDOW + 1));
        }
        partners.sort_unstable();
        partners.dedup();

        for &i in &partners {
            let same_gap = gap_a[i] == g;
            let one = score(&pa[i], &pb[j], &wa[i], &wb[j]);
            let min = if same_gap { MIN_IN_PLACE } else { MIN_MOVED };
            if one >= min {
                out.push(Cand {
                    score: one,
                    same_gap,
                    a: smallvec::smallvec![i],
                    b: smallvec::smallvec![j],
                });
            }
            // Split: this paragraph of A became this one of B and its neighbour.
            for (j0, j1) in [(j.wrapping_sub(1), j), (j, j + 1)] {
                if j0 < pb.len()
                    && j1 < pb.len()
                    && free_b[j0]
                    && free_b[j1]
                    && let Some(s) = split_score(&wa[i], &wb[j0], &wb[j1], one)
                {
                    out.push(Cand {
                        score: s,
                        same_gap,
                        a: smallvec::smallvec![i],
                        b: smallvec::smallvec![j0, j1],
                    });
                }
            }
            for (i0, i1) in [(i.wrapping_sub(1), i), (i, i + 1)] {
                if i0 < pa.len()
                    && i1 < pa.len()
                    && free_a[i0]
                    && free_a[i1]
                    && let Some(s) = split_score(&wb[j], &wa[i0], &wa[i1], one)
                {
                    out.push(Cand {
                        score: s,
                        same_gap,
                        a: smallvec::smallvec![i0, i1],
                        b: smallvec::smallvec![j],
                    });
                }
            }
        }
    }
    out.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(y.same_gap.cmp(&x.same_gap))
            .then((x.a.len() + x.b.len()).cmp(&(y.a.len() + y.b.len())))
            .then(x.b.cmp(&y.b))
            .then(x.a.cmp(&y.a))
    });
    out
}

/// Shared-word score of two paragraphs; equal folded texts score 1 even without words.
fn score(p: &Para<'_>, q: &Para<'_>, wp: &[u32], wq: &[u32]) -> f64 {
    if p.key == q.key {
        return 1.0;
    }
    dice(wp, wq)
}

/// 2·|common| / (|a| + |b|) over two sorted multisets.
pub(crate) fn dice(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    2.0 * common(a, b) as f64 / (a.len() + b.len()) as f64
}

fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    work::add(i + j);
    n
}

/// Score of one paragraph `whole` against two consecutive `p0`, `p1` taken together, when
/// that beats pairing it with one of them alone and each part mostly comes from `whole`.
fn split_score(whole: &[u32], p0: &[u32], p1: &[u32], alone: f64) -> Option<f64> {
    if p0.is_empty() || p1.is_empty() {
        return None;
    }
    let part = |p: &[u32]| common(whole, p) as f64 / p.len() as f64;
    if part(p0) < MIN_MOVED || part(p1) < MIN_MOVED {
        return None;
    }
    let mut both: Vec<u32> = p0.iter().chain(p1).copied().collect();
    both.sort_unstable();
    let s = dice(whole, &both);
    (s >= MIN_MOVED && s > alone).then_some(s)
}
