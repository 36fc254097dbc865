//! The sources stage: what a run captures, named on the command line or listed in `--from` (a file's line may add the URL it was saved from and when).

use std::io::Read;

use crate::commands::{CliError, Ctx};
use crate::fetch::{self, Source, warc};
use crate::timefmt;

/// What a line of `--from` says of its file besides its path: `PATH<TAB>URL[<TAB>TIME]`,
/// for pages saved from the web whose URL and time are known (as `--url` and `--at` say
/// for one file).
#[derive(Debug, Default, Clone)]
pub(crate) struct Given {
    pub url: Option<String>,
    pub at: Option<jiff::Timestamp>,
}

/// The sources named on the command line, then those of `--from`, with what their lines say
/// (`--url` and `--at` for each, unless its line says otherwise).
pub(crate) fn all_sources(
    named: &[String],
    from: Option<&str>,
    url: Option<&str>,
    at: Option<&str>,
    ctx: &Ctx,
) -> Result<(Vec<String>, Vec<Given>), CliError> {
    let declared = at.map(timefmt::parse).transpose()?;
    let given = Given {
        url: url.map(str::to_string),
        at: declared,
    };
    let mut sources = named.to_vec();
    let mut givens = vec![given.clone(); sources.len()];
    let Some(from) = from else {
        return Ok((sources, givens));
    };
    let mut bytes = Vec::new();
    let read = if from == "-" {
        std::io::stdin()
            .lock()
            .take(fetch::MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(ctx.cwd.join(from))
            .and_then(|f| f.take(fetch::MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| CliError::new(format!("{from}: cannot read the list of sources: {e}")))?;
    if bytes.len() as u64 > fetch::MAX_FILE_BYTES {
        return Err(CliError::new(format!(
            "{from}: the list of sources is larger than {} bytes",
            fetch::MAX_FILE_BYTES
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::new(format!("{from}: the list of sources is not UTF-8")))?;
    for (source, g) in parse_list(from, &text, &given)? {
        sources.push(source);
        givens.push(g);
    }
    Ok((sources, givens))
}

/// The sources a list (`--from`, named `from`) gives, each with what its line says over
/// `given`: `SOURCE[<TAB>URL[<TAB>TIME]]`, `#` comments and blank lines skipped.
fn parse_list(from: &str, text: &str, given: &Given) -> Result<Vec<(String, Given)>, CliError> {
    let mut listed = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t').map(str::trim);
        let source = cols.next().unwrap_or_default().to_string();
        let mut g = given.clone();
        if let Some(url) = cols.next().filter(|u| !u.is_empty()) {
            if !matches!(Source::parse(&source), Source::File(_)) || warc::is_warc_path(&source) {
                return Err(CliError::new(format!(
                    "{from} line {}: only a page's file takes a URL and a time after it",
                    n + 1
                )));
            }
            g.url = Some(url.to_string());
        }
        if let Some(at) = cols.next().filter(|t| !t.is_empty()) {
            g.at = Some(
                timefmt::parse(at)
                    .map_err(|e| CliError::new(format!("{from} line {}: {e}", n + 1)))?,
            );
        }
        if cols.next().is_some() {
            return Err(CliError::new(format!(
                "{from} line {}: a line is a source, then at most a URL and a time, tab-separated",
                n + 1
            )));
        }
        listed.push((source, g));
    }
    Ok(listed)
}

/// stdin (`-`) read once at most: as a source or as the list of sources.
pub(crate) fn stdin_once(sources: &[String], from: Option<&str>) -> Result<(), CliError> {
    let uses =
        sources.iter().filter(|s| s.as_str() == "-").count() + usize::from(from == Some("-"));
    if uses > 1 {
        return Err(CliError::new(
            "stdin (`-`) can be captured only once per command",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Given, parse_list, stdin_once};

    fn parse(text: &str) -> Result<Vec<(String, Given)>, String> {
        let given = Given {
            url: Some("https://example.com/given".into()),
            at: None,
        };
        parse_list("urls.txt", text, &given).map_err(|e| e.to_string())
    }

    #[test]
    fn a_list_gives_a_source_a_line_and_a_file_its_url_and_time() {
        let listed = parse(
            "# saved pages\n\n  https://example.com/a  \nsaved.html\thttps://example.com/b\t2018-05-04T10:40:00Z\nother.html\n",
        )
        .expect("a good list");
        let sources: Vec<&str> = listed.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            sources,
            ["https://example.com/a", "saved.html", "other.html"]
        );
        // A line without its own URL keeps the command line's.
        assert_eq!(
            listed[0].1.url.as_deref(),
            Some("https://example.com/given")
        );
        assert_eq!(listed[1].1.url.as_deref(), Some("https://example.com/b"));
        assert_eq!(
            listed[1].1.at.map(|t| t.to_string()).as_deref(),
            Some("2018-05-04T10:40:00Z")
        );
        assert_eq!(listed[2].1.at, None);
    }

    #[test]
    fn a_bad_line_is_named() {
        assert_eq!(
            parse("a.html\nhttps://example.com/a\thttps://example.com/b\n").unwrap_err(),
            "urls.txt line 2: only a page's file takes a URL and a time after it"
        );
        assert_eq!(
            parse("crawl.warc\thttps://example.com/b\n").unwrap_err(),
            "urls.txt line 1: only a page's file takes a URL and a time after it"
        );
        assert!(
            parse("a.html\thttps://example.com/b\tyesterday-ish\n")
                .unwrap_err()
                .starts_with("urls.txt line 1: ")
        );
        assert_eq!(
            parse("a.html\thttps://example.com/b\t2018-05-04\textra\n").unwrap_err(),
            "urls.txt line 1: a line is a source, then at most a URL and a time, tab-separated"
        );
    }

    #[test]
    fn stdin_is_read_once_at_most() {
        let named = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(stdin_once(&named(&["-", "a.html"]), None).is_ok());
        assert!(stdin_once(&named(&["a.html"]), Some("-")).is_ok());
        assert!(stdin_once(&named(&["-"]), Some("-")).is_err());
        assert!(stdin_once(&named(&["-", "-"]), None).is_err());
    }
}
