//! The shapes of noise in one paragraph's text, matched by hand: credits that end captions,
//! promo and list labels, disclaimers, source lines, attributions, author notes, corrections,
//! and ad, share and newsletter labels.
//!
//! Why by hand: these were eleven regular expressions with Unicode classes (`\w`, `\p{Lu}`,
//! `(?i)`) and bounded repeats (`.{0,160}`), and compiling them took 12 to 17 ms on every run
//! of `prov normalize`, more than parsing and cleaning a median page. Each shape is now a few
//! cursor steps over the text. The tests keep each regular expression as the oracle and
//! check the two agree, on the corpus's paragraphs and on generated ones.
//!
//! The regular expressions' conventions are kept: a space in a phrase stands for one or more
//! white-space characters (`\s+`), letters match regardless of case, a word boundary
//! (`\b`) lies between a word character (Unicode `\w`) and anything else, and a bounded gap
//! (`.{0,n}`) is at most `n` characters none of which is a line feed. Case is compared by
//! lower-casing, not by Unicode's folding: an ASCII letter is not matched by the Kelvin sign
//! or the long s, which no label is written with.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use regex_syntax::hir::{Class, HirKind};

/// Unicode `\w`, as `regex` reads it.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::is_word_character(c)
    }
}

fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i)?.chars().next_back()
}

fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..)?.chars().next()
}

/// Words every match of a shape holds (lower-case ASCII), looked for before the shape is
/// tried at each word of a long paragraph. ASCII case is ignored, as `word_at` ignores it
/// for ASCII words, so this never turns down a text the shape would match. Searchers are
/// built on first use.
type Needs = LazyLock<Vec<Finder<'static>>>;

fn needs(words: &'static [&'static str]) -> Vec<Finder<'static>> {
    words.iter().map(|w| Finder::new(w.as_bytes())).collect()
}

/// `s` holds one of the words. Lower-cased once, then each word found by memchr's
/// searcher: the letters words start with are common ones, so stopping at each costs more.
fn has(words: &Needs, s: &str) -> bool {
    let lower = s.as_bytes().to_ascii_lowercase();
    words.iter().any(|f| f.find(&lower).is_some())
}

static CREDIT_NEEDS: Needs = LazyLock::new(|| needs(CREDIT_WORDS));
static DISCLAIMER_NEEDS: Needs = LazyLock::new(|| needs(&["expressed", "necessarily"]));
static ATTRIBUTION_NEEDS: Needs = LazyLock::new(|| needs(&["originally", "first", "republished"]));
static CORRECTION_NEEDS: Needs = LazyLock::new(|| needs(PIECES));

/// The labels of a credit, `Photo: X`; a match holds one of them, so they are its needs too.
const CREDIT_WORDS: &[&str] = &[
    "photo",
    "photograph",
    "image",
    "picture",
    "illustration",
    "credit",
    "photo credit",
];

/// The same labels in the other languages of the dev corpora (`Foto: dpa`, `Bild: AP`,
/// `Fotografía: EFE`, `Imagen: X`, `Фото: ТАСС`, `写真：朝日新聞社`): the word a caption's
/// credit is introduced with, never an outlet's wording. Lower case; those written in
/// ASCII letters are needs as [`CREDIT_WORDS`] are, the others are looked for in the
/// lower-cased text.
const OTHER_CREDIT_WORDS: &[&str] = &[
    "foto",
    "fotos",
    "fotografía",
    "fotografia",
    "fotografie",
    "fotograf",
    "fotoğraf",
    "bild",
    "bilde",
    "bilder",
    "bildquelle",
    "grafik",
    "imagen",
    "imagem",
    "immagine",
    "ilustración",
    "illustrazione",
    "ilustração",
    "crédit photo",
    "crédits photo",
    "zdjęcie",
    "kuva",
    "ảnh",
    "фото",
    "写真",
    "画像",
    "사진",
    "图片",
    "圖片",
    "صورة",
];

/// What a correction note says was corrected.
const PIECES: &[&str] = &["article", "story", "report"];

/// `\b` at byte `i`.
fn boundary(s: &str, i: usize) -> bool {
    char_before(s, i).is_some_and(is_word) != char_at(s, i).is_some_and(is_word)
}

/// `\s*` from `i`: where it ends.
fn ws0(s: &str, i: usize) -> usize {
    let rest = s.get(i..).unwrap_or("");
    i + (rest.len() - rest.trim_start().len())
}

/// `\s+` from `i`.
fn ws1(s: &str, i: usize) -> Option<usize> {
    let end = ws0(s, i);
    (end > i).then_some(end)
}

/// `phrase` at `i` (a space: one or more white-space characters; case ignored): its end.
fn phrase(s: &str, i: usize, phrase: &str) -> Option<usize> {
    // Most places start with another letter: rejected on one byte before the phrase is
    // split. An ASCII first letter is compared without ASCII case alone, as in `word_at`.
    if let Some(&first) = phrase.as_bytes().first()
        && first.is_ascii()
        && !s
            .as_bytes()
            .get(i)
            .is_some_and(|b| b.eq_ignore_ascii_case(&first))
    {
        return None;
    }
    let mut at = i;
    for (k, word) in phrase.split(' ').enumerate() {
        if k > 0 {
            at = ws1(s, at)?;
        }
        at = word_at(s, at, word)?;
    }
    Some(at)
}

/// `word` at `i`, letters compared without case (`À` as `à`, `Ч` as `ч`): its end.
fn word_at(s: &str, i: usize, word: &str) -> Option<usize> {
    if word.is_ascii() {
        let end = i + word.len();
        // Equal to an ASCII word, so `end` is on a character boundary.
        return s
            .as_bytes()
            .get(i..end)?
            .eq_ignore_ascii_case(word.as_bytes())
            .then_some(end);
    }
    let mut text = s.get(i..)?.chars();
    let mut end = i;
    for w in word.chars() {
        let c = text.next()?;
        if c != w && !c.to_lowercase().eq(w.to_lowercase()) {
            return None;
        }
        end += c.len_utf8();
    }
    Some(end)
}

/// The ends of those of `phrases` found at `i`.
fn one_of<'a>(s: &'a str, i: usize, phrases: &'a [&'a str]) -> impl Iterator<Item = usize> + 'a {
    phrases.iter().filter_map(move |p| phrase(s, i, p))
}

/// After each of `ends`, white space (`\s+`) and one of `phrases`: their ends. A sequence of
/// alternations, `(?:a|b)\s+(?:c|d)`, without spelling out every combination.
fn then<'a>(
    s: &'a str,
    ends: impl Iterator<Item = usize> + 'a,
    phrases: &'a [&'a str],
) -> impl Iterator<Item = usize> + 'a {
    ends.filter_map(move |e| ws1(s, e))
        .flat_map(move |at| one_of(s, at, phrases))
}

/// One of `phrases` at `i` and a word boundary after it (`(?:...)\b`): its ends.
fn word_of<'a>(s: &'a str, i: usize, phrases: &'a [&'a str]) -> impl Iterator<Item = usize> + 'a {
    one_of(s, i, phrases).filter(move |&e| boundary(s, e))
}

/// Byte offsets where a word starting with one of `first` (lower-case ASCII letters) begins:
/// where an unanchored `\b(?:...)` of phrases with those first letters can match.
fn word_starts<'a>(s: &'a str, first: &[u8]) -> impl Iterator<Item = usize> + 'a {
    let mut wanted = [false; 256];
    for &b in first {
        wanted[usize::from(b)] = true;
        wanted[usize::from(b.to_ascii_uppercase())] = true;
    }
    s.bytes().enumerate().filter_map(move |(i, b)| {
        (wanted[usize::from(b)] && !char_before(s, i).is_some_and(is_word)).then_some(i)
    })
}

/// The byte offsets a gap `.{0,n}` from `i` can end at.
fn gap(s: &str, i: usize, n: usize) -> impl Iterator<Item = usize> + '_ {
    let rest = s.get(i..).unwrap_or("");
    std::iter::once(i).chain(
        rest.char_indices()
            .take_while(|&(_, c)| c != '\n')
            .take(n)
            .map(move |(k, c)| i + k + c.len_utf8()),
    )
}

/// `s` has at most `n` characters. Stops counting past `n`: a shape is tried at many places
/// of a long text, and counting all of it at each would be quadratic.
fn at_most(s: &str, n: usize) -> bool {
    s.chars().nth(n).is_none()
}

/// `.{0,n}$` from `i`.
fn rest_within(s: &str, i: usize, n: usize) -> bool {
    let rest = s.get(i..).unwrap_or("");
    at_most(rest, n) && !rest.contains('\n')
}

fn chars_in(s: &str, ok: impl Fn(char) -> bool) -> bool {
    s.chars().all(ok)
}

/// A credit at the end of a caption: `[Reuters]`, `(AP Photo/Jane Doe)`, `Photo: X`,
/// `/Getty Images`.
pub(crate) fn caption_credit(s: &str) -> bool {
    bracketed(s) || photo_in_parens(s) || credit_label(s) || agency(s)
}

/// A credit that says it is one, with its label (`(AP Photo/Jane Doe)`, `Photo: X`, `Ảnh:
/// Bệnh viện cung cấp`): no picture beside it needed, as a bracket or an agency's name does.
pub(crate) fn labelled_credit(s: &str) -> bool {
    photo_in_parens(s) || credit_label(s)
}

/// The content of the brackets or parentheses that end `s` (after white space), when no
/// other bracket of the pair's kind sits inside: `(open, close)` byte offsets.
fn last_group(s: &str, open: char, close: char) -> Option<(usize, usize)> {
    let t = s.trim_end();
    let inner = t.strip_suffix(close)?;
    let k = inner.rfind([open, close])?;
    inner[k..].starts_with(open).then_some((k + 1, inner.len()))
}

/// `\[[^\[\]]{2,60}\]\s*$`
fn bracketed(s: &str) -> bool {
    last_group(s, '[', ']').is_some_and(|(a, b)| !at_most(&s[a..b], 1) && at_most(&s[a..b], 60))
}

/// `\((?:[^()]{0,40}\b)?(?:Photo|Photograph|Image|Picture|Illustration|File)\b[^()]{0,60}\)\s*$`
fn photo_in_parens(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "Photo",
        "Photograph",
        "Image",
        "Picture",
        "Illustration",
        "File",
    ];
    let Some((a, b)) = last_group(s, '(', ')') else {
        return false;
    };
    s[a..b].char_indices().take(41).any(|(k, _)| {
        let at = a + k;
        (k == 0 || boundary(s, at))
            && WORDS.iter().any(|w| {
                s[at..b].starts_with(w)
                    && boundary(s, at + w.len())
                    && at_most(&s[at + w.len()..b], 60)
            })
    })
}

/// `(?i)\b(?:photo|photograph|image|picture|illustration|credit|photo\s+credit|other)s?\s*(?::|：|by\b)\s*\S[^.!?]{0,80}$`
/// (`other`: [`OTHER_CREDIT_WORDS`]; `：` is the full-width colon of Japanese and Chinese).
fn credit_label(s: &str) -> bool {
    let other = {
        let lower = s.to_lowercase();
        OTHER_CREDIT_WORDS.iter().any(|w| lower.contains(w))
    };
    if !other && !has(&CREDIT_NEEDS, s) {
        return false;
    }
    let starts: Box<dyn Iterator<Item = usize>> = if other {
        // Any word's start: the other labels begin with letters outside ASCII too.
        Box::new(
            s.char_indices()
                .filter(|&(i, c)| is_word(c) && !char_before(s, i).is_some_and(is_word))
                .map(|(i, _)| i),
        )
    } else {
        Box::new(word_starts(s, b"pic"))
    };
    starts.into_iter().any(|i| {
        one_of(s, i, CREDIT_WORDS)
            .chain(one_of(s, i, OTHER_CREDIT_WORDS))
            .any(|e| {
                let plural = phrase(s, e, "s");
                [Some(e), plural].into_iter().flatten().any(|e| {
                    let at = ws0(s, e);
                    let after = if s[at..].starts_with(':') {
                        Some(at + 1)
                    } else if s[at..].starts_with('：') {
                        Some(at + '：'.len_utf8())
                    } else {
                        phrase(s, at, "by").filter(|&e| boundary(s, e))
                    };
                    after.is_some_and(|e| {
                        let at = ws0(s, e);
                        char_at(s, at).is_some_and(|c| {
                            let rest = &s[at + c.len_utf8()..];
                            at_most(rest, 80) && !rest.contains(['.', '!', '?'])
                        })
                    })
                })
            })
    })
}

/// `(?:/|\||\bvia\s)\s*(?:Getty\s+Images|Reuters|AFP|AP|EPA|Shutterstock|Alamy|Bloomberg)\s*\)?\s*$`
fn agency(s: &str) -> bool {
    const NAMES: &[&str] = &[
        "Reuters",
        "AFP",
        "AP",
        "EPA",
        "Shutterstock",
        "Alamy",
        "Bloomberg",
    ];
    let t = s.trim_end();
    let t = t.strip_suffix(')').map_or(t, str::trim_end);
    let getty = t.strip_suffix("Images").and_then(|u| {
        let v = u.trim_end();
        (v.len() < u.len()).then_some(v)?.strip_suffix("Getty")
    });
    NAMES
        .iter()
        .filter_map(|n| t.strip_suffix(n))
        .chain(getty)
        .any(|before| {
            let v = before.trim_end();
            v.ends_with(['/', '|'])
                || (v.len() < before.len()
                    && v.strip_suffix("via").is_some_and(|w| {
                        // `\bvia`: `via` is a word of its own.
                        !w.chars().next_back().is_some_and(is_word)
                    }))
        })
}

/// Labels of a promo: `read more: ...`.
const PROMO_LABELS: &[&str] = &[
    "read more",
    "read next",
    "also read",
    "read also",
    "more",
    "related",
    "see also",
    "watch",
    "listen",
    "recommended",
    "suggested reading",
    "don't miss",
    "dont miss",
    "more on this",
    "more on this story",
    "continue reading",
];

/// The same labels in the languages of the outlets prov has been tried on (French, German,
/// Spanish, Italian, Portuguese, Dutch, the Scandinavian languages, Finnish, Polish, Czech,
/// Russian, Japanese, Chinese, Korean): "Lire aussi : ...", "Les også: ...", "Mehr zum
/// Thema", "【関連記事】".
const OTHER_LABELS: &[&str] = &[
    "lire aussi",
    "à lire aussi",
    "lire également",
    "à lire également",
    "voir aussi",
    "lire la suite",
    "sur le même sujet",
    "lesen sie auch",
    "mehr zum thema",
    "auch interessant",
    "das könnte sie auch interessieren",
    "weiterlesen",
    "lee también",
    "lea también",
    "leer más",
    "ver también",
    "te puede interesar",
    "noticias relacionadas",
    "artículos relacionados",
    "leggi anche",
    "potrebbe interessarti",
    "ti potrebbe interessare",
    "articoli correlati",
    "leia também",
    "leia mais",
    "veja também",
    "saiba mais",
    "notícias relacionadas",
    "matérias relacionadas",
    "lees ook",
    "lees meer",
    "lees verder",
    "gerelateerde artikelen",
    "les også",
    "les mer",
    "se også",
    "relaterte saker",
    "relaterte artikler",
    "läs också",
    "läs mer",
    "se även",
    "relaterade artiklar",
    "læs også",
    "læs mere",
    "relaterede artikler",
    "lue myös",
    "lue lisää",
    "czytaj też",
    "czytaj także",
    "czytaj również",
    "zobacz też",
    "zobacz także",
    "polecamy",
    "čtěte také",
    "čtěte též",
    "přečtěte si také",
    "související články",
    "taip pat skaitykite",
    "читайте также",
    "смотрите также",
    "по теме",
    "читайте також",
    "дивіться також",
    "по темі",
    "ilginizi çekebilir",
    "İlginizi çekebilir",
    "bunlar da ilginizi çekebilir",
    "ayrıca okuyun",
    "ilgili haberler",
    "İlgili haberler",
    "xem thêm",
    "đọc thêm",
    "tin liên quan",
    "bài liên quan",
    "baca juga",
    "berita terkait",
    "artikel terkait",
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "اقرأ أيضًا",
    "اقرأ المزيد",
    "مواضيع ذات صلة",
    "यह भी पढ़ें",
    "ये भी पढ़ें",
    "और पढ़ें",
    "関連記事",
    "【関連記事】",
    "関連ニュース",
    "おすすめ情報",
    "あわせて読みたい",
    "相关阅读",
    "相关新闻",
    "相关报道",
    "延伸阅读",
    "延伸閱讀",
    "相關新聞",
    "相關報導",
    "관련기사",
    "관련 기사",
    "[관련기사]",
];

/// Labels of a promo in other languages that do not head a list when alone: rp.pl sets
/// `Czytaj więcej` alone over a box of links in the middle of its articles, and a list
/// label there would end the article.
const OTHER_PROMO_LABELS: &[&str] = &["czytaj więcej"];

/// A promo introduced by a label: "Read more: ...", "WATCH - ...", "Related: ...",
/// "Lire aussi : ...", "関連記事：...": `(?i)^(?:label)\s*(?::|：|\||»|>|–|—|-)\s*\S`.
pub(crate) fn promo_label(s: &str) -> bool {
    one_of(s, 0, PROMO_LABELS)
        .chain(one_of(s, 0, OTHER_LABELS))
        .chain(one_of(s, 0, OTHER_PROMO_LABELS))
        .any(|e| {
            let at = ws0(s, e);
            char_at(s, at).is_some_and(|c| {
                matches!(c, ':' | '：' | '|' | '»' | '>' | '–' | '—' | '-')
                    && ws0(s, at + c.len_utf8()) < s.len()
            })
        })
}

/// Where a promo's label that opens `s` ends when no separator follows it, only white
/// space before the headline ("READ NEXT Cape Town heads into...", "À lire aussi La
/// natalité..."): the caller asks the markup whether a linked headline follows.
pub(crate) fn bare_promo_label(s: &str) -> Option<usize> {
    one_of(s, 0, PROMO_LABELS)
        .chain(one_of(s, 0, OTHER_LABELS))
        .chain(one_of(s, 0, OTHER_PROMO_LABELS))
        .filter_map(|e| ws1(s, e))
        .max()
}

/// A label alone on its line that heads a list of other stories: `(?i)^(?:label)\s*[:：»>]?$`.
pub(crate) fn list_label(s: &str) -> bool {
    const LABELS: &[&str] = &[
        "read more",
        "also read",
        "read also",
        "related",
        "related stories",
        "related articles",
        "related coverage",
        "more stories",
        "see also",
        "more on this",
        "more on this story",
    ];
    one_of(s, 0, LABELS)
        .chain(one_of(s, 0, OTHER_LABELS))
        .any(|e| {
            let at = ws0(s, e);
            let rest = &s[at..];
            rest.is_empty() || matches!(rest, ":" | "：" | "»" | ">")
        })
}

/// "The views expressed ... are those of the author", "does not necessarily reflect":
/// `(?i)\b(?:views|opinions|views\s+and\s+opinions|opinions\s+and\s+views)\s+expressed\b
/// .{0,160}\b(?:are|do\s+not|does\s+not|belong|those\s+of)\b|\bdo(?:es)?\s+not\s+necessarily
/// \s+(?:reflect|represent)\b`. "views and opinions expressed" holds "opinions expressed",
/// with the same end, so the two longer forms need no search of their own.
pub(crate) fn disclaimer(s: &str) -> bool {
    const THEN: &[&str] = &["are", "do not", "does not", "belong", "those of"];
    const NOT: &[&str] = &[
        "do not necessarily reflect",
        "do not necessarily represent",
        "does not necessarily reflect",
        "does not necessarily represent",
    ];
    has(&DISCLAIMER_NEEDS, s)
        && word_starts(s, b"vod").any(|i| {
            word_of(s, i, &["views expressed", "opinions expressed"]).any(|e| {
                gap(s, e, 160).any(|g| boundary(s, g) && word_of(s, g, THEN).next().is_some())
            }) || word_of(s, i, NOT).next().is_some()
        })
}

/// "SOURCE: Al Jazeera", "Source: news agencies": `(?i)^sources?\s*:\s*[^.!?]{1,80}$`.
pub(crate) fn source_line(s: &str) -> bool {
    one_of(s, 0, &["source", "sources"]).any(|e| {
        let at = ws0(s, e);
        let Some(rest) = s[at..].strip_prefix(':') else {
            return false;
        };
        // `\s*` gives back white space to the class when nothing else is left.
        !rest.is_empty() && !rest.contains(['.', '!', '?']) && at_most(rest.trim_start(), 80)
    })
}

/// A byline: `By Jane Doe`, `By Jane Doe and John Smith`, `Von Anna Müller`, `Par Marie
/// Dupont`, `di Teresa Fallavollita`: the word for "by" in a language of the dev corpora,
/// then names (each word capitalized, joined by `and`, `und`, `et`, `y`, `e`, `og`, `och`,
/// `en` or a comma), no sentence end. `By the numbers` is a subheading, not a byline.
pub(crate) fn byline(s: &str) -> bool {
    const BY: &[&str] = &["by", "von", "par", "por", "di", "door", "av", "af", "przez"];
    const AND: &[&str] = &["and", "und", "et", "y", "e", "og", "och", "en", "i", "&"];
    let s = s.trim();
    let Some(e) = word_of(s, 0, BY).next() else {
        return false;
    };
    let names: Vec<&str> = s[e..].split_whitespace().collect();
    !names.is_empty()
        && names.len() <= 7
        && !s.ends_with(['.', '!', '?', ':', ';'])
        && names.iter().all(|w| {
            let w = w.trim_end_matches(',');
            AND.contains(&w) || w.chars().next().is_some_and(char::is_uppercase)
        })
        && names
            .first()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// A source line in the other languages of the dev corpora ([`source_line`] has `Source:`,
/// which French writes `Source :`): `Quelle: dpa`, `Fuente: EFE`, `Fonte: ANSA`, `Źródło:
/// PAP`, `出典：共同通信`, the label, a colon and a short credit with no sentence end.
pub(crate) fn other_source_line(s: &str) -> bool {
    const LABELS: &[&str] = &[
        "quelle",
        "quellen",
        "fuente",
        "fuentes",
        "fonte",
        "fontes",
        "bron",
        "bronnen",
        "kilde",
        "kilder",
        "källa",
        "källor",
        "źródło",
        "źródła",
        "zdroj",
        "zdroje",
        "kaynak",
        "источник",
        "источники",
        "sumber",
        "nguồn",
        "出典",
        "来源",
        "來源",
        "출처",
        "المصدر",
    ];
    word_of(s, 0, LABELS).any(|e| {
        let at = ws0(s, e);
        let Some(rest) = s[at..]
            .strip_prefix(':')
            .or_else(|| s[at..].strip_prefix('：'))
        else {
            return false;
        };
        !rest.trim().is_empty()
            && !rest.contains(['.', '!', '?', '。'])
            && at_most(rest.trim_start(), 80)
    })
}

/// A copyright notice: "© 2026 The Canadian Press", "Copyright © 2023 The Washington Times,
/// LLC.", "<Copyright ⓒ 한국일보. All rights reserved.>", "© RIPRODUZIONE RISERVATA": a short
/// line that opens with the sign (or the word and then the sign or a year), or that reserves
/// the rights in one of the dev corpora's languages. The outlet's line under its article,
/// not the article's; the caller asks it only of short blocks late in the body.
pub(crate) fn copyright(s: &str) -> bool {
    const RESERVED: &[&str] = &[
        "all rights reserved",
        "riproduzione riservata",
        "tutti i diritti riservati",
        "tous droits réservés",
        "todos los derechos reservados",
        "todos os direitos reservados",
        "alle rechte vorbehalten",
        "alle rechten voorbehouden",
        "wszelkie prawa zastrzeżone",
        "všechna práva vyhrazena",
        "все права защищены",
        "усі права захищені",
        "tüm hakları saklıdır",
        "alle rettigheter reservert",
        "alla rättigheter förbehållna",
        "무단 전재",
        "無断転載",
        "版权所有",
    ];
    let t = s.trim_start_matches(['<', '(', '[', ' ']);
    // Not `(c)`: an enumeration's third item reads so.
    let sign = |t: &str| t.starts_with(['©', 'ⓒ']);
    if sign(t) {
        return true;
    }
    let lower = t.to_lowercase();
    if let Some(rest) = lower.strip_prefix("copyright") {
        let rest = rest.trim_start();
        if sign(rest) || rest.starts_with(|c: char| c.is_ascii_digit()) {
            return true;
        }
    }
    RESERVED.iter().any(|r| lower.contains(r))
}

/// "This article was originally published by X", "It first appeared on Y", "republished
/// from Z": `(?i)\b(?:originally|first)\s+(?:published|appeared|ran|posted)\s+(?:by|at|in|on)\b
/// |\brepublished\s+(?:from|with\s+permission)\b`.
pub(crate) fn attribution(s: &str) -> bool {
    has(&ATTRIBUTION_NEEDS, s)
        && word_starts(s, b"ofr").any(|i| {
            let first = one_of(s, i, &["originally", "first"]);
            let verb = then(s, first, &["published", "appeared", "ran", "posted"]);
            then(s, verb, &["by", "at", "in", "on"]).any(|e| boundary(s, e))
                || word_of(s, i, &["republished from", "republished with permission"])
                    .next()
                    .is_some()
        })
}

/// `[\p{Lu}]` under `(?i)`, as the author note's regex read it: a capital, or any letter that
/// case-folds to one (`ß` with `ẞ`), not only a capital. Kept so, as the corpus scores were
/// measured with it. The class is the one `regex` builds (its parser alone, well under a
/// millisecond, not the automata); a capital is assumed if it cannot be built.
fn cased(c: char) -> bool {
    static CLASS: LazyLock<Option<Vec<(char, char)>>> = LazyLock::new(
        || match regex_syntax::parse(r"(?i)\p{Lu}").ok()?.into_kind() {
            HirKind::Class(Class::Unicode(class)) => Some(
                class
                    .ranges()
                    .iter()
                    .map(|r| (r.start(), r.end()))
                    .collect(),
            ),
            _ => None,
        },
    );
    match &*CLASS {
        Some(ranges) => ranges
            .binary_search_by(|&(a, b)| {
                if b < c {
                    std::cmp::Ordering::Less
                } else if a > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok(),
        None => c.is_uppercase(),
    }
}

/// The roles an author note names.
const ROLES: &[&str] = &[
    "professor",
    "journalist",
    "writer",
    "author",
    "editor",
    "correspondent",
    "fellow",
    "director",
    "researcher",
    "analyst",
    "reporter",
    "columnist",
    "lecturer",
    "founder",
    "president",
    "scholar",
    "historian",
    "economist",
    "commentator",
];

/// An author note: "Jane Doe is professor of ...", "... is the author of ...":
/// `(?i)^(?:[\p{Lu}][\w.'’-]*\s+){1,4}(?:is|was)\s+(?:a|an|the)?\b.{0,120}\b(?:role)\b`.
pub(crate) fn author_note(s: &str) -> bool {
    let role_near = |from: usize| {
        gap(s, from, 120).any(|g| {
            s.as_bytes().get(g).is_some_and(u8::is_ascii_alphabetic)
                && boundary(s, g)
                && word_of(s, g, ROLES).next().is_some()
        })
    };
    let mut at = 0;
    for _ in 0..4 {
        // A name word: a cased letter, then word characters and . ' ’ -, then white space.
        if !char_at(s, at).is_some_and(cased) {
            return false;
        }
        let word = s[at..]
            .find(|c: char| !(is_word(c) || matches!(c, '.' | '\'' | '’' | '-')))
            .map_or(s.len(), |k| at + k);
        let Some(next) = ws1(s, word) else {
            return false;
        };
        at = next;
        let found = one_of(s, at, &["is", "was"]).any(|e| {
            ws1(s, e).is_some_and(|p| {
                (boundary(s, p) && role_near(p))
                    || word_of(s, p, &["a", "an", "the"]).any(role_near)
            })
        });
        if found {
            return true;
        }
    }
    false
}

/// Correction and update notes: `(?i)^(?:correction|clarification|update|updated|editor'?s\s+note)
/// \b\s*[:(\-–—,]|\b(?:an\s+earlier|a\s+previous)\s+version\s+of\s+this\s+(?:article|story|report)
/// |\bthis\s+(?:article|story|report)\s+(?:has\s+been|was)\s+(?:updated|corrected|amended)`.
pub(crate) fn correction(s: &str) -> bool {
    const LABELS: &[&str] = &[
        "correction",
        "clarification",
        "update",
        "updated",
        "editor's note",
        "editors note",
    ];
    let labelled = word_of(s, 0, LABELS).any(|e| {
        char_at(s, ws0(s, e)).is_some_and(|c| matches!(c, ':' | '(' | '-' | '–' | '—' | ','))
    });
    labelled
        || has(&CORRECTION_NEEDS, s)
            && word_starts(s, b"at").any(|i| {
                let earlier = one_of(
                    s,
                    i,
                    &["an earlier version of this", "a previous version of this"],
                );
                let this = then(s, one_of(s, i, &["this"]), PIECES);
                let done = then(s, this, &["has been", "was"]);
                then(s, earlier, PIECES).next().is_some()
                    || then(s, done, &["updated", "corrected", "amended"])
                        .next()
                        .is_some()
            })
}

/// Correction notes in the other languages of the dev corpora ([`correction`] has the
/// English shapes): a block of a sentence or more that opens with the label and a colon or
/// a dash (`Korrektur:`, `Correzione:`, `Rectificatif :`, `Fe de errores:`,
/// `Sprostowanie:`, `訂正：`). The spec keeps correction and update notes in the article:
/// an editor's word to the reader about the text, often set under the outlet's closing
/// lines, where the end-of-article rules would otherwise take it. A label alone before a
/// date (`Aktualisierung: 28.04.2023, 10:00`) is a dateline, not a note: hence the length.
pub(crate) fn other_correction(s: &str) -> bool {
    const LABELS: &[&str] = &[
        "korrektur",
        "berichtigung",
        "richtigstellung",
        "aktualisierung",
        "anmerkung der redaktion",
        "hinweis der redaktion",
        "transparenzhinweis",
        "rectificatif",
        "correctif",
        "erratum",
        "mise à jour",
        "précision",
        "note de la rédaction",
        "corrección",
        "rectificación",
        "fe de errores",
        "aclaración",
        "actualización",
        "nota de la redacción",
        "nota del editor",
        "correzione",
        "rettifica",
        "precisazione",
        "aggiornamento",
        "errata corrige",
        "nota della redazione",
        "correção",
        "errata",
        "esclarecimento",
        "atualização",
        "nota da redação",
        "correctie",
        "rectificatie",
        "naschrift",
        "noot van de redactie",
        "rettelse",
        "korreksjon",
        "presisering",
        "oppdatering",
        "opdatering",
        "rättelse",
        "förtydligande",
        "uppdatering",
        "oikaisu",
        "leiðrétting",
        "sprostowanie",
        "korekta",
        "aktualizacja",
        "od redakcji",
        "oprava",
        "aktualizace",
        "poznámka redakce",
        "düzeltme",
        "tashih",
        "güncelleme",
        "исправление",
        "поправка",
        "уточнение",
        "обновление",
        "от редакции",
        "ralat",
        "koreksi",
        "pembaruan",
        "catatan redaksi",
        "đính chính",
        "cập nhật",
        "訂正",
        "おわび",
        "お詫び",
        "更正",
        "勘误",
        "勘誤",
        "정정",
        "바로잡습니다",
        "تصحيح",
        "تحديث",
    ];
    let s = s.trim_start();
    let long = s.split_whitespace().count() >= 6 || (!s.contains(' ') && s.chars().count() >= 24);
    long && word_of(s, 0, LABELS)
        .any(|e| char_at(s, ws0(s, e)).is_some_and(|c| matches!(c, ':' | '：' | '-' | '–' | '—')))
}

/// "Advertisement" and "Sponsored" in the other languages of the dev corpora: the word an
/// ad slot is labelled with (`Anzeige`, `Publicité`, `Publicidad`, `Pubblicità`, `Reklama`,
/// `広告`), alone in its block as the English labels are.
const OTHER_AD_LABELS: &[&str] = &[
    "anzeige",
    "werbung",
    "gesponsert",
    "publicité",
    "sponsorisé",
    "publicidad",
    "anuncio",
    "patrocinado",
    "pubblicità",
    "sponsorizzato",
    "publicidade",
    "anúncio",
    "advertentie",
    "gesponsord",
    "annonse",
    "annonce",
    "annons",
    "reklame",
    "mainos",
    "auglýsing",
    "reklama",
    "inzerce",
    "reklam",
    "реклама",
    "quảng cáo",
    "iklan",
    "広告",
    "スポンサーリンク",
    "广告",
    "廣告",
    "광고",
    "إعلان",
    "विज्ञापन",
];

/// An advertisement's label: `(?i)^(?:label)(?:\s*[-–—:]\s*(?:scroll|story)[\w\s]*)?$`
/// (the labels: English, then [`OTHER_AD_LABELS`]).
pub(crate) fn ad_label(s: &str) -> bool {
    const LABELS: &[&str] = &[
        "advertisement",
        "advertising",
        "ad",
        "sponsored",
        "sponsored content",
        "story continues below",
        "story continues below advertisement",
        "continue reading the main story",
        "scroll to continue",
        "scroll to continue with content",
    ];
    one_of(s, 0, LABELS)
        .chain(one_of(s, 0, OTHER_AD_LABELS))
        .any(|e| {
            if e == s.len() {
                return true;
            }
            let at = ws0(s, e);
            char_at(s, at).is_some_and(|c| {
                matches!(c, '-' | '–' | '—' | ':')
                    && one_of(s, ws0(s, at + c.len_utf8()), &["scroll", "story"])
                        .any(|e| chars_in(&s[e..], |c| is_word(c) || c.is_whitespace()))
            })
        })
}

/// A share widget's label: `(?i)^(?:share(?:\s+this(?:\s+(?:article|story|page))?)?|share\s+on\s+\w+
/// |tweet|email|print|copy\s+link|facebook|twitter|whatsapp|linkedin|(?:follow|like)\s+us\s+on
/// \s+[\w\s,]+)\s*:?$`.
pub(crate) fn share_label(s: &str) -> bool {
    const LABELS: &[&str] = &[
        "share",
        "share this",
        "share this article",
        "share this story",
        "share this page",
        "tweet",
        "email",
        "print",
        "copy link",
        "facebook",
        "twitter",
        "whatsapp",
        "linkedin",
    ];
    // `\s*:?$` after `e`.
    let ends = |e: usize| matches!(&s[ws0(s, e)..], "" | ":");
    one_of(s, 0, LABELS).any(ends)
        || phrase(s, 0, "share on")
            .and_then(|e| ws1(s, e))
            .is_some_and(|at| {
                let word = s[at..]
                    .find(|c: char| !is_word(c))
                    .map_or(s.len(), |k| at + k);
                word > at && ends(word)
            })
        || one_of(s, 0, &["follow us on", "like us on"]).any(|e| {
            // One white-space character for `\s+`: the class after it takes any more.
            char_at(s, e).is_some_and(|c| {
                let rest = &s[e + c.len_utf8()..];
                let rest = rest.strip_suffix(':').unwrap_or(rest);
                c.is_whitespace()
                    && !rest.is_empty()
                    && chars_in(rest, |c| is_word(c) || c.is_whitespace() || c == ',')
            })
        })
}

/// Share and follow labels in the other languages of the dev corpora ([`share_label`] has
/// the English ones): a share row's button, alone in its block, with or without a colon.
pub(crate) fn other_share_label(s: &str) -> bool {
    const LABELS: &[&str] = &[
        "teilen",
        "artikel teilen",
        "link kopieren",
        "drucken",
        "partager",
        "partager cet article",
        "copier le lien",
        "imprimer",
        "compartir",
        "compartir en",
        "copiar enlace",
        "imprimir",
        "condividi",
        "condividi su",
        "copia link",
        "compartilhar",
        "compartilhe",
        "copiar link",
        "delen",
        "link kopiëren",
        "del",
        "del artikkelen",
        "kopier lenke",
        "dela",
        "dela artikeln",
        "kopiera länk",
        "del artiklen",
        "kopiér link",
        "e-post",
        "e-mail",
        "e-posta",
        "udostępnij",
        "kopiuj link",
        "sdílet",
        "поделиться",
        "скопировать ссылку",
        "paylaş",
        "bağlantıyı kopyala",
        "bagikan",
        "chia sẻ",
        "sao chép liên kết",
        "共有",
        "シェア",
        "リンクをコピー",
        "공유",
        "分享",
        "مشاركة",
    ];
    let t = s
        .trim()
        .trim_end_matches([':', '：'])
        .trim_end()
        .to_lowercase();
    LABELS.contains(&t.as_str())
}

/// A newsletter's sign-up label in the other languages of the dev corpora ([`newsletter`]
/// has the English shapes): a short block naming a newsletter and asking to sign up, in
/// either order (`Newsletter abonnieren`, `Inscrivez-vous à la newsletter`, `Suscríbete a
/// nuestro boletín`, `Zapisz się do newslettera`, `ニュースレターに登録`): a label of a few
/// words, or a sentence that opens with the verb.
pub(crate) fn other_newsletter(s: &str) -> bool {
    const NOUNS: &[&str] = &[
        "newsletter",
        "nieuwsbrief",
        "nyhetsbrev",
        "nyhedsbrev",
        "boletín",
        "boletim",
        "bülten",
        "bản tin",
        "рассылк",
        "розсилк",
        "ニュースレター",
        "メールマガジン",
        "メルマガ",
        "뉴스레터",
        "新闻通讯",
        "电子报",
        "電子報",
    ];
    const VERBS: &[&str] = &[
        "abonnier",
        "anmeld",
        "inscri",
        "abonne",
        "suscrib",
        "suscríb",
        "iscriv",
        "inscrev",
        "receba",
        "assine",
        "aanmeld",
        "schrijf je in",
        "meld deg på",
        "meld dig",
        "tilmeld",
        "prenumerera",
        "zapisz",
        "subskryb",
        "přihlas",
        "odebír",
        "abone",
        "đăng ký",
        "подпиш",
        "підпиш",
        "berlangganan",
        "登録",
        "購読",
        "订阅",
        "訂閱",
        "구독",
    ];
    let lower = s.to_lowercase();
    let named = NOUNS.iter().any(|n| lower.contains(n));
    let label = s.split_whitespace().count() <= 8
        && !s.trim_end().ends_with(['.', '!', ',', ';', '。', '！']);
    // A sentence opening with the verb asks the reader ("Abonnieren Sie unseren
    // Newsletter...", "Inscrivez-vous à la newsletter..."); one naming it further on may
    // be the story's ("Der Newsletter, den die Leser abonnieren, ...").
    named
        && (VERBS.iter().any(|v| lower.starts_with(v))
            || (label && VERBS.iter().any(|v| lower.contains(v))))
}

/// A newsletter sign-up: `(?i)^(?:sign\s+up|subscribe|get\s+(?:our|the)\s+\w+\s+newsletter
/// |join\s+our\s+newsletter)\b.{0,120}$|\bnewsletter\b.{0,60}\b(?:sign\s+up|subscribe|inbox)\b
/// |\bsign\s+up\s+(?:for|to)\s+(?:our|the)\b.{0,30}\bnewsletters?\b`.
pub(crate) fn newsletter(s: &str) -> bool {
    let get_ours = one_of(s, 0, &["get our", "get the"])
        .filter_map(|e| ws1(s, e))
        .filter_map(|at| {
            let word = s[at..]
                .find(|c: char| !is_word(c))
                .map_or(s.len(), |k| at + k);
            (word > at).then(|| ws1(s, word).and_then(|at| phrase(s, at, "newsletter")))?
        });
    let labelled = one_of(s, 0, &["sign up", "subscribe", "join our newsletter"])
        .chain(get_ours)
        .any(|e| boundary(s, e) && rest_within(s, e, 120));
    labelled
        || word_starts(s, b"n").any(|i| {
            word_of(s, i, &["newsletter"]).any(|e| {
                gap(s, e, 60).any(|g| {
                    boundary(s, g)
                        && word_of(s, g, &["sign up", "subscribe", "inbox"])
                            .next()
                            .is_some()
                })
            })
        })
        // The ask at the end of a line about the outlet ("Please bookmark our homepage and
        // sign up for our newsletters"): the caller asks it only of short blocks.
        || word_starts(s, b"s").any(|i| {
            then(
                s,
                then(s, one_of(s, i, &["sign up"]), &["for", "to"]),
                &["our", "the"],
            )
            .filter(|&e| boundary(s, e))
            .any(|e| {
                gap(s, e, 30).any(|g| {
                    boundary(s, g)
                        && word_of(s, g, &["newsletter", "newsletters"])
                            .next()
                            .is_some()
                })
            })
        })
}

/// A staff credit: who reported, wrote or edited the story, under it ("Reporting by Jane Doe;
/// Editing by John Roe", "With additional reporting by X", "— Associated Press writer X in
/// Paris contributed to this report", "X contributed reporting"): the newsroom's record of
/// its hands, not the story's text. `(?i)^\W{0,3}(?:with\s+)?(?:additional\s+)?(?:reporting
/// |writing|editing)\s+by\b|\bcontributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story
/// |article)\b|\bcontributed\s+reporting\b`.
pub(crate) fn staff_credit(s: &str) -> bool {
    // Past a dash or two that a template sets before the line.
    let lead = s.chars().take_while(|&c| !is_word(c)).count();
    let start = s.len() - s.trim_start_matches(|c: char| !is_word(c)).len();
    // `(?:with\s+)?(?:additional\s+)?` from `start`: where the role may begin.
    let mut at = vec![start];
    at.extend(one_of(s, start, &["with"]).filter_map(|e| ws1(s, e)));
    let added: Vec<usize> = at
        .iter()
        .flat_map(|&a| one_of(s, a, &["additional"]).filter_map(|e| ws1(s, e)))
        .collect();
    at.extend(added);
    let opens = lead <= 3
        && at.iter().any(|&a| {
            then(
                s,
                one_of(s, a, &["reporting", "writing", "editing"]),
                &["by"],
            )
            .any(|e| boundary(s, e))
        });
    opens
        || word_starts(s, b"c").any(|i| {
            let contributed: Vec<usize> = one_of(s, i, &["contributed"]).collect();
            let reporting: Vec<usize> =
                then(s, contributed.iter().copied(), &["reporting"]).collect();
            let to_this = then(
                s,
                contributed.iter().chain(&reporting).copied(),
                &["to this"],
            );
            then(s, to_this, &["report", "story", "article"]).any(|e| boundary(s, e))
                || reporting.iter().any(|&e| boundary(s, e))
        })
}

#[cfg(test)]
mod tests;
