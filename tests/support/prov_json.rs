//! A hand-written check of a PROV-JSON document against the rules of the PROV-JSON schema
//! (W3C Member Submission "PROV-JSON", 24 April 2013, http://www.w3.org/Submission/prov-json/schema),
//! plus two of our own: every qualified name's prefix is declared, and every record a relation
//! names (other than a blank node `_:...`) is declared.
//!
//! Why by hand: the schema's text could not be taken into this repository, so its rules are
//! restated here: the top-level keys allowed (`additionalProperties: false`), `prefix` keys
//! matching `^[a-zA-Z0-9_\-]+$` with URI values, records as maps of attribute values (a
//! string, number, boolean, typed literal `{"$": string, "type": uri, "lang": string}` or a
//! non-empty array of these), and each relation's required fields, its URI-formatted
//! identifiers and its `date-time` times.

#![allow(dead_code)]

use serde_json::Value;

/// A relation's name in the document, its required fields, its fields of format `uri`, and
/// its fields of format `date-time` (the schema's definitions).
type Relation = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const RELATIONS: &[Relation] = &[
    (
        "wasGeneratedBy",
        &["prov:entity"],
        &["prov:entity", "prov:activity"],
        &["prov:time"],
    ),
    (
        "used",
        &["prov:entity"],
        &["prov:entity", "prov:activity"],
        &["prov:time"],
    ),
    (
        "wasInformedBy",
        &["prov:informant", "prov:informed"],
        &["prov:informant", "prov:informed"],
        &[],
    ),
    (
        "wasStartedBy",
        &["prov:activity"],
        &["prov:activity", "prov:trigger"],
        &["prov:time"],
    ),
    (
        "wasEndedby",
        &["prov:activity"],
        &["prov:activity", "prov:trigger"],
        &["prov:time"],
    ),
    (
        "wasInvalidatedBy",
        &["prov:entity"],
        &["prov:entity", "prov:activity"],
        &["prov:time"],
    ),
    (
        "wasDerivedFrom",
        &["prov:generatedEntity", "prov:usedEntity"],
        &[
            "prov:generatedEntity",
            "prov:usedEntity",
            "prov:activity",
            "prov:generation",
            "prov:usage",
        ],
        &[],
    ),
    (
        "wasAttributedTo",
        &["prov:entity", "prov:agent"],
        &["prov:entity", "prov:agent"],
        &[],
    ),
    (
        "wasAssociatedWith",
        &["prov:activity"],
        &["prov:activity", "prov:agent", "prov:plan"],
        &[],
    ),
    (
        "actedOnBehalfOf",
        &["prov:delegate", "prov:responsible"],
        &["prov:delegate", "prov:responsible", "prov:activity"],
        &[],
    ),
    (
        "wasInfluencedBy",
        &["prov:influencer", "prov:influencee"],
        &["prov:influencer", "prov:influencee"],
        &[],
    ),
    (
        "specializationOf",
        &["prov:generalEntity", "prov:specificEntity"],
        &["prov:generalEntity", "prov:specificEntity"],
        &[],
    ),
    (
        "alternateOf",
        &["prov:alternate1", "prov:alternate2"],
        &["prov:alternate1", "prov:alternate2"],
        &[],
    ),
    (
        "hadMember",
        &["prov:collection", "prov:entity"],
        &["prov:collection", "prov:entity"],
        &[],
    ),
];

const RECORDS: &[&str] = &["entity", "activity", "agent"];

/// Every violation found, as a sentence naming where; empty when the document is valid.
pub fn check(doc: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let Some(top) = doc.as_object() else {
        return vec!["the document is not an object".into()];
    };
    for key in top.keys() {
        let known = key == "prefix"
            || key == "bundle"
            || RECORDS.contains(&key.as_str())
            || RELATIONS.iter().any(|r| r.0 == key);
        if !known {
            bad.push(format!("top-level key {key:?} is not allowed"));
        }
    }
    let mut prefixes = vec!["prov".to_string(), "xsd".to_string()];
    if let Some(p) = top.get("prefix") {
        match p.as_object() {
            None => bad.push("prefix is not an object".into()),
            Some(p) => {
                for (k, v) in p {
                    if k.is_empty()
                        || !k
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        bad.push(format!("prefix {k:?} does not match ^[a-zA-Z0-9_\\-]+$"));
                    }
                    match v.as_str() {
                        Some(u) if is_uri(u) => prefixes.push(k.clone()),
                        _ => bad.push(format!("prefix {k:?} is not a URI: {v}")),
                    }
                }
            }
        }
    }
    let mut declared = Vec::new();
    for kind in RECORDS {
        let Some(records) = top.get(*kind) else {
            continue;
        };
        let Some(records) = records.as_object() else {
            bad.push(format!("{kind} is not an object"));
            continue;
        };
        for (id, r) in records {
            declared.push(id.clone());
            check_name(id, &prefixes, &mut bad);
            match r.as_object() {
                None => bad.push(format!("{kind} {id} is not an object")),
                Some(attrs) => {
                    for (k, v) in attrs {
                        check_name(k, &prefixes, &mut bad);
                        if !is_attribute_value(v) {
                            bad.push(format!("{kind} {id}: {k} is not an attribute value: {v}"));
                        }
                    }
                }
            }
        }
    }
    // Relations' ids are names too (a derivation names its generation and usage by them).
    for (name, ..) in RELATIONS {
        if let Some(records) = top.get(*name).and_then(Value::as_object) {
            declared.extend(records.keys().cloned());
        }
    }
    for (name, required, uris, times) in RELATIONS {
        let Some(records) = top.get(*name) else {
            continue;
        };
        let Some(records) = records.as_object() else {
            bad.push(format!("{name} is not an object"));
            continue;
        };
        for (id, r) in records {
            check_name(id, &prefixes, &mut bad);
            let Some(attrs) = r.as_object() else {
                bad.push(format!("{name} {id} is not an object"));
                continue;
            };
            for req in *required {
                if !attrs.contains_key(*req) {
                    bad.push(format!("{name} {id} lacks {req}"));
                }
            }
            for (k, v) in attrs {
                if uris.contains(&k.as_str()) {
                    match v.as_str() {
                        Some(s) if is_uri(s) => {
                            check_name(s, &prefixes, &mut bad);
                            if !declared.iter().any(|d| d == s) {
                                bad.push(format!("{name} {id}: {k} names {s}, declared nowhere"));
                            }
                        }
                        _ => bad.push(format!("{name} {id}: {k} is not a URI: {v}")),
                    }
                } else if times.contains(&k.as_str()) {
                    if !v.as_str().is_some_and(is_date_time) {
                        bad.push(format!("{name} {id}: {k} is not a date-time: {v}"));
                    }
                } else if !is_attribute_value(v) {
                    bad.push(format!("{name} {id}: {k} is not an attribute value: {v}"));
                }
            }
        }
    }
    bad
}

/// A qualified name over a declared prefix. Not a blank node (`_:x`): the schema allows one,
/// but the reference implementation (the Python `prov` package) cannot resolve it and drops
/// the relation's id and every link to it.
fn check_name(name: &str, prefixes: &[String], bad: &mut Vec<String>) {
    match name.split_once(':') {
        Some((p, _)) if prefixes.iter().any(|x| x == p) => {}
        _ => bad.push(format!("{name} has no declared prefix")),
    }
}

fn is_literal(v: &Value) -> bool {
    match v {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
        Value::Object(o) => {
            o.get("$").is_some_and(Value::is_string)
                && o.get("type").is_none_or(|t| t.as_str().is_some_and(is_uri))
                && o.get("lang").is_none_or(Value::is_string)
                && o.keys().all(|k| k == "$" || k == "type" || k == "lang")
        }
        _ => false,
    }
}

fn is_attribute_value(v: &Value) -> bool {
    match v {
        Value::Array(items) => !items.is_empty() && items.iter().all(is_literal),
        other => is_literal(other),
    }
}

/// JSON Schema's `uri` format: an absolute URI (RFC 3986): a scheme, a colon, and only
/// characters a URI may hold, with well-formed percent escapes. A blank node `_:x` passes.
pub fn is_uri(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("_:") {
        return !rest.is_empty();
    }
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if i + 2 >= b.len() || !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
            continue;
        }
        let allowed = c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c);
        if !allowed {
            return false;
        }
        i += 1;
    }
    scheme_ok
}

/// JSON Schema's `date-time` format: RFC 3339 with an offset.
pub fn is_date_time(s: &str) -> bool {
    s.contains('T') && s.parse::<jiff::Timestamp>().is_ok()
}
