//! Search across the registers (issue 5): one query over petitions, visits and cases, matched on
//! the folded search keys (diacritics, tone placement, case and NFC/NFD do not matter) by SQLite
//! FTS5 or PostgreSQL's tsvector — the same query compiled for each — scoped to what the reader
//! may see, ranked (exact diacritics and exact codes above folded matches, then newer first) and
//! highlighted. Protected names never enter the keys, so they can never match, rank or list a
//! record (`visits::search_key`).

use crate::{Backend, Result, Store, query::Where};
use chrono::NaiveDate;
use danvan_domain::Actor;
use danvan_domain::Invalid;
use sqlx::Row;

/// The longest query accepted, in characters; longer ones are refused with a message.
pub const MAX_QUERY_CHARS: usize = 500;
/// At most this many terms are matched (the rest of a pasted paragraph adds nothing).
const MAX_TERMS: usize = 12;
/// Candidates read per register, newest first, before ranking; a query with more hits shows
/// its newest ones (ranked) and tells to narrow it.
const CANDIDATES: i64 = 200;
/// Counting stops here, so that a broad word costs no more than a narrow one.
pub const COUNT_CAP: i64 = 10_000;

/// One term of a query: a folded word (matched as a prefix when `prefix`) or a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Word { text: String, prefix: bool },
    Phrase(Vec<String>),
}

/// A parsed query: its terms (all must match) and, for ranking, the text as typed, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub terms: Vec<Term>,
    /// The query normalised (NFC, one tone placement) and lower-cased, without quotes.
    pub exact: String,
}

impl Parsed {
    /// Parses what an official typed: words (the last one, or one ending in `*`, as a prefix,
    /// so names and codes typed in part match; a word with an i/y spelling also as the other,
    /// "Quí" = "Quý"), phrases in double quotes. Every character that
    /// is not a letter or a digit separates words, so FTS syntax (`NEAR`, `-`, `:`, `*`, `^`)
    /// and SQL metacharacters reach the index only as plain folded words.
    pub fn parse(input: &str) -> std::result::Result<Parsed, Invalid> {
        if input.chars().count() > MAX_QUERY_CHARS {
            return Err(Invalid::one(
                "q",
                format!(
                    "Từ khóa quá dài (tối đa {} ký tự)",
                    danvan_domain::format::number(MAX_QUERY_CHARS as i64)
                ),
            ));
        }
        let mut terms = vec![];
        let mut in_quotes = false;
        for (i, part) in input.split('"').enumerate() {
            if i > 0 {
                in_quotes = !in_quotes;
            }
            if in_quotes {
                let words = danvan_vntext::tokens(part);
                match words.len() {
                    0 => {}
                    1 => terms.push(Term::Word {
                        text: words[0].clone(),
                        prefix: false,
                    }),
                    _ => terms.push(Term::Phrase(words)),
                }
                continue;
            }
            // A star right after a word marks it as a prefix.
            for raw in part.split_whitespace() {
                let star = raw.ends_with('*');
                // An ID number typed with dots ("060.085.001.234") is one number, as its
                // register field reads it.
                let digits = raw.trim_end_matches('*');
                if digits.contains('.')
                    && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
                    && digits.chars().any(|c| c.is_ascii_digit())
                {
                    terms.push(Term::Word {
                        text: digits.replace('.', ""),
                        prefix: star,
                    });
                    continue;
                }
                for w in danvan_vntext::tokens(raw) {
                    terms.push(Term::Word {
                        text: w,
                        prefix: star,
                    });
                }
            }
        }
        // The word being typed last is a prefix, unless the query ends in a closed phrase or a
        // space (the word is complete), or it is one letter ("Nguyễn Văn A" is a whole name).
        let ends_open = !input.ends_with(char::is_whitespace) && !input.trim_end().ends_with('"');
        if ends_open
            && let Some(Term::Word { prefix, text }) = terms.last_mut()
            && text.chars().count() > 1
        {
            *prefix = true;
        }
        terms.truncate(MAX_TERMS);
        if terms.is_empty() {
            return Err(Invalid::one("q", "Nhập từ cần tìm (chữ hoặc số)"));
        }
        let exact = danvan_vntext::normalize(&input.replace('"', " "))
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Parsed { terms, exact })
    }

    /// The FTS5 MATCH expression: every term quoted (nothing of it is syntax), phrases as one
    /// quoted string, prefixes with `*`, joined by AND.
    pub fn fts5(&self) -> String {
        self.terms
            .iter()
            .map(|t| match t {
                Term::Word { text, prefix } => {
                    let star = if *prefix { "*" } else { "" };
                    let spellings: Vec<String> = danvan_vntext::iy_spellings(text)
                        .iter()
                        .map(|w| format!("\"{w}\"{star}"))
                        .collect();
                    match spellings.as_slice() {
                        [one] => one.clone(),
                        _ => format!("({})", spellings.join(" OR ")),
                    }
                }
                Term::Phrase(words) => format!("\"{}\"", words.join(" ")),
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The PostgreSQL tsquery (configuration 'simple'): `'dat' & 'dai'`, `'nguy':*`, phrases
    /// with `<->`. Terms are folded letters and digits only, quoted all the same.
    pub fn tsquery(&self) -> String {
        self.terms
            .iter()
            .map(|t| match t {
                Term::Word { text, prefix } => {
                    let star = if *prefix { ":*" } else { "" };
                    let spellings: Vec<String> = danvan_vntext::iy_spellings(text)
                        .iter()
                        .map(|w| format!("'{w}'{star}"))
                        .collect();
                    match spellings.as_slice() {
                        [one] => one.clone(),
                        _ => format!("({})", spellings.join(" | ")),
                    }
                }
                Term::Phrase(words) => format!(
                    "({})",
                    words
                        .iter()
                        .map(|w| format!("'{w}'"))
                        .collect::<Vec<_>>()
                        .join(" <-> ")
                ),
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// Whether a folded word of a record is one the query asked for (for highlighting).
    fn hits_word(&self, folded: &str) -> bool {
        self.terms.iter().any(|t| match t {
            Term::Word { text, prefix } => danvan_vntext::iy_spellings(text).iter().any(|w| {
                if *prefix {
                    folded.starts_with(w.as_str())
                } else {
                    folded == w
                }
            }),
            Term::Phrase(words) => words.iter().any(|w| w == folded),
        })
    }
}

/// What to search and where.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub text: String,
    /// Only this unit's subtree (within the reader's scope).
    pub unit_path: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// "petition", "visit" or "case"; none = all three.
    pub kind: Option<String>,
    pub petition_type: Option<String>,
    pub field_code: Option<String>,
    /// Cases only: open, closed…
    pub status: Option<String>,
}

/// A piece of a snippet, highlighted when it matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchHit {
    /// petition, visit or case.
    pub kind: &'static str,
    pub code: String,
    pub title: String,
    /// The matched text around the first hit, plain.
    pub snippet: String,
    /// The same snippet in pieces, the matched words marked (the page highlights them).
    #[serde(skip)]
    pub pieces: Vec<Piece>,
    pub date: NaiveDate,
    pub unit: String,
    /// 1 for a folded match; +1 when the words match with their diacritics as typed; +2 when
    /// the query is the record's code.
    pub score: f64,
    /// Where the record opens in the UI.
    pub url: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchResults {
    /// Matching records the reader may see; a lower bound when `total_is_lower_bound`.
    pub total: i64,
    pub total_is_lower_bound: bool,
    /// The hits that were ranked and can be paged through: every match, or when there are
    /// more, the newest 200 of each register (the page asks to narrow the query).
    pub ranked: i64,
    pub results: Vec<SearchHit>,
    pub page: i64,
    pub page_size: i64,
}

/// One register as search sees it.
struct Register {
    kind: &'static str,
    table: &'static str,
    alias: &'static str,
    date: &'static str,
    /// (code, date, title/summary shown, unit name) selected for a hit.
    select: &'static str,
    url: &'static str,
}

const REGISTERS: [Register; 3] = [
    Register {
        kind: "petition",
        table: "petitions",
        alias: "p",
        date: "p.received_date",
        select: "p.code, p.received_date, p.summary, u.name",
        url: "/petitions/",
    },
    Register {
        kind: "visit",
        table: "visits",
        alias: "v",
        date: "v.visit_date",
        select: "v.code, v.visit_date, v.content, u.name",
        url: "/visits/",
    },
    Register {
        kind: "case",
        table: "cases",
        alias: "c",
        date: "c.opened_on",
        select: "c.code, c.opened_on, c.title, u.name",
        url: "/cases/",
    },
];

impl Store {
    /// Searches the registers the actor may see. An empty or unusable query is `Invalid` with a
    /// Vietnamese message.
    pub async fn search(
        &self,
        actor: &Actor,
        f: &SearchFilter,
        page: crate::Page,
    ) -> Result<SearchResults> {
        let parsed = Parsed::parse(&f.text)?;
        let mut total = 0;
        let mut lower_bound = false;
        let mut hits = vec![];
        for reg in &REGISTERS {
            if f.kind.as_deref().is_some_and(|k| k != reg.kind) {
                continue;
            }
            let a = reg.alias;
            let mut w = Where::default();
            w.and(
                self.units_clause(
                    &format!("{a}.unit_id"),
                    &actor.scope,
                    f.unit_path.as_deref(),
                )
                .await?,
            );
            w.date_between(reg.date, f.from, f.to);
            if reg.kind == "case" {
                w.equals("c.status", f.status.as_deref());
            } else if f.status.is_some() {
                continue;
            }
            w.equals(&format!("{a}.petition_type"), f.petition_type.as_deref());
            w.equals(&format!("{a}.field_code"), f.field_code.as_deref());
            let matches = match self.backend {
                Backend::Sqlite => {
                    let q = w.text(parsed.fts5());
                    format!(
                        "{a}.id IN (SELECT rowid FROM {}_fts WHERE {}_fts MATCH {q})",
                        reg.table, reg.table
                    )
                }
                Backend::Postgres => {
                    let q = w.text(parsed.tsquery());
                    format!("{a}.search_tsv @@ to_tsquery('simple', {q})")
                }
            };
            w.and(matches);
            let where_sql = w.sql();
            let count: i64 = w
                .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM {} {a} WHERE {where_sql} LIMIT {}) x",
                    reg.table,
                    COUNT_CAP + 1
                ))))
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?;
            if count > COUNT_CAP {
                lower_bound = true;
            }
            total += count.min(COUNT_CAP);
            if count == 0 {
                continue;
            }
            let rows = w
                .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {} FROM {} {a} JOIN units u ON u.id = {a}.unit_id WHERE {where_sql} \
                     ORDER BY {} DESC, {a}.id DESC LIMIT {CANDIDATES}",
                    reg.select, reg.table, reg.date
                ))))
                .fetch_all(&self.pool)
                .await?;
            for r in &rows {
                let code: String = r.try_get(0)?;
                let day: String = r.try_get(1)?;
                let text: String = r.try_get(2)?;
                let pieces = snippet(&parsed, &text);
                let mut score = 1.0;
                if danvan_vntext::normalize(&text)
                    .to_lowercase()
                    .contains(parsed.exact.as_str())
                {
                    score += 1.0;
                }
                if danvan_vntext::fold(&code) == danvan_vntext::fold(&f.text) {
                    score += 2.0;
                }
                hits.push(SearchHit {
                    kind: reg.kind,
                    url: format!("{}{code}", reg.url),
                    code,
                    title: title_of(&text),
                    snippet: pieces.iter().map(|p| p.text.as_str()).collect(),
                    pieces,
                    date: crate::parse_day(&day)?,
                    unit: r.try_get(3)?,
                    score,
                });
            }
        }
        // Better matches first, then newer; the code breaks ties so the order is the same on
        // both backends.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.date.cmp(&a.date))
                .then(b.code.cmp(&a.code))
        });
        let ranked = hits.len() as i64;
        let results = hits
            .into_iter()
            .skip(page.offset() as usize)
            .take(page.size as usize)
            .collect();
        Ok(SearchResults {
            total,
            total_is_lower_bound: lower_bound,
            ranked,
            results,
            page: page.number,
            page_size: page.size,
        })
    }
}

/// The first line of a text, shortened, as a result's title.
fn title_of(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    shorten(line, 90)
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// About 30 words around the first matched word, with every matched word marked.
fn snippet(parsed: &Parsed, text: &str) -> Vec<Piece> {
    // Words with what follows them (spaces, punctuation), so the pieces rebuild the text.
    let mut words: Vec<(String, String)> = vec![];
    let mut word = String::new();
    let mut gap = String::new();
    for ch in text.chars() {
        if danvan_vntext::is_word_char(ch) {
            if !gap.is_empty() {
                words.push((std::mem::take(&mut word), std::mem::take(&mut gap)));
            }
            word.push(ch);
        } else {
            gap.push(if ch.is_whitespace() { ' ' } else { ch });
        }
    }
    words.push((word, gap));
    let hit: Vec<bool> = words
        .iter()
        .map(|(w, _)| !w.is_empty() && parsed.hits_word(&danvan_vntext::fold(w)))
        .collect();
    let first = hit.iter().position(|h| *h).unwrap_or(0);
    let start = first.saturating_sub(8);
    let end = (start + 30).min(words.len());
    let mut pieces: Vec<Piece> = vec![];
    if start > 0 {
        pieces.push(Piece {
            text: "… ".into(),
            hit: false,
        });
    }
    for (i, (w, g)) in words[start..end].iter().enumerate() {
        let is_hit = hit[start + i];
        let last = i + 1 == end - start;
        let gap = if last && end < words.len() {
            ""
        } else {
            g.as_str()
        };
        match pieces.last_mut() {
            Some(p) if !p.hit && !is_hit => {
                p.text.push_str(w);
                p.text.push_str(gap);
            }
            _ if is_hit => {
                pieces.push(Piece {
                    text: w.clone(),
                    hit: true,
                });
                if !gap.is_empty() {
                    pieces.push(Piece {
                        text: gap.into(),
                        hit: false,
                    });
                }
            }
            _ => pieces.push(Piece {
                text: format!("{w}{gap}"),
                hit: false,
            }),
        }
    }
    if end < words.len() {
        pieces.push(Piece {
            text: " …".into(),
            hit: false,
        });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &str) -> Vec<Term> {
        Parsed::parse(q).expect("parses").terms
    }

    #[test]
    fn words_fold_and_the_last_one_is_a_prefix() {
        assert_eq!(
            words("Đất đai"),
            vec![
                Term::Word {
                    text: "dat".into(),
                    prefix: false
                },
                Term::Word {
                    text: "dai".into(),
                    prefix: true
                }
            ]
        );
        assert!(matches!(
            &words("dat dai ")[1],
            Term::Word { prefix: false, .. }
        ));
    }

    #[test]
    fn quotes_make_a_phrase_and_a_star_a_prefix() {
        assert_eq!(
            words("\"hòa giải\" nguy*"),
            vec![
                Term::Phrase(vec!["hoa".into(), "giai".into()]),
                Term::Word {
                    text: "nguy".into(),
                    prefix: true
                }
            ]
        );
        // An unclosed quote is still a phrase.
        assert_eq!(
            words("\"dat dai"),
            vec![Term::Phrase(vec!["dat".into(), "dai".into()])]
        );
    }

    #[test]
    fn syntax_characters_are_only_separators() {
        let p = Parsed::parse("a NEAR(b) -c: d^ e' OR 1=1; --").expect("parses");
        let fts = p.fts5();
        assert!(!fts.contains('(') && !fts.contains(':') && !fts.contains(';'));
        assert_eq!(
            fts,
            "\"a\" AND \"near\" AND \"b\" AND \"c\" AND \"d\" AND \"e\" AND \"or\" AND \"1\" AND \"1\""
        );
        assert!(!p.tsquery().contains("--"));
    }

    #[test]
    fn empty_punctuation_and_huge_queries_are_refused_with_a_message() {
        for q in ["", "   ", "?!…—\"\"", "***"] {
            let e = Parsed::parse(q).expect_err(q);
            assert_eq!(e.0.0["q"], "Nhập từ cần tìm (chữ hoặc số)", "{q}");
        }
        let long = "đất ".repeat(40_000);
        let e = Parsed::parse(&long).expect_err("long");
        assert!(e.0.0["q"].starts_with("Từ khóa quá dài"));
        // Long but acceptable: only the first terms are used.
        assert_eq!(
            Parsed::parse(&"đất ".repeat(100)).expect("ok").terms.len(),
            MAX_TERMS
        );
    }

    #[test]
    fn a_snippet_marks_the_words_that_matched_however_they_were_typed() {
        let p = Parsed::parse("hoà giai").expect("parses");
        let pieces = snippet(&p, "Đề nghị hòa giải tranh chấp đất đai với hộ bên cạnh.");
        let marked: Vec<&str> = pieces
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, vec!["hòa", "giải"]);
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(text, "Đề nghị hòa giải tranh chấp đất đai với hộ bên cạnh.");
    }
}
