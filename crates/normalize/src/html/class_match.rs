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

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::super::classes::{NOISE_CLASS, class_rule, standfirst_class};

    /// The regular expressions the class words replaced, verbatim: one per group, in the
    /// groups' order, and the standfirst's.
    static CLASS_ORACLES: LazyLock<(regex::RegexSet, regex::Regex)> = LazyLock::new(|| {
        let groups = [
            "pull-?quote|pullquote|quote-pull",
            "cookies?|consent|gdpr|banner|meter|modal|popup|overlay|interstitial",
            "newsletters?|subscribe|subscription|signup|sign-up|optin",
            "share|shares|sharing|sharebar|social|socials|bookmarks?|favou?rites?",
            "ad|ads|adv|advert|adverts|advertisement|advertising|dfp|gpt|sponsor|sponsored|commercial",
            "promo|promos|promotion|teaser|cta",
            "related|recommended|recommendations|recirc|recirculation|outbrain|taboola|most-read|mostread|most-popular|popular|trending|rail|sidebar|more-on|read-next|up-next",
            "nav|navbar|navigation|menu|breadcrumbs?|tags|tag-list|topics|skip-link|pagination|masthead|topbar|dropdown",
            "comments?|disqus",
            "byline|author-card|author-box|author-profile|writer-profile|reporter-profile|dateline|article-dates|date-simple|timestamp",
            "figure|figcaption|caption|captions|credit|credits|lightbox|gallery|media-credit",
            "footer|site-footer",
            "header|site-header",
            "screen-reader-text|sr-only|visually-hidden|visuallyhidden|hidden|print-only",
        ];
        // Added since: the embed codes of social posts, before the footer's group.
        let mut groups = groups.to_vec();
        groups.insert(11, "twitter-tweet|instagram-media|tiktok-embed");
        // And a media player's own text, after them.
        groups.insert(
            12,
            "fallback|jwplayer|video-player|audio-player|media-player",
        );
        assert_eq!(groups.len(), NOISE_CLASS.len());
        let set = regex::RegexSet::new(
            groups
                .iter()
                .map(|words| format!(r"(?:^|[^a-z0-9])(?:{words})(?:$|[^a-z0-9])")),
        )
        .unwrap();
        let standfirst = regex::Regex::new(r"(?:^|[^a-z0-9])(?:standfirst|subhead|sub-head|subheadline|dek|summary|lede|lead|intro|description|excerpt|strapline|subtitle|sub-title|deck)(?:$|[^a-z0-9])").unwrap();
        (set, standfirst)
    });

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(3000))]
        #[test]
        fn class_words_agree_with_the_regular_expressions(
            parts in proptest::collection::vec(
                (
                    proptest::sample::select(&[
                        "ad", "ads", "pull", "quote", "pullquote", "site", "footer", "screen",
                        "reader", "text", "sr", "only", "most", "read", "lead", "dek", "sub",
                        "head", "x", "2", "é", "", "cookies", "newsletters", "breadcrumbs",
                        "comments", "comment", "tag", "list", "up", "sign", "twitter", "tweet",
                    ][..]),
                    proptest::sample::select(&["-", "-", "-", " ", "_", "--", "", "é", "A"][..]),
                ),
                0..8,
            )
        ) {
            let s: String = parts.iter().map(|(w, g)| format!("{w}{g}")).collect();
            let (set, standfirst) = &*CLASS_ORACLES;
            let want = set.matches(&s).iter().next().map(|k| NOISE_CLASS[k].1);
            proptest::prop_assert_eq!(class_rule(&s), want, "{:?}", s);
            proptest::prop_assert_eq!(standfirst_class(&s), standfirst.is_match(&s), "{:?}", s);
        }
    }
}
