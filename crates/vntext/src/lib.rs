//! Vietnamese text as officials type it: NFC or NFD, old or new tone placement, with or
//! without diacritics. Everything that compares or searches text goes through here, so that
//! "dat dai", "đất đai" and "đất đai" typed in NFD find the same records.

#![forbid(unsafe_code)]

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

mod syllable;
pub use syllable::is_closed_syllable;

/// The five tone marks as Unicode combining characters (grave, acute, tilde, hook, dot below).
const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// NFC with one tone-placement convention: the classic one used in legal documents
/// ("hòa", "thúy", "quả"), whichever way the text was typed.
pub fn normalize(input: &str) -> String {
    let nfc: String = input.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    let mut word = String::new();
    for ch in nfc.chars() {
        if ch.is_alphabetic() || is_combining_mark(ch) {
            word.push(ch);
        } else {
            if !word.is_empty() {
                out.push_str(&place_tone(&word));
                word.clear();
            }
            out.push(ch);
        }
    }
    if !word.is_empty() {
        out.push_str(&place_tone(&word));
    }
    out
}

/// The search key of a text: normalised, every mark removed, đ → d, lower case, runs of
/// anything that is not a letter or digit collapsed to one space.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for ch in input.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if ch.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(ch.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Whether a character belongs to a word: a letter, a digit, or a combining mark of a letter
/// typed in NFD.
pub fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() || is_combining_mark(ch)
}

/// The folded syllables of a text.
pub fn tokens(input: &str) -> Vec<String> {
    fold(input)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A key for matching personal names and place names: folded, and with the i/y variants of
/// names made equal ("Phú Quý" = "Phú Quí", "Lý" = "Lí"). A syllable-final `y` after a
/// consonant (or after the `u` of `qu`) becomes `i`; `uy` after another consonant stays,
/// since "thủy" and "thủi" are different names.
pub fn name_key(input: &str) -> String {
    tokens(input)
        .iter()
        .map(|t| iy_variant(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The spellings of a folded syllable that [`name_key`] treats as one: "quy" and "qui", "ly"
/// and "li"; a syllable without an i/y variant is alone ("thuy" ≠ "thui").
pub fn iy_spellings(token: &str) -> Vec<String> {
    let key = iy_variant(token);
    let mut out = vec![token.to_owned()];
    let other = match token.strip_suffix('i') {
        Some(stem) if key == token => format!("{stem}y"),
        _ => key.clone(),
    };
    if other != token && iy_variant(&other) == key {
        out.push(other);
    }
    out
}

fn iy_variant(token: &str) -> String {
    let Some(stem) = token.strip_suffix('y') else {
        return token.to_owned();
    };
    let before = stem.chars().last();
    let consonant_before = match before {
        None => false,
        Some('u') => stem.ends_with("qu"),
        Some(c) => !"aeiouy".contains(c) && c.is_alphabetic(),
    };
    if consonant_before {
        format!("{stem}i")
    } else {
        token.to_owned()
    }
}

/// Re-places the tone mark of one syllable (given in NFC) by the classic rule.
fn place_tone(word: &str) -> String {
    let decomposed: Vec<char> = word.nfd().collect();
    let tone = decomposed.iter().copied().find(|c| TONE_MARKS.contains(c));
    let Some(tone) = tone else {
        return word.to_owned();
    };
    // Letters without the tone, each letter with its own vowel marks (ă â ê ô ơ ư).
    let bare: Vec<char> = decomposed
        .iter()
        .copied()
        .filter(|c| !TONE_MARKS.contains(c))
        .collect::<String>()
        .nfc()
        .collect();
    let Some(pos) = tone_position(&bare) else {
        return word.to_owned();
    };
    let mut out = String::with_capacity(word.len() + 2);
    for (i, ch) in bare.iter().enumerate() {
        out.push(*ch);
        if i == pos {
            out.push(tone);
        }
    }
    out.nfc().collect()
}

fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY".contains(c)
}

fn has_vowel_mark(c: char) -> bool {
    "ăâêôơưĂÂÊÔƠƯ".contains(c)
}

/// Index (in `letters`) of the vowel that carries the tone, or None when the word is not a
/// Vietnamese syllable (then it is left as typed).
fn tone_position(letters: &[char]) -> Option<usize> {
    let lower: Vec<char> = letters
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut start = lower.iter().position(|c| is_vowel(*c))?;
    // "qu" and "gi" + vowel: the u / i belongs to the initial consonant.
    let qu = start > 0 && lower[start - 1] == 'q' && lower[start] == 'u';
    let gi = start > 0
        && lower[start - 1] == 'g'
        && lower[start] == 'i'
        && lower.get(start + 1).is_some_and(|c| is_vowel(*c));
    if qu || gi {
        start += 1;
    }
    let mut end = start;
    while end < lower.len() && is_vowel(lower[end]) {
        end += 1;
    }
    if start >= end {
        // "gì", "quỳ"…: the only vowel was absorbed into the initial.
        return Some(start - 1);
    }
    if lower[end..].iter().any(|c| is_vowel(*c)) {
        return None; // two vowel groups: not one syllable
    }
    let cluster = start..end;
    if let Some(i) = cluster.clone().rev().find(|i| lower[*i] == 'ơ') {
        return Some(i);
    }
    if let Some(i) = cluster.clone().find(|i| has_vowel_mark(lower[*i])) {
        // "ươ" is handled above; otherwise the first marked vowel ("uê", "uâ", "iê").
        let last_marked = cluster.clone().rev().find(|i| has_vowel_mark(lower[*i]));
        return last_marked.or(Some(i));
    }
    let closed = end < lower.len();
    Some(match cluster.len() {
        1 => start,
        2 if closed => start + 1,
        2 => start,
        _ => start + 1,
    })
}

/// The 29 letters of the Vietnamese alphabet in their order.
const ALPHABET: [&str; 29] = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o", "ô", "ơ",
    "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y",
];

/// A sort key in Vietnamese dictionary order: letters by the alphabet (a ă â b c d đ e ê …),
/// then tones (none, huyền, hỏi, ngã, sắc, nặng), then case — so "Đặng" sorts after "Dương"
/// and "Ân" after "An". Compare keys with `Ord`.
pub fn collation_key(input: &str) -> (Vec<u32>, Vec<u8>, Vec<u8>) {
    let mut letters = vec![];
    let mut tones = vec![];
    let mut cases = vec![];
    for ch in normalize(input).chars() {
        let mut base = String::new();
        let mut tone = 0u8;
        for c in ch.to_string().nfd() {
            match c {
                '\u{0300}' => tone = 1,
                '\u{0309}' => tone = 2,
                '\u{0303}' => tone = 3,
                '\u{0301}' => tone = 4,
                '\u{0323}' => tone = 5,
                c => base.push(c),
            }
        }
        let lower: String = base.nfc().collect::<String>().to_lowercase();
        let rank = ALPHABET
            .iter()
            .position(|l| *l == lower)
            .map(|p| 1000 + p as u32)
            // Digits and other characters keep their code point order, before letters for
            // digits and spaces, after for the rest.
            .unwrap_or_else(|| lower.chars().next().map(u32::from).unwrap_or(0).min(999));
        letters.push(rank);
        tones.push(tone);
        cases.push(u8::from(ch.is_uppercase()));
    }
    (letters, tones, cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_marks_and_d() {
        assert_eq!(fold("Tranh chấp ĐẤT ĐAI"), "tranh chap dat dai");
        assert_eq!(fold("  Nguyễn   Văn-A. "), "nguyen van a");
    }

    #[test]
    fn nfd_and_nfc_give_the_same_key() {
        let nfc = "Nguyễn Văn A";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(fold(nfc), fold(&nfd));
        assert_eq!(normalize(nfc), normalize(&nfd));
    }

    #[test]
    fn one_tone_placement() {
        assert_eq!(normalize("hoà giải"), "hòa giải");
        assert_eq!(normalize("thuý"), "thúy");
        assert_eq!(normalize("qủa"), "quả");
        assert_eq!(normalize("quả"), "quả");
        assert_eq!(normalize("Hoàng"), "Hoàng");
        assert_eq!(normalize("người"), "người");
        assert_eq!(normalize("khuỷa"), "khuỷa");
        assert_eq!(normalize("tiến"), "tiến");
        assert_eq!(normalize("gìn"), "gìn");
        assert_eq!(normalize("ABC-123"), "ABC-123");
    }

    #[test]
    fn iy_spellings_are_the_names_that_match() {
        assert_eq!(iy_spellings("quy"), vec!["quy", "qui"]);
        assert_eq!(iy_spellings("qui"), vec!["qui", "quy"]);
        assert_eq!(iy_spellings("ly"), vec!["ly", "li"]);
        assert_eq!(iy_spellings("ki"), vec!["ki", "ky"]);
        assert_eq!(iy_spellings("thuy"), vec!["thuy"]);
        assert_eq!(iy_spellings("thui"), vec!["thui"]);
        assert_eq!(iy_spellings("dat"), vec!["dat"]);
        assert_eq!(iy_spellings("ai"), vec!["ai"]);
    }

    #[test]
    fn iy_variants_match_in_names() {
        assert_eq!(name_key("Phú Quý"), name_key("Phu Qui"));
        assert_eq!(name_key("Lý Thị Mỹ"), name_key("Lí Thị Mĩ"));
        assert_ne!(name_key("Thủy"), name_key("Thủi"));
    }

    /// The 67 precomposed Vietnamese letters (lower case), with their base letter.
    const PRECOMPOSED: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";

    #[test]
    fn every_precomposed_letter_folds_to_its_base_letter_in_both_cases() {
        let letters: Vec<char> = PRECOMPOSED.chars().collect();
        assert_eq!(letters.len(), 67);
        let mut count = 0;
        for l in letters {
            let base = match l {
                'đ' => 'd',
                _ => l.to_string().nfd().next().expect("a base"),
            };
            for c in [l, l.to_uppercase().next().expect("upper")] {
                assert_eq!(fold(&c.to_string()), base.to_string(), "{c}");
                count += 1;
            }
        }
        assert_eq!(count, 134);
    }

    #[test]
    fn names_sort_in_dictionary_order() {
        let mut names = vec![
            "Đặng Văn Lâm",
            "Dương Thị Bé",
            "Ân Văn Tài",
            "An Văn Hòa",
            "Âu Thị Mai",
            "Bùi Văn Ba",
            "Ăng Văn Khá",
        ];
        names.sort_by_key(|n| collation_key(n));
        assert_eq!(
            names,
            vec![
                "An Văn Hòa",
                "Ăng Văn Khá",
                "Ân Văn Tài",
                "Âu Thị Mai",
                "Bùi Văn Ba",
                "Dương Thị Bé",
                "Đặng Văn Lâm"
            ]
        );
        let mut tones = vec!["mạ", "má", "mã", "mả", "mà", "ma"];
        tones.sort_by_key(|n| collation_key(n));
        assert_eq!(tones, vec!["ma", "mà", "mả", "mã", "má", "mạ"]);
        assert_eq!(
            collation_key("hoà"),
            collation_key("hòa"),
            "tone placement does not change the order"
        );
    }

    proptest::proptest! {
        #[test]
        fn nfc_and_nfd_input_give_identical_keys(s in "[a-zA-Z àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐÂÊÔƠƯĂ]{0,30}") {
            let nfd: String = s.nfd().collect();
            proptest::prop_assert_eq!(fold(&nfd), fold(&s));
            proptest::prop_assert_eq!(normalize(&nfd), normalize(&s));
            proptest::prop_assert_eq!(name_key(&nfd), name_key(&s));
            proptest::prop_assert_eq!(collation_key(&nfd), collation_key(&s));
        }

        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn normalize_is_idempotent(s in "[a-zA-Zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ ]{0,30}") {
            let once = normalize(&s);
            proptest::prop_assert_eq!(normalize(&once), once.clone());
            proptest::prop_assert_eq!(fold(&once), fold(&s));
        }
    }
}
