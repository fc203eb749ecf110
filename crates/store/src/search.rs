//! Search across the registers (issue 5): one query over petitions, visits and cases, matched on
//! the folded search keys (diacritics, tone placement, case and NFC/NFD do not matter) by SQLite
//! FTS5 or PostgreSQL's tsvector — the same query compiled for each — scoped to what the reader
//! may see, ranked (exact diacritics and exact codes above folded matches, then newer first) and
//! highlighted. Protected names never enter the keys, so they can never match, rank or list a
//! record (`visits::search_key`).

use crate::query::{Where, among_ids};
use crate::{Backend, Result, Store};
use chrono::NaiveDate;
use danvan_domain::Actor;
use danvan_domain::Invalid;
use sqlx::Row;

/// The longest query accepted, in characters; longer ones are refused with a message.
pub const MAX_QUERY_CHARS: usize = 500;
/// At most this many terms are matched (the rest of a pasted paragraph adds nothing).
const MAX_TERMS: usize = 12;
/// Candidates read per register, newest entered first, before ranking; a query with more hits
/// shows its newest ones (ranked) and tells to narrow it.
const CANDIDATES: i64 = 100;
/// A scope of fewer than 1/NARROW_SHARE of the units may read its own records rather than the
/// full-text index (a province, 3 % of the units, finds its 100 newest among the country's
/// matches within a few thousand; a commune would walk a hundred thousand)…
const NARROW_SHARE: usize = 100;
/// …when the words match more than this many records of the register across the country.
pub(crate) const COMMON: i64 = 2000;
/// On PostgreSQL, a query whose words are common in a scope that is part of the country
/// looks first among this many of the register's newest records (read in primary-key order,
/// stopping at the candidates), which its statistics expect to hold one and a half times the
/// candidates: the GIN index would give every match in the scope at once, and a phrase's
/// matches are rechecked on the heap ("thu hồi đất" in a province: 5.300 rows, 72 ms at 1M),
/// or a common prefix merges long lists ("hỗ trợ" typed last: 73 ms).
pub const NEWEST_WINDOW: i64 = 100_000;
/// At most this many rows are read to check a query's prefixes apart from its other words: the
/// statistics must expect fewer, and past them the prefixes go back into the index
/// (`Store::prefixes_apart`, `Store::gathered_matches`).
const SPLIT_ROWS: f64 = 5000.0;
/// The same through a province's own index (`search_partitions`), whose prefix lists are the
/// province's only. Fewer rows, since they come from disk when a query is new: "do thanh thuy"
/// read 4.182 rows of "do thanh" for a province's visits (396 ms), where its index merges the
/// few words beginning "thuy" at once. Some prefixes begin common words all the same: "dang
/// huu an" took 72–87 ms a request with "an:*" (and "anh") merged by the index, 20–24 ms with
/// it checked on the 1.178 rows of "dang huu".
const SPLIT_ROWS_IN_PROVINCE: f64 = 2000.0;
/// Counting stops at the candidates, per register: one read gives both ("hơn 100"), so that a
/// broad word costs no more than a narrow one.
pub const COUNT_CAP: i64 = CANDIDATES;

/// The start of the token that names a record's unit in its full-text entry
/// (`danvanunit123`: PostgreSQL's lexeme, migration 0012; SQLite's `unit_token`, 0024).
pub(crate) const UNIT_LEXEME: &str = "danvanunit";

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
                Term::Word { text, prefix } => spellings(
                    text,
                    |w| format!("\"{w}\"{}", if *prefix { "*" } else { "" }),
                    " OR ",
                ),
                Term::Phrase(words) => format!("\"{}\"", words.join(" ")),
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// Whether a prefix of the query also begins the unit lexeme ("d", "da", "dan"): on
    /// PostgreSQL, where the lexeme shares the `tsvector` with the words, such a prefix
    /// matches every record, so the query's `LIKE` conditions are added to hold it to the
    /// words.
    pub(crate) fn reaches_unit_lexeme(&self) -> bool {
        self.terms.iter().any(|t| match t {
            Term::Word { text, prefix: true } => danvan_vntext::iy_spellings(text)
                .iter()
                .any(|w| UNIT_LEXEME.starts_with(w.as_str())),
            _ => false,
        })
    }

    /// The FTS5 query held to the folded key's column: the index also holds each record's
    /// unit token (migration 0024), which a short prefix ("d*") would otherwise match.
    pub fn fts5_in_key(&self) -> String {
        format!("search_key : ({})", self.fts5())
    }

    /// The query as (its whole words and phrases, its prefixes) when it has both: the
    /// prefixes can then be checked on the rows the rest finds (`Store::gathered_matches`).
    pub(crate) fn split_prefixes(&self) -> Option<(Parsed, Parsed)> {
        let (prefixes, words): (Vec<Term>, Vec<Term>) = self
            .terms
            .iter()
            .cloned()
            .partition(|t| matches!(t, Term::Word { prefix: true, .. }));
        let part = |terms| Parsed {
            terms,
            exact: self.exact.clone(),
        };
        (!prefixes.is_empty() && !words.is_empty()).then(|| (part(words), part(prefixes)))
    }

    /// The PostgreSQL tsquery (configuration 'simple'): `'dat' & 'dai'`, `'nguy':*`, phrases
    /// with `<->`. Terms are folded letters and digits only, quoted all the same.
    pub fn tsquery(&self) -> String {
        self.terms
            .iter()
            .map(|t| match t {
                Term::Word { text, prefix } => spellings(
                    text,
                    |w| format!("'{w}'{}", if *prefix { ":*" } else { "" }),
                    " | ",
                ),
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

    /// The same query as `LIKE` conditions on a folded key padded with spaces (`' ' || key ||
    /// ' '`): a word is ` word `, a prefix ` word`, a phrase ` w1 w2 `, i/y spellings OR-ed.
    /// The terms are folded letters and digits: nothing of them is a wildcard.
    pub(crate) fn like(&self, padded_key: &str, w: &mut Where) -> Vec<String> {
        self.terms
            .iter()
            .map(|t| match t {
                Term::Word { text, prefix } => {
                    let end = if *prefix { "%" } else { " %" };
                    let one = |s: &str| {
                        let p = w.text(format!("% {s}{end}"));
                        format!("{padded_key} LIKE {p}")
                    };
                    spellings(text, one, " OR ")
                }
                Term::Phrase(words) => {
                    let p = w.text(format!("% {} %", words.join(" ")));
                    format!("{padded_key} LIKE {p}")
                }
            })
            .collect()
    }

    /// Whether every word of the query is a whole word of the text (a prefix typed last that
    /// is also a word counts): "Phu Qui" ranks "Phú Quý" above "Phú … quyền".
    fn whole_words_in(&self, text: &str) -> bool {
        let folded = danvan_vntext::fold(text);
        let words: std::collections::HashSet<&str> = folded.split(' ').collect();
        self.terms.iter().all(|t| match t {
            Term::Word { text, .. } => danvan_vntext::iy_spellings(text)
                .iter()
                .any(|w| words.contains(w.as_str())),
            Term::Phrase(ws) => format!(" {folded} ").contains(&format!(" {} ", ws.join(" "))),
        })
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

/// A word and its other i/y spelling ("qui", "quy"), each rendered by `one`, OR-ed in
/// parentheses when there are two — the same alternatives in FTS5, tsquery and LIKE.
fn spellings(text: &str, mut one: impl FnMut(&str) -> String, or: &str) -> String {
    let all: Vec<String> = danvan_vntext::iy_spellings(text)
        .iter()
        .map(|w| one(w))
        .collect();
    match all.as_slice() {
        [single] => single.clone(),
        _ => format!("({})", all.join(or)),
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
    /// How to match; `Auto` chooses by the size of the reader's scope. The others exist so
    /// that tests can check both plans give the same results.
    pub plan: Plan,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Plan {
    #[default]
    Auto,
    /// The full-text index (FTS5 or tsvector), newest matches first.
    FullText,
    /// The scope's own records, their folded keys matched with `LIKE`.
    Scope,
    /// The register's newest records, at most [`NEWEST_WINDOW`], their folded keys matched
    /// with `LIKE` (chosen by `Auto`, which asks the full-text index when they hold too few
    /// matches; asked for, their matches whatever their number: tests compare them).
    Newest,
    /// Every match gathered from the full-text index at once, then ordered (chosen by `Auto`
    /// on PostgreSQL when its statistics call the words rare in the scope; when the index
    /// holds more than `gather_cap` matches, `Auto` walks it newest first instead).
    Gathered,
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
    /// 1 for a folded match; +0,5 when every word is a whole word of the text (not only a
    /// prefix); +1 when the words match with their diacritics as typed; +2 when the query is
    /// the record's code.
    pub score: f64,
    /// Where the record opens in the UI.
    pub url: String,
    /// The record's text, kept until the page's titles and snippets are made from it.
    #[serde(skip)]
    text: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchResults {
    /// Matching records the reader may see; a lower bound when `total_is_lower_bound`.
    pub total: i64,
    pub total_is_lower_bound: bool,
    /// The hits that were ranked and can be paged through: every match, or when there are
    /// more, the newest 100 of each register (the page asks to narrow the query).
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

/// The units a search reads, resolved once for its three registers.
struct SearchScope<'a> {
    /// The ids of the units inside the reader's scope (and the unit filter).
    unit_ids: &'a [String],
    /// How many units there are in all.
    all_units: usize,
    /// The share of all units the scope holds.
    share: f64,
    /// The scope as an alternative of unit lexemes for the full-text index, when it is a small
    /// part of the country.
    lexemes: Option<&'a str>,
    /// The registers' smaller indexes the search may read (PostgreSQL, `search_partitions`).
    partitions: &'a crate::search_partitions::Partitions,
}

impl Store {
    /// Searches the registers the actor may see. An empty or unusable query is `Invalid` with a
    /// Vietnamese message.
    pub async fn search(
        &self,
        actor: &Actor,
        f: &SearchFilter,
        page: crate::Page,
    ) -> Result<SearchResults> {
        let parsed = self.whole_closed_prefixes(Parsed::parse(&f.text)?).await?;
        let (in_scope, all_units) = self
            .scope_units(&actor.scope, f.unit_path.as_deref())
            .await?;
        let scope_share = in_scope.len() as f64 / all_units.max(1) as f64;
        // A scope of at most half the units (and 200) is also a condition on the index: each
        // record's unit is a lexeme of its tsvector (PostgreSQL, migration 0012) or a token of
        // its FTS5 row (SQLite, migration 0024), any of which may match.
        let any_of = match self.backend {
            Backend::Sqlite => " OR ",
            Backend::Postgres => " | ",
        };
        let unit_lexemes =
            (in_scope.len() * 2 <= all_units && in_scope.len() <= 200 && !in_scope.is_empty())
                .then(|| {
                    in_scope
                        .iter()
                        .map(|id| format!("{UNIT_LEXEME}{id}"))
                        .collect::<Vec<_>>()
                        .join(any_of)
                });
        // A scope inside one province reads the province's own index when there is one.
        let partitions = self
            .search_partitions(match unit_lexemes {
                Some(_) => &in_scope,
                None => &[],
            })
            .await?;
        let scope = SearchScope {
            unit_ids: &in_scope,
            all_units,
            share: scope_share,
            lexemes: unit_lexemes.as_deref(),
            partitions: &partitions,
        };
        // The three registers side by side, each on its own connection.
        let (petitions, visits, cases) = tokio::join!(
            self.register_hits(&REGISTERS[0], f, &parsed, &scope),
            self.register_hits(&REGISTERS[1], f, &parsed, &scope),
            self.register_hits(&REGISTERS[2], f, &parsed, &scope),
        );
        let mut total = 0;
        let mut lower_bound = false;
        let mut hits = vec![];
        for found in [petitions?, visits?, cases?].into_iter().flatten() {
            if found.0 > COUNT_CAP {
                lower_bound = true;
            }
            total += found.0.min(COUNT_CAP);
            hits.extend(found.1);
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
            .map(|mut h| {
                h.pieces = snippet(&parsed, &h.text);
                h.snippet = h.pieces.iter().map(|p| p.text.as_str()).collect();
                h.title = title_of(&std::mem::take(&mut h.text));
                h
            })
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

impl Store {
    /// One register's matches for a search: (count up to the cap, ranked candidates), or
    /// nothing when the filter excludes the register.
    async fn register_hits(
        &self,
        reg: &Register,
        f: &SearchFilter,
        parsed: &Parsed,
        scope: &SearchScope<'_>,
    ) -> Result<Option<(i64, Vec<SearchHit>)>> {
        let partition = scope.partitions.province_of(reg.table);
        // The newest records' indexes, for words the statistics expect rare together
        // (below), unless the province's index serves.
        let newest_indexes: Vec<_> = match partition {
            Some(_) => vec![],
            None => scope.partitions.newest_of(reg.table).collect(),
        };
        // The province's own index holds only its records: no unit lexemes to AND.
        let (scope_share, unit_lexemes) =
            (scope.share, scope.lexemes.filter(|_| partition.is_none()));
        let narrow_scope = scope_share * (NARROW_SHARE as f64) < 1.0;
        if f.kind.as_deref().is_some_and(|k| k != reg.kind)
            || (reg.kind != "case" && f.status.is_some())
        {
            return Ok(None);
        }
        let a = reg.alias;
        // The plan: the full-text index, unless the reader's scope is a tiny part of the
        // country (a commune, a district) and the words are common across it — then the
        // scope's own folded keys, read from the registers' unit/date/key indexes, cost less
        // than walking the whole country's matches for the few that are the reader's.
        let scope_plan = match f.plan {
            Plan::FullText | Plan::Newest | Plan::Gathered => false,
            Plan::Scope => true,
            Plan::Auto => narrow_scope && self.common(reg, parsed).await?,
        };
        // What the statistics say of the words (PostgreSQL), for the plans below.
        let shares = match (f.plan, self.backend) {
            (Plan::Auto, Backend::Postgres) if !scope_plan => {
                Some(self.share_of_records(reg, parsed).await?)
            }
            _ => None,
        };
        // Words the statistics call rare in the scope (an ID number, a rare name) are
        // gathered from the index at once: walking the primary key for the newest ones would
        // read the whole register when they are few or nowhere (286 s for an ID number
        // found once in 10.000.000 petitions). Not on SQLite, whose FTS5 walks its own
        // doclists newest first, whatever their length.
        let gather = match (f.plan, shares) {
            (Plan::Gathered, _) => Some(i64::MAX),
            (Plan::Auto, Some((_, independent, records))) => {
                let cap = gather_cap(records);
                (independent * scope_share * records < cap as f64 && !self.every_word_common)
                    .then_some(cap)
            }
            _ => None,
        };
        // Words to gather look among the newest records through their own index (below),
        // not by walking them: at 10M over the country, a name's 20.000 newest petitions
        // walked took 22–25 ms and its 100.000 44–84 ms, their index 12–21 ms.
        let window = match gather {
            Some(_) if f.plan == Plan::Auto && !newest_indexes.is_empty() => 0,
            _ => newest_window(f.plan, scope_share, shares),
        };
        // The filters, the scope tested on `unit`.
        let filters = |unit: String| {
            let mut w = Where::default();
            w.and(crate::query::units_in(
                &unit,
                scope.unit_ids,
                scope.all_units,
            ));
            w.date_between(reg.date, f.from, f.to);
            if reg.kind == "case" {
                w.equals("c.status", f.status.as_deref());
            }
            w.equals(&format!("{a}.petition_type"), f.petition_type.as_deref());
            w.equals(&format!("{a}.field_code"), f.field_code.as_deref());
            w
        };
        let mut w = filters(format!("{a}.unit_id"));
        // Through the full-text index on PostgreSQL, the scope is tested on each match, not
        // read from the unit index (`+ 0`): its bitmap of the scope's records, ANDed with the
        // words', only repeated what the unit lexemes already ask, or kept nearly every row.
        // A province's "le thanh" at 10M: 130 ms with it, 86 without.
        // With the province's own index, the statement names the index's condition word for
        // word, which is how PostgreSQL knows that index answers it.
        let w_full_text = match self.backend {
            Backend::Postgres => {
                let mut w = filters(format!("({a}.unit_id + 0)"));
                if let Some(p) = partition {
                    w.and(p.condition(a));
                }
                w
            }
            Backend::Sqlite => w.clone(),
        };
        let newest = if window > 0 {
            self.newest_matches(reg, parsed, w.clone(), window, f.plan == Plan::Newest)
                .await?
        } else {
            None
        };
        let mut addresses = RowAddresses::default();
        let (count, ids) = if let Some(found) = newest {
            found
        } else if scope_plan {
            let key = format!("' ' || {a}.search_key || ' '");
            for clause in parsed.like(&key, &mut w) {
                w.and(clause);
            }
            self.scope_matches(reg, &w).await?
        } else {
            let gathered = match gather {
                Some(cap) => {
                    // A province's own index merges the lists of a prefix's words within the
                    // province only, so the prefix is checked apart on fewer rows of the other
                    // words, which come from disk when the query is new ("do thanh thuy" in a
                    // province's visits: 4.117 pages of 4.182 rows, 396 ms).
                    let most = match partition {
                        Some(_) => SPLIT_ROWS_IN_PROVINCE,
                        None => SPLIT_ROWS,
                    };
                    let split = self.prefixes_apart(reg, parsed, scope_share, most).await?;
                    // Among the newest records first, fewest first: more matches there than
                    // the count's cap are the answer (older ones would be neither shown nor
                    // counted). As many as the gathering's cap there: more still in all, which
                    // only the walk below serves. Fewer than the count's cap: the next index,
                    // and last the whole one.
                    let mut among_newest = None;
                    for n in &newest_indexes {
                        let mut w = w_full_text.clone();
                        w.and(n.condition(a));
                        let found = self
                            .gathered_matches(reg, parsed, split.clone(), w, unit_lexemes, cap)
                            .await?;
                        match found {
                            Some(found) if found.count <= COUNT_CAP => continue,
                            found => {
                                among_newest = Some(found);
                                break;
                            }
                        }
                    }
                    match among_newest {
                        Some(found) => found,
                        None => {
                            self.gathered_matches(
                                reg,
                                parsed,
                                split,
                                w_full_text.clone(),
                                unit_lexemes,
                                cap,
                            )
                            .await?
                        }
                    }
                }
                None => None,
            };
            match gathered {
                Some(found) => {
                    addresses = found.addresses;
                    (found.count, found.ids)
                }
                None => {
                    self.full_text_matches(reg, parsed, w_full_text, unit_lexemes)
                        .await?
                }
            }
        };
        let mut hits = vec![];
        if ids.is_empty() {
            return Ok(Some((count, hits)));
        }
        let rows = self.candidate_rows(reg, &ids, &addresses).await?;
        let folded_query = danvan_vntext::fold(&f.text);
        for r in &rows {
            let code: String = r.try_get(0)?;
            let day: String = r.try_get(1)?;
            let text: String = r.try_get(2)?;
            let mut score = 1.0;
            if danvan_vntext::normalize(&text)
                .to_lowercase()
                .contains(parsed.exact.as_str())
            {
                score += 1.0;
            }
            if parsed.whole_words_in(&text) {
                score += 0.5;
            }
            if danvan_vntext::fold(&code) == folded_query {
                score += 2.0;
            }
            // Title and snippet are made for the page shown only.
            hits.push(SearchHit {
                kind: reg.kind,
                url: format!("{}{code}", reg.url),
                code,
                title: String::new(),
                text,
                snippet: String::new(),
                pieces: vec![],
                date: crate::parse_day(&day)?,
                unit: r.try_get(3)?,
                score,
            });
        }
        Ok(Some((count, hits)))
    }

    /// Whether the words are common in a register across the whole country: more than
    /// [`COMMON`] matches in the full-text index (a count that stops there, so it is cheap).
    async fn common(&self, reg: &Register, parsed: &Parsed) -> Result<bool> {
        let sql = match self.backend {
            Backend::Sqlite => format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {t}_fts WHERE {t}_fts MATCH $1 LIMIT {n}) x",
                t = reg.table,
                n = COMMON + 1
            ),
            Backend::Postgres => format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {t} WHERE search_tsv @@ to_tsquery('simple', $1) LIMIT {n}) x",
                t = reg.table,
                n = COMMON + 1
            ),
        };
        let q = match self.backend {
            Backend::Sqlite => parsed.fts5_in_key(),
            Backend::Postgres => parsed.tsquery(),
        };
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(q)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > COMMON)
    }

    /// (matches counted up to the cap, the newest [`CANDIDATES`] ids, in one read) through the full-text
    /// index, read newest entered first (ids grow with entry, as dates do) so that a broad word
    /// stops after what it needs: SQLite walks the FTS index by rowid backwards, PostgreSQL
    /// filters the GIN matches in the primary key's order.
    async fn full_text_matches(
        &self,
        reg: &Register,
        parsed: &Parsed,
        w: Where,
        unit_lexemes: Option<&str>,
    ) -> Result<(i64, Vec<i64>)> {
        let (w, select) = self.full_text_select(reg, parsed, w, unit_lexemes, "");
        self.candidates(&w, &select).await
    }

    /// Every match through the full-text index, when there are fewer than `cap`, newest
    /// entered first: (count up to the count's cap, the newest [`CANDIDATES`] ids), or `None`
    /// when there are more. PostgreSQL is held to the GIN bitmap — the statement has no order
    /// for the primary key to serve, and sequential and plain index scans are priced out for
    /// it — so that a rare word reads its own rows and no others.
    async fn gathered_matches(
        &self,
        reg: &Register,
        parsed: &Parsed,
        split: Option<(Parsed, Parsed)>,
        w: Where,
        unit_lexemes: Option<&str>,
        cap: i64,
    ) -> Result<Option<Gathered>> {
        // Prefixes set apart are checked on the rows the other words find, so that the GIN
        // index does not merge every word they begin — as long as those rows are few: past
        // SPLIT_ROWS (words that come together more often than their statistics say, "boi
        // thuong ho"), the prefixes go back into the index.
        if let Some((words, prefixes)) = &split {
            let limit = (SPLIT_ROWS as i64).min(cap);
            let mut apart = w.clone();
            let a = reg.alias;
            let matched = if prefixes.reaches_unit_lexeme() {
                let key = format!("' ' || {a}.search_key || ' '");
                prefixes.like(&key, &mut apart).join(" AND ")
            } else {
                let q = apart.text(prefixes.tsquery());
                format!("{a}.search_tsv @@ to_tsquery('simple', {q})")
            };
            let hit = format!(", CAST(CASE WHEN {matched} THEN 1 ELSE 0 END AS BIGINT)");
            let (apart, select) = self.full_text_select(reg, words, apart, unit_lexemes, &hit);
            let rows = self.gather(&apart, &select, limit + 1).await?;
            if rows.len() as i64 <= limit {
                let mut ids = vec![];
                let mut addresses = RowAddresses::default();
                for r in &rows {
                    if r.try_get::<i64, _>(1)? == 1 {
                        ids.push(r.try_get::<i64, _>(0)?);
                        addresses.note(r, 2)?;
                    }
                }
                return Ok(Some(Gathered::newest_first(ids, addresses)));
            }
        }
        let (w, select) = self.full_text_select(reg, parsed, w, unit_lexemes, "");
        let rows = self.gather(&w, &select, cap).await?;
        if rows.len() as i64 >= cap {
            return Ok(None);
        }
        let mut ids = Vec::with_capacity(rows.len());
        let mut addresses = RowAddresses::default();
        for r in &rows {
            ids.push(r.try_get::<i64, _>(0)?);
            addresses.note(r, 1)?;
        }
        Ok(Some(Gathered::newest_first(ids, addresses)))
    }

    /// The rows of a full-text statement in no particular order, at most `limit` (none when
    /// `i64::MAX`), PostgreSQL held to the index's bitmap (`gathered_matches`).
    async fn gather(&self, w: &Where, select: &str, limit: i64) -> Result<Vec<sqlx::any::AnyRow>> {
        let unordered = select.rsplit_once(" ORDER BY ").map_or(select, |(s, _)| s);
        let limit = if limit == i64::MAX {
            String::new()
        } else {
            format!(" LIMIT {limit}")
        };
        let q = w.bind(sqlx::query(sqlx::AssertSqlSafe(format!(
            "{unordered}{limit}"
        ))));
        Ok(match self.backend {
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)",
                )
                .execute(&mut *tx)
                .await?;
                let rows = q.fetch_all(&mut *tx).await?;
                tx.commit().await?;
                rows
            }
            Backend::Sqlite => q.fetch_all(&self.pool).await?,
        })
    }

    /// On PostgreSQL, the query's whole words and its prefixes apart, when the statistics
    /// expect the words alone to find fewer than [`SPLIT_ROWS`] rows in the scope and the
    /// prefixes alone more: a short prefix typed last ("tran thi do" → `do:*`) makes the GIN
    /// index merge every word it begins (millions of entries at 10M: 0,9 s for a province's
    /// visits), where checking it on the 1.412 rows of "tran thi" took 0,25 s.
    async fn prefixes_apart(
        &self,
        reg: &Register,
        parsed: &Parsed,
        scope_share: f64,
        most: f64,
    ) -> Result<Option<(Parsed, Parsed)>> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        let Some((words, prefixes)) = parsed.split_prefixes() else {
            return Ok(None);
        };
        let (_, by_words, records) = self.share_of_records(reg, &words).await?;
        let (by_prefix, _, _) = self.share_of_records(reg, &prefixes).await?;
        let rows = by_words * scope_share * records;
        Ok((rows < most && by_prefix >= by_words).then_some((words, prefixes)))
    }

    /// The full-text statement of a register's matches, newest entered first, and its
    /// parameters.
    fn full_text_select(
        &self,
        reg: &Register,
        parsed: &Parsed,
        mut w: Where,
        unit_lexemes: Option<&str>,
        more_columns: &str,
    ) -> (Where, String) {
        let a = reg.alias;
        let (from, order) = match self.backend {
            Backend::Sqlite => {
                let query = match unit_lexemes {
                    Some(units) => {
                        format!("{} AND unit_token : ({units})", parsed.fts5_in_key())
                    }
                    None => parsed.fts5_in_key(),
                };
                let q = w.text(query);
                w.and(format!("{}_fts MATCH {q}", reg.table));
                (
                    format!(
                        "{t}_fts f CROSS JOIN {t} {a} ON {a}.id = f.rowid",
                        t = reg.table
                    ),
                    "f.rowid DESC".to_owned(),
                )
            }
            Backend::Postgres => {
                let query = match unit_lexemes {
                    Some(units) => format!("({}) & ({units})", parsed.tsquery()),
                    None => parsed.tsquery(),
                };
                let q = w.text(query);
                w.and(format!("{a}.search_tsv @@ to_tsquery('simple', {q})"));
                if parsed.reaches_unit_lexeme() {
                    let key = format!("' ' || {a}.search_key || ' '");
                    for clause in parsed.like(&key, &mut w) {
                        w.and(clause);
                    }
                }
                (format!("{} {a}", reg.table), format!("{a}.id DESC"))
            }
        };
        let where_sql = w.sql();
        // On PostgreSQL each match's row address too, which the candidates are read by
        // (`RowAddresses`).
        let address = match self.backend {
            Backend::Postgres => format!(", CAST({a}.ctid AS TEXT)"),
            Backend::Sqlite => String::new(),
        };
        let select = format!(
            "SELECT {a}.id{more_columns}{address} FROM {from} WHERE {where_sql} ORDER BY {order}"
        );
        (w, select)
    }

    /// Runs `select` (ids, in the order wanted) under `w`'s parameters, stopping one past the
    /// count's cap: (how many it found, up to the cap + 1; the first [`CANDIDATES`] ids).
    async fn candidates(&self, w: &Where, select: &str) -> Result<(i64, Vec<i64>)> {
        let mut ids = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "{select} LIMIT {}",
                COUNT_CAP + 1
            ))))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let count = ids.len() as i64;
        ids.truncate(CANDIDATES as usize);
        Ok((count, ids))
    }

    /// The share of a register's records that hold every term, by PostgreSQL's statistics of
    /// its full-text column (a word not among its most common counts as none): a prefix as its
    /// most common completion, a phrase as its rarest word, i/y spellings as the commoner —
    /// as (the rarest term's share: terms that always come together; their product: terms
    /// independent of each other; the register's records).
    async fn share_of_records(&self, reg: &Register, parsed: &Parsed) -> Result<(f64, f64, f64)> {
        let stats = self.word_stats(reg.table).await?;
        let share = |word: &str, prefix: bool| -> f64 {
            stats.share_of(|w| {
                if prefix {
                    w.starts_with(word)
                } else {
                    w == word
                }
            })
        };
        let (together, independent) = parsed
            .terms
            .iter()
            .map(|t| match t {
                Term::Word { text, prefix } => danvan_vntext::iy_spellings(text)
                    .iter()
                    .map(|w| share(w, *prefix))
                    .fold(0.0, f64::max),
                Term::Phrase(words) => words.iter().map(|w| share(w, false)).fold(1.0, f64::min),
            })
            .fold((1.0, 1.0), |(together, independent), s| {
                (f64::min(together, s), independent * s)
            });
        Ok((together, independent, stats.records))
    }

    /// The matches among the register's `window` newest records — those whose id is among
    /// the last `window` given out — newest first up to the candidates (`w` holds the other
    /// filters): `None` when the window holds fewer than the count's cap (unless `whatever`),
    /// so that the full-text index is asked instead — after the whole window, when a smaller
    /// one held enough to promise it.
    async fn newest_matches(
        &self,
        reg: &Register,
        parsed: &Parsed,
        mut w: Where,
        window: i64,
        whatever: bool,
    ) -> Result<Option<(i64, Vec<i64>)>> {
        let a = reg.alias;
        let key = format!("' ' || {a}.search_key || ' '");
        for clause in parsed.like(&key, &mut w) {
            w.and(clause);
        }
        // The newest id as a number in the statement, so that the planner sees how narrow the
        // window is.
        let newest: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COALESCE(MAX(id), 0) FROM {}",
            reg.table
        )))
        .fetch_one(&self.pool)
        .await?;
        let mut window = window;
        loop {
            // The scope's rows of the window come from the `(unit_id, id)` index (PostgreSQL,
            // migration 0026), all of them at once, and only they are read for their keys: a
            // province's phrase among the newest cases walked 37.569 entries of the country's
            // and joined 2.854 to their rows one by one (32 ms at 1M); its 4.732 rows of the
            // whole window, read in heap order, take 8–12 ms.
            let found = self
                .candidates(
                    &w,
                    &format!(
                        "SELECT {a}.id FROM {t} {a} WHERE {a}.id > {from} AND {} ORDER BY {a}.id DESC",
                        w.sql(),
                        t = reg.table,
                        from = newest - window,
                    ),
                )
                .await?;
            if found.0 > COUNT_CAP || whatever {
                return Ok(Some(found));
            }
            // Words that come together more often than the statistics say (a phrase
            // petitions repeat: "boi thuong ho tro") may be common after all: when a fifth of
            // the window held a fifth of the candidates, the whole is read (measured, not
            // estimated: no margin; at 10M a province's 20.000 newest held 28 of that phrase,
            // the 100.000 171).
            let promised = found.0 as f64 * (NEWEST_WINDOW / window) as f64;
            if window >= NEWEST_WINDOW || promised < (COUNT_CAP + 1) as f64 {
                return Ok(None);
            }
            window = NEWEST_WINDOW;
        }
    }

    /// The same through the scope's own keys (`w` holds the LIKE conditions): the matching
    /// ids from the covering unit/date/key index, newest first.
    async fn scope_matches(&self, reg: &Register, w: &Where) -> Result<(i64, Vec<i64>)> {
        let a = reg.alias;
        self.candidates(
            w,
            &format!(
                "SELECT {a}.id FROM {} {a} WHERE {} ORDER BY {a}.id DESC",
                reg.table,
                w.sql()
            ),
        )
        .await
    }
}

impl Store {
    /// The candidates' rows for ranking (code, date, text, unit), newest first. On PostgreSQL,
    /// those whose row address the search noted are read by it (a TID scan): by id, a name's
    /// candidates spread over ten years read the primary key's leaves, from disk when the query
    /// is new (30 of them, 16 ms, for 100 rows whose pages took 1,7 ms). A row changed since
    /// has moved: it, and any row not noted, is read by id.
    async fn candidate_rows(
        &self,
        reg: &Register,
        ids: &[i64],
        addresses: &RowAddresses,
    ) -> Result<Vec<sqlx::any::AnyRow>> {
        let a = reg.alias;
        // `column` is the id, or an expression of it that no index serves (read by address).
        let by_id = |ids: &[i64], column: &str| {
            let listed = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let (among, listed) = among_ids(self.backend, column, "$1", &listed);
            (
                format!(
                    "SELECT {}, {a}.id FROM {} {a} JOIN units u ON u.id = {a}.unit_id WHERE {among}",
                    reg.select, reg.table,
                ),
                listed,
            )
        };
        let tids: Vec<&str> = ids
            .iter()
            .filter_map(|id| addresses.0.get(id).map(String::as_str))
            .collect();
        let mut rows = vec![];
        if !tids.is_empty() {
            let quoted: Vec<String> = tids.iter().map(|t| format!("\"{t}\"")).collect();
            let (sql, listed) = by_id(ids, &format!("({a}.id + 0)"));
            rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{sql} AND {a}.ctid = ANY(CAST($2 AS tid[]))"
            )))
            .bind(listed)
            .bind(format!("{{{}}}", quoted.join(",")))
            .fetch_all(&self.pool)
            .await?;
        }
        let mut found = std::collections::HashSet::new();
        // The id follows the register's columns (plain column names, one comma each).
        let at = reg.select.split(", ").count();
        for r in &rows {
            found.insert(r.try_get::<i64, _>(at)?);
        }
        let rest: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !found.contains(id))
            .collect();
        if !rest.is_empty() {
            let (sql, listed) = by_id(&rest, &format!("{a}.id"));
            rows.extend(
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(listed)
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        let mut keyed = Vec::with_capacity(rows.len());
        for r in rows {
            keyed.push((r.try_get::<i64, _>(at)?, r));
        }
        keyed.sort_by_key(|k| std::cmp::Reverse(k.0));
        Ok(keyed.into_iter().map(|(_, r)| r).collect())
    }
}

/// Every match of a register gathered at once.
struct Gathered {
    /// How many, up to the count's cap + 1.
    count: i64,
    /// The newest [`CANDIDATES`] ids, newest first.
    ids: Vec<i64>,
    /// Their rows' addresses (PostgreSQL).
    addresses: RowAddresses,
}

impl Gathered {
    fn newest_first(ids: Vec<i64>, addresses: RowAddresses) -> Self {
        let (count, ids) = newest_first(ids);
        Gathered {
            count,
            ids,
            addresses,
        }
    }
}

/// The row addresses (PostgreSQL's `ctid`) of matches a search statement read, by id.
#[derive(Default)]
struct RowAddresses(std::collections::HashMap<i64, String>);

impl RowAddresses {
    /// Notes the address in column `at` of a row whose id is its first column, if any.
    fn note(&mut self, r: &sqlx::any::AnyRow, at: usize) -> Result<()> {
        if r.len() > at {
            self.0.insert(r.try_get(0)?, r.try_get(at)?);
        }
        Ok(())
    }
}

/// Gathered matches, newest entered first: (count up to the count's cap, the newest
/// [`CANDIDATES`]).
fn newest_first(mut ids: Vec<i64>) -> (i64, Vec<i64>) {
    ids.sort_unstable_by(|a, b| b.cmp(a));
    let count = (ids.len() as i64).min(COUNT_CAP + 1);
    ids.truncate(CANDIDATES as usize);
    (count, ids)
}

/// How many of a register's newest records to look among first, when matching walks them
/// (`Store::newest_matches`); 0 for none. `shares` are the statistics' (terms together,
/// terms independent, records), PostgreSQL only.
///
/// In part of the country: all of [`NEWEST_WINDOW`] when the words are common in the scope
/// even if independent of each other, a fifth of it when only words that always come together
/// would be (a name's words rarely do: a failed look costs little), none when not even that.
///
/// Over the whole country, the full-text index serves common words newest first and rare ones
/// gathered. Between them are words each common that the statistics, taking them as
/// independent, expect rare together — a name's: "vu & thanh & an:*" was expected under the
/// gathering cap and held more (at 10M, 31.776 rows read for nothing: 1,2 s warm, 14 s from
/// disk). A fifth of the window is looked among first for them.
fn newest_window(plan: Plan, scope_share: f64, shares: Option<(f64, f64, f64)>) -> i64 {
    let Some((together, independent, records)) = shares else {
        return if plan == Plan::Newest {
            NEWEST_WINDOW
        } else {
            0
        };
    };
    let needed = 1.5 * (COUNT_CAP + 1) as f64 / NEWEST_WINDOW as f64;
    match plan {
        Plan::Newest => NEWEST_WINDOW,
        Plan::Auto if scope_share >= 1.0 => {
            let cap = gather_cap(records) as f64;
            if independent * records < cap && together * records >= cap {
                NEWEST_WINDOW / 5
            } else {
                0
            }
        }
        Plan::Auto if scope_share * independent >= needed => NEWEST_WINDOW,
        Plan::Auto if scope_share * together >= needed => NEWEST_WINDOW / 5,
        _ => 0,
    }
}

/// How many matches a query gathers from the full-text index at most before walking it newest
/// first instead: the square root of the candidates times the register's records, so that
/// either way reads at most that many rows — gathering `cap` matches, or walking the newest
/// records for the candidates among at least `cap` matches (32.000 at 10.000.000 records,
/// 10.000 at 1.000.000), and never fewer than [`COMMON`].
fn gather_cap(records: f64) -> i64 {
    ((((COUNT_CAP + 1) as f64) * records).sqrt() as i64).max(COMMON)
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

    #[test]
    fn the_newest_records_are_looked_among_when_the_statistics_are_unsure() {
        let country = 10_000_000.0;
        // An ID number: rare however counted — gathered, no window.
        assert_eq!(
            newest_window(Plan::Auto, 1.0, Some((1e-7, 1e-7, country))),
            0
        );
        // A word in half the records: the index walked newest first serves it.
        assert_eq!(newest_window(Plan::Auto, 1.0, Some((0.5, 0.5, country))), 0);
        // A name: each word common (3 %, 10 %, 5 %), together expected rare (1.500) — the
        // newest records first.
        assert_eq!(
            newest_window(Plan::Auto, 1.0, Some((0.03, 0.03 * 0.1 * 0.05, country))),
            NEWEST_WINDOW / 5
        );
        // A province (3 % of the country): common words, all of the window; a name, a fifth.
        assert_eq!(
            newest_window(Plan::Auto, 0.03, Some((0.5, 0.25, country))),
            NEWEST_WINDOW
        );
        assert_eq!(
            newest_window(Plan::Auto, 0.03, Some((0.1, 0.001, country))),
            NEWEST_WINDOW / 5
        );
        // Plans asked for by name, and SQLite (no statistics).
        assert_eq!(newest_window(Plan::Newest, 1.0, None), NEWEST_WINDOW);
        assert_eq!(
            newest_window(Plan::Gathered, 1.0, Some((0.03, 1e-4, country))),
            0
        );
        assert_eq!(newest_window(Plan::Auto, 0.03, None), 0);
    }

    fn words(q: &str) -> Vec<Term> {
        Parsed::parse(q).expect("parses").terms
    }

    #[test]
    fn prefixes_are_set_apart_only_beside_whole_words() {
        let (words, prefixes) = Parsed::parse("Trần Thị Đo")
            .expect("parses")
            .split_prefixes()
            .expect("both");
        assert_eq!(words.tsquery(), "'tran' & ('thi' | 'thy')");
        assert_eq!(prefixes.tsquery(), "'do':*");
        assert!(
            Parsed::parse("0791850")
                .expect("parses")
                .split_prefixes()
                .is_none()
        );
        assert!(
            Parsed::parse("\"dat dai\" ")
                .expect("parses")
                .split_prefixes()
                .is_none(),
            "a phrase alone has no prefix"
        );
    }

    #[test]
    fn a_gather_reads_no_more_than_the_walk_it_replaces() {
        // Gathering `cap` matches, or walking the newest records for the candidates among at
        // least `cap` matches: about the same number of rows either way.
        for records in [1e6, 1e7, 1e8] {
            let cap = gather_cap(records) as f64;
            let walk = (COUNT_CAP + 1) as f64 * records / cap;
            assert!(
                (walk / cap - 1.0).abs() < 0.01,
                "{records}: {cap} against {walk}"
            );
        }
        assert_eq!(gather_cap(10_000_000.0), 31_780);
        assert_eq!(
            gather_cap(0.0),
            COMMON,
            "never under COMMON (an empty or new register)"
        );
        assert_eq!(gather_cap(1000.0), COMMON);
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
