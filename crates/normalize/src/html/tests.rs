//! The rules' own cases: what class and id words mark, whole words only, CamelCase parted,
//! states and generated ids left out. Each hand-written scan's test against its plain
//! version sits in the scan's module.

use super::classes::{class_rule, class_words, standfirst_class};

#[test]
fn noise_classes_match_whole_words() {
    let rule = class_rule;
    assert_eq!(rule("x-pull-quote-y"), Some("pull-quote"));
    assert_eq!(rule("pull_quote"), None);
    assert_eq!(rule("pull--quote"), None);
    assert_eq!(rule("screen-reader-text"), Some("hidden"));
    assert_eq!(rule("screen-reader"), None);
    assert_eq!(rule("footer ad"), Some("ad"));
    assert_eq!(rule("twitter-tweet tw-align-center"), Some("embed"));
    assert_eq!(rule("twitter"), None);
    assert!(standfirst_class("article__sub-head"));
    assert!(!standfirst_class("sub_head leader"));
    assert_eq!(rule("ad-container ad-container--mpu"), Some("ad"));
    assert_eq!(rule("article-video-promo"), Some("promo"));
    assert_eq!(rule("cookie-consent"), Some("banner"));
    assert_eq!(rule("share__btn"), Some("share"));
    assert_eq!(rule("header-ads-shadow"), Some("ad"));
    assert_eq!(rule("wysiwyg wysiwyg--all-content"), None);
    assert_eq!(rule("loading headline"), None);
}

#[test]
fn class_words_part_camel_case_and_leave_out_states_and_generated_ids() {
    let rule = |c: &str| class_rule(&class_words(c, ""));
    assert_eq!(rule("RelatedStories"), Some("related"));
    assert_eq!(rule("article__shareBar"), Some("share"));
    assert_eq!(rule("CarouselSlide-infoDescription"), Some("caption"));
    assert_eq!(rule("withoutCaption"), None);
    assert_eq!(rule("has-sidebar"), None);
    assert_eq!(class_rule(&class_words("", "block-id-n1AuAdJlVL")), None);
    assert_eq!(rule("articleBody"), None);
    // Words glued to a noun of what the box holds.
    assert_eq!(rule("jp-relatedposts"), Some("related"));
    assert_eq!(rule("sharebox"), Some("share"));
    assert_eq!(rule("navbox"), Some("navigation"));
    assert_eq!(rule("textbox postlist"), None);
    assert_eq!(rule("adverts"), Some("ad"));
    // A player's fallback message, a card about the writer, a button to save the article.
    assert_eq!(rule("video-fallback-line-1"), Some("player"));
    assert_eq!(rule("audio-player__time"), Some("player"));
    assert_eq!(rule("player-name"), None);
    assert_eq!(
        class_rule(&class_words("", "writerProfile")),
        Some("byline")
    );
    assert_eq!(rule("lmd-dropdown-favorite"), Some("share"));
}
