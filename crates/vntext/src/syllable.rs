//! The shape of a folded Vietnamese syllable: enough of its phonology to tell when a word
//! typed last is already complete.
//!
//! A search treats the word being typed last as a prefix ("Nguyen Van Bi" finds "Bích"). When
//! that word is a syllable no other syllable extends ("dung", "thanh", "dat", "giai"), its
//! completions are itself alone, and matching it whole finds the same records without the
//! index merging every word that begins with it — at 1M petitions, "dung*" is the 354.772
//! postings of "dụng" read in full before the rarer words can narrow them.

/// Onsets, longest first so that "ngh" is tried before "ng" and "n".
const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h",
    "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/// Final consonants that nothing follows. "c" (→ "ch") and "n" (→ "ng", "nh") can be extended,
/// so they are not here.
const CLOSED_CODAS: [&str; 6] = ["ch", "ng", "nh", "m", "p", "t"];

/// Rimes without a final consonant that no longer rime begins with, folded: the vowel or
/// diphthong ends in a glide (ai, ao, au/âu, ay/ây, eo, êu, iu/ưu, oi/ôi/ơi, ui/ưi, iêu, yêu,
/// uôi/ươi, ươu, oai, oay, oeo, uây, uyu) or is "ia", "uya", which take no final. "ua"
/// (→ "uân"), "oa", "uy", "ue", "i", "y" and the single vowels all can be extended.
const CLOSED_VOWEL_RIMES: [&str; 21] = [
    "ai", "ao", "au", "ay", "eo", "eu", "ia", "iu", "oi", "ui", "uu", "ieu", "yeu", "uoi", "uou",
    "oai", "oay", "oeo", "uay", "uya", "uyu",
];

/// Whether `word`, a folded syllable (lower case, no marks), is one that no other Vietnamese
/// syllable begins with: a rime closed by a final consonant that takes nothing after it, or
/// by a glide. Words that are not Vietnamese syllables ("ubnd", "cccd", "2026") are never
/// closed: they may be the start of a longer code or abbreviation. Loanwords can still extend
/// a closed syllable ("camera" after "cam"): the search keeps a list of those it has indexed.
pub fn is_closed_syllable(word: &str) -> bool {
    match parts(word) {
        Some((vowels, "")) => CLOSED_VOWEL_RIMES.contains(&vowels),
        Some((_, coda)) => CLOSED_CODAS.contains(&coda),
        None => false,
    }
}

/// A folded syllable's vowels and final consonants, after its onset: `None` when the word
/// is not shaped as a Vietnamese syllable.
fn parts(word: &str) -> Option<(&str, &str)> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let is_vowel = |c: char| "aeiouy".contains(c);
    let onset = ONSETS
        .iter()
        .find(|o| {
            word.strip_prefix(**o)
                // "gi" and "qu" are onsets only before another vowel: "gìn" is g + in.
                .is_some_and(|rest| rest.starts_with(is_vowel))
        })
        .copied()
        .unwrap_or("");
    let rime = &word[onset.len()..];
    let vowels_end = rime.find(|c: char| !is_vowel(c)).unwrap_or(rime.len());
    let (vowels, coda) = rime.split_at(vowels_end);
    let codas = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    (!vowels.is_empty() && vowels.len() <= 3 && codas.contains(&coda)).then_some((vowels, coda))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_syllables_are_closed() {
        for w in [
            "dung", "thanh", "minh", "nam", "dat", "giai", "nguoi", "thuong", "hoai", "khuya",
            "hieu", "yeu", "ruou", "chia", "tui", "quynh", "nghieng", "hop", "khuech", "doanh",
            "nghia", "giup",
        ] {
            assert!(is_closed_syllable(w), "{w} is complete");
        }
    }

    #[test]
    fn syllables_that_others_extend_are_open() {
        for w in [
            "hoa", "lan", "thu", "quy", "qui", "gia", "giu", "tua", "duy", "khac", "van", "nguyen",
            "ha", "ng", "tr", "gi", "qu", "thue", "chuyen", "tien",
        ] {
            assert!(!is_closed_syllable(w), "{w} can be extended");
        }
    }

    #[test]
    fn what_is_not_a_syllable_is_open() {
        for w in [
            "ubnd", "cccd", "cmnd", "qsdd", "tnmt", "2026", "0600", "test", "internet", "", "x",
            "aaaam", "Dung",
        ] {
            assert!(!is_closed_syllable(w), "{w:?} is no syllable");
        }
    }

    /// Over the Vietnamese the project holds (the 60 evaluation letters and the search
    /// evaluation's queries, the demo's and the generator's names, places and petitions), a
    /// word called closed is never the start of another syllable. (The loanwords that are,
    /// "camera" after "cam", are what `syllable_extensions` lists in the store.)
    #[test]
    fn no_word_of_the_project_extends_a_closed_one() {
        let corpus = [
            include_str!("../../../eval/duplicates.jsonl"),
            include_str!("../../../eval/search.jsonl"),
            include_str!("../../app/src/demo.rs"),
            include_str!("../../app/src/demo_coordination.rs"),
            include_str!("../../app/src/gen_data.rs"),
        ];
        // The quoted strings that hold Vietnamese letters: not the code around them.
        let words: std::collections::BTreeSet<String> = corpus
            .iter()
            .flat_map(|text| text.split('"').skip(1).step_by(2))
            .filter(|quoted| !quoted.is_ascii())
            .flat_map(crate::tokens)
            .collect();
        let closed: Vec<&String> = words.iter().filter(|w| is_closed_syllable(w)).collect();
        assert!(
            closed.len() > 200,
            "the corpus holds {} closed words",
            closed.len()
        );
        for w in closed {
            let longer: Vec<&String> = words
                .range(w.clone()..)
                .skip(1)
                .take_while(|o| o.starts_with(w.as_str()))
                .filter(|o| parts(o).is_some())
                .collect();
            assert!(longer.is_empty(), "{w} is extended by {longer:?}");
        }
    }
}
