//! The whole-word look-up of class words, written by hand where regular expressions were
//! (compiling them cost more than a page's look-ups); the tests hold it to those
//! expressions.

/// Words of lower-cased `class`, `id` and `itemprop` values, looked up whole: a word is a run
/// of ASCII letters and digits, or several such runs joined by single hyphens
/// (`site-footer`), so `header-ads-shadow` holds `ads` and `skip-link-top` holds
/// `skip-link`. By hand rather than one regular expression, whose compiling cost more than
/// the look-ups of a whole page.
pub(super) struct ClassWords {
    /// (word, group) by the word's first byte, each list in group order.
    by_first: Vec<Vec<(&'static str, usize)>>,
    /// The most runs any word spans.
    runs: usize,
}

impl ClassWords {
    pub(super) fn new<'a>(groups: impl IntoIterator<Item = &'a [&'static str]>) -> Self {
        let mut by_first = vec![Vec::new(); 128];
        let mut runs = 1;
        for (g, words) in groups.into_iter().enumerate() {
            for &w in words {
                runs = runs.max(w.matches('-').count() + 1);
                if let Some(list) = w
                    .bytes()
                    .next()
                    .and_then(|b| by_first.get_mut(usize::from(b)))
                {
                    list.push((w, g));
                }
            }
        }
        ClassWords { by_first, runs }
    }

    pub(super) fn group_of(&self, word: &str) -> Option<usize> {
        let list = self.by_first.get(usize::from(*word.as_bytes().first()?))?;
        list.iter().find(|(w, _)| *w == word).map(|&(_, g)| g)
    }

    /// The first group (the lowest index) with a word in `s`.
    pub(super) fn first_group(&self, s: &str) -> Option<usize> {
        let b = s.as_bytes();
        let alnum = |i: usize| {
            b.get(i)
                .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        };
        let mut best: Option<usize> = None;
        let mut i = 0;
        while i < b.len() {
            if !alnum(i) {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = start;
            for m in 0..self.runs {
                // Runs join into one word across a single hyphen only.
                if m > 0 && !(b[end] == b'-' && alnum(end + 1)) {
                    break;
                }
                end += usize::from(m > 0);
                while alnum(end) {
                    end += 1;
                }
                if m == 0 {
                    i = end;
                }
                if let Some(g) = self.group_of(&s[start..end]) {
                    best = Some(best.map_or(g, |b| b.min(g)));
                }
                if end == b.len() {
                    break;
                }
            }
        }
        best
    }
}
