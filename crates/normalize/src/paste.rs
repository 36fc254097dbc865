//! Page furniture in text pastes: the labels a browser copies along with an article (a
//! picture's "Photo", share and follow labels, advertisement lines, "Read more:" and the
//! headline it links), which an HTML page marks up and a paste does not.
//!
//! Labels are words of the interface, in the languages of the dev corpora, never an
//! outlet's wording; a line is furniture only when it is such a label and nothing else.

use super::shapes;

/// A picture's or a video's label alone on its line (`Photo`, `Video`, `Foto 3 of 12`,
/// `Bildergalerie`, `写真`): what a paste keeps of a figure whose image it could not copy.
pub(crate) fn picture_label(s: &str) -> bool {
    const LABELS: &[&str] = &[
        "photo",
        "photos",
        "photograph",
        "image",
        "images",
        "picture",
        "pictures",
        "video",
        "videos",
        "graphic",
        "graphics",
        "illustration",
        "gallery",
        "photo gallery",
        "slideshow",
        "enlarge",
        "enlarge image",
        "expand",
        "expand image",
        "view image",
        "view gallery",
        "open gallery",
        "play video",
        "watch video",
        "watch",
        "foto",
        "fotos",
        "fotografía",
        "fotografia",
        "bild",
        "bilder",
        "bilde",
        "bildergalerie",
        "galerie",
        "grafik",
        "vidéo",
        "diaporama",
        "imagen",
        "imágenes",
        "vídeo",
        "galería",
        "immagine",
        "immagini",
        "fotogalleria",
        "beeld",
        "zdjęcie",
        "zdjęcia",
        "fotografie",
        "фото",
        "видео",
        "fotoğraf",
        "galeri",
        "ảnh",
        "写真",
        "動画",
        "画像",
        "사진",
        "영상",
        "图片",
        "视频",
        "صورة",
        "فيديو",
    ];
    let t = s.trim().trim_end_matches([':', '.']).trim_end();
    // A count may follow: `Photo 3`, `Photo 3 of 12`, `Foto 3/12`, `(3/12)`.
    let t = t
        .trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '/' | '(' | ')' | ' '))
        .trim_end();
    let t = t
        .strip_suffix(" of")
        .or_else(|| t.strip_suffix(" von"))
        .or_else(|| t.strip_suffix(" de"))
        .map_or(t, |u| {
            u.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ')
        })
        .trim_end();
    let lower = t.to_lowercase();
    LABELS.contains(&lower.as_str())
}

/// The rule that strips a line of a paste as furniture, when it is: a picture's label, a
/// share or follow label, an advertisement's label, a newsletter's sign-up label, a list
/// label ("Read more:"), a promo ("Read more: Headline").
pub(crate) fn furniture(s: &str) -> Option<&'static str> {
    let n = s.split_whitespace().count();
    if n <= 4 && picture_label(s) {
        Some("caption")
    } else if n <= 8 && (shapes::share_label(s) || shapes::other_share_label(s)) {
        Some("share")
    } else if n <= 8 && shapes::ad_label(s) {
        Some("ad")
    } else if n <= 8 && shapes::other_newsletter(s) {
        Some("newsletter")
    } else if n <= 4 && shapes::list_label(s) {
        Some("related")
    } else if n <= 30 && shapes::promo_label(s) {
        Some("promo")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picture_labels_alone_on_their_line() {
        for s in [
            "Photo",
            "PHOTO",
            "Video:",
            "Foto 3 of 12",
            "Foto 3/12",
            "Bildergalerie",
            "Photo gallery (4)",
            "写真",
            "Фото",
        ] {
            assert!(picture_label(s), "{s:?}");
        }
        for s in [
            "Photo of the year goes to a Kenyan photographer.",
            "Photography",
            "The video",
            "Pictures at an exhibition",
            "Video killed the radio star",
        ] {
            assert!(!picture_label(s), "{s:?}");
        }
    }

    #[test]
    fn furniture_lines_and_their_rules() {
        assert_eq!(furniture("Share this article"), Some("share"));
        assert_eq!(furniture("Artikel teilen"), Some("share"));
        assert_eq!(furniture("Partager :"), Some("share"));
        assert_eq!(furniture("Поделиться"), Some("share"));
        assert_eq!(furniture("Advertisement"), Some("ad"));
        assert_eq!(furniture("Read more:"), Some("related"));
        assert_eq!(
            furniture("Read more: Seoul and Pyongyang talk again"),
            Some("promo")
        );
        assert_eq!(furniture("Photo"), Some("caption"));
        assert_eq!(furniture("Rebirth of a Cold War alliance"), None);
        assert_eq!(furniture("Share prices fell sharply on Monday."), None);
    }
}
