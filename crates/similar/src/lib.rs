//! Near-duplicate texts, for "this petition was sent before" (issue 5). A text is the set of its
//! shingles — pairs of consecutive folded syllables, so "Kính gửi" or a changed date moves only
//! the few pairs around it — and two texts are as similar as the Jaccard index of their sets.
//! A MinHash signature of [`BANDS`] × [`ROWS`] values estimates it; grouped in bands, each band
//! hashes to one key stored beside the record, and two texts that share any key are candidates
//! (locality-sensitive hashing): with 8 bands of 3 the chance to be a candidate is 0,66 at a
//! similarity of 0,5, 0,97 at 0,7 and above 0,999 at 0,85. Candidates are then compared exactly.
//!
//! The seeds are constants: keys stored today must match texts entered in ten years.

#![forbid(unsafe_code)]

use std::collections::HashSet;

/// The similarity from which a text is suggested as a duplicate, unless an administrator sets
/// another (setting `duplicate_threshold`); chosen on the evaluation set (`eval/`,
/// docs/SEARCH.md).
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// Bands of the signature; one stored key each.
pub const BANDS: usize = 8;
/// MinHash values per band.
pub const ROWS: usize = 3;

/// The shingles of a text: pairs of consecutive folded syllables (a one-syllable text is its
/// syllable), each hashed to 64 bits. Punctuation, case and diacritics do not matter, and the
/// i/y spellings of names are one ("Quý" = "Quí").
pub fn shingles(text: &str) -> HashSet<u64> {
    let words: Vec<String> = danvan_vntext::name_key(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let mut out = HashSet::new();
    if words.len() == 1 {
        out.insert(fnv1a(words[0].as_bytes()));
    }
    for pair in words.windows(2) {
        let mut bytes = pair[0].as_bytes().to_vec();
        bytes.push(b' ');
        bytes.extend_from_slice(pair[1].as_bytes());
        out.insert(fnv1a(&bytes));
    }
    out
}

/// The exact Jaccard index of two shingle sets (1 for two empty texts).
pub fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.intersection(b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

/// The MinHash signature: for each of the `BANDS * ROWS` seeded hash functions, the least hash
/// of any shingle. An empty text has none.
pub fn signature(shingles: &HashSet<u64>) -> Option<[u64; BANDS * ROWS]> {
    if shingles.is_empty() {
        return None;
    }
    let mut sig = [u64::MAX; BANDS * ROWS];
    for s in shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            let h = mix(s ^ SEEDS[i]);
            if h < *slot {
                *slot = h;
            }
        }
    }
    Some(sig)
}

/// The band keys of a text, one per band, as signed 64-bit integers (what both databases
/// store): the band's number and its values hashed together. None for a text without words.
pub fn band_keys(text: &str) -> Option<[i64; BANDS]> {
    let sig = signature(&shingles(text))?;
    let mut keys = [0i64; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        let mut h = fnv1a(&[band as u8]);
        for v in &sig[band * ROWS..(band + 1) * ROWS] {
            h = mix(h ^ v);
        }
        *key = h as i64;
    }
    Some(keys)
}

/// The chance that two texts of similarity `s` share at least one band key.
pub fn candidate_probability(s: f64) -> f64 {
    1.0 - (1.0 - s.powi(ROWS as i32)).powi(BANDS as i32)
}

/// FNV-1a, 64 bits: stable across versions and platforms (unlike the standard hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// SplitMix64's finaliser: a seeded hash function per signature slot.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seeds of the signature's hash functions: fixed forever (stored keys depend on them).
const SEEDS: [u64; BANDS * ROWS] = {
    let mut seeds = [0u64; BANDS * ROWS];
    let mut state: u64 = 0x5eed_da17_0a11_2026;
    let mut i = 0;
    while i < BANDS * ROWS {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        seeds[i] = z ^ (z >> 31);
        i += 1;
    }
    seeds
};

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "Kính gửi UBND xã Tam Thanh. Tôi là Nguyễn Văn Bình, đề nghị giải quyết \
        tranh chấp ranh giới đất đai với hộ ông Trần Văn Cường, thửa đất số 112 tờ bản đồ số 7.";

    #[test]
    fn a_resent_copy_is_the_same_text_however_it_was_typed() {
        let a = shingles(LETTER);
        let stripped = shingles(
            "kinh gui ubnd xa tam thanh toi la nguyen van binh de nghi giai quyet tranh chap \
             ranh gioi dat dai voi ho ong tran van cuong thua dat so 112 to ban do so 7",
        );
        assert_eq!(jaccard(&a, &stripped), 1.0);
        assert_eq!(band_keys(LETTER), band_keys(&LETTER.to_uppercase()));
    }

    #[test]
    fn a_new_greeting_and_date_keep_most_of_the_text() {
        let edited = format!("Kính gửi Chủ tịch UBND huyện Phú Quý. Ngày 12/3/2025. {LETTER}");
        let s = jaccard(&shingles(LETTER), &shingles(&edited));
        assert!(s > 0.7, "{s}");
        let keys = (
            band_keys(LETTER).expect("keys"),
            band_keys(&edited).expect("keys"),
        );
        assert!(keys.0.iter().zip(keys.1.iter()).any(|(a, b)| a == b));
    }

    #[test]
    fn a_different_matter_shares_little() {
        let other = "Kính gửi UBND xã Tam Thanh. Tôi là Lê Thị Hoa, khiếu nại quyết định thu hồi \
            đất và phương án bồi thường, hỗ trợ tái định cư khi mở rộng cảng.";
        assert!(jaccard(&shingles(LETTER), &shingles(other)) < 0.2);
    }

    #[test]
    fn the_keys_are_stable_across_versions() {
        // Stored keys must keep matching: a change to shingles, seeds or hashing breaks every
        // database. Update only with a migration that recomputes the keys.
        let keys = band_keys("tranh chấp đất đai").expect("keys");
        assert_eq!(
            keys,
            [
                -8864394090628877714,
                5793789112381606005,
                -163099078214171995,
                -2657169804878656187,
                865806379625896652,
                -620937515740282282,
                1789287227625706673,
                -5255920323525404051
            ]
        );
        assert_eq!(Some(keys), band_keys("Tranh chap dat dai"));
        assert_eq!(band_keys("?!…"), None);
    }

    #[test]
    fn lsh_catches_similar_texts_and_rarely_dissimilar_ones() {
        assert!(candidate_probability(0.85) > 0.999);
        assert!(candidate_probability(0.7) > 0.96);
        assert!(candidate_probability(0.2) < 0.07);
    }

    proptest::proptest! {
        #[test]
        fn jaccard_is_symmetric_and_bounded(a in "[a-zđ ]{0,60}", b in "[a-zđ ]{0,60}") {
            let (x, y) = (shingles(&a), shingles(&b));
            let s = jaccard(&x, &y);
            proptest::prop_assert!((0.0..=1.0).contains(&s));
            proptest::prop_assert_eq!(s, jaccard(&y, &x));
        }
    }
}
