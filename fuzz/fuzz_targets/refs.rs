//! Fuzz the capture-reference parser: any string resolves, errs, or names a file; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prov::archive::refs::resolve;
use prov::archive::{Capture, Meta};

fn captures() -> Vec<Capture> {
    ["20180504T101200Z-aaaa1111", "20180505T101200Z-bbbb2222"]
        .iter()
        .filter_map(|id| {
            let meta: Meta = serde_json::from_value(serde_json::json!({
                "meta_version": 1, "article": "story", "copy": "local", "capture": id,
                "kind": "page", "filed_by": "option", "source": "-", "url": null, "final_url": null,
                "captured_at": "2018-05-04T10:12:00Z", "captured_at_source": "declared",
                "archived_at": "2018-05-04T10:12:00Z", "http": null, "format": "text", "charset": null,
                "raw": {"file": "raw.txt", "sha256": "0", "size": 0}, "text": null,
                "normalizer": {"version": 1, "rules_sha256": "0", "rules": ""},
                "page": {}, "stripped": []
            }))
            .ok()?;
            Some(Capture { dir: format!("snapshots/story/local/{id}"), meta })
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    if let Ok(reference) = std::str::from_utf8(data) {
        let cwd = std::env::temp_dir().join("prov-fuzz-no-such-folder");
        let _ = resolve(None, &captures(), reference, &cwd);
    }
});
