//! Alignment of two sequences of ids (paragraph keys, lines, and the tokens of paired
//! paragraphs too long for `similar`): a common subsequence found by trimming, patience
//! anchors and a Myers search whose cost is capped.
//!
//! Written by hand, unlike the word and character alignment inside a paragraph of usual
//! length (`similar`, in `words`): a whole text can be long and adversarial, and what the differ needs here is
//! an alignment that gives up past a budget and leaves the rest unmatched, so that the
//! similarity pairing (moves, splits, merges) takes over; a diff library always returns
//! some alignment instead.
//!
//! Bound: trimming and patience are linear per region (hashing); a region without unique
//! common ids goes to Myers, which costs O((N+M)·D) and is abandoned once D would exceed
//! [`myers_cap`] (so at most [`WORK_BUDGET`] steps per region). An abandoned region stays
//! unmatched, for the similarity pairing to take over. The result is a common subsequence,
//! not always the longest.

use foldhash::HashMap;

use super::work;

/// Myers steps allowed per region: (N+M)·D ≤ this.
pub(crate) const WORK_BUDGET: usize = 4_000_000;
/// Largest D ever tried; the trace costs O(D²) memory.
const MAX_D: usize = 1_500;

fn myers_cap(n: usize, m: usize) -> usize {
    (WORK_BUDGET / (n + m).max(1)).min(MAX_D).min(n + m)
}

/// Matched index pairs `(i, j)` with `a[i] == b[j]`, strictly increasing in both.
pub(crate) fn align(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // Work list instead of recursion: patience can nest deeply on adversarial input.
    let mut regions = vec![(0, a.len(), 0, b.len())];
    while let Some((mut a0, mut a1, mut b0, mut b1)) = regions.pop() {
        // Trimming, and the anchors' hashing, look at each element of the region once.
        work::add(a1 - a0 + b1 - b0);
        while a0 < a1 && b0 < b1 && a[a0] == b[b0] {
            out.push((a0, b0));
            a0 += 1;
            b0 += 1;
        }
        while a0 < a1 && b0 < b1 && a[a1 - 1] == b[b1 - 1] {
            out.push((a1 - 1, b1 - 1));
            a1 -= 1;
            b1 -= 1;
        }
        if a0 == a1 || b0 == b1 {
            continue;
        }
        let anchors = unique_anchors(&a[a0..a1], &b[b0..b1]);
        if anchors.is_empty() {
            if let Some(pairs) = myers(&a[a0..a1], &b[b0..b1]) {
                out.extend(pairs.into_iter().map(|(i, j)| (i + a0, j + b0)));
            }
            continue;
        }
        let (mut pa, mut pb) = (a0, b0);
        for (i, j) in anchors {
            let (i, j) = (i + a0, j + b0);
            out.push((i, j));
            regions.push((pa, i, pb, j));
            pa = i + 1;
            pb = j + 1;
        }
        regions.push((pa, a1, pb, b1));
    }
    out.sort_unstable();
    out
}

/// Patience anchors: ids occurring exactly once in each side, kept where their order agrees.
fn unique_anchors(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
    let cands = match dense_bound(a, b) {
        Some(bound) => unique_pairs(a, b, vec![Seen::default(); bound]),
        None => unique_pairs(
            a,
            b,
            HashMap::<u32, Seen>::with_capacity_and_hasher(a.len(), Default::default()),
        ),
    };
    let values: Vec<usize> = cands.iter().map(|c| c.0).collect();
    lis(&values).into_iter().map(|k| cands[k]).collect()
}

/// How often an id occurs in each side, and where in `a` (its last place there).
#[derive(Clone, Copy, Default)]
struct Seen {
    in_a: u32,
    at: u32,
    in_b: u32,
}

/// What [`unique_pairs`] counts in: a table indexed by id when ids are small (paragraph
/// keys are numbered from 0, so most regions are dense in them), else a map.
trait Counts {
    fn entry(&mut self, id: u32) -> &mut Seen;
    fn known(&mut self, id: u32) -> Option<&mut Seen>;
}

impl Counts for Vec<Seen> {
    fn entry(&mut self, id: u32) -> &mut Seen {
        &mut self[id as usize]
    }
    fn known(&mut self, id: u32) -> Option<&mut Seen> {
        self.get_mut(id as usize).filter(|s| s.in_a > 0)
    }
}

impl Counts for HashMap<u32, Seen> {
    fn entry(&mut self, id: u32) -> &mut Seen {
        HashMap::entry(self, id).or_default()
    }
    fn known(&mut self, id: u32) -> Option<&mut Seen> {
        self.get_mut(&id)
    }
}

/// A table of ids below this bound serves when it is not much larger than the region
/// (the table is cleared memory, the map costs a hash and a probe per id).
fn dense_bound(a: &[u32], b: &[u32]) -> Option<usize> {
    let bound = a.iter().max().map_or(0, |&m| m as usize + 1);
    (bound <= 4 * (a.len() + b.len()) + 64).then_some(bound)
}

/// Pairs `(i, j)` of ids occurring exactly once in `a` (at `i`) and once in `b` (at `j`),
/// in `b`'s order.
fn unique_pairs(a: &[u32], b: &[u32], mut seen: impl Counts) -> Vec<(usize, usize)> {
    for (i, &x) in a.iter().enumerate() {
        let e = seen.entry(x);
        e.in_a += 1;
        e.at = i as u32;
    }
    for &x in b {
        if let Some(e) = seen.known(x) {
            e.in_b += 1;
        }
    }
    b.iter()
        .enumerate()
        .filter_map(|(j, &x)| match seen.known(x) {
            Some(&mut Seen {
                in_a: 1,
                at,
                in_b: 1,
            }) => Some((at as usize, j)),
            _ => None,
        })
        .collect()
}

/// Indices of a longest strictly increasing subsequence of `v`, in O(n log n).
/// Ties go to the earliest-ending elements, so the choice is deterministic.
pub(crate) fn lis(v: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // index into v of the tail of each length
    let mut prev: Vec<Option<usize>> = vec![None; v.len()];
    for (k, &x) in v.iter().enumerate() {
        let pos = tails.partition_point(|&t| v[t] < x);
        if pos > 0 {
            prev[k] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        out.push(k);
        cur = prev[k];
    }
    out.reverse();
    out
}

/// Myers' O((N+M)·D) shortest edit script; `None` when D would exceed the cap.
fn myers(a: &[u32], b: &[u32]) -> Option<Vec<(usize, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let cap = myers_cap(a.len(), b.len()) as isize;
    let off = cap + 1;
    let mut v = vec![0isize; (2 * off + 1) as usize];
    // trace[d] holds v[-d..=d] as it was after step d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    // Diagonals tried and elements followed along snakes (`work.rs`).
    let mut steps = 0usize;
    'outer: for d in 0..=cap {
        for k in (-d..=d).step_by(2) {
            steps += 1;
            let down = k == -d || (k != d && v[(off + k - 1) as usize] < v[(off + k + 1) as usize]);
            let mut x = if down {
                v[(off + k + 1) as usize]
            } else {
                v[(off + k - 1) as usize] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
                steps += 1;
            }
            v[(off + k) as usize] = x;
            if x >= n && y >= m {
                trace.push(v[(off - d) as usize..=(off + d) as usize].to_vec());
                found = Some(d);
                break 'outer;
            }
        }
        trace.push(v[(off - d) as usize..=(off + d) as usize].to_vec());
    }
    work::add(steps);
    let dmax = found?;
    // Walk back through the trace, collecting the diagonal (matching) moves.
    let mut pairs = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=dmax).rev() {
        let prev = &trace[(d - 1) as usize];
        // v of step d-1 at diagonal kk (stored from -(d-1)); outside means unreachable.
        let get = |kk: isize| prev.get((kk + d - 1) as usize).copied().unwrap_or(-1);
        let k = x - y;
        let down = k == -d || (k != d && get(k - 1) < get(k + 1));
        let pk = if down { k + 1 } else { k - 1 };
        let px = get(pk);
        // The edit lands on diagonal k at (sx, sx - k); the snake runs from there to (x, y).
        let sx = if down { px } else { px + 1 };
        while x > sx && y > sx - k {
            x -= 1;
            y -= 1;
            pairs.push((x as usize, y as usize));
        }
        x = px;
        y = px - pk;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        pairs.push((x as usize, y as usize));
    }
    pairs.reverse();
    Some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcs_len(a: &[u32], b: &[u32]) -> usize {
        let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                t[i][j] = if a[i] == b[j] {
                    t[i + 1][j + 1] + 1
                } else {
                    t[i + 1][j].max(t[i][j + 1])
                };
            }
        }
        t[0][0]
    }

    fn check(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
        let p = align(a, b);
        for w in p.windows(2) {
            assert!(w[0].0 < w[1].0 && w[0].1 < w[1].1, "{p:?}");
        }
        for &(i, j) in &p {
            assert_eq!(a[i], b[j]);
        }
        p
    }

    #[test]
    fn myers_is_optimal_on_small_inputs() {
        let a = [1, 2, 3, 1, 2, 2, 1];
        let b = [3, 2, 1, 2, 1, 3];
        let p = myers(&a, &b).expect("small");
        assert_eq!(p.len(), lcs_len(&a, &b));
        check(&a, &b);
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        /// The table and the map find the same anchors: ids spread far apart (as hashes
        /// would be) take the map, the same ids numbered from 0 the table.
        #[test]
        fn anchors_by_table_and_by_map_agree(
            a in proptest::collection::vec(0u32..12, 0..40),
            b in proptest::collection::vec(0u32..12, 0..40),
        ) {
            let spread = |v: &[u32]| v.iter().map(|&x| (x + 1) * 40_000_000).collect::<Vec<u32>>();
            let (sa, sb) = (spread(&a), spread(&b));
            proptest::prop_assert!(dense_bound(&a, &b).is_some());
            proptest::prop_assert!(sa.is_empty() || dense_bound(&sa, &sb).is_none());
            proptest::prop_assert_eq!(unique_anchors(&a, &b), unique_anchors(&sa, &sb));
            let table = unique_pairs(&a, &b, vec![Seen::default(); 12]);
            let map = unique_pairs(&a, &b, HashMap::<u32, Seen>::default());
            proptest::prop_assert_eq!(&table, &map);
            let once = |v: &[u32], x: u32| v.iter().filter(|&&y| y == x).count() == 1;
            let unique = (0..12).filter(|&x| once(&a, x) && once(&b, x)).count();
            proptest::prop_assert_eq!(table.len(), unique);
            for &(i, j) in &table {
                proptest::prop_assert_eq!(a[i], b[j]);
                proptest::prop_assert_eq!(a.iter().filter(|&&x| x == a[i]).count(), 1);
                proptest::prop_assert_eq!(b.iter().filter(|&&x| x == b[j]).count(), 1);
            }
        }
    }

    #[test]
    fn lis_basic() {
        assert_eq!(lis(&[3, 1, 2, 5, 4]), vec![1, 2, 4]);
        assert!(lis(&[]).is_empty());
    }

    #[test]
    fn many_repeats_are_fast() {
        let a = vec![7u32; 5000];
        let b = vec![7u32; 3000];
        assert_eq!(check(&a, &b).len(), 3000);
        let a: Vec<u32> = (0..20000).map(|i| i % 2).collect();
        let b: Vec<u32> = (0..20000).map(|i| (i + 1) % 2).collect();
        assert!(check(&a, &b).len() >= 19999);
        let a: Vec<u32> = (0..10000).collect();
        let b: Vec<u32> = (10000..20000).collect();
        assert!(check(&a, &b).is_empty());
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        #[test]
        fn align_is_a_common_subsequence(a in proptest::collection::vec(0u32..4, 0..40),
                                         b in proptest::collection::vec(0u32..4, 0..40)) {
            let p = check(&a, &b);
            proptest::prop_assert!(p.len() <= lcs_len(&a, &b));
            let pm = myers(&a, &b).expect("small");
            proptest::prop_assert_eq!(pm.len(), lcs_len(&a, &b));
        }
    }
}
