//! `prov export --prov-json`: an article's provenance as W3C PROV-JSON (Member Submission,
//! 2013), a document any PROV tool reads.
//!
//! What is said, for each capture `C` of copy `K` (outlet host `K`) of article `A`:
//!
//! - entities: `raw:C` (the bytes as captured: URL, time, sha256, size, commit), `text:C`
//!   (its clean text as recorded: sha256, size, normalizer version), `copy:K` and
//!   `article:A`;
//! - activities: `capture:C` (the capture, at its capture time) and `normalize:C` (the
//!   cleaning, at the time prov archived it, with the normalizer's version and rules hash);
//! - agents: `software:prov` (this program) and `outlet:K` (the outlet that served the bytes);
//! - `raw:C` wasGeneratedBy `capture:C`; `normalize:C` used `raw:C`; `text:C` wasGeneratedBy
//!   `normalize:C` and wasDerivedFrom `raw:C`; both activities wasAssociatedWith
//!   `software:prov`; `raw:C` wasAttributedTo `outlet:K`; `raw:C` specializationOf `copy:K`,
//!   and `copy:K` specializationOf `article:A`; each `text:C` is a revision (wasDerivedFrom
//!   with `prov:type` `prov:Revision`) of the text of the copy's previous page capture; each
//!   copy alternateOf the presumed original (see [`super::lineage::order`]).
//!
//! Identifiers, relations' included, are qualified names over the URN prefixes declared in
//! `prefix` (none is a blank node): capture ids never change, so neither do these. Every map is written in key order, so the same archive
//! gives the same bytes.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Item, lineage};
use prov_model::Kind;

/// prov's own vocabulary, for attributes PROV does not define.
pub const VOCAB: &str = "urn:x-prov:vocab#";

/// What the document is made of.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub article: &'a str,
    /// The article's captures, oldest first; texts are not needed.
    pub items: &'a [Item<'a>],
    /// The commit that added each capture, by capture id.
    pub commits: &'a BTreeMap<String, String>,
}

/// The PROV-JSON document of one article.
pub fn document(input: &Input<'_>) -> Value {
    let article = input.article;
    let items = input.items;
    let order = lineage::order(items);
    let original = order.first().map(|o| o.copy.as_str());

    let mut prefix = BTreeMap::new();
    for (p, uri) in [
        ("prov", "http://www.w3.org/ns/prov#".to_string()),
        ("xsd", "http://www.w3.org/2001/XMLSchema#".to_string()),
        ("pv", VOCAB.to_string()),
        ("article", "urn:x-prov:article:".to_string()),
        (
            "copy",
            format!("urn:x-prov:article:{}:copy:", local(article)),
        ),
        ("outlet", "urn:x-prov:outlet:".to_string()),
        ("raw", "urn:x-prov:raw:".to_string()),
        ("text", "urn:x-prov:text:".to_string()),
        ("capture", "urn:x-prov:capture:".to_string()),
        ("normalize", "urn:x-prov:normalize:".to_string()),
        ("software", "urn:x-prov:software:".to_string()),
        // Relations have ids of their own (a derivation names its generation and usage by
        // them), so they too are qualified names over a declared prefix: a blank node
        // (`_:`) is one a PROV reader cannot resolve, and drops.
        (
            "rel",
            format!("urn:x-prov:article:{}:relation:", local(article)),
        ),
    ] {
        prefix.insert(p.to_string(), Value::String(uri));
    }

    let mut d = Doc::default();
    let article_id = format!("article:{}", local(article));
    let title = items
        .iter()
        .find_map(|x| x.capture.meta.page.title.clone())
        .unwrap_or_else(|| article.to_string());
    d.entity.insert(
        article_id.clone(),
        attrs([
            ("prov:type", qn("pv:Article")),
            ("prov:label", json!(title)),
        ]),
    );
    d.agent.insert(
        "software:prov".into(),
        attrs([
            ("prov:type", qn("prov:SoftwareAgent")),
            ("prov:label", json!("prov")),
            ("pv:version", json!(env!("CARGO_PKG_VERSION"))),
        ]),
    );

    for o in &order {
        let c = local(&o.copy);
        let copy_id = format!("copy:{c}");
        let latest = items
            .iter()
            .rev()
            .find(|x| x.capture.copy() == o.copy)
            .map(|x| &x.capture.meta);
        let mut e = obj([
            ("prov:type", qn("pv:Copy")),
            ("prov:label", json!(o.copy)),
            (
                "pv:presumedOriginal",
                json!(Some(o.copy.as_str()) == original),
            ),
            ("pv:earliestEvidence", dt(&o.evidence.time)),
            ("pv:earliestEvidenceKind", json!(o.evidence.kind)),
        ]);
        if let Some(u) = latest.and_then(|m| m.url.as_deref()) {
            e.insert("pv:url".into(), json!(u));
        }
        d.entity.insert(copy_id.clone(), Value::Object(e));
        let publisher = items
            .iter()
            .rev()
            .filter(|x| x.capture.copy() == o.copy)
            .find_map(|x| x.capture.meta.page.publisher.clone());
        d.agent.insert(
            format!("outlet:{c}"),
            attrs([
                ("prov:type", qn("prov:Organization")),
                (
                    "prov:label",
                    json!(publisher.unwrap_or_else(|| o.copy.clone())),
                ),
                ("pv:host", json!(o.copy)),
            ]),
        );
        d.relation(
            "specializationOf",
            format!("rel:spec-copy-{c}"),
            [
                ("prov:specificEntity", json!(copy_id)),
                ("prov:generalEntity", json!(article_id)),
            ],
        );
        if let Some(orig) = original.filter(|orig| *orig != o.copy) {
            d.relation(
                "alternateOf",
                format!("rel:alt-{c}"),
                [
                    ("prov:alternate1", json!(copy_id)),
                    ("prov:alternate2", json!(format!("copy:{}", local(orig)))),
                ],
            );
        }
    }

    // The previous page capture of each copy, for revisions.
    let mut previous_text: BTreeMap<&str, (String, &str)> = BTreeMap::new();
    for x in items {
        let m = &x.capture.meta;
        let id = local(x.capture.id());
        let (raw, cap) = (format!("raw:{id}"), format!("capture:{id}"));
        let copy = local(x.capture.copy());
        let mut e = obj([
            ("prov:type", qn("pv:RawCapture")),
            ("pv:capture", json!(m.capture)),
            ("pv:kind", json!(m.kind)),
            ("pv:file", json!(m.raw.file)),
            ("pv:sha256", json!(m.raw.sha256)),
            ("pv:size", json!(m.raw.size)),
            ("pv:capturedAt", dt(&m.captured_at)),
        ]);
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                e.insert(k.into(), v);
            }
        };
        put("pv:url", m.url.as_deref().map(|u| json!(u)));
        put("pv:finalUrl", m.final_url.as_deref().map(|u| json!(u)));
        put("pv:httpStatus", m.http.as_ref().map(|h| json!(h.status)));
        put("pv:commit", input.commits.get(&m.capture).map(|c| json!(c)));
        put(
            "pv:attribution",
            m.page.attribution.as_deref().map(|a| json!(a)),
        );
        d.entity.insert(raw.clone(), Value::Object(e));
        d.activity.insert(
            cap.clone(),
            attrs([
                ("prov:type", qn("pv:Capture")),
                ("prov:startTime", json!(m.captured_at)),
                ("prov:endTime", json!(m.captured_at)),
                ("pv:timeSource", json!(m.captured_at_source)),
                ("pv:source", json!(m.source)),
            ]),
        );
        d.relation(
            "wasGeneratedBy",
            format!("rel:gen-raw-{id}"),
            [
                ("prov:entity", json!(raw)),
                ("prov:activity", json!(cap)),
                ("prov:time", json!(m.captured_at)),
            ],
        );
        d.relation(
            "wasAssociatedWith",
            format!("rel:assoc-capture-{id}"),
            [
                ("prov:activity", json!(cap)),
                ("prov:agent", json!("software:prov")),
            ],
        );
        d.relation(
            "wasAttributedTo",
            format!("rel:attr-{id}"),
            [
                ("prov:entity", json!(raw)),
                ("prov:agent", json!(format!("outlet:{copy}"))),
            ],
        );
        d.relation(
            "specializationOf",
            format!("rel:spec-raw-{id}"),
            [
                ("prov:specificEntity", json!(raw)),
                ("prov:generalEntity", json!(format!("copy:{copy}"))),
            ],
        );

        let (Kind::Page, Some(t)) = (m.kind, m.text.as_ref()) else {
            continue;
        };
        let (text, norm) = (format!("text:{id}"), format!("normalize:{id}"));
        d.entity.insert(
            text.clone(),
            attrs([
                ("prov:type", qn("pv:CleanText")),
                ("pv:file", json!(t.file)),
                ("pv:sha256", json!(t.sha256)),
                ("pv:size", json!(t.size)),
                ("pv:normalizerVersion", json!(m.normalizer.version)),
            ]),
        );
        d.activity.insert(
            norm.clone(),
            attrs([
                ("prov:type", qn("pv:Normalization")),
                ("prov:startTime", json!(m.archived_at)),
                ("prov:endTime", json!(m.archived_at)),
                ("pv:normalizerVersion", json!(m.normalizer.version)),
                ("pv:rulesSha256", json!(m.normalizer.rules_sha256)),
            ]),
        );
        d.relation(
            "used",
            format!("rel:use-{id}"),
            [
                ("prov:activity", json!(norm)),
                ("prov:entity", json!(raw)),
                ("prov:time", json!(m.archived_at)),
            ],
        );
        d.relation(
            "wasGeneratedBy",
            format!("rel:gen-text-{id}"),
            [
                ("prov:entity", json!(text)),
                ("prov:activity", json!(norm)),
                ("prov:time", json!(m.archived_at)),
            ],
        );
        d.relation(
            "wasAssociatedWith",
            format!("rel:assoc-normalize-{id}"),
            [
                ("prov:activity", json!(norm)),
                ("prov:agent", json!("software:prov")),
            ],
        );
        d.relation(
            "wasDerivedFrom",
            format!("rel:derive-{id}"),
            [
                ("prov:generatedEntity", json!(text)),
                ("prov:usedEntity", json!(raw)),
                ("prov:activity", json!(norm)),
                ("prov:generation", json!(format!("rel:gen-text-{id}"))),
                ("prov:usage", json!(format!("rel:use-{id}"))),
            ],
        );
        if let Some((prev, prev_sha)) = previous_text.get(x.capture.copy()) {
            d.relation(
                "wasDerivedFrom",
                format!("rel:revision-{id}"),
                [
                    ("prov:generatedEntity", json!(text)),
                    ("prov:usedEntity", json!(prev)),
                    ("prov:type", qn("prov:Revision")),
                    ("pv:sameText", json!(*prev_sha == t.sha256)),
                ],
            );
        }
        previous_text.insert(x.capture.copy(), (text, t.sha256.as_str()));
    }

    let mut doc = Map::new();
    doc.insert("prefix".into(), sorted(prefix));
    doc.insert("entity".into(), sorted(d.entity));
    doc.insert("activity".into(), sorted(d.activity));
    doc.insert("agent".into(), sorted(d.agent));
    for (name, records) in d.relations {
        doc.insert(name.into(), sorted(records));
    }
    Value::Object(doc)
}

/// The records of a document, each kind by id.
#[derive(Default)]
struct Doc {
    entity: BTreeMap<String, Value>,
    activity: BTreeMap<String, Value>,
    agent: BTreeMap<String, Value>,
    /// Relations by PROV-JSON name, written in the order first used.
    relations: Vec<(&'static str, BTreeMap<String, Value>)>,
}

impl Doc {
    fn relation<const N: usize>(
        &mut self,
        name: &'static str,
        id: String,
        fields: [(&str, Value); N],
    ) {
        let at = match self.relations.iter().position(|(n, _)| *n == name) {
            Some(i) => i,
            None => {
                self.relations.push((name, BTreeMap::new()));
                self.relations.len() - 1
            }
        };
        self.relations[at].1.insert(id, attrs(fields));
    }
}

fn attrs<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(obj(fields))
}

fn obj<const N: usize>(fields: [(&str, Value); N]) -> Map<String, Value> {
    fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn sorted(m: BTreeMap<String, Value>) -> Value {
    Value::Object(m.into_iter().collect())
}

/// A qualified name as a typed literal.
fn qn(name: &str) -> Value {
    json!({"$": name, "type": "prov:QUALIFIED_NAME"})
}

fn dt(time: &str) -> Value {
    json!({"$": time, "type": "xsd:dateTime"})
}

/// A name made safe as the local part of a qualified name (and of a URI): unreserved ASCII
/// kept, anything else percent-encoded.
fn local(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::capture;
    use super::*;

    #[test]
    fn a_small_document_has_every_kind_of_record_and_is_stable() {
        let a = "# T\n\nOne paragraph.\n";
        let b = "# T\n\nOne paragraph, edited.\n";
        let caps = [
            capture("news.example", "2020-01-01T00:00:00Z", a),
            capture("news.example", "2020-01-02T00:00:00Z", b),
            capture("reprint.example", "2020-01-03T00:00:00Z", a),
        ];
        let items: Vec<Item<'_>> = caps
            .iter()
            .map(|c| Item {
                capture: c,
                text: None,
            })
            .collect();
        let commits = BTreeMap::new();
        let input = Input {
            article: "story",
            items: &items,
            commits: &commits,
        };
        let doc = document(&input);
        assert_eq!(doc, document(&input));
        for key in [
            "prefix",
            "entity",
            "activity",
            "agent",
            "wasGeneratedBy",
            "used",
            "wasDerivedFrom",
            "wasAttributedTo",
            "wasAssociatedWith",
            "specializationOf",
            "alternateOf",
        ] {
            assert!(doc.get(key).is_some(), "no {key}");
        }
        assert_eq!(doc["entity"].as_object().unwrap().len(), 1 + 2 + 3 + 3);
        let revisions: Vec<&Value> = doc["wasDerivedFrom"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r.get("prov:type").is_some())
            .collect();
        assert_eq!(revisions.len(), 1);
        assert_eq!(revisions[0]["pv:sameText"], false);
        assert_eq!(
            doc["alternateOf"]["rel:alt-reprint.example"]["prov:alternate2"],
            "copy:news.example"
        );
    }

    #[test]
    fn local_parts_are_percent_encoded() {
        assert_eq!(local("news.example"), "news.example");
        assert_eq!(local("a b/ü"), "a%20b%2F%C3%BC");
    }
}
