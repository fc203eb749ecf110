//! The words that extend a closed syllable (`syllable_extensions`, migration 0025).
//!
//! The last word of a query is matched as a prefix, so that a name or a code typed in part is
//! found. When it is a syllable no Vietnamese syllable extends ("dung", "thanh", "giai",
//! `danvan_vntext::is_closed_syllable`), only another kind of word could: a loanword
//! ("camera" after "cam"), a typing slip. Each search key's such words are listed here, in the
//! transaction of their record. A closed prefix that nothing listed extends has no completion
//! in any index, and is matched whole: the same records, without the index merging the long
//! lists of every word it begins (at 1M petitions "dung*" read the 354.772 postings of "dụng"
//! before "huynh" could narrow them). A listed word whose record is gone only keeps a prefix a
//! prefix, so rows are never removed.

use crate::search::{Parsed, Term};
use crate::{Result, Store};
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeSet;

/// The longest closed syllable has 7 letters ("nghieng"); prefixes past it are not tried.
const LONGEST_SYLLABLE: usize = 7;

/// (closed syllable, longer word) for each word of a folded search key that begins with a
/// closed syllable: "camera" gives ("cam", "camera").
pub(crate) fn extensions(key: &str, into: &mut BTreeSet<(String, String)>) {
    for word in key.split(' ') {
        let letters = word
            .bytes()
            .take_while(u8::is_ascii_lowercase)
            .count()
            .min(LONGEST_SYLLABLE);
        for end in 2..=letters {
            if end < word.len() && danvan_vntext::is_closed_syllable(&word[..end]) {
                into.insert((word[..end].to_owned(), word.to_owned()));
            }
        }
    }
}

/// Lists a new record's extending words, in the record's transaction.
pub(crate) async fn note(tx: &mut Transaction<'static, Any>, key: &str) -> Result<()> {
    let mut found = BTreeSet::new();
    extensions(key, &mut found);
    insert(tx, found).await
}

/// Writes extending words, ignoring those already listed.
pub(crate) async fn insert(
    tx: &mut Transaction<'static, Any>,
    rows: BTreeSet<(String, String)>,
) -> Result<()> {
    for (syllable, word) in rows {
        sqlx::query(
            "INSERT INTO syllable_extensions (syllable, word) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(syllable)
        .bind(word)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Store {
    /// Lists the extending words of the records written before migration 0025, once.
    pub(crate) async fn ensure_syllable_extensions(&self) -> Result<()> {
        if self.setting("syllable_extensions").await?.as_deref() == Some("1") {
            return Ok(());
        }
        let mut found = BTreeSet::new();
        for table in ["petitions", "visits", "cases"] {
            let mut after = 0i64;
            loop {
                let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT id, search_key FROM {table} WHERE id > $1 ORDER BY id LIMIT 20000"
                )))
                .bind(after)
                .fetch_all(&self.pool)
                .await?;
                let Some(last) = rows.last() else { break };
                after = last.try_get(0)?;
                for r in &rows {
                    extensions(&r.try_get::<String, _>(1)?, &mut found);
                }
            }
        }
        let mut tx = self.write().await?;
        insert(&mut tx, found).await?;
        sqlx::query("DELETE FROM settings WHERE key = 'syllable_extensions'")
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('syllable_extensions', '1')")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The query with each prefix that is a closed syllable no indexed word extends made a
    /// whole word: it matches exactly the records it matched as a prefix.
    pub(crate) async fn whole_closed_prefixes(&self, mut parsed: Parsed) -> Result<Parsed> {
        for term in &mut parsed.terms {
            let Term::Word { text, prefix } = term else {
                continue;
            };
            let spellings = danvan_vntext::iy_spellings(text);
            if !*prefix
                || !spellings
                    .iter()
                    .all(|s| danvan_vntext::is_closed_syllable(s))
            {
                continue;
            }
            let mut extended = false;
            for s in spellings {
                extended |=
                    sqlx::query("SELECT 1 FROM syllable_extensions WHERE syllable = $1 LIMIT 1")
                        .bind(s)
                        .fetch_optional(&self.pool)
                        .await?
                        .is_some();
            }
            *prefix = extended;
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_words_longer_than_a_closed_syllable_are_listed() {
        let mut found = BTreeSet::new();
        extensions(
            "don 2026 000123 lap camera dung internet thanhpho ubnd nguyen van dung",
            &mut found,
        );
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|(s, w)| (s.as_str(), w.as_str()))
            .collect();
        assert_eq!(found, vec![("cam", "camera"), ("thanh", "thanhpho")]);
    }
}
