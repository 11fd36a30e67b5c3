//! Right-to-left text: one line in logical order turned into the order its glyphs are drawn left to
//! right (the Unicode bidi algorithm), brackets mirrored in right-to-left runs.

use unicode_bidi::BidiInfo;

/// Brackets and other paired characters swap in right-to-left runs (Unicode Bidi_Mirrored).
fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

/// One line of text in the order its glyphs are drawn left to right, and whether the line's base
/// direction is right-to-left.
pub fn visual_line(logical: &str) -> (String, bool) {
    // Every right-to-left or bidi-control character is at U+0590 or above; most cells (dates,
    // hours, Latin names) skip the algorithm.
    if logical.chars().all(|c| c < '\u{0590}') {
        return (logical.to_string(), false);
    }
    let bidi = BidiInfo::new(logical, None);
    if !bidi.has_rtl() {
        return (logical.to_string(), false);
    }
    let Some(para) = bidi.paragraphs.first() else {
        return (logical.to_string(), false);
    };
    let (levels, runs) = bidi.visual_runs(para, para.range.clone());
    let mut out = String::with_capacity(logical.len());
    for run in runs {
        let piece = &logical[run.clone()];
        if levels[run.start].is_rtl() {
            out.extend(piece.chars().rev().map(mirror));
        } else {
            out.push_str(piece);
        }
    }
    (out, para.level.is_rtl())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEBREW_NAME: &str = "דנה כהן";
    const HEBREW_NOTE: &str = "משמרת לילה 2 (חדר 14)";

    #[test]
    fn bidi_gives_visual_order_with_mirrored_brackets() {
        assert_eq!(
            visual_line("Anna Peeters (2)"),
            ("Anna Peeters (2)".into(), false)
        );
        assert_eq!(visual_line(HEBREW_NAME), ("ןהכ הנד".into(), true));
        // Digits stay left-to-right inside the right-to-left line, brackets turn round.
        assert_eq!(
            visual_line(HEBREW_NOTE),
            ("(14 רדח) 2 הליל תרמשמ".into(), true)
        );
        // A Latin line with a Hebrew word keeps its direction; only the word is reversed.
        assert_eq!(
            visual_line("Room 3 שלום ok"),
            ("Room 3 םולש ok".into(), false)
        );
    }
}
