//! A capture's bytes and texts: the raw bytes and `text.txt` as recorded, and the clean text
//! by today's normalizer (re-derived and cached under `.git/prov/cache/` when the recorded
//! one was made by another).

use super::{Archive, ArchiveError, Backend, Capture, Kind};
use prov_config::sha256_hex;
use prov_normalize::{self as normalize, Input, Normalized};

impl<S: Backend> Archive<S> {
    /// The bytes as captured.
    pub fn raw(&self, c: &Capture) -> Result<Vec<u8>, ArchiveError> {
        self.read_committed(&c.path(&c.meta.raw.file))
    }

    /// `text.txt` as recorded at capture time.
    pub fn recorded_text(&self, c: &Capture) -> Result<String, ArchiveError> {
        if c.meta.kind != Kind::Page || c.meta.text.is_none() {
            return Err(no_text(c));
        }
        let path = c.path("text.txt");
        let bytes = self.read_committed(&path)?;
        prov_text::utf8::into_string(bytes).map_err(|_| ArchiveError::CorruptMeta {
            path,
            reason: "it is not UTF-8".into(),
        })
    }

    /// The capture's clean text as today's normalizer makes it: the recorded text when it
    /// was made by today's normalizer, else re-derived from the raw bytes (and cached under
    /// `.git/prov/cache/`), so an improvement of the normalizer never looks like an edit.
    pub fn current_text(&self, c: &Capture) -> Result<String, ArchiveError> {
        let current = self.normalizer_id();
        if c.meta.kind != Kind::Page || c.meta.normalizer.same_as(&current) {
            return self.recorded_text(c);
        }
        let dir = self.prov_dir().join("cache").join(format!(
            "v{}-{}",
            current.version,
            &current.rules_sha256[..16.min(current.rules_sha256.len())]
        ));
        // Cleaning depends on the bytes and on what is known of them (the URL picks per-site
        // rules; the content type and file name decide HTML or text): all go into the key.
        let key = sha256_hex(
            format!(
                "{}\n{}\n{}\n{}",
                c.meta.raw.sha256,
                c.meta.url.as_deref().unwrap_or(""),
                c.meta
                    .http
                    .as_ref()
                    .and_then(|h| h.content_type.as_deref())
                    .unwrap_or(""),
                c.meta.raw.file
            )
            .as_bytes(),
        );
        let cached = dir.join(format!("{key}.txt"));
        if let Some(text) = std::fs::read(&cached)
            .ok()
            .and_then(|b| prov_text::utf8::into_string(b).ok())
        {
            return Ok(text);
        }
        let raw = self.raw(c)?;
        let normalized = self.normalize_raw(&raw, c)?;
        // The cache is derived data: failing to write it costs time, not correctness.
        if std::fs::create_dir_all(&dir).is_ok() {
            let tmp = dir.join(format!("{key}.tmp{}", std::process::id()));
            if std::fs::write(&tmp, &normalized.text).is_ok() {
                let _ = std::fs::rename(&tmp, &cached);
            }
        }
        Ok(normalized.text)
    }

    fn normalize_raw(&self, raw: &[u8], c: &Capture) -> Result<Normalized, ArchiveError> {
        let input = Input {
            bytes: raw,
            content_type: c.meta.http.as_ref().and_then(|h| h.content_type.as_deref()),
            url: c.meta.url.as_deref(),
            file_name: Some(&c.meta.raw.file),
        };
        let failed = |reason: String| ArchiveError::Renormalize {
            capture: c.id().to_string(),
            reason,
        };
        // Bytes that give no text give today's verdict all the same: an empty text.
        normalize::normalize(&input, &self.config.rules()).map_err(|e| failed(e.to_string()))
    }
}

/// The error for asking a gone or moved capture for its text.
pub fn no_text(c: &Capture) -> ArchiveError {
    let http = c.meta.http.as_ref();
    let status = match (http.map(|h| h.status), c.meta.kind) {
        (Some(s), Kind::Moved) => match &c.meta.final_url {
            Some(to) => format!("{s}, to {to}"),
            None => s.to_string(),
        },
        (Some(s), _) => s.to_string(),
        (None, _) => "no HTTP status".to_string(),
    };
    ArchiveError::NoText {
        capture: c.id().to_string(),
        url: c.meta.url.clone().unwrap_or_else(|| c.meta.source.clone()),
        kind: match c.meta.kind {
            Kind::Page => "a page",
            Kind::Gone => "gone",
            Kind::Moved => "moved",
        },
        status,
    }
}
