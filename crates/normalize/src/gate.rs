//! Paywall and account notices: what a page says to its reader about access (reserved for
//! subscribers, an account needed, the rest of the article cut), and its appeals for money
//! (donate, become a member), never the story itself.
//!
//! One regular expression each, over short blocks only; the vocabulary is that of the dev
//! corpora's languages (English, French, German, Spanish, Italian, Portuguese, Dutch, the
//! Scandinavian languages, Japanese, Chinese, Korean, Hindi).

use std::sync::LazyLock;

use regex::Regex;

/// A block with more words than this is prose that may name subscribers, not a notice.
pub(crate) const MAX_WORDS: usize = 25;
/// Nor one with more visible characters (a CJK notice is one "word").
pub(crate) const MAX_CHARS: usize = 200;

/// Access reserved to subscribers or members, or an account asked for.
static GATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?:subscribers?|members?|subscription)[\s-]+only\b
      | \b(?:only|exclusive(?:ly)?|reserved|available)\s+(?:for|to)\s+(?:our\s+)?(?:paid\s+|paying\s+|premium\s+|digital\s+)?(?:subscribers|members)\b
      | \balready\s+(?:a\s+)?(?:subscriber|member|subscribed|registered)\b
      | \balready\s+have\s+an\s+account\b
      | \bregistration\s+is\s+(?:required|(?:a\s+)?free)\b
      | \bpremium\s+membership\b
      | \bréservée?s?\s+(?:à\s+nos|aux)\s+abonnée?s\b
      | \bdéjà\s+abonnée?\b
      | \bdéjà\s+un\s+compte\b
      | \b(?:nur|exklusiv)\s+für\s+(?:abonnent(?:inn)?en|mitglieder)\b
      | \b(?:bereits|schon)\s+(?:abonnent|abonniert|registriert)
      | \b(?:exclusiv[oa]s?|s[oó]lo|reservad[oa]s?)\s+(?:para|a)\s+(?:los\s+|nuestros\s+)?suscriptores\b
      | \bya\s+(?:eres|soy)\s+suscriptor
      | \bya\s+tienes\s+(?:una\s+)?cuenta\b
      | \b(?:riservat[oaie]|dedicat[oaie]|esclusiv[oaie])\s+(?:agli|ai)\s+abbonati\b
      | \bgià\s+abbonat[oa]\b
      | \b(?:exclusiv[oa]s?|reservad[oa]s?)\s+(?:para|a|aos)\s+(?:os\s+)?assinantes\b
      | \bjá\s+(?:é|sou)\s+assinante\b
      | \balleen\s+voor\s+abonnees\b
      | \bal\s+abonnee\b
      | \b(?:kun|bare)\s+for\s+abonnenter\b
      | \bendast\s+för\s+prenumeranter\b
      | \b(?:allerede|redan)\s+(?:abonnent|prenumerant)
      | 会員限定 | 有料会員 | 会員登録が必要 | 会員の方のみ | ログインが必要
      | 会员专享 | 付费会员 | 订阅会员
      | 유료\s*회원 | 회원\s*전용
      | प्रीमियम\s+मेंबरशिप
    ",
    )
    .expect("the gate pattern is valid")
});

/// The article cut where the notice stands: what follows is the gate's, not the story's.
static CUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \bthe\s+rest\s+of\s+this\s+(?:article|story)\s+is\s+(?:only\s+)?(?:for|available|reserved|exclusive)
      | \b(?:subscribe|log\s*in|sign\s*in|register|create\s+(?:a|an|your)\s+(?:free\s+)?account)\s+(?:now\s+)?to\s+(?:continue|keep)\s+reading\b
      | \bil\s+vous\s+reste\s+\d[\d.,]*\s*%\s+de\s+cet\s+article\b
      | \bla\s+suite\s+est\s+réservée\b
      | \bder\s+rest\s+(?:dieses|des)\s+artikels\b
      | \bel\s+resto\s+(?:de\s+este|del)\s+artículo\b
      | 続きは.{0,12}会員
    ",
    )
    .expect("the cut pattern is valid")
});

/// A notice speaks to the page's reader about the page: it says "you" (or asks politely,
/// in Japanese, Chinese and Korean), asks a question, asks to log in or subscribe, or names
/// "this article". A sentence of the story that names
/// members or registration ("Finland was already a member of the EU") does none of these.
static READER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \?
      | \b(?:you|your|vous|votre|vos|tu|usted|tienes|eres|você|jij|jouw|uw|dein|deine|din|ditt|dig)\b
      | \bSie\b
      | \b(?:log\s*in|sign\s*in|subscribe|abonnez|connectez|anmelden|einloggen|abonnieren
          |suscríbete|inicia\s+sesión|accedi|abbonati\b|assine|inloggen|logga\s+in|logg\s+inn)
      | \b(?:this\s+(?:article|story|content)|cet\s+article|dieser\s+artikel|este\s+art[ií]culo
          |questo\s+articolo|este\s+artigo|dit\s+artikel|denna\s+artikel|denne\s+artikkel)\b
      | ご | お客様 | の方 | いただけ | ください | ログイン | 您 | 你 | 请 | 登录 | 님 | 세요 | 로그인 | आप | लॉगिन
    ",
    )
    .expect("the reader pattern is valid")
});

/// An appeal for the outlet's funding: to donate, to become a member or supporter, to
/// support its journalism; in the dev corpora's languages.
static APPEAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \bdonate\b
      | \bmake\s+a\s+(?:donation|contribution)\b
      | \bbecome\s+a\s+(?:member|supporter|patron|subscriber)\b
      | \bsupport\s+us\b
      | \bsupport\s+(?:our\s+|independent\s+|quality\s+|local\s+)+(?:journalism|reporting|newsroom)\b
      | \b(?:funded|supported|made\s+possible)\s+by\s+(?:our\s+)?readers\b
      | \breaders\s+like\s+you\b
      | \bjetzt\s+spenden\b | \bmitglied\s+werden\b
      | \bunterstützen\s+sie\s+(?:uns|unabhängigen\s+journalismus|unseren\s+journalismus)\b
      | \bfaites\s+un\s+don\b | \bdevenez\s+(?:membre|abonnée?)\b
      | \bsoutenez\s+(?:notre\s+|le\s+)?journalisme\b
      | \bhaz\s+una\s+donación\b | \bhazte\s+(?:socio|socia|miembro|mecenas)\b
      | \bapoya\s+(?:nuestro\s+|el\s+)?periodismo\b
      | \bfai\s+una\s+donazione\b | \bsostieni\s+(?:il\s+nostro\s+|il\s+)?giornalismo\b
      | \bfaça\s+uma\s+doação\b | \bapoie\s+(?:o\s+nosso\s+|o\s+)?jornalismo\b
      | \bsteun\s+(?:onze\s+|onafhankelijke\s+)?journalistiek\b | \bword\s+lid\b
      | \bbli\s+medlem\b | \bstøtt\s+(?:vår\s+|uavhengig\s+)?journalistikk\b
      | \bstöd\s+(?:vår\s+|oberoende\s+)?journalistik\b
    ",
    )
    .expect("the appeal pattern is valid")
});

fn short(s: &str, words: usize) -> bool {
    words <= MAX_WORDS && s.chars().filter(|c| !c.is_whitespace()).count() <= MAX_CHARS
}

/// A label ("Article réservé aux abonnés", "Contenido exclusivo para suscriptores"): a few
/// words and no sentence end. A sentence must speak to the reader to be a notice.
fn label(s: &str, words: usize) -> bool {
    words <= 8
        && s.chars().filter(|c| !c.is_whitespace()).count() <= 40
        && !s.trim_end().ends_with(['.', '!', '。', '！', '।'])
}

/// Whether a block speaks to the page's reader (see [`READER`]).
pub(crate) fn speaks_to_reader(s: &str) -> bool {
    READER.is_match(s)
}

fn to_reader(s: &str, words: usize) -> bool {
    label(s, words) || READER.is_match(s)
}

// `short` first: the patterns' Unicode word boundaries keep the regex engine off its fast
// paths, and most blocks are paragraphs far longer than a notice.

/// A notice about access: reserved to subscribers or members, an account asked for.
/// `words`: the block's words.
pub(crate) fn notice(s: &str, words: usize) -> bool {
    short(s, words) && (GATE.is_match(s) || CUT.is_match(s)) && to_reader(s, words)
}

/// An appeal for money ("Become a member", "Support independent journalism. Donate
/// today."): short, speaking to the reader or opening with the appeal itself. The story of
/// a country that became a member of an alliance says neither.
pub(crate) fn appeal(s: &str, words: usize) -> bool {
    short(s, words)
        && APPEAL
            .find(s)
            .is_some_and(|m| m.start() == 0 || to_reader(s, words))
}

/// A notice that the article is cut here (the rest for subscribers).
pub(crate) fn cut(s: &str, words: usize) -> bool {
    short(s, words) && CUT.is_match(s) && to_reader(s, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> usize {
        s.split_whitespace().count()
    }

    #[test]
    fn appeals_for_money() {
        for s in [
            "Support independent journalism. Donate today.",
            "Our journalism is funded by readers like you. Become a member from $5 a month.",
            "Support us",
            "Unterstützen Sie uns: Jetzt spenden",
            "Soutenez notre journalisme : faites un don.",
            "Hazte socio y apoya el periodismo independiente.",
        ] {
            assert!(appeal(s, n(s)), "{s}");
        }
        for s in [
            "Finland applied to become a member of the alliance in 2022.",
            "The charity asked residents to donate blankets and food to the shelter after the fire destroyed dozens of homes in the valley last winter, and hundreds did.",
        ] {
            assert!(!appeal(s, n(s)), "{s}");
        }
    }

    #[test]
    fn notices_about_access() {
        for s in [
            "Article réservé aux abonnés",
            "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.",
            "Vous possédez déjà un compte ?",
            "This article is for subscribers only.",
            "Already a subscriber? Log in",
            "Dieser Artikel ist exklusiv für Abonnenten.",
            "Contenido exclusivo para suscriptores",
            "有料会員の方のみご利用になれます。",
            "有料会員になると会員限定の有料記事もお読みいただけます。",
            "記事に『リアクション』ができます。ご利用には会員登録が必要です。",
            "पूरी खबर पढ़ें ऐप पर प्रीमियम मेंबरशिप है तो लॉगिन करें",
        ] {
            assert!(notice(s, n(s)), "{s}");
        }
        assert!(cut(
            "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.",
            14
        ));
        assert!(cut("Subscribe to continue reading.", 4));
        assert!(cut("Create a FREE account to continue reading", 7));
        assert!(!cut("Article réservé aux abonnés", 4));
    }

    #[test]
    fn prose_naming_subscribers_is_not_a_notice() {
        for s in [
            "Netflix said it lost a million subscribers in the quarter.",
            "The club's members voted on Tuesday to admit women.",
            "Canada is among the subscribers to this idea.",
            "Das registrieren auch die nationalen Verbände.",
            // Sentences of a story that name members, registration or an article's rest.
            "Soho House, the members-only club, reported a loss of £20m last year.",
            "The vaccine will be available to members of the armed forces first.",
            "Seats in the gallery are reserved for members of the royal family.",
            "Finland was already a member of the EU when it applied to join NATO.",
            "Registration is required for the marathon by Friday.",
            "Die Polizei hatte den Mann bereits registriert.",
            "日経電子版の有料会員数は100万人を突破した。",
            "The rest of this story is familiar: the company went bankrupt in 2009.",
            "Der Rest des Artikels 5 bleibt unverändert.",
            "El resto del artículo 155 queda en suspenso.",
        ] {
            assert!(!notice(s, n(s)), "{s}");
        }
        // A long paragraph that quotes a notice is prose.
        let long = format!("{} reserved for subscribers", "word ".repeat(30));
        assert!(!notice(&long, n(&long)));
    }
}
