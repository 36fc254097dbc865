//! No input crashes prov's pure core: arbitrary bytes through the normalizer, arbitrary strings through the reference parser.

// Test helpers unwrap: a failure there is a failed test, reported with its location.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use prov_testing as testing;

use prov::archive::refs::{Resolved, resolve};
use prov::archive::{Capture, Meta};
use prov::normalize::{Input, Rules, normalize};

fn clean(bytes: &[u8], file_name: Option<&str>) -> Option<String> {
    let input = Input {
        bytes,
        file_name,
        ..Default::default()
    };
    normalize(&input, &Rules::default())
        .ok()
        .filter(|n| n.no_text.is_none())
        .map(|n| n.text)
}

/// Fragments that real and broken pages are made of.
fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<div class=\"article\">".to_string()),
        Just("</div>".to_string()),
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<h1>Title".to_string()),
        Just("<aside class=pull-quote>".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<meta charset=\"iso-8859-1\">".to_string()),
        Just("<!--".to_string()),
        Just("<![CDATA[".to_string()),
        Just("&amp;&#0;&#xFFFFFF;&bogus;".to_string()),
        Just(
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":"
                .to_string()
        ),
        "[ -~]{0,40}",
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(testing::proptest_config(300))]

    #[test]
    fn arbitrary_bytes_never_crash_and_clean_the_same_twice(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let a = clean(&bytes, None);
        prop_assert_eq!(a, clean(&bytes, None));
        let _ = clean(&bytes, Some("raw.html"));
        let _ = clean(&bytes, Some("raw.txt"));
    }

    #[test]
    fn broken_html_never_crashes(pieces in proptest::collection::vec(html_piece(), 0..60)) {
        let page = pieces.concat();
        let a = clean(page.as_bytes(), Some("raw.html"));
        prop_assert_eq!(&a, &clean(page.as_bytes(), Some("raw.html")));
        if let Some(text) = a {
            prop_assert!(text.starts_with("# "));
            prop_assert!(text.ends_with('\n'));
        }
    }

    #[test]
    fn arbitrary_references_never_crash(reference in "\\PC{0,40}") {
        let caps = captures();
        let cwd = std::env::temp_dir().join("prov-no-such-folder");
        if let Ok(Resolved::Capture(c)) = resolve(None, &caps, &reference, &cwd) {
            prop_assert!(caps.iter().any(|k| k.id() == c.id()));
        }
    }
}

fn captures() -> Vec<Capture> {
    ["20180504T101200Z-aaaa1111", "20180505T101200Z-bbbb2222"]
        .iter()
        .map(|id| {
            let meta: Meta = serde_json::from_value(serde_json::json!({
                "meta_version": 1, "article": "story", "copy": "local", "capture": id,
                "kind": "page", "filed_by": "option", "source": "-", "url": null, "final_url": null,
                "captured_at": "2018-05-04T10:12:00Z", "captured_at_source": "declared",
                "archived_at": "2018-05-04T10:12:00Z", "http": null, "format": "text", "charset": null,
                "raw": {"file": "raw.txt", "sha256": "0", "size": 0}, "text": null,
                "normalizer": {"version": 1, "rules_sha256": "0", "rules": ""},
                "page": {}, "stripped": []
            }))
            .unwrap();
            Capture { dir: format!("snapshots/story/local/{id}"), meta, refiled: None }
        })
        .collect()
}

#[test]
fn reference_forms_resolve_in_memory() {
    let caps = captures();
    let cwd = std::env::temp_dir().join("prov-no-such-folder");
    let id = |r: &str| match resolve(None, &caps, r, &cwd) {
        Ok(Resolved::Capture(c)) => c.id().to_string(),
        other => panic!("{r}: {other:?}"),
    };
    assert_eq!(id("story"), "20180505T101200Z-bbbb2222");
    assert_eq!(id("story@1"), "20180504T101200Z-aaaa1111");
    assert_eq!(id("story/local@first"), "20180504T101200Z-aaaa1111");
    assert_eq!(id("20180505"), "20180505T101200Z-bbbb2222");
    assert!(
        resolve(None, &caps, "2018", &cwd).is_err(),
        "ambiguous prefix"
    );
    assert!(resolve(None, &caps, "story@0", &cwd).is_err());
    assert!(resolve(None, &caps, "story@99999999999999999999999", &cwd).is_err());
}
