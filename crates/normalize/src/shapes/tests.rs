//! Each shape against the regular expression it replaced, kept here as the oracle.

use std::sync::LazyLock;

use proptest::prelude::*;
use regex::Regex;

use super::*;

type Matcher = fn(&str) -> bool;
/// A paragraph whose gap is `k` characters long.
type Maker = Box<dyn Fn(usize) -> String>;

/// (name, the shape, the regular expression it replaced, verbatim).
type Shape = (&'static str, Matcher, &'static str);

const SHAPES: &[Shape] = &[
    (
        "caption",
        caption_credit,
        r"(?x)
        \[[^\[\]]{2,60}\]\s*$
      | \((?:[^()]{0,40}\b)?(?:Photo|Photograph|Image|Picture|Illustration|File)\b[^()]{0,60}\)\s*$
      | (?i:\b(?:photo|photograph|image|picture|illustration|credit|photo\s+credit|OTHER_CREDIT)s?\s*(?::|：|by\b)\s*\S[^.!?]{0,80}$)
      | (?:/|\||\bvia\s)\s*(?:Getty\s+Images|Reuters|AFP|AP|EPA|Shutterstock|Alamy|Bloomberg)\s*\)?\s*$
    ",
    ),
    (
        "promo",
        promo_label,
        r"(?i)^(?:read\s+more|read\s+next|also\s+read|read\s+also|more|related|see\s+also|watch|listen|recommended|suggested\s+reading|don'?t\s+miss|more\s+on\s+this(?:\s+story)?|continue\s+reading)\s*(?::|：|\||»|>|–|—|-)\s*\S",
    ),
    (
        "list",
        list_label,
        r"(?i)^(?:read\s+more|also\s+read|read\s+also|related(?:\s+(?:stories|articles|coverage))?|more\s+stories|see\s+also|more\s+on\s+this(?:\s+story)?)\s*[:：»>]?$",
    ),
    (
        "disclaimer",
        disclaimer,
        r"(?i)\b(?:views|opinions|views\s+and\s+opinions|opinions\s+and\s+views)\s+expressed\b.{0,160}\b(?:are|do\s+not|does\s+not|belong|those\s+of)\b|\bdo(?:es)?\s+not\s+necessarily\s+(?:reflect|represent)\b",
    ),
    ("source", source_line, r"(?i)^sources?\s*:\s*[^.!?]{1,80}$"),
    (
        "attribution",
        attribution,
        r"(?i)\b(?:originally|first)\s+(?:published|appeared|ran|posted)\s+(?:by|at|in|on)\b|\brepublished\s+(?:from|with\s+permission)\b",
    ),
    (
        "author",
        author_note,
        r"(?i)^(?:[\p{Lu}][\w.'’-]*\s+){1,4}(?:is|was)\s+(?:a|an|the)?\b.{0,120}\b(?:professor|journalist|writer|author|editor|correspondent|fellow|director|researcher|analyst|reporter|columnist|lecturer|founder|president|scholar|historian|economist|commentator)\b",
    ),
    (
        "correction",
        correction,
        r"(?i)^(?:correction|clarification|update|updated|editor'?s\s+note)\b\s*[:(\-–—,]|\b(?:an\s+earlier|a\s+previous)\s+version\s+of\s+this\s+(?:article|story|report)|\bthis\s+(?:article|story|report)\s+(?:has\s+been|was)\s+(?:updated|corrected|amended)",
    ),
    (
        "ad",
        ad_label,
        r"(?i)^(?:advertisement|advertising|ad|sponsored(?:\s+content)?|story\s+continues\s+below(?:\s+advertisement)?|continue\s+reading\s+the\s+main\s+story|scroll\s+to\s+continue(?:\s+with\s+content)?)(?:\s*[-–—:]\s*(?:scroll|story)[\w\s]*)?$",
    ),
    (
        "share",
        share_label,
        r"(?i)^(?:share(?:\s+this(?:\s+(?:article|story|page))?)?|share\s+on\s+\w+|tweet|email|print|copy\s+link|facebook|twitter|whatsapp|linkedin|(?:follow|like)\s+us\s+on\s+[\w\s,]+)\s*:?$",
    ),
    (
        "newsletter",
        newsletter,
        r"(?i)^(?:sign\s+up|subscribe|get\s+(?:our|the)\s+\w+\s+newsletter|join\s+our\s+newsletter)\b.{0,120}$|\bnewsletter\b.{0,60}\b(?:sign\s+up|subscribe|inbox)\b|\bsign\s+up\s+(?:for|to)\s+(?:our|the)\b.{0,30}\bnewsletters?\b",
    ),
    (
        "staff credit",
        staff_credit,
        r"(?i)^\W{0,3}(?:with\s+)?(?:additional\s+)?(?:reporting|writing|editing)\s+by\b|\bcontributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article)\b|\bcontributed\s+reporting\b",
    ),
];

type Oracle = (&'static str, Matcher, Regex);

/// Compiled once: in a debug build, compiling them for each generated case is most of the time.
/// The labels in other languages (added after the regular expressions were replaced) join
/// the alternations of their shapes: promo and list labels, ad labels, credit words.
static ORACLES: LazyLock<Vec<Oracle>> = LazyLock::new(|| {
    let alternation = |labels: &[&str]| -> String {
        labels
            .iter()
            .map(|l| regex::escape(l).replace(' ', r"\s+"))
            .collect::<Vec<_>>()
            .join("|")
    };
    SHAPES
        .iter()
        .map(|&(name, f, re)| {
            let re = match name {
                "promo" => re.replacen(
                    "(?i)^(?:",
                    &format!(
                        "(?i)^(?:{}|{}|",
                        alternation(OTHER_LABELS),
                        alternation(OTHER_PROMO_LABELS)
                    ),
                    1,
                ),
                "list" => re.replacen(
                    "(?i)^(?:",
                    &format!("(?i)^(?:{}|", alternation(OTHER_LABELS)),
                    1,
                ),
                "ad" => re.replacen(
                    "(?i)^(?:",
                    &format!("(?i)^(?:{}|", alternation(OTHER_AD_LABELS)),
                    1,
                ),
                "caption" => re.replacen("OTHER_CREDIT", &alternation(OTHER_CREDIT_WORDS), 1),
                _ => re.to_string(),
            };
            (name, f, Regex::new(&re).unwrap())
        })
        .collect()
});

/// The shapes that disagree with their oracle on `s`.
fn disagreements(oracles: &[Oracle], s: &str) -> Vec<String> {
    oracles
        .iter()
        .filter(|(_, f, re)| f(s) != re.is_match(s))
        .map(|(name, f, _)| format!("{name}: shape says {}, regex says {} on {s:?}", f(s), !f(s)))
        .collect()
}

#[test]
fn each_shape_finds_what_it_is_for() {
    let cases: &[(Matcher, &str, bool)] = &[
        (caption_credit, "A man waves a flag. [Reuters]", true),
        (caption_credit, "Crowds gather (AP Photo/Jane Doe)", true),
        (caption_credit, "The square at dawn. Photo: Jane Doe", true),
        (caption_credit, "The square at dawn/Getty  Images ", true),
        (caption_credit, "A soldier salutes, via AP", true),
        (caption_credit, "A soldier salutes, viaAP", false),
        (
            caption_credit,
            "He took the photo: it was the last of him.",
            false,
        ),
        (promo_label, "Read more: Why the sea is rising", true),
        (promo_label, "Read more:", false),
        (list_label, "Related stories »", true),
        (list_label, "Mehr zum Thema", true),
        (list_label, "【関連記事】", true),
        (
            promo_label,
            "Lire aussi : Sophie Binet, élue à la tête de la CGT",
            true,
        ),
        (promo_label, "À LIRE AUSSI - La natalité russe", true),
        (
            promo_label,
            "Les også: Tone Damli ofret musikkarrieren for barna",
            true,
        ),
        (promo_label, "Читайте также: новости", true),
        (promo_label, "Lire aussitôt: non", false),
        (list_label, "Related stories about the war", false),
        (
            disclaimer,
            "The views expressed in this article are the author's own.",
            true,
        ),
        (
            disclaimer,
            "It does not necessarily reflect our policy.",
            true,
        ),
        (disclaimer, "Few views were expressed.", false),
        (source_line, "SOURCE: Al Jazeera and news agencies", true),
        (source_line, "Source: the ministry. It said more.", false),
        (
            attribution,
            "This article was originally published by The Conversation.",
            true,
        ),
        (attribution, "It was republished with permission.", true),
        (attribution, "He first published a novel in 1990.", false),
        (
            author_note,
            "Andrei Lankov is a professor at Kookmin University.",
            true,
        ),
        (author_note, "Émile Zola was the author of Germinal.", true),
        (author_note, "Andrei Lankov, a professor, said so.", false),
        (
            correction,
            "Correction: An earlier version misspelled her name.",
            true,
        ),
        (
            correction,
            "An earlier version of this story gave the wrong date.",
            true,
        ),
        (
            correction,
            "This article has been updated with a statement.",
            true,
        ),
        (correction, "The update brought new features.", false),
        (byline, "By Jane Doe", true),
        (byline, "By Jane Doe and John Smith", true),
        (byline, "Von Anna Müller, Berlin", true),
        (byline, "di Teresa Fallavollita", true),
        (byline, "By the numbers", false),
        (byline, "By Monday, Fed Officials Had Decided.", false),
        (byline, "Bystanders Were Hurt", false),
        (other_source_line, "Quelle: dpa", true),
        (other_source_line, "Fuente: EFE / Europa Press", true),
        (other_source_line, "Źródło: PAP", true),
        (other_source_line, "出典：共同通信", true),
        (
            other_source_line,
            "Quelle: Die Regierung hat es bestätigt. Mehr folgt.",
            false,
        ),
        (
            other_source_line,
            "Quellen zufolge war der Minister informiert",
            false,
        ),
        (
            other_correction,
            "Korrektur: In einer früheren Version dieses Artikels war das Datum falsch.",
            true,
        ),
        (
            other_correction,
            "Correzione: una versione precedente di questo articolo indicava un orario errato.",
            true,
        ),
        (
            other_correction,
            "Mise à jour : cet article a été complété avec la réaction du ministre.",
            true,
        ),
        (
            other_correction,
            "訂正：当初の記事で到着時刻に誤りがありました。おわびして訂正します。",
            true,
        ),
        (
            other_correction,
            "Aktualisierung: 28.04.2023, 10:00 Uhr",
            false,
        ),
        (
            other_correction,
            "Korrekturen an der Grenze: die Regierung plant neue Kontrollen im Süden.",
            false,
        ),
        (
            other_correction,
            "Die Korrektur: In einer früheren Version stand ein falsches Datum.",
            false,
        ),
        (ad_label, "Advertisement - scroll to continue", true),
        (ad_label, "Anzeige", true),
        (ad_label, "PUBLICITÉ", true),
        (ad_label, "Reklama", true),
        (ad_label, "広告", true),
        (ad_label, "Anzeigen und Angebote", false),
        (ad_label, "Die Anzeige erschien am Montag.", false),
        (
            caption_credit,
            "Migrantes en el puerto, el viernes. Foto: EFE",
            true,
        ),
        (
            caption_credit,
            "Die Spieler nach dem Spiel. Foto: REUTERS/Jane Doe",
            true,
        ),
        (
            caption_credit,
            "Sophie Binet à l’Elysée. Crédit photo : AFP",
            true,
        ),
        (caption_credit, "宮崎県の海岸。写真：朝日新聞社", true),
        (caption_credit, "Москва весной. Фото: ТАСС", true),
        (caption_credit, "Das Foto zeigt ihn im Jahr 1990.", false),
        (
            caption_credit,
            "Die Fotografin: sie war dabei. Danach ging sie.",
            false,
        ),
        (promo_label, "Czytaj więcej: Blokada morska Iranu", true),
        (
            promo_label,
            "İlginizi çekebilir: Orman yangınlarında son durum",
            true,
        ),
        (promo_label, "Xem thêm: Dấu hiệu ung thư", true),
        (promo_label, "関連記事：南海トラフ地震臨時情報とは", true),
        (list_label, "Relaterte saker", true),
        (list_label, "Tin liên quan", true),
        (list_label, "Czytaj więcej:", false),
        (ad_label, "Advertisements are everywhere", false),
        (share_label, "Share on WhatsApp", true),
        (share_label, "Follow us on Facebook, X and Instagram:", true),
        (share_label, "Share this article with your friends", false),
        (newsletter, "Sign up for our daily briefing", true),
        (newsletter, "Get our Morning newsletter, free", true),
        (
            newsletter,
            "The newsletter lands in your inbox each morning.",
            true,
        ),
        (newsletter, "The newsletter was founded in 1990.", false),
        (
            newsletter,
            "Please bookmark our homepage and sign up for our daily newsletter, Posted, here.",
            true,
        ),
        (newsletter, "Sign-ups for the newsletter doubled.", false),
        (
            staff_credit,
            "Reporting by Jane Doe in Beirut; Writing by John Roe; Editing by Ann Poe",
            true,
        ),
        (staff_credit, "– additional reporting by Jane Doe", true),
        (
            staff_credit,
            "With reporting by Associated Press writer Jane Doe",
            true,
        ),
        (
            staff_credit,
            "—Associated Press writer Jane Doe in Paris contributed to this report.",
            true,
        ),
        (staff_credit, "Jane Doe contributed reporting.", true),
        (
            staff_credit,
            "Her reporting by the river won a prize; she contributed to this city.",
            false,
        ),
    ];
    for &(f, s, want) in cases {
        assert_eq!(f(s), want, "{s:?}");
    }
    // `(?i)\p{Lu}`: capitals and the letters that fold to one, no other character.
    assert!(cased('A') && cased('a') && cased('ß') && cased('ẞ') && cased('й'));
    assert!(!cased('ĸ') && !cased('1') && !cased('東') && !cased('-'));
    let oracles = &*ORACLES;
    for &(_, s, _) in cases {
        assert_eq!(disagreements(oracles, s), Vec::<String>::new());
    }
}

/// Each bounded gap, at lengths around its bound: the shape agrees with its oracle, and the
/// bound falls inside the lengths tried.
#[test]
fn bounds_are_where_the_regular_expressions_put_them() {
    let x = |k: usize| "x".repeat(k);
    let cases: Vec<(&str, Maker, std::ops::Range<usize>)> = vec![
        (
            "disclaimer",
            Box::new(move |k| format!("The views expressed {} are mine", x(k))),
            155..162,
        ),
        (
            "author",
            Box::new(move |k| format!("Jane Doe is {} professor", x(k))),
            115..122,
        ),
        (
            "author",
            Box::new(move |k| format!("Jane Doe is the {} professor", x(k))),
            115..122,
        ),
        (
            "source",
            Box::new(move |k| format!("Source: {}", x(k))),
            77..83,
        ),
        (
            "caption",
            Box::new(move |k| format!("A view. [{}]", x(k))),
            0..4,
        ),
        (
            "caption",
            Box::new(move |k| format!("A view. [{}]", x(k))),
            57..63,
        ),
        (
            "caption",
            Box::new(move |k| format!("A view ({} Photo)", x(k))),
            37..43,
        ),
        (
            "caption",
            Box::new(move |k| format!("A view (Photo {})", x(k))),
            57..63,
        ),
        (
            "caption",
            Box::new(move |k| format!("A view. Photo: J{}", x(k))),
            77..83,
        ),
        (
            "newsletter",
            Box::new(move |k| format!("Sign up {}", x(k))),
            116..123,
        ),
        (
            "newsletter",
            Box::new(move |k| format!("A newsletter {} inbox", x(k))),
            55..62,
        ),
    ];
    for (name, make, lengths) in cases {
        let (_, f, re) = ORACLES.iter().find(|o| o.0 == name).unwrap();
        let found: Vec<bool> = lengths.clone().map(|k| f(&make(k))).collect();
        for k in lengths {
            assert_eq!(f(&make(k)), re.is_match(&make(k)), "{name} {:?}", make(k));
        }
        assert!(
            found.contains(&true) && found.contains(&false),
            "{name}: {found:?}"
        );
    }
}

/// Hostile text: long, with no white space, and a shape's opening at every few bytes, so each
/// shape is tried at thousands of places. None may panic; each place costs a bounded count
/// ([`at_most`]), where counting the whole rest of the text at each place was quadratic.
#[test]
fn long_text_with_a_shape_at_every_place() {
    for unit in [
        "photo:",
        "views expressed,",
        "(Photo",
        "[x",
        "newsletter,",
        "this-article-",
    ] {
        let s = unit.repeat(50_000);
        for (name, f, re) in ORACLES.iter() {
            assert_eq!(f(&s), re.is_match(&s), "{name} on {unit:?} repeated");
        }
    }
}

/// Pieces paragraphs are made of: the shapes' words in several cases, their punctuation,
/// white space of several kinds, letters that are word characters outside ASCII, and a
/// filler long enough to push a gap past its bound.
const PIECES: &[&str] = &[
    "Photo",
    "photo",
    "PHOTOS",
    "Photograph",
    "image",
    "Picture",
    "illustration",
    "Credit",
    "File",
    "credit",
    ":",
    "by",
    "By",
    "Getty",
    "Images",
    "/",
    "|",
    "via",
    "AP",
    "AFP",
    "EPA",
    "Reuters",
    "(",
    ")",
    "[",
    "]",
    "Jane",
    "Doe",
    "Émile",
    "d'Arc",
    "O’Brien",
    "is",
    "was",
    "a",
    "an",
    "the",
    "The",
    "Editor",
    "editors",
    "views",
    "opinions",
    "and",
    "expressed",
    "are",
    "do",
    "does",
    "not",
    "necessarily",
    "reflect",
    "represent",
    "those",
    "of",
    "belong",
    "sign",
    "up",
    "Sign",
    "newsletter",
    "Newsletter",
    "subscribe",
    "inbox",
    "read",
    "Read",
    "more",
    "also",
    "related",
    "Related",
    "stories",
    "see",
    "watch",
    "don't",
    "dont",
    "miss",
    "on",
    "this",
    "story",
    "continue",
    "reading",
    "-",
    "–",
    "—",
    "»",
    ">",
    ".",
    "!",
    "?",
    ",",
    "source",
    "Sources",
    "originally",
    "first",
    "published",
    "appeared",
    "ran",
    "in",
    "republished",
    "from",
    "with",
    "permission",
    "correction",
    "Update",
    "updated",
    "editor's",
    "note",
    "earlier",
    "previous",
    "version",
    "article",
    "report",
    "has",
    "been",
    "corrected",
    "advertisement",
    "Ad",
    "sponsored",
    "content",
    "continues",
    "below",
    "scroll",
    "to",
    "main",
    "share",
    "Share",
    "tweet",
    "copy",
    "link",
    "follow",
    "like",
    "us",
    "Twitter",
    "get",
    "our",
    "join",
    "x",
    "é",
    "ß",
    "ǅ",
    "_",
    "1",
    "²",
    "Москва",
    "東京",
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do",
    "Image",
    "Illustration",
    "Shutterstock",
    "Alamy",
    "Bloomberg",
    "listen",
    "recommended",
    "suggested",
    "posted",
    "at",
    "email",
    "print",
    "facebook",
    "whatsapp",
    "linkedin",
    "page",
    "articles",
    "coverage",
    "advertising",
    "clarification",
    "amended",
    "contributed",
    "writing",
    "editing",
    "additional",
    "for",
    "newsletters",
];

/// Whole phrases of the shapes, each set at the start of a generated paragraph or inside it
/// (single pieces rarely line up into a phrase of three words or more).
const PHRASES: &[&str] = &[
    "read more",
    "read next",
    "also read",
    "read also",
    "see also",
    "suggested reading",
    "don't miss",
    "more on this story",
    "continue reading",
    "related stories",
    "related articles",
    "related coverage",
    "more stories",
    "views expressed",
    "opinions expressed",
    "views and opinions expressed",
    "opinions and views expressed",
    "do not necessarily reflect",
    "does not necessarily represent",
    "those of",
    "originally published by",
    "first appeared on",
    "first ran in",
    "originally posted at",
    "republished from",
    "republished with permission",
    "an earlier version of this article",
    "a previous version of this story",
    "this report has been corrected",
    "this story was amended",
    "this article was updated",
    "editor's note",
    "editors note",
    "story continues below advertisement",
    "continue reading the main story",
    "scroll to continue with content",
    "sponsored content",
    "share this article",
    "share this page",
    "share on",
    "copy link",
    "follow us on",
    "like us on",
    "sign up",
    "join our newsletter",
    "get our",
    "get the",
    "photo credit",
    "Getty Images",
    "via AP",
    "Jane Doe is a",
    "Émile Zola was the",
    "à lire aussi",
    "les også",
    "läs också",
    "mehr zum thema",
    "lee también",
    "čtěte také",
    "читайте также",
    "reporting by",
    "with additional reporting by",
    "editing by",
    "contributed to this report",
    "contributed reporting to this story",
    "contributed reporting",
    "sign up for our",
    "sign up to the",
];

/// `s` in one of three cases: as written, upper case, or with a capital first letter.
fn recase(s: &str, mode: u8) -> String {
    match mode {
        1 => s.to_uppercase(),
        2 => {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
        _ => s.to_string(),
    }
}
const GLUE: &[&str] = &[" ", " ", " ", "", "  ", "\u{a0}", "\n", "\t"];

/// [`PIECES`] and the author note's roles.
fn words() -> Vec<&'static str> {
    PIECES.iter().chain(ROLES).copied().collect()
}

fn pieces(n: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (prop::sample::select(words()), prop::sample::select(GLUE)),
        n,
    )
    .prop_map(|parts| parts.into_iter().map(|(p, g)| format!("{p}{g}")).collect())
}

/// Pieces alone, or pieces around one of the shapes' phrases (often at the start).
fn paragraph() -> impl Strategy<Value = String> {
    prop_oneof![
        pieces(0..20),
        (
            prop_oneof![Just(0..1), Just(0..4)].prop_flat_map(pieces),
            prop::sample::select(PHRASES),
            0u8..3,
            prop::sample::select(GLUE),
            pieces(0..14),
        )
            .prop_map(|(before, phrase, mode, glue, after)| {
                format!("{before}{}{glue}{after}", recase(phrase, mode))
            }),
    ]
}

proptest! {
    #![proptest_config(crate::testing::proptest_config(4000))]
    #[test]
    fn shapes_agree_with_their_regular_expressions(s in paragraph()) {
        let oracles = &*ORACLES;
        let trimmed = s.trim();
        prop_assert_eq!(disagreements(oracles, &s), Vec::<String>::new());
        prop_assert_eq!(disagreements(oracles, trimmed), Vec::<String>::new());
    }
}

/// Every paragraph the normalizer keeps or strips on the fundus corpus (read in place;
/// without it this skips), and every line of the seed paste.
#[test]
fn shapes_agree_with_their_regular_expressions_on_the_corpus() {
    use crate::{Input, Rules, normalize};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let Ok(dir) = std::fs::read_dir(root.join("corpus/fundus/pages")) else {
        // As tests/support/corpus.rs: in CI an absent corpus fails, so a wrong path is seen.
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true" || v == "1"),
            "CI=true but no corpus under {}",
            root.display()
        );
        eprintln!("skipped: no corpus under {}", root.display());
        return;
    };
    let mut texts: Vec<String> = Vec::new();
    for path in dir.flatten().map(|e| e.path()) {
        if path.extension().is_none_or(|x| x != "html") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let Ok(n) = normalize(
            &Input {
                bytes: &bytes,
                ..Input::default()
            },
            &Rules::default(),
        ) else {
            continue;
        };
        texts.extend(n.text.split("\n\n").map(str::to_string));
        texts.extend(n.stripped.into_iter().map(|s| s.text));
    }
    if let Ok(seed) = std::fs::read_to_string(root.join("seed/lankov-cold-war-alliance.txt")) {
        // As the paste's lines are read: trimmed (its source line is indented).
        texts.extend(seed.lines().map(|l| l.trim().to_string()));
    }
    assert!(texts.len() > 5000, "{} paragraphs", texts.len());
    let oracles = &*ORACLES;
    let wrong: Vec<String> = texts
        .iter()
        .flat_map(|s| disagreements(oracles, s))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The corpus holds each kind of noise the shapes are for, so the check is not empty.
    for (name, f, _) in oracles {
        assert!(
            texts.iter().any(|s| f(s)),
            "no paragraph of the corpus is a {name}"
        );
    }
}

#[test]
fn copyright_notices_and_not_prose_about_copyright() {
    for s in [
        "© 2026 The Canadian Press",
        "© RIPRODUZIONE RISERVATA",
        "© dpa-infocom, dpa:230428-99-483045/5",
        "Copyright © 2023 The Washington Times, LLC.",
        "Copyright 2026 The Harbour Gazette",
        "<Copyright ⓒ 한국일보. All rights reserved. 무단 전재 및 재배포 금지>",
        "Alle Rechte vorbehalten.",
    ] {
        assert!(copyright(s), "{s}");
    }
    for s in [
        "Copyright lawyers say the ruling will be appealed.",
        "The band reserved all seats for the families.",
        "Copyrights and trademarks are part of the assets.",
        "(c) the third of the points the court listed",
    ] {
        assert!(!copyright(s), "{s}");
    }
}
