//! `prov.toml` as text: the archive's settings, per-site rules and `[watch]`, parsed from a
//! string (the root reads the file: no file system here), and the normalizer they put in force.

use serde::{Deserialize, Serialize};

use prov_normalize::{NORMALIZER_VERSION, Rules};
// The normalizer's identity and the hash are the data model's (meta.json records them).
pub use prov_model::hash::{hex, sha256_hex};
pub use prov_model::normalizer::NormalizerId;

/// The file name that marks an archive's root.
pub const FILE_NAME: &str = "prov.toml";

/// What `prov init` writes: every setting commented, so a person sees what can be set.
pub const TEMPLATE: &str = r##"# prov archive settings. See `prov --help`.

[diff]
# Regular expressions for text that never counts as a change (an "Updated at" line, a view counter).
ignore = []

# Per-site rules add to the built-in ones. They are matched by host (subdomains included) and
# recorded with every capture, so a change of rules is never mistaken for a change of article.
#
# [[site]]
# host = "example.com"
# drop = [".newsletter-box", "#comments"]   # CSS selectors to remove
# body = "article .story-body"             # CSS selector taken as the article body
# drop_text = ["^Read more:"]              # paragraphs matching a pattern are dropped
"##;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub diff: DiffConfig,
    #[serde(default, rename = "site")]
    pub sites: Vec<prov_normalize::SiteRule>,
    /// `[watch]`: what `prov watch` follows and how often.
    #[serde(default)]
    pub watch: prov_watch::WatchConfig,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffConfig {
    #[serde(default)]
    pub ignore: Vec<String>,
}

impl Config {
    /// `prov.toml`'s text parsed; the error is TOML's message (the caller names the file).
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    pub fn rules(&self) -> Rules {
        Rules {
            sites: self.sites.clone(),
        }
    }
}

/// The normalizer in force with `rules`: today's version and the hash of the rules' text.
pub fn current_normalizer(rules: &Rules) -> NormalizerId {
    NormalizerId::of(NORMALIZER_VERSION, rules.to_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses_to_the_default() {
        assert_eq!(Config::parse(TEMPLATE).unwrap(), Config::default());
    }

    #[test]
    fn site_rules_and_ignores_parse() {
        let c = Config::parse(
            "[diff]\nignore=['^Updated']\n[[site]]\nhost='example.com'\ndrop=['.ad']\n",
        )
        .unwrap();
        assert_eq!(c.diff.ignore, vec!["^Updated"]);
        assert_eq!(c.sites[0].host, "example.com");
        assert_eq!(c.rules().sites[0].drop, vec![".ad"]);
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(Config::parse("[dif]\n").is_err());
    }

    #[test]
    fn rules_hash_follows_the_rules() {
        let a = current_normalizer(&Rules::default());
        let b = current_normalizer(&Config::parse("[[site]]\nhost='x.org'\n").unwrap().rules());
        assert!(!a.same_as(&b));
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
