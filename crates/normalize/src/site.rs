//! Per-site rules from `prov.toml`, compiled once per call: selectors and patterns that
//! do not parse are refused as [`NormalizeError::BadRule`].

use regex::Regex;
use scraper::{ElementRef, Selector};

use super::html::{Arena, Item};
use super::{NormalizeError, Rules};

/// The rules that apply to one page.
#[derive(Debug, Default)]
pub(crate) struct SiteRules {
    drop: Vec<Selector>,
    body: Option<Selector>,
    pub drop_text: Vec<Regex>,
}

/// The host of a URL, lowercased, without port or credentials.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = authority.split(':').next()?.trim_end_matches('.');
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// `host` is `rule` or one of its subdomains.
fn matches_host(host: &str, rule: &str) -> bool {
    let rule = rule
        .trim()
        .trim_start_matches("*.")
        .trim_end_matches('.')
        .to_ascii_lowercase();
    !rule.is_empty() && (host == rule || host.ends_with(&format!(".{rule}")))
}

fn bad(rule: &str, reason: impl std::fmt::Display) -> NormalizeError {
    NormalizeError::BadRule {
        rule: rule.to_string(),
        reason: reason.to_string(),
    }
}

/// Check every rule (a broken rule is an error whichever page is cleaned) and keep
/// those for the page's host, in the order they are written.
pub(crate) fn compile(rules: &Rules, url: Option<&str>) -> Result<SiteRules, NormalizeError> {
    let host = url.and_then(host);
    let mut out = SiteRules::default();
    for site in &rules.sites {
        let applies = host.as_deref().is_some_and(|h| matches_host(h, &site.host));
        for s in &site.drop {
            let sel = Selector::parse(s).map_err(|e| bad(s, e))?;
            if applies {
                out.drop.push(sel);
            }
        }
        if let Some(s) = &site.body {
            let sel = Selector::parse(s).map_err(|e| bad(s, e))?;
            if applies && out.body.is_none() {
                out.body = Some(sel);
            }
        }
        for s in &site.drop_text {
            let re = Regex::new(s).map_err(|e| bad(s, e))?;
            if applies {
                out.drop_text.push(re);
            }
        }
    }
    Ok(out)
}

impl SiteRules {
    /// Selectors are in force: they may name any attribute, so the page keeps them all.
    pub fn selects(&self) -> bool {
        !self.drop.is_empty() || self.body.is_some()
    }

    pub fn drops(&self, e: &ElementRef<'_>) -> bool {
        self.drop.iter().any(|s| s.matches(e))
    }

    /// The first element the body selector matches, as an index into the arena.
    pub fn body_index(&self, arena: &Arena<'_>) -> Option<usize> {
        let sel = self.body.as_ref()?;
        arena
            .nodes
            .iter()
            .position(|n| matches!(n.item, Item::Elem(e) if sel.matches(&e)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::SiteRule;
    use super::*;

    #[test]
    fn hosts_and_subdomains() {
        assert_eq!(
            host("https://User@www.Example.com:8080/a?b").as_deref(),
            Some("www.example.com")
        );
        assert!(matches_host("www.example.com", "example.com"));
        assert!(matches_host("example.com", "example.com"));
        assert!(!matches_host("notexample.com", "example.com"));
    }

    #[test]
    fn bad_rules_are_refused() {
        let rules = |drop: &str, text: &str| Rules {
            sites: vec![SiteRule {
                host: "other.org".into(),
                drop: vec![drop.into()],
                body: None,
                drop_text: vec![text.into()],
            }],
        };
        assert!(compile(&rules(".ok", "ok"), None).is_ok());
        assert!(matches!(
            compile(&rules("[[", "ok"), None),
            Err(NormalizeError::BadRule { .. })
        ));
        assert!(matches!(
            compile(&rules(".ok", "(unclosed"), None),
            Err(NormalizeError::BadRule { .. })
        ));
    }
}
