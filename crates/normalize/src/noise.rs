//! The text-level noise pass, shared by text pastes and HTML: repeats, pull quotes,
//! captions, promos, disclaimers, source lines and trailing related stories.
//!
//! It sees only paragraphs, so a paste and the HTML of the same page get the same
//! decisions. Patterns describe the shapes of noise, never one outlet's wording.

use std::collections::HashMap;

use regex::Regex;

use super::Stripped;
use super::gate;
use super::shapes;
use super::text::{Block, Kind};

/// Above this many paragraphs the substring check for pull quotes is skipped (the
/// sentence-hash check still runs): it costs candidates × body length.
const SUBSTRING_CHECK_MAX_PARAS: usize = 400;

/// Characters that are not white space: what `Block::link_chars` counts too.
pub(crate) fn visible_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// `s.split_whitespace().count()`, with ASCII kept off Unicode's tables: every block is
/// counted, and a paste's blocks are long.
fn words(s: &str) -> usize {
    let mut n = 0;
    let mut inside = false;
    for c in s.chars() {
        let space = if c.is_ascii() {
            matches!(c, ' ' | '\t'..='\r')
        } else {
            c.is_whitespace()
        };
        n += usize::from(inside && space);
        inside = !space;
    }
    n + usize::from(inside)
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(['"', '”', '’', '\'', ')', '»'])
        .ends_with(['.', '!', '?', '…', ';', ',', ':'])
}

/// A promo for another item inside the body: a label ("Read more: ...") or the shape
/// "Show - Episode title" (a short line with a spaced dash and no sentence end).
/// Subheadings are short lines too, but have no spaced dash between two names.
/// `n`: the block's words; `in_prose_list`: an item of a list that holds prose, where a
/// linked line or a "Name - title" line is the list's own (a changelog's bug links), and
/// only a label says promo.
fn is_promo(b: &Block, n: usize, in_prose_list: bool) -> bool {
    let s = b.text.as_str();
    if n <= 30 && shapes::promo_label(s) {
        return true;
    }
    if n <= 20 && link_share(b) && !in_prose_list {
        return true;
    }
    // A label with no separator is a promo only when the rest is the linked headline: an
    // inline "read also" is a link, a sentence that opens "More ..." is not.
    if n <= 30
        && let Some(at) = shapes::bare_promo_label(s)
        && b.link_chars * 10 >= visible_len(&s[at..]) * 8
    {
        return true;
    }
    !in_prose_list && promo_shape(s, n)
}

/// Items of a list (its sub-lists included) where another item is prose: a sentence or
/// more, mostly not a link. A box of related links is links item after item; a list in the
/// article mixes its links with what it says (an outline, a changelog, references).
fn prose_lists(body: &[Block]) -> Vec<bool> {
    let prose: std::collections::HashSet<usize> = body
        .iter()
        .filter(|b| b.link_chars * 2 < visible_len(&b.text) && words(&b.text) >= 8)
        .filter_map(|b| b.list)
        .collect();
    body.iter()
        .map(|b| b.list.is_some_and(|l| prose.contains(&l)))
        .collect()
}

/// A promo by its words or its shape, whatever its links: a label ("Read more: ...") or
/// "Show - Episode title". `n`: its words.
fn promo_label_or_shape(s: &str, n: usize) -> bool {
    (n <= 30 && (shapes::promo_label(s) || shapes::bare_promo_label(s).is_some()))
        || promo_shape(s, n)
}

/// Mostly link text: a promo's headline, or a row of links.
fn link_share(b: &Block) -> bool {
    b.link_chars * 10 >= visible_len(&b.text) * 9
}

/// The shape "Show - Episode title": a short line with a spaced dash (or a bar) after one
/// to five words, no sentence end. `n`: its words.
fn promo_shape(s: &str, n: usize) -> bool {
    // A promo's episode title may be a question; a sentence of prose ends otherwise.
    if n > 14 || s.ends_with(['.', ';', ',', ':', '!']) {
        return false;
    }
    [" - ", " – ", " — ", " | "].iter().any(|dash| {
        s.split_once(dash).is_some_and(|(show, title)| {
            let show_words = words(show);
            (1..=5).contains(&show_words) && words(title) >= 1 && starts_capital(show)
        })
    })
}

fn starts_capital(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// A line in a paste that stands for a subheading: short, capitalised, no sentence end.
/// `n`: its words.
fn heading_shape(s: &str, n: usize) -> bool {
    n <= 10 && s.chars().count() <= 80 && starts_capital(s) && !ends_sentence(s)
}

/// How a headline ends: not as a sentence of prose does, but a headline may be a question
/// or an exclamation, quoted or not ("What's next for Gaza?", "'Are there any?'"), or be
/// cut short ("...and how many children do they have?...").
fn headline_end(s: &str) -> bool {
    let s = s.trim_end();
    let s = s
        .strip_suffix("...")
        .or_else(|| s.strip_suffix('…'))
        .unwrap_or(s);
    !ends_sentence(s)
        || s.trim_end_matches(['"', '”', '’', '\'', '»', ')'])
            .ends_with(['?', '!', '？', '！'])
}

/// A related-story card's title: short and not a sentence.
fn headline_like(s: &str) -> bool {
    words(s) <= 20 && !s.trim_end().ends_with(['.', ',', ';', ':'])
}

/// Whether a paragraph of prose (a long sentence or more) is among `blocks`. Japanese and
/// Chinese set no spaces between words: there a sentence of forty characters or more that
/// ends with `。` is one.
fn prose_follows(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| {
        let s = b.text.trim_end();
        prose(s) || (s.ends_with('。') && visible_len(s) >= 40 && !keeper(s))
    })
}

/// Whether a paragraph of prose in the markup of the body's paragraphs (`frame`, that of
/// the last one kept) is among `blocks`: the article goes on past a box set amid it.
fn own_prose_follows(blocks: &[Block], frame: Option<usize>) -> bool {
    frame.is_some() && blocks.iter().any(|b| b.frame == frame && prose(&b.text))
}

/// Whether the article goes on after an end cue ("Read more:", a source line) late in its
/// body: in a paste, where lines of prose follow; in HTML, where prose in the markup of the
/// body's paragraphs (`frame`) does (a box set amid the article, not a list under it).
fn article_goes_on(rest: &[Block], paste: bool, frame: Option<usize>) -> bool {
    if paste {
        prose_follows(rest)
    } else {
        own_prose_follows(rest, frame)
    }
}

/// A sentence of prose: more than ten words, ending as a sentence ends.
fn prose(s: &str) -> bool {
    let ends = ends_sentence(s) || s.trim_end().ends_with(['।', '。', '؟']);
    words(s) > 10 && ends && !keeper(s)
}

/// Blocks that end-of-article rules never strip.
fn keeper(s: &str) -> bool {
    shapes::author_note(s) || shapes::correction(s) || shapes::other_correction(s)
}

/// Units of a relative time ("3 hours ago"), lower-case, in the languages of the dev
/// corpora: English, Italian ("3 ore fa"), Dutch ("3 uur geleden"), Polish, Russian and the
/// Scandinavian languages put the marker after.
const UNITS_BEFORE_MARKER: &[&str] = &[
    "s",
    "sec",
    "secs",
    "second",
    "seconds",
    "m",
    "min",
    "mins",
    "minute",
    "minutes",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "d",
    "day",
    "days",
    "w",
    "wk",
    "wks",
    "week",
    "weeks",
    "mo",
    "month",
    "months",
    "y",
    "yr",
    "yrs",
    "year",
    "years",
    "secondo",
    "secondi",
    "minuto",
    "minuti",
    "ora",
    "ore",
    "giorno",
    "giorni",
    "settimana",
    "settimane",
    "mese",
    "mesi",
    "anno",
    "anni",
    "seconde",
    "seconden",
    "minuut",
    "minuten",
    "uur",
    "dag",
    "dagen",
    "weken",
    "maand",
    "maanden",
    "jaar",
    "jaren",
    // Polish ("3 godziny temu"), Russian ("3 часа назад"), Swedish ("för 3 timmar sedan"),
    // Norwegian and Danish ("for 3 timer siden").
    "sekundę",
    "sekundy",
    "sekund",
    "minutę",
    "minuty",
    "minut",
    "godzinę",
    "godziny",
    "godzin",
    "dzień",
    "dni",
    "tydzień",
    "tygodnie",
    "tygodni",
    "miesiąc",
    "miesiące",
    "miesięcy",
    "rok",
    "lata",
    "lat",
    "секунду",
    "секунды",
    "секунд",
    "минуту",
    "минуты",
    "минут",
    "час",
    "часа",
    "часов",
    "день",
    "дня",
    "дней",
    "неделю",
    "недели",
    "недель",
    "месяц",
    "месяца",
    "месяцев",
    "год",
    "года",
    "лет",
    "sekunder",
    "minuter",
    "timme",
    "timmar",
    "dag",
    "dagar",
    "vecka",
    "veckor",
    "månad",
    "månader",
    "år",
    "minutt",
    "minutter",
    "time",
    "timer",
    "dager",
    "dage",
    "uke",
    "uker",
    "uge",
    "uger",
    "måned",
    "måneder",
];

/// German ("vor 3 Stunden"), French ("il y a 3 heures"), Spanish ("hace 3 horas") and
/// Portuguese ("há 3 horas") and Czech ("před 3 hodinami") put it before.
const UNITS_AFTER_MARKER: &[&str] = &[
    "sekunde",
    "sekunden",
    "minute",
    "minuten",
    "min.",
    "stunde",
    "stunden",
    "std.",
    "tag",
    "tagen",
    "woche",
    "wochen",
    "monat",
    "monaten",
    "jahr",
    "jahren",
    "seconde",
    "secondes",
    "min",
    "minutes",
    "heure",
    "heures",
    "h",
    "jour",
    "jours",
    "semaine",
    "semaines",
    "mois",
    "an",
    "ans",
    "segundo",
    "segundos",
    "minuto",
    "minutos",
    "hora",
    "horas",
    "día",
    "días",
    "dia",
    "dias",
    "semana",
    "semanas",
    "mes",
    "meses",
    "mês",
    "año",
    "años",
    "ano",
    "anos",
    // Czech ("před 3 hodinami").
    "sekundou",
    "sekundami",
    "minutou",
    "minutami",
    "hodinou",
    "hodinami",
    "dnem",
    "dny",
    "týdnem",
    "týdny",
    "měsícem",
    "měsíci",
    "rokem",
    "lety",
];

/// Chinese and Japanese: `3時間前`, `44分前`, `2小时前`.
const CJK_UNITS: &[&str] = &[
    "秒", "分", "分钟", "分鐘", "時間", "小时", "小時", "日", "天", "週間", "周", "か月", "ヶ月",
    "个月", "年",
];

/// Words that date a byline ("Published 3 hours ago", "Last updated: 2 days ago").
const DATE_LABELS: &[&str] = &[
    "published",
    "updated",
    "posted",
    "modified",
    "publié",
    "jour",
    "veröffentlicht",
    "aktualisiert",
    "publicado",
    "actualizado",
    "atualizado",
    "pubblicato",
    "aggiornato",
    "gepubliceerd",
    "bijgewerkt",
    "publisert",
    "oppdatert",
    "publicerad",
    "uppdaterad",
    "publiceret",
    "opdateret",
    "opublikowano",
    "zaktualizowano",
    "опубликовано",
    "обновлено",
    "publikováno",
    "aktualizováno",
    "更新",
    "公開",
    "配信",
];

/// A count: one to three digits.
fn count(w: &str) -> bool {
    (1..=3).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())
}

/// Month names and their abbreviations in the dev corpora's languages written in Latin
/// script (English, French, German, Italian, Spanish, Portuguese, Dutch), lower-case.
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "janv",
    "févr",
    "avr",
    "juil",
    "déc",
    "januar",
    "februar",
    "märz",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "jän",
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "dicembre",
    "enero",
    "febrero",
    "abril",
    "mayo",
    "junio",
    "julio",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "janeiro",
    "fevereiro",
    "março",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "januari",
    "februari",
    "maart",
    "mei",
    "augustus",
];

/// A calendar date in a token: `28.04.2023`, `20/11/2024`, `2024-07-18` (a 19xx or 20xx
/// year with a day and a month).
fn numeric_date(t: &str) -> bool {
    let t = t.trim_matches(|c: char| !c.is_ascii_digit());
    let parts: Vec<&str> = t.split(['.', '/', '-']).collect();
    let num =
        |p: &str, lens: &[usize]| lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let year = |p: &str| num(p, &[4]) && (p.starts_with("19") || p.starts_with("20"));
    parts.len() == 3
        && ((num(parts[0], &[1, 2])
            && num(parts[1], &[1, 2])
            && (year(parts[2]) || num(parts[2], &[2])))
            || (year(parts[0]) && num(parts[1], &[1, 2]) && num(parts[2], &[1, 2])))
}

/// A short line that carries a calendar date and is no sentence: `6 Jan 2026`, `Stand:
/// 28.04.2023 17:23 Uhr`, `di Teresa Fallavollita 20 Novembre 2024`, `Publié le 18 juil.
/// 2024 à 08:01`. Above the body's first paragraph it is the dateline of a byline.
fn dateline(s: &str, n_words: usize) -> bool {
    if n_words == 0 || n_words > 12 || ends_sentence(s) {
        return false;
    }
    let lower = s.to_lowercase();
    let w: Vec<&str> = lower
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| matches!(c, '.' | ',' | ':' | '(' | ')' | '|')))
        .collect();
    if w.iter().any(|t| numeric_date(t)) {
        return true;
    }
    let year = |t: &str| {
        t.len() == 4
            && (t.starts_with("19") || t.starts_with("20"))
            && t.bytes().all(|b| b.is_ascii_digit())
    };
    let month = w.iter().position(|t| MONTHS.contains(t));
    month.is_some_and(|m| w[m..].iter().take(3).any(|t| year(t)))
}

/// A short line that ends in a relative time ("49 minutes ago", "Jane Doe | Published 4
/// months ago", "vor 2 Stunden"): a card's or a byline's date, written for the hour it was
/// shown and changed by the next capture without an edit. Before the time only a label
/// ("Published", "Last updated:") or a separator (`|`, `·`, `-`) closing a name may stand,
/// so a sentence that ends "three years ago" is text.
fn relative_time(s: &str) -> bool {
    let lower = s.trim().to_lowercase();
    let w: Vec<&str> = lower.split_whitespace().collect();
    if w.is_empty() || w.len() > 12 {
        return false;
    }
    let n = w.len();
    let unit_before = |u: &str| UNITS_BEFORE_MARKER.contains(&u);
    // The words the time takes at the end.
    let taken = if matches!(
        w[n - 1],
        "ago" | "fa" | "geleden" | "temu" | "назад" | "sedan" | "siden"
    ) {
        let glued = |x: &str| {
            let d = x.bytes().take_while(u8::is_ascii_digit).count();
            d > 0 && count(&x[..d]) && unit_before(&x[d..])
        };
        let taken = if n >= 3
            && unit_before(w[n - 2])
            && (count(w[n - 3]) || matches!(w[n - 3], "a" | "an" | "one"))
        {
            3
        } else if n >= 2 && glued(w[n - 2]) {
            2
        } else {
            return false;
        };
        // Swedish, Norwegian and Danish open the time with "för" / "for".
        let opened = matches!(w[n - 1], "sedan" | "siden")
            && n > taken
            && matches!(w[n - 1 - taken], "för" | "for");
        taken + usize::from(opened)
    } else if n >= 3 && count(w[n - 2]) && UNITS_AFTER_MARKER.contains(&w[n - 1]) {
        if matches!(w[n - 3], "vor" | "hace" | "há" | "před") {
            3
        } else if n >= 5 && w[n - 5..n - 2] == ["il", "y", "a"] {
            5
        } else {
            return false;
        }
    } else {
        let Some(t) = w[n - 1].strip_suffix('前') else {
            return false;
        };
        let d = t.bytes().take_while(u8::is_ascii_digit).count();
        if d == 0 || !count(&t[..d]) || !CJK_UNITS.contains(&&t[d..]) {
            return false;
        }
        1
    };
    let head = &w[..n - taken];
    let Some(last) = head.last() else {
        return true;
    };
    let separator = |c: char| matches!(c, '|' | '·' | '•' | '/' | '-' | '–' | '—' | ',' | ':');
    let label = last
        .trim_end_matches(':')
        .rsplit(separator)
        .next()
        .is_some_and(|l| DATE_LABELS.contains(&l));
    label || last.ends_with(separator)
}

/// What the pass hands back besides the kept blocks.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub stripped: Vec<Stripped>,
    pub attribution: Option<String>,
}

/// Run the pass. `paste` turns subheading-shaped lines into subheadings (HTML has tags for that).
/// `head` is the title and standfirst: never stripped, but a body block right after
/// that repeats one is a duplicate.
pub(crate) fn clean_body(
    body: Vec<Block>,
    head: &[&str],
    paste: bool,
    drop_text: &[Regex],
    found: &mut Found,
) -> Vec<Block> {
    // A block that is wholly a `<time>` element's text is a date (the page's, in its
    // byline, or a listed story's): dates are metadata, and a relative one ("1 day ago")
    // changes with the hour of the capture.
    let (dates, mut body): (Vec<Block>, Vec<Block>) = body.into_iter().partition(|b| b.dated);
    found
        .stripped
        .extend(dates.into_iter().map(|b| Stripped::new("date", b.text)));
    let n = body.len();
    let mut rule: Vec<Option<&'static str>> = vec![None; n];

    trailing_cards(&body, &mut rule);
    let listed = listed(&body);
    let in_prose_list = prose_lists(&body);
    // The elements holding the body's paragraphs of prose: a linked subheading among them
    // titles a section of the article, one elsewhere is a card's headline.
    let prose_holders: Vec<usize> = body
        .iter()
        .filter(|b| b.kind == Kind::Para && prose(&b.text))
        .filter_map(|b| b.holder)
        .collect();

    let mut prev: Option<String> = head.last().map(|s| s.to_string());
    // The previous block's frame: a repeat in the same markup as the block before it is
    // the page's own (a refrain, a row of a list), not a copy set apart.
    let mut prev_frame: Option<usize> = None;
    let mut ended = false;
    // Ended by a paywall's cut ("the rest is for subscribers"): what follows is the gate's.
    let mut cut = false;
    // Whether a paragraph of the body came before: a cut notice above the article is a label.
    let mut prose_before = false;
    // The markup of the last paragraph kept (HTML only).
    let mut prose_frame: Option<usize> = None;
    // In a paste, the block after a list label ("Read more:") that left the list going on.
    let mut after_label = false;
    for i in 0..n {
        let b = &body[i];
        let s = b.text.as_str();
        let n_words = words(s);
        let decided = if rule[i].is_some() {
            rule[i]
        } else if drop_text.iter().any(|r| r.is_match(s)) {
            Some("per-site")
        } else if prev.as_deref() == Some(s) && (b.frame.is_none() || b.frame != prev_frame) {
            Some("duplicate")
        } else if n_words <= 4 && shapes::list_label(s) {
            // "Read more:" alone heads a list of other stories, set as a subheading or as a
            // bold paragraph alike (formatting is not text): late in the body, all that
            // follows is that list; earlier, the label is left of a box whose links went.
            // The article goes on where its own prose follows: in a paste, lines of prose;
            // in HTML, prose in the markup of the body's paragraphs (a "read also" box set
            // amid the article, not a list under it).
            ended |= i * 2 >= n && !article_goes_on(&body[i + 1..], paste, prose_frame);
            Some("related")
        } else if b.kind == Kind::Heading {
            if ended {
                Some("related")
            } else if b.linked
                && (b.holder.is_none_or(|h| !prose_holders.contains(&h))
                    || promo_label_or_shape(s, n_words))
            {
                // A headline linking to another story, in its card (an `<h2>` or a bold
                // line alike), or labelled as a promo: what a bold link is in the column.
                Some("promo")
            } else {
                None
            }
        } else if n_words <= 12 && relative_time(s) {
            Some("date")
        } else if !prose_before && dateline(s, n_words) {
            // Above the body's first paragraph, a line carrying a date is the byline's, in
            // a paste as in a page.
            Some("date")
        } else if !prose_before && n_words <= 8 && shapes::byline(s) {
            // Bylines are metadata (the spec): the writer's name above the article.
            Some("byline")
        } else if n_words <= 60 && shapes::attribution(&outside_brackets(s)) {
            found.attribution.get_or_insert_with(|| s.to_string());
            Some("attribution")
        } else if n_words <= 60 && i * 2 >= n && shapes::staff_credit(s) {
            // Who reported, wrote and edited the story, under it: the newsroom's record of
            // its hands, as a caption's credit is the photographer's. Only in the second
            // half: a line that opens a story with "Reporting by" is its text.
            Some("credit")
        } else if n_words <= 80 && shapes::disclaimer(s) {
            // An end marker only in the second half: some opinion pages open with one.
            ended |= i * 2 >= n;
            Some("disclaimer")
        } else if shapes::source_line(s) || shapes::other_source_line(s) {
            // The outlet's line under its article ends it, late in the body, where none of
            // the article's own prose follows: a chart's "Source: ONS" amid the text does not.
            ended |= i * 2 >= n && !article_goes_on(&body[i + 1..], paste, prose_frame);
            Some("source-line")
        } else if n_words <= 25 && i * 2 >= n && shapes::copyright(s) {
            // The outlet's notice under its article; one at the top is the page's header
            // (a personal page's "© 2002 Jamie Zawinski"), left to the other rules.
            ended = true;
            Some("copyright")
        } else if keeper(s) {
            None
        } else if gate::notice(s, n_words) {
            // Access is the page's business with its reader, not the story's; after the
            // point where the article is cut, all that follows is the gate's.
            if prose_before && gate::cut(s, n_words) {
                ended = true;
                cut = true;
            }
            Some("paywall")
        } else if ended
            && cut
            && prose_frame.is_some()
            && b.frame == prose_frame
            && prose(s)
            && !gate::speaks_to_reader(s)
        {
            // A paragraph of prose in the story's own markup after the cut, not speaking to
            // the reader as the gate's questions and answers do: the page shipped its text
            // behind the notice (a soft paywall), and the bytes are the evidence.
            None
        } else if ended {
            Some(if cut { "paywall" } else { "related" })
        } else if n_words <= 60
            && (paste || b.beside_media || (n_words <= 30 && shapes::labelled_credit(s)))
            && shapes::caption_credit(s)
        {
            // In HTML a caption sits by its image: a bracketed reference ending a quote or a
            // table row is not a credit. A credit that names itself (`Foto: dpa`, `(AP
            // Photo/Jane Doe)`) is one without it: a copy that dropped the picture keeps it.
            Some("caption")
        } else if paste && n_words <= 4 && super::paste::picture_label(s) {
            // A picture's label, all a paste keeps of a figure.
            Some("caption")
        } else if paste && after_label && n_words <= 30 && headline_end(s) {
            // The headline a "Read more:" label linked to, a line of its own in a paste.
            Some("promo")
        } else if n_words <= 8 && shapes::ad_label(s) {
            Some("ad")
        } else if n_words <= 8 && (shapes::share_label(s) || shapes::other_share_label(s)) {
            Some("share")
        } else if n_words <= 40 && (shapes::newsletter(s) || shapes::other_newsletter(s)) {
            Some("newsletter")
        } else if gate::appeal(s, n_words) {
            // A box asking the reader for money (donate, become a member), wherever the
            // template puts it: the page's business with its reader, as a newsletter's.
            Some("appeal")
        } else if is_promo(b, n_words, in_prose_list[i]) && !listed[i] {
            Some("promo")
        } else {
            None
        };
        after_label =
            paste && !ended && decided == Some("related") && n_words <= 4 && shapes::list_label(s);
        rule[i] = decided;
        if decided.is_none() && b.kind == Kind::Para {
            // A short line kept (a byline's name alone) is not yet the article's prose.
            prose_before |= n_words > 10 || ends_sentence(s);
            prose_frame = b.frame;
        }
        prev = Some(body[i].text.clone());
        prev_frame = body[i].frame;
        if decided.is_none() && paste && heading_shape(&body[i].text, n_words) {
            body[i].kind = Kind::Heading;
        }
    }

    pull_quotes(&body, &mut rule);
    furniture_boxes(&body, &mut rule);
    if paste {
        paste_tags(&body, &mut rule);
    }

    // A subheading with no paragraph after it heads a list that was stripped
    // ("More from the author", "Related"), or nothing at all.
    let mut tail = true;
    for i in (0..n).rev() {
        if rule[i].is_some() {
            continue;
        }
        if body[i].kind == Kind::Para {
            tail = false;
        } else if tail {
            rule[i] = Some("related");
        }
    }
    // A subheading in a paste is only one when a paragraph follows; otherwise it was a
    // short last line of text and stays a paragraph.
    let mut kept = Vec::with_capacity(n);
    for (b, r) in body.into_iter().zip(rule) {
        match r {
            Some(rule) => found.stripped.push(Stripped::new(rule, b.text)),
            None => kept.push(b),
        }
    }
    kept
}

/// Lines of a list, a table or a `<br>` run in the body: three or more in a row in one
/// element (HTML only: one holder; three cards of one markup are three boxes), each of the promo's "Name - title" shape and none mostly a
/// link. Tour dates, a results table's rows, a listicle's "1) Product - edition": a promo
/// stands alone, or in a box of links; a run of one shape is the article's own list.
fn listed(body: &[Block]) -> Vec<bool> {
    let shaped: Vec<bool> = body
        .iter()
        .map(|b| {
            b.holder.is_some()
                && b.kind == Kind::Para
                && !link_share(b)
                && !shapes::promo_label(&b.text)
                && promo_shape(&b.text, words(&b.text))
        })
        .collect();
    let mut listed = vec![false; body.len()];
    let mut start = 0;
    while start < body.len() {
        let mut end = start + 1;
        while end < body.len()
            && shaped[start]
            && shaped[end]
            && body[end].holder == body[start].holder
        {
            end += 1;
        }
        if shaped[start] && end - start >= 3 {
            listed[start..end].fill(true);
        }
        start = end;
    }
    listed
}

/// Related-story cards at the end of the body: a headline shown twice (the image's alt
/// text and the link) and usually a blurb, or links that make up the whole block.
fn trailing_cards(body: &[Block], rule: &mut [Option<&'static str>]) {
    let mut end = body.len();
    loop {
        let at = |i: usize| body.get(i).map(|b| b.text.as_str());
        // [headline, headline, blurb]
        if end >= 3
            && at(end - 3) == at(end - 2)
            && at(end - 3).is_some_and(headline_like)
            && !keeper(&body[end - 1].text)
            && at(end - 1) != at(end - 2)
        {
            rule[end - 3..end].fill(Some("related"));
            end -= 3;
            continue;
        }
        // [headline, headline]
        if end >= 2 && at(end - 2) == at(end - 1) && at(end - 1).is_some_and(headline_like) {
            rule[end - 2..end].fill(Some("related"));
            end -= 2;
            continue;
        }
        // A block of links, as a related list rendered from HTML.
        if end >= 1 {
            let b = &body[end - 1];
            if b.link_chars > 0
                && b.link_chars * 10 >= visible_len(&b.text) * 8
                && words(&b.text) <= 30
            {
                rule[end - 1] = Some("related");
                end -= 1;
                continue;
            }
        }
        break;
    }
}

/// Lowercase letters and digits, anything else one space: what survives retyping a quote.
/// Every paragraph and sentence goes through here, so ASCII skips Unicode's tables.
/// Appended to `out`: a paragraph is folded a sentence at a time into one string.
fn fold_into(out: &mut String, s: &str) {
    let start = out.len();
    // A separator is owed before the next letter: only between two runs of letters.
    let mut owed = false;
    for c in s.chars() {
        let alnum = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if !alnum {
            owed = true;
            continue;
        }
        if owed && out.len() > start {
            out.push(' ');
        }
        owed = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Sentences cut after `.`, `!`, `?` or `…` (and closing quotes) before white space.
fn sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut end = i + c.len_utf8();
            while let Some(&(j, q)) = chars.peek() {
                if matches!(q, '"' | '”' | '’' | '\'' | ')' | '»') {
                    end = j + q.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            if chars.peek().is_some_and(|&(_, w)| w.is_whitespace()) {
                out.push(&s[start..end]);
                start = end;
            }
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// `s` without what its brackets and parentheses hold: a citation's note (`[originally
/// published in 1966]`, `(first published in 1902)`) is the reference's, not the outlet's
/// line about this article.
fn outside_brackets(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['(', '[']) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut depth = 0usize;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A paste's last lines of three words at most, none a sentence, two or more after its
/// last other line: the page's tags and topic links (`Spain`, `Europe`, `news`), all a
/// paste keeps of them, as `navigation` as their HTML list is. One such line alone may be
/// the article's last word; two or more are a list.
fn paste_tags(body: &[Block], rule: &mut [Option<&'static str>]) {
    let live: Vec<usize> = (0..body.len()).filter(|&i| rule[i].is_none()).collect();
    let tail: Vec<usize> = live
        .iter()
        .rev()
        .take_while(|&&i| {
            let s = body[i].text.trim();
            words(s) <= 3 && !ends_sentence(s)
        })
        .copied()
        .collect();
    if tail.len() >= 2 && tail.len() < live.len() {
        for i in tail {
            rule[i] = Some("navigation");
        }
    }
}

/// A line of a paste above its standfirst that is only a date (`28. April 2023, 20:22 Uhr`,
/// `Sat 24 Feb 2024 11.42 GMT`): the byline's, never the standfirst. Six words at most, so
/// that a headline that names a date stays one.
pub(crate) fn paste_dateline(s: &str) -> bool {
    let n = words(s);
    n <= 6 && dateline(s, n)
}

/// The rest of a box that holds a newsletter sign-up or an appeal for money: its pitch
/// ("Die wichtigsten Nachrichten des Tages jeden Morgen in Ihrem Postfach.") and its button
/// are the box's, whatever their words, once its label gave the box away. A box is a run of
/// blocks in one frame (the markup holding them) other than the article's own, the frame
/// with the most kept words: a template that sets its boxes among the article's paragraphs
/// in one element gives no box, and nothing is taken. A few short blocks only: a long one
/// beside the label is prose.
fn furniture_boxes(body: &[Block], rule: &mut [Option<&'static str>]) {
    let mut words_in: Vec<(usize, usize)> = Vec::new();
    for (b, r) in body.iter().zip(rule.iter()) {
        if let (None, Kind::Para, Some(f)) = (r, b.kind, b.frame) {
            match words_in.iter_mut().find(|(g, _)| *g == f) {
                Some((_, w)) => *w += words(&b.text),
                None => words_in.push((f, words(&b.text))),
            }
        }
    }
    // The first frame among those with the most words: document order decides a tie.
    let article = words_in
        .iter()
        .fold(None, |best: Option<(usize, usize)>, &(f, w)| match best {
            Some((_, bw)) if bw >= w => best,
            _ => Some((f, w)),
        })
        .map(|(f, _)| f);
    for i in 0..body.len() {
        let Some(label @ ("newsletter" | "appeal")) = rule[i] else {
            continue;
        };
        let Some(f) = body[i].frame.filter(|&f| Some(f) != article) else {
            continue;
        };
        let start = (0..i)
            .rev()
            .take_while(|&k| body[k].frame == Some(f))
            .last()
            .unwrap_or(i);
        let end = (i..body.len())
            .take_while(|&k| body[k].frame == Some(f))
            .last()
            .unwrap_or(i);
        let rest: Vec<usize> = (start..=end).filter(|&k| rule[k].is_none()).collect();
        let sizes: Vec<usize> = rest.iter().map(|&k| words(&body[k].text)).collect();
        if rest.len() <= 3 && sizes.iter().all(|&w| w <= 40) && sizes.iter().sum::<usize>() <= 80 {
            for k in rest {
                rule[k] = Some(label);
            }
        }
    }
}

/// Strip blocks that repeat text found elsewhere in the body.
///
/// A block whose whole text is contained in another, longer paragraph is a pull quote:
/// the longer one is the body's own (a quote is cut from the text, never the reverse).
/// When two paragraphs are identical and not adjacent, the later one is kept: outlets
/// set a pull quote ahead of the passage it quotes, to draw the reader to it, so the
/// earlier copy is the quote and the later one sits where the argument needs it.
///
/// Sentences are hashed so the common case costs one pass; a substring check catches
/// quotes cut mid-sentence, bounded by [`SUBSTRING_CHECK_MAX_PARAS`].
fn pull_quotes(body: &[Block], rule: &mut [Option<&'static str>]) {
    let live: Vec<usize> = (0..body.len())
        .filter(|&i| rule[i].is_none() && body[i].kind == Kind::Para)
        .collect();
    // Each live paragraph folded once, its sentences' folds (the keys) as ranges of it:
    // sentences end in punctuation, so the paragraph folds to its sentences' folds joined
    // by a space (a property test holds this).
    let mut folded: Vec<Option<String>> = vec![None; body.len()];
    let mut ranges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); body.len()];
    for &i in &live {
        let text = &body[i].text;
        let mut out = String::with_capacity(text.len());
        for sentence in sentences(text) {
            let mark = out.len();
            if mark > 0 {
                out.push(' ');
            }
            let start = out.len();
            fold_into(&mut out, sentence);
            if out.len() == start {
                out.truncate(mark);
            } else {
                ranges[i].push((start, out.len()));
            }
        }
        folded[i] = Some(out);
    }
    let keys_of: Vec<Vec<&str>> = ranges
        .iter()
        .zip(&folded)
        .map(|(r, f)| {
            let f = f.as_deref().unwrap_or("");
            r.iter().filter_map(|&(a, b)| f.get(a..b)).collect()
        })
        .collect();
    let mut by_sentence: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in &live {
        for &k in &keys_of[i] {
            by_sentence.entry(k).or_default().push(i);
        }
    }
    let substring_ok = live.len() <= SUBSTRING_CHECK_MAX_PARAS;
    // In HTML a copy is a pull quote only in markup other than its original's: a repeat
    // among sibling paragraphs of one element is the text's own (a refrain, a question
    // put to several people). A paste has no markup to tell.
    // Nor is a copy where neither block is set apart by its markup (no class, no
    // `<blockquote>` or `<aside>`): a pull quote is styled apart from the column.
    let same_markup = |p: usize, q: usize| {
        body[p].frame.is_some() && body[p].frame == body[q].frame || body[p].plain && body[q].plain
    };
    for &p in &live {
        let Some(fp) = folded[p].as_deref() else {
            continue;
        };
        // Folded, words are parted by single spaces.
        if fp.len() < 30 || memchr::memchr_iter(b' ', fp.as_bytes()).count() < 5 {
            continue;
        }
        // Paragraphs holding every sentence of p, in first-sentence order (deterministic).
        let keys = &keys_of[p];
        let mut holders: Vec<usize> = keys
            .first()
            .and_then(|k| by_sentence.get(k))
            .map(|v| v.iter().copied().filter(|&q| q != p).collect())
            .unwrap_or_default();
        holders.retain(|q| {
            keys.iter()
                .all(|k| by_sentence.get(k).is_some_and(|v| v.contains(q)))
        });
        holders.dedup();
        // Built only when a paragraph is searched: building costs more than most searches.
        let finder = std::cell::OnceCell::new();
        let needle = || finder.get_or_init(|| Words::new(fp));
        let mut decided = None;
        for &q in &holders {
            if rule[q].is_some() {
                continue;
            }
            if same_markup(p, q) {
                continue;
            }
            let fq = folded[q].as_deref().unwrap_or("");
            if fq.len() > fp.len() && needle().in_(fq) {
                decided = Some("pull-quote");
            } else if fq == fp && q > p + 1 {
                decided = Some("repeat");
            }
            if decided.is_some() {
                break;
            }
        }
        if decided.is_none() && substring_ok && fp.len() <= 400 {
            let contained = live.iter().any(|&q| {
                q != p
                    && !same_markup(p, q)
                    && rule[q].is_none()
                    && folded[q]
                        .as_deref()
                        .is_some_and(|fq| fq.len() > fp.len() && needle().in_(fq))
            });
            if contained {
                decided = Some("pull-quote");
            }
        }
        if decided.is_some() {
            rule[p] = decided;
        }
    }
}

/// `needle` occurs in `hay` on word boundaries (both are folded, so a boundary is a space).
/// Built once per needle: the substring check runs it over every other paragraph, and
/// setting up a search each time cost more than the searches.
struct Words<'n> {
    finder: memchr::memmem::Finder<'n>,
}

impl<'n> Words<'n> {
    fn new(needle: &'n str) -> Self {
        Words {
            finder: memchr::memmem::Finder::new(needle.as_bytes()),
        }
    }

    fn in_(&self, hay: &str) -> bool {
        let (h, n) = (hay.as_bytes(), self.finder.needle().len());
        // Every occurrence, overlapping ones too: in "piano no no", the whole words "no no"
        // overlap the occurrence rejected inside "piano no".
        let mut from = 0;
        while let Some(i) = h.get(from..).and_then(|rest| self.finder.find(rest)) {
            let i = from + i;
            if (i == 0 || h[i - 1] == b' ') && h.get(i + n).is_none_or(|&c| c == b' ') {
                return true;
            }
            from = i + 1;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_and_what_is_none() {
        for s in [
            "6 Jan 2026",
            "Stand: 28.04.2023 17:23 Uhr",
            "Publié le 18 juil. 2024 à 08:01",
            "Politics / January 11, 2024",
            "Posted by kovarex on 2019-02-15, all posts",
            "NZZ-Redaktion 18.07.2024, 11.08 Uhr 7 min",
        ] {
            assert!(dateline(s, words(s)), "{s}");
        }
        for s in [
            "On 6 January 2026 the council met.",
            "It reopens in 2026",
            "May the best team win",
            "Version 1.2.3 released",
            "A long line that names a date, 6 January 2026, among many other words of a sentence",
        ] {
            assert!(!dateline(s, words(s)), "{s}");
        }
    }

    fn fold(s: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, s);
        out
    }

    /// The fold as first written, char by char through Unicode's tables: the oracle.
    fn fold_slow(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            } else if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(2000))]
        /// The fast fold is the old one, and a paragraph folds to its sentences' folds
        /// joined by a space, which the pull-quote pass relies on; words are counted as
        /// std counts them.
        #[test]
        fn fold_and_words_are_the_old_ones_and_a_fold_joins_its_sentences(
            s in "[a-zA-Z0-9 .!?…\"”’')»\n\t\r\u{b}\u{a0}\u{2003},;:İßÀ émΣ中-]{0,80}"
        ) {
            let f = fold(&s);
            proptest::prop_assert_eq!(&f, &fold_slow(&s));
            let joined: Vec<String> =
                sentences(&s).into_iter().map(fold).filter(|k| !k.is_empty()).collect();
            proptest::prop_assert_eq!(f, joined.join(" "));
            proptest::prop_assert_eq!(words(&s), s.split_whitespace().count());
            // Appended, a fold starts with no separator of its own.
            let mut after = String::from("x ");
            fold_into(&mut after, &s);
            proptest::prop_assert_eq!(after, format!("x {}", fold(&s)));
        }
    }

    #[test]
    fn a_list_label_alone_early_goes_and_the_text_after_it_stays() {
        let body: Vec<String> = (1..=6)
            .map(|k| format!("Paragraph {k} of the article goes on with its argument at length."))
            .collect();
        let mut lines = vec![
            "The minister resigned on Monday after a week of protests in the capital city.",
            "Read More",
        ];
        lines.extend(body.iter().map(String::as_str));
        let rules = rules_of(&lines);
        assert_eq!(rules, ["related"], "{rules:?}");
    }

    /// In a paste, a list label late in a Japanese article does not end it: the paragraphs
    /// after its headline are prose, though they have no spaces between words.
    #[test]
    fn a_list_label_late_in_a_japanese_paste_leaves_the_prose_after_it() {
        let paras: Vec<String> = (1..=4)
            .map(|k| format!("イスラエル軍は{k}日もガザ地区への攻撃を続け、中東メディアによると、45人が死亡した。"))
            .collect();
        let mut lines: Vec<&str> = paras[..3].iter().map(String::as_str).collect();
        lines.extend(["関連記事:", "南海トラフ地震臨時情報とは", paras[3].as_str()]);
        let (kept, stripped) = run(&lines, true);
        assert_eq!(kept.len(), 4, "{kept:?}");
        assert_eq!(stripped.len(), 2, "{stripped:?}");
    }

    /// In HTML, a "read also" label set as a subheading goes as one set in bold does, and
    /// late in the body it ends the article only where none of the article's prose (in
    /// its paragraphs' markup) follows: a box amid the text is not the list under it.
    #[test]
    fn a_list_label_as_a_subheading_goes_and_ends_the_article_only_before_no_prose() {
        let para = |k: usize, frame: usize| Block {
            frame: Some(frame),
            ..Block::para(format!(
                "Paragraph {k} of the article goes on with its argument at some length."
            ))
        };
        let label = |kind: Kind| Block {
            kind,
            frame: Some(2),
            ..Block::para("Read also:".to_string())
        };
        let headline = Block {
            frame: Some(3),
            link_chars: 40,
            ..Block::para("Another story entirely, and its headline".to_string())
        };
        for kind in [Kind::Heading, Kind::Para] {
            let mut body: Vec<Block> = (1..=4).map(|k| para(k, 1)).collect();
            body.extend([label(kind), headline.clone(), para(5, 1), para(6, 1)]);
            let mut found = Found::default();
            let kept = clean_body(body, &["Title"], false, &[], &mut found);
            assert_eq!(kept.len(), 6, "{kind:?}: {kept:?}");
            // With nothing of the article's after the list, the list is the page's.
            let mut body: Vec<Block> = (1..=4).map(|k| para(k, 1)).collect();
            body.extend([label(kind), headline.clone(), para(5, 4)]);
            let mut found = Found::default();
            let kept = clean_body(body, &["Title"], false, &[], &mut found);
            assert_eq!(kept.len(), 4, "{kind:?}: {kept:?}");
        }
    }

    /// A subheading that links to another page titles a section among the body's
    /// paragraphs (a weekly edition's articles) and is a card's headline in a box of its
    /// own: there it goes, as a bold link does.
    #[test]
    fn a_linked_subheading_is_a_section_title_among_the_paragraphs_and_a_card_apart() {
        let para = |k: usize| Block {
            holder: Some(1),
            ..Block::para(format!(
                "Paragraph {k} of the article goes on with its argument at some length."
            ))
        };
        let linked = |holder: usize, text: &str| Block {
            kind: Kind::Heading,
            holder: Some(holder),
            link_chars: text.len(),
            linked: true,
            ..Block::para(text.to_string())
        };
        let mut body: Vec<Block> = (1..=2).map(para).collect();
        body.extend([
            linked(1, "Mapping with a free geographic system"),
            para(3),
            linked(2, "Another story entirely, in its card"),
            para(4),
        ]);
        let (mut found, heads) = (Found::default(), ["Title"]);
        let kept = clean_body(body, &heads, false, &[], &mut found);
        let texts: Vec<&str> = kept.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert!(texts.contains(&"Mapping with a free geographic system"));
        assert_eq!(found.stripped.len(), 1, "{:?}", found.stripped);
        assert_eq!(found.stripped[0].rule, "promo");
    }

    /// A source line late in the body ends the article where none of its own prose follows
    /// (`Quelle: dpa` under the text, then other stories); a chart's source amid the text,
    /// with the article's paragraphs after it, ends nothing.
    #[test]
    fn a_source_line_ends_the_article_only_before_no_prose_of_its_own() {
        let para = |k: usize, frame: usize| Block {
            frame: Some(frame),
            ..Block::para(format!(
                "Absatz {k} des Artikels führt seine Argumentation in einiger Länge fort."
            ))
        };
        let source = Block {
            frame: Some(1),
            ..Block::para("Quelle: dpa".to_string())
        };
        let mut body: Vec<Block> = (1..=4).map(|k| para(k, 1)).collect();
        body.extend([source.clone(), para(5, 1), para(6, 1)]);
        let mut found = Found::default();
        let kept = clean_body(body, &["Titel"], false, &[], &mut found);
        assert_eq!(kept.len(), 6, "{kept:?}");
        let mut body: Vec<Block> = (1..=4).map(|k| para(k, 1)).collect();
        body.extend([source, para(5, 7)]);
        let mut found = Found::default();
        let kept = clean_body(body, &["Titel"], false, &[], &mut found);
        assert_eq!(kept.len(), 4, "{kept:?}");
        assert_eq!(found.stripped[0].rule, "source-line");
    }

    /// A citation's note in brackets is no attribution of the article; the outlet's line is.
    #[test]
    fn an_attribution_in_brackets_is_a_citation_s() {
        let cite =
            "Smith, J. \"The Long War\". The Review. 12 (3): 45. [originally published in 1966]";
        assert!(!shapes::attribution(&outside_brackets(cite)));
        let line = "This article was originally published by The Conversation (CC BY-ND).";
        assert!(shapes::attribution(&outside_brackets(line)));
        assert_eq!(outside_brackets("a (b [c] d) e ]f"), "a  e ]f");
    }

    #[test]
    fn words_are_found_where_an_earlier_match_overlapped_them() {
        assert!(Words::new("no no").in_("piano no no"));
        assert!(Words::new("no").in_("no"));
        assert!(!Words::new("no").in_("piano nose"));
    }

    fn run(lines: &[&str], paste: bool) -> (Vec<String>, Vec<(String, String)>) {
        let body = lines.iter().map(|l| Block::para(l.to_string())).collect();
        let mut found = Found::default();
        let kept = clean_body(body, &["Title", "Standfirst."], paste, &[], &mut found);
        let kept = kept
            .into_iter()
            .map(|b| {
                if b.kind == Kind::Heading {
                    format!("## {}", b.text)
                } else {
                    b.text
                }
            })
            .collect();
        (
            kept,
            found
                .stripped
                .into_iter()
                .map(|s| (s.rule, s.text))
                .collect(),
        )
    }

    fn rules_of(lines: &[&str]) -> Vec<String> {
        run(lines, true).1.into_iter().map(|(r, _)| r).collect()
    }

    const P1: &str = "The first paragraph of the body says something at length, and goes on.";
    const P2: &str = "A second paragraph adds more. It has two sentences.";

    #[test]
    fn relative_times_alone_or_after_a_label_are_dates() {
        for s in [
            "49 minutes ago",
            "1h ago",
            "1 HR ago",
            "Last updated 15\u{a0}hours ago",
            "Fouzia Van Der Fort|Published 4 months ago",
            "Published: 5 hours ago",
            "comments - 7 hours ago",
            "vor 2 Stunden",
            "il y a 3 heures",
            "hace 2 horas",
            "3 ore fa",
            "před 2 hodinami",
            "3 godziny temu",
            "Обновлено: 5 минут назад",
            "för 2 timmar sedan",
            "Publisert for 3 timer siden",
            "44分前",
        ] {
            assert!(relative_time(s), "{s:?}");
        }
        for s in [
            "He left the company 2 years ago",
            "Il y a 14 ans, la Française des Jeux perdait",
            "ago",
            "Three days ago",
            "It happened 3 days ago.",
            "Vi var der for 3 timer siden",
        ] {
            assert!(!relative_time(s), "{s:?}");
        }
    }

    #[test]
    fn consecutive_duplicates() {
        assert_eq!(rules_of(&[P1, P1, P2]), ["duplicate"]);
    }

    #[test]
    fn captions_with_credits() {
        for c in [
            "A man walks past a mural in the capital [Getty Images]",
            "Soldiers at the border, in March (AP Photo/Jane Doe)",
            "The harbour at dawn. Photo: John Smith",
            "Protesters gather outside parliament. Photograph: Ann Lee/The Guardian",
            "Crowds in the square /Getty Images",
        ] {
            assert_eq!(rules_of(&[P1, c, P2]), ["caption"], "{c}");
        }
    }

    #[test]
    fn promos_of_shows_and_read_more_links() {
        assert_eq!(
            rules_of(&[P1, "Inside Story - Will the ceasefire hold?", P2]),
            ["promo"]
        );
        assert_eq!(
            rules_of(&[P1, "Witness – The last fishermen of Gaza", P2]),
            ["promo"]
        );
        assert_eq!(
            rules_of(&[P1, "READ MORE: Why the talks failed", P2]),
            ["promo"]
        );
        // A subheading has no spaced dash: it is kept, as a subheading in a paste.
        let (kept, _) = run(&[P1, "The road to the summit", P2], true);
        assert_eq!(kept[1], "## The road to the summit");
    }

    #[test]
    fn a_run_of_promo_shaped_lines_in_one_markup_is_the_articles_list() {
        let dates = [
            "Oct 3 - Leeds, Arena",
            "Oct 5 - Glasgow, Hydro",
            "Oct 8 - Bath, Forum",
        ];
        let blocks = |frames: [usize; 3], link: bool| {
            let mut body = vec![Block::para(P1.to_string())];
            for (d, f) in dates.iter().zip(frames) {
                let mut b = Block::para(d.to_string());
                b.holder = Some(f);
                b.link_chars = if link { visible_len(d) } else { 0 };
                body.push(b);
            }
            body.push(Block::para(P2.to_string()));
            let mut found = Found::default();
            clean_body(body, &["Title"], false, &[], &mut found);
            found.stripped.len()
        };
        // Three lines of one shape in one list, table or `<br>` run stay.
        assert_eq!(blocks([7, 7, 7], false), 0);
        // Lines in different elements stand alone, and a run of links is a box of promos.
        assert_eq!(blocks([7, 8, 7], false), 3);
        assert_eq!(blocks([7, 7, 7], true), 3);
        // Two are not a list; a paste has no markup to tell a list by.
        assert_eq!(rules_of(&[P1, dates[0], dates[1], P2]), ["promo", "promo"]);
        assert_eq!(rules_of(&[P1, dates[0], dates[1], dates[2], P2]).len(), 3);
    }

    #[test]
    fn disclaimer_source_line_and_what_follows() {
        let (kept, stripped) = run(
            &[
                P1,
                P2,
                "Jane Doe is a senior fellow at the Institute of Things.",
                "The opinions expressed here are those of the writer and do not reflect the position of The Daily.",
                "Source: The Daily",
                "Other story",
                "Other story",
                "A blurb about the other story.",
            ],
            true,
        );
        assert_eq!(
            kept,
            [
                P1,
                P2,
                "Jane Doe is a senior fellow at the Institute of Things."
            ]
        );
        let rules: Vec<&str> = stripped.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(
            rules,
            ["disclaimer", "source-line", "related", "related", "related"]
        );
    }

    #[test]
    fn trailing_cards_without_a_source_line() {
        let rules = rules_of(&[
            P1,
            P2,
            "Story one",
            "Story one",
            "Blurb one.",
            "Story two",
            "Story two",
            "Blurb two.",
        ]);
        assert_eq!(rules, ["related"; 6]);
    }

    #[test]
    fn pull_quote_is_the_block_contained_in_a_longer_paragraph() {
        let quote =
            "Most people still think the plan is unwise, but a growing number see it as brave.";
        let body = format!("{quote} The rest of the paragraph goes on about other matters.");
        let (kept, stripped) = run(&[P1, quote, P2, &body], true);
        assert_eq!(kept, [P1, P2, body.as_str()]);
        assert_eq!(stripped, [("pull-quote".to_string(), quote.to_string())]);
        // Quoted with curly marks, cut mid-sentence: still the same text.
        let (_, stripped) = run(&[P1, "“a growing number see it as brave”", P2, &body], true);
        assert_eq!(stripped[0].0, "pull-quote");
    }

    #[test]
    fn identical_paragraphs_apart_keep_the_later() {
        let quote = "This sentence appears twice in the page, far apart from itself.";
        let (kept, stripped) = run(&[quote, P1, P2, quote], true);
        assert_eq!(kept, [P1, P2, quote]);
        assert_eq!(stripped[0].0, "repeat");
    }

    #[test]
    fn attribution_is_kept_out_of_the_text() {
        let line = "This article was originally published by Al Jazeera.";
        let body = vec![Block::para(P1.into()), Block::para(line.into())];
        let mut found = Found::default();
        let kept = clean_body(body, &[], false, &[], &mut found);
        assert_eq!(kept.len(), 1);
        assert_eq!(found.attribution.as_deref(), Some(line));
    }

    #[test]
    fn sentences_split_after_closing_quotes() {
        assert_eq!(
            sentences("He said “no.” Then left. Done"),
            ["He said “no.”", " Then left.", " Done"]
        );
    }
}
