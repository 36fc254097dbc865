//! Article and copy names: derived from page titles and hosts, so they are made safe to be one path component.

/// Longest name kept; longer titles are cut at a word boundary.
pub const MAX_NAME_LEN: usize = 80;

/// Names that mean something else to a file system or to prov's references.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9", "latest",
    "first",
];

/// A slug from a title: lower-case letters and digits of any script, words joined by `-`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if c == '\'' || c == '’' {
            // "Russia's" reads better as "russias" than "russia-s".
        } else {
            dash = true;
        }
    }
    cut(&out)
}

/// A copy name from a host or a user's `--copy`: lower-case, `[a-z0-9.-_]` and letters of any script.
pub fn copy_name(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '.' || c == '-' || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    // Runs of dots mean nothing in a host and look like a path's parent: one dot.
    while out.contains("..") {
        out = out.replace("..", ".");
    }
    let trimmed = out.trim_matches(|c| c == '.' || c == '-').to_string();
    cut(&trimmed)
}

fn cut(s: &str) -> String {
    if s.chars().count() <= MAX_NAME_LEN {
        return s.to_string();
    }
    let mut end = 0;
    let mut last_dash = None;
    for (n, (i, c)) in s.char_indices().enumerate() {
        if n >= MAX_NAME_LEN {
            break;
        }
        if c == '-' {
            last_dash = Some(i);
        }
        end = i + c.len_utf8();
    }
    let end = last_dash.filter(|&d| d > end / 2).unwrap_or(end);
    s[..end].trim_end_matches('-').to_string()
}

/// Why a name given by a user cannot be used, if it cannot.
pub fn check(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(format!("it is longer than {MAX_NAME_LEN} characters"));
    }
    if name.starts_with('.') || name.starts_with('-') {
        return Err("it starts with '.' or '-'".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Err(format!(
            "it contains {c:?}; use letters, digits, '.', '-' and '_'"
        ));
    }
    if name.chars().any(|c| c.is_uppercase()) {
        return Err("it contains upper-case letters".into());
    }
    if RESERVED.contains(&name.split('.').next().unwrap_or(name)) {
        return Err("it is a reserved name".into());
    }
    Ok(())
}

/// Make a derived name usable: never empty, never reserved.
pub fn usable(name: String, fallback: &str) -> String {
    if check(&name).is_ok() {
        name
    } else if name.is_empty() {
        fallback.to_string()
    } else {
        format!("{fallback}-{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_read_well() {
        assert_eq!(
            slug("Rebirth of a Cold War alliance"),
            "rebirth-of-a-cold-war-alliance"
        );
        assert_eq!(
            slug("  Russia's “new” ally — again!  "),
            "russias-new-ally-again"
        );
        assert_eq!(slug("Путин и Ким"), "путин-и-ким");
        assert_eq!(slug("北朝鮮とロシア"), "北朝鮮とロシア");
    }

    #[test]
    fn hostile_titles_cannot_escape_or_collide() {
        for hostile in [
            "../../etc/passwd",
            "/abs/path",
            "a\0b",
            "con",
            "..",
            ".",
            "\u{7}bell",
            "x/../../y",
        ] {
            let s = usable(slug(hostile), "article");
            assert!(check(&s).is_ok(), "{hostile:?} gave {s:?}");
            assert!(!s.contains('/') && !s.contains(".."), "{s}");
        }
        let long = "word ".repeat(10_000);
        let s = slug(&long);
        assert!(s.chars().count() <= MAX_NAME_LEN && check(&s).is_ok());
        assert_eq!(usable(slug("!!!"), "article"), "article");
    }

    #[test]
    fn copy_names_come_from_hosts() {
        assert_eq!(copy_name("aljazeera.com"), "aljazeera.com");
        assert_eq!(copy_name("../Evil Host/"), "evil-host");
        assert_eq!(copy_name("a%2f..%2fb.example"), "a-2f.-2fb.example");
        assert!(check(&usable(copy_name("..."), "local")).is_ok());
    }

    #[test]
    fn user_names_are_checked() {
        assert!(check("lankov-cold-war-alliance").is_ok());
        assert!(check("a/b").is_err());
        assert!(check("..").is_err());
        assert!(check("Upper").is_err());
        assert!(check("nul").is_err());
        assert!(check("").is_err());
    }
}
