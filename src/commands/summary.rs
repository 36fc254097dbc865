//! The closing line of a run over many sources (`snapshot --from`, `watch`): how many sources
//! were captured, unchanged, found gone or moved, gave no text, or failed. Pure: the caller
//! counts and prints.

/// What the sources of a run came to, one count each.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub captured: usize,
    pub unchanged: usize,
    pub gone: usize,
    pub moved: usize,
    pub no_text: usize,
    pub failed: usize,
    /// WARC files read (each says what its records came to in a line of its own).
    pub warc: usize,
}

impl Tally {
    pub fn sources(&self) -> usize {
        self.captured
            + self.unchanged
            + self.gone
            + self.moved
            + self.no_text
            + self.failed
            + self.warc
    }

    /// `250 sources: 12 captured, 236 unchanged, 1 gone, 1 failed`: the counts that are not
    /// zero, findings and failures last so the eye ends on them.
    pub fn line(&self) -> String {
        let n = self.sources();
        let parts: Vec<String> = [
            (self.captured, "captured"),
            (self.unchanged, "unchanged"),
            (
                self.warc,
                if self.warc == 1 {
                    "WARC file"
                } else {
                    "WARC files"
                },
            ),
            (self.no_text, "without text"),
            (self.gone, "gone"),
            (self.moved, "moved"),
            (self.failed, "failed"),
        ]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, what)| format!("{count} {what}"))
        .collect();
        let sources = if n == 1 { "source" } else { "sources" };
        if parts.is_empty() {
            return format!("{n} {sources}");
        }
        format!("{n} {sources}: {}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn the_line_counts_what_is_not_zero_with_findings_last() {
        let t = Tally {
            captured: 12,
            unchanged: 236,
            gone: 1,
            failed: 1,
            ..Tally::default()
        };
        assert_eq!(
            t.line(),
            "250 sources: 12 captured, 236 unchanged, 1 gone, 1 failed"
        );
        assert_eq!(Tally::default().line(), "0 sources");
        let one = Tally {
            moved: 1,
            ..Tally::default()
        };
        assert_eq!(one.line(), "1 source: 1 moved");
    }
}
