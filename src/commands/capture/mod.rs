//! Capture as a pipeline of stages, each saying what it did as an [`event::Event`] that printers turn into lines (ripgrep's printers): the sources (`sources`), fetched behind the per-host gate (`gate`) and cleaned on worker threads (`pipeline`), filed and committed in the order named (`record`); a text, a JSON and a progress printer (`printers`). `snapshot` and its bulk runs (`--from`) run all of it; `--history` (`commands::history`) fetches in its own loop behind the gate and shares `record` and the printers; `watch` shares the gate, `record::finding` and the printers.

pub(crate) mod event;
pub(crate) mod gate;
pub(crate) mod pipeline;
pub(crate) mod printers;
pub(crate) mod record;
pub(crate) mod sources;

/// What the stages' unit tests share.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::archive::Meta;

    /// A page's meta.json, captured from `https://example.com/story`.
    pub(crate) fn meta() -> Meta {
        serde_json::from_value(serde_json::json!({
            "meta_version": 1,
            "article": "story",
            "copy": "example.com",
            "capture": "20180504T104000Z-0a1b2c3d",
            "kind": "page",
            "filed_by": "url",
            "source": "https://example.com/story",
            "url": "https://example.com/story",
            "final_url": null,
            "captured_at": "2018-05-04T10:40:00Z",
            "captured_at_source": "fetched",
            "archived_at": "2018-05-04T10:40:00Z",
            "http": null,
            "format": "html",
            "charset": null,
            "raw": {"file": "raw.html", "sha256": "aa", "size": 3},
            "text": {"file": "text.txt", "sha256": "bb", "size": 2},
            "normalizer": {"version": 1, "rules_sha256": "cc", "rules": ""},
            "page": {},
            "stripped": []
        }))
        .expect("a meta.json")
    }
}
