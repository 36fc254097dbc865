//! URLs as prov names them: the host a copy is named by, a reference resolved against its base.

/// The host of a URL, lower-cased, without `www.` and without port or credentials.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| h.trim_start_matches('['))?
    } else {
        host.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// Whether `s` starts with a URI scheme (`letter *(letter / digit / + / - / .) :`).
pub fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Resolve a `Location` against the URL that sent it; `None` unless the result is http(s).
pub fn resolve(base: &str, location: &str) -> Option<String> {
    let location = location.trim();
    if location.is_empty() {
        return None;
    }
    let lower = location.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(location.to_string());
    }
    // Any other scheme (`file:/etc/passwd`, `ftp://`, `javascript:`) is no place to go;
    // a relative reference cannot begin with one (a `://` later in its path or query is
    // no scheme).
    if location.starts_with("://") || has_scheme(location) {
        return None;
    }
    let (scheme, rest) = base.split_once("://")?;
    if let Some(net) = location.strip_prefix("//") {
        return (!net.is_empty()).then(|| format!("{scheme}://{net}"));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let after = &rest[authority_end..];
    let path_end = after.find(['?', '#']).unwrap_or(after.len());
    let base_path = if after[..path_end].is_empty() {
        "/"
    } else {
        &after[..path_end]
    };
    let joined = if location.starts_with('/') {
        location.to_string()
    } else if location.starts_with('?') {
        format!("{base_path}{location}")
    } else if location.starts_with('#') {
        let before_fragment = after.find('#').unwrap_or(after.len());
        format!("{}{location}", &after[..before_fragment])
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{location}")
    };
    Some(format!("{scheme}://{authority}{}", remove_dots(&joined)))
}

/// RFC 3986 dot-segment removal on the path part (the query and fragment are kept as they are).
fn remove_dots(path_and_more: &str) -> String {
    let split = path_and_more
        .find(['?', '#'])
        .unwrap_or(path_and_more.len());
    let (path, more) = path_and_more.split_at(split);
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let mut p = out.join("/");
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    format!("{p}{more}")
}
