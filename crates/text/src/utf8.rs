//! Bytes checked as UTF-8 with SIMD (simdutf8): whole files and pages are checked on every
//! read, and std's check was a tenth of a long diff's time.

/// `bytes` as a `String` when they are UTF-8, else std's error (with where it failed).
pub fn into_string(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        // The slow check again, for the error's detail.
        return String::from_utf8(bytes);
    }
    // SAFETY: simdutf8 has just checked that `bytes` are UTF-8 (its test suite compares it
    // with std's check). The second `unsafe` in prov, with the map of `archive::mapped`:
    // std's check of the same bytes took ten times as long (0.5 ms a 700 KB text).
    #[allow(unsafe_code)]
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// `bytes` as a `&str` when they are UTF-8.
pub fn as_str(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        #[test]
        fn same_verdict_as_std(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300), text in "\\PC{0,80}") {
            proptest::prop_assert_eq!(as_str(&bytes), std::str::from_utf8(&bytes).ok());
            proptest::prop_assert_eq!(into_string(bytes.clone()).ok(), String::from_utf8(bytes).ok());
            proptest::prop_assert_eq!(into_string(text.clone().into_bytes()).ok(), Some(text));
        }
    }

    #[test]
    fn errors_say_where() {
        let e = into_string(b"abc\xffdef".to_vec()).unwrap_err();
        assert_eq!(e.utf8_error().valid_up_to(), 3);
        assert_eq!(e.into_bytes(), b"abc\xffdef");
    }
}
