//! A small builder for filtered list queries: the WHERE clause and its parameters are built once
//! and bound to both the page query and the count query.

use sqlx::Any;
use sqlx::Row;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

#[derive(Debug, Clone)]
pub(crate) enum Param {
    Text(String),
    Int(i64),
    /// NULL in a text column.
    Null,
    /// NULL in an integer column.
    NullInt,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Where {
    clauses: Vec<String>,
    params: Vec<Param>,
    /// A clause scans text (no index): counting stops at `TEXT_COUNT_CAP`.
    scans_text: bool,
    /// The folded text filter, if any: which clause it is and what it looks for, so that a
    /// page can choose how to find it (`Store::page_of_ids`).
    text_filter: Option<TextFilter>,
    /// The share of all units the reader's scope holds, when the list is limited to it
    /// (`Store::units_filter`).
    scope_share: Option<f64>,
    /// The scope's unit ids and how many units there are in all, when the list is limited to
    /// it (`Store::units_filter`): with no other condition (but a case status), the list's
    /// total is the sum of the units' kept counts (`register_counts`).
    units: Option<(Vec<String>, usize)>,
    /// The status a case list is filtered on (`Where::status_equals`), which the kept counts
    /// also tell.
    status: Option<String>,
}

/// How common the words of a register are: its records (estimated) and, for its most common
/// words, the share of records holding each.
pub(crate) struct WordStats {
    pub records: f64,
    shares: Vec<(String, f64)>,
}

impl WordStats {
    /// The largest share among the listed words that `which` accepts (0 when none is listed).
    pub fn share_of(&self, which: impl Fn(&str) -> bool) -> f64 {
        self.shares
            .iter()
            .filter(|(w, _)| which(w))
            .map(|(_, s)| *s)
            .fold(0.0, f64::max)
    }
}

/// Word statistics per register, with when they were read.
pub(crate) type WordStatsCache = std::sync::Arc<
    std::sync::Mutex<
        std::collections::HashMap<String, (std::time::Instant, std::sync::Arc<WordStats>)>,
    >,
>;

/// A `column LIKE '%…%'` clause of a [`Where`] on a folded search key.
#[derive(Debug, Clone)]
struct TextFilter {
    clause: usize,
    column: String,
    pattern: String,
    folded: String,
}

impl Where {
    /// Adds a parameter and returns its placeholder (`$n`).
    pub fn param(&mut self, p: Param) -> String {
        self.params.push(p);
        format!("${}", self.params.len())
    }
    pub fn text(&mut self, v: impl Into<String>) -> String {
        self.param(Param::Text(v.into()))
    }
    pub fn int(&mut self, v: i64) -> String {
        self.param(Param::Int(v))
    }
    pub fn and(&mut self, clause: String) {
        self.clauses.push(clause);
    }
    /// `column = value` when the filter names a value; nothing otherwise.
    pub fn equals(&mut self, column: &str, value: Option<&str>) {
        if let Some(v) = value {
            let p = self.text(v);
            self.and(format!("{column} = {p}"));
        }
    }
    /// `from <= column <= to` on an ISO date column, each bound only when given.
    pub fn date_between(
        &mut self,
        column: &str,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) {
        if let Some(d) = from {
            let p = self.text(d.to_string());
            self.and(format!("{column} >= {p}"));
        }
        if let Some(d) = to {
            let p = self.text(d.to_string());
            self.and(format!("{column} <= {p}"));
        }
    }
    /// `column LIKE '%…%'` on a folded search key, with LIKE's wildcards in the text escaped;
    /// nothing when the folded text is empty.
    pub fn folded_contains(&mut self, column: &str, text: Option<&str>) {
        let Some(t) = text.map(danvan_vntext::fold).filter(|t| !t.is_empty()) else {
            return;
        };
        let p = self.text(format!(
            "%{}%",
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        ));
        self.text_filter = Some(TextFilter {
            clause: self.clauses.len(),
            column: column.to_owned(),
            pattern: p.clone(),
            folded: t,
        });
        self.and(format!("{column} LIKE {p} ESCAPE '\\'"));
        self.scans_text = true;
    }

    /// The clause with the text filter written so that no index on the key can serve it
    /// (`(key || '') LIKE …`): the filter is then checked on the rows the other clauses' indexes
    /// find, newest first, which for a common word stops early.
    fn sql_reading_scope_rows(&self) -> String {
        let Some(tf) = &self.text_filter else {
            return self.sql();
        };
        let mut clauses = self.clauses.clone();
        clauses[tf.clause] = format!("({} || '') LIKE {} ESCAPE '\\'", tf.column, tf.pattern);
        clauses.join(" AND ")
    }

    /// `column = value` on a case's status, when the filter names one: an equality the kept
    /// counts also answer.
    pub fn status_equals(&mut self, column: &str, value: Option<&str>) {
        self.equals(column, value);
        self.status = value.map(str::to_owned);
    }

    /// The scope's units and the status, when they are the list's only conditions.
    fn kept_count_key(&self) -> Option<(&[String], usize, Option<&str>)> {
        let conditions = 1 + usize::from(self.status.is_some());
        match &self.units {
            Some((ids, all)) if self.clauses.len() == conditions => {
                Some((ids, *all, self.status.as_deref()))
            }
            _ => None,
        }
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1=1".into()
        } else {
            self.clauses.join(" AND ")
        }
    }
    pub fn bind<'q>(&self, mut q: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        for p in &self.params {
            q = match p {
                Param::Text(s) => q.bind(s.clone()),
                Param::Int(i) => q.bind(*i),
                Param::Null => q.bind(Option::<String>::None),
                Param::NullInt => q.bind(Option::<i64>::None),
            };
        }
        q
    }
}

/// How far a page looks among a register's newest records before its other way (and how far
/// search does: the same walk, `store::search`).
const NEWEST_WINDOW: i64 = crate::search::NEWEST_WINDOW;
/// How many of the scope's newest rows a common text's count looks among first.
const COUNT_PROBE_ROWS: i64 = 20_000;
/// The most newest records a register's list looks among for a page of a text filter.
const LIST_WINDOW_MAX: i64 = 5 * NEWEST_WINDOW;
/// The registers whose date (the lists' order) has its own index on PostgreSQL, which the walk
/// of the newest records reads.
const DATE_INDEXED: [&str; 2] = ["petitions", "visits"];

/// The ids of rows whose first column is one, as a list for `IN (…)`.
fn ids_of(rows: Vec<sqlx::any::AnyRow>) -> crate::Result<String> {
    let ids = rows
        .iter()
        .map(|r| r.try_get::<i64, _>(0).map(|i| i.to_string()))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(ids.join(","))
}

/// `column` among a page's ids (a list as `ids_of` writes it) as the one parameter
/// `placeholder`, with the text to bind to it.
///
/// The statement's text is then the same for every page, so each connection prepares it once
/// and PostgreSQL may keep one plan for it; with the ids written into the statement, every
/// page was a new statement in each connection's cache, parsed and planned again. At 10M the
/// rows of a visits page take about 1 ms to plan and 1 ms to run when warm (the 11,6 ms of
/// planning once quoted was a fresh session reading the catalogue), so this saves little time;
/// it keeps the statement caches from churning. `sqlx::Any` binds no arrays, so the list goes
/// as text: an array literal cast on PostgreSQL, a JSON array read by `json_each` on SQLite.
pub(crate) fn among_ids(
    backend: crate::Backend,
    column: &str,
    placeholder: &str,
    ids: &str,
) -> (String, String) {
    match backend {
        crate::Backend::Postgres => (
            format!("{column} = ANY(CAST({placeholder} AS BIGINT[]))"),
            format!("{{{ids}}}"),
        ),
        crate::Backend::Sqlite => (
            format!("{column} IN (SELECT value FROM json_each({placeholder}))"),
            format!("[{ids}]"),
        ),
    }
}

/// `column IN (ids)`; "1=1" when they are every unit, "1=0" when none.
pub(crate) fn units_in(column: &str, ids: &[String], all: usize) -> String {
    if ids.is_empty() {
        "1=0".into()
    } else if ids.len() == all {
        "1=1".into()
    } else {
        // Integers from the database: nothing to escape.
        format!("{column} IN ({})", ids.join(","))
    }
}

/// `(col LIKE $a OR col LIKE $b …)` for an actor's scope; never empty (an empty scope matches
/// nothing).
pub(crate) fn scope_clause(w: &mut Where, column: &str, scope: &[String]) -> String {
    if scope.is_empty() {
        return "1=0".into();
    }
    let parts: Vec<String> = scope
        .iter()
        .map(|p| format!("{column} LIKE {}", w.text(crate::subtree(p))))
        .collect();
    format!("({})", parts.join(" OR "))
}

impl crate::Store {
    /// One page of `select` (which reads `from`) under the clause `w`, ordered by `order`, with
    /// the count of all its rows.
    pub(crate) async fn paged<T>(
        &self,
        w: &Where,
        (select, from): (&str, &str),
        order: &str,
        page: crate::Page,
        map: impl Fn(&sqlx::any::AnyRow) -> crate::Result<T>,
    ) -> crate::Result<crate::Paged<T>> {
        let total: i64 = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {from} WHERE {}",
                w.sql()
            ))))
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "{select} WHERE {} ORDER BY {order} LIMIT {} OFFSET {}",
                w.sql(),
                page.size,
                page.offset()
            ))))
            .fetch_all(&self.pool)
            .await?;
        Ok(crate::Paged {
            items: rows.iter().map(map).collect::<crate::Result<_>>()?,
            total,
            total_is_lower_bound: false,
            page: page.number,
            page_size: page.size,
        })
    }

    /// Limits `w` to the units inside `scope` (and `within`), as [`Self::units_clause`], and
    /// notes the share of all units they are (a page may then choose how to read).
    pub(crate) async fn units_filter(
        &self,
        w: &mut Where,
        column: &str,
        scope: &[String],
        within: Option<&str>,
    ) -> crate::Result<()> {
        let (ids, all) = self.scope_units(scope, within).await?;
        w.scope_share = Some(ids.len() as f64 / all.max(1) as f64);
        w.and(units_in(column, &ids, all));
        w.units = Some((ids, all));
        Ok(())
    }

    /// `column IN (…)` over the ids of the units inside any of `scope`'s subtrees (and, when
    /// given, inside `within`'s subtree). The units table is small, so resolving it first lets
    /// the register queries filter on an indexed integer column instead of joining every row
    /// to its unit for a `LIKE` on the path. "1=1" when every unit is inside, "1=0" when none.
    pub(crate) async fn units_clause(
        &self,
        column: &str,
        scope: &[String],
        within: Option<&str>,
    ) -> crate::Result<String> {
        let (ids, all) = self.scope_units(scope, within).await?;
        Ok(units_in(column, &ids, all))
    }

    /// The ids of the units inside any of `scope`'s subtrees (and `within`'s), and how many
    /// units there are in all.
    pub(crate) async fn scope_units(
        &self,
        scope: &[String],
        within: Option<&str>,
    ) -> crate::Result<(Vec<String>, usize)> {
        use sqlx::Row;
        let mut w = Where::default();
        let inside = scope_clause(&mut w, "path", scope);
        w.and(inside);
        if let Some(p) = within {
            let p = w.text(crate::subtree(p));
            w.and(format!("path LIKE {p}"));
        }
        let sql = format!(
            "SELECT id, CASE WHEN {} THEN 1 ELSE 0 END FROM units",
            w.sql()
        );
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(&self.pool)
            .await?;
        let mut ids = Vec::with_capacity(rows.len());
        for r in &rows {
            if r.try_get::<i64, _>(1)? == 1 {
                ids.push(r.try_get::<i64, _>(0)?.to_string());
            }
        }
        Ok((ids, rows.len()))
    }

    /// The total and one page of ids of a filtered register, newest first: the filter runs on
    /// the register's own table and indexes only, and the caller then loads the page's rows
    /// with their joins by id (a deferred join), so a page costs the same at any size.
    ///
    /// A text filter on PostgreSQL is found by how common its words are (the register's
    /// statistics say): a rare one through the trigram index (migration 0019), all its matches
    /// at once, counted and paged in one statement; a common one counted among the scope's own
    /// rows (stopping at the cap), and its page read from the register's newest records in
    /// date order when the scope should find it there, else from the scope's rows. Left to
    /// itself the planner read the whole scope (or the country's date index) for a rare word and
    /// built a bitmap of the country's matches for a common one. SQLite reads its covering
    /// (unit, date, key) indexes either way.
    pub(crate) async fn page_of_ids(
        &self,
        w: &Where,
        table: &str,
        order: &str,
        id: &str,
        page: crate::Page,
    ) -> crate::Result<(i64, bool, String)> {
        if self.backend == crate::Backend::Postgres
            && let Some(tf) = &w.text_filter
        {
            let (register, _) = register_and_alias(table);
            let share = self.text_share(register, &tf.folded).await?;
            let short = tf.folded.chars().count() < 3;
            if !short
                && !self.every_word_common
                && share * self.word_stats(register).await?.records <= crate::search::COMMON as f64
            {
                return self.page_of_rare_matches(w, table, order, id, page).await;
            }
            let scope_rows = w.sql_reading_scope_rows();
            // Where the statistics expect the page among the register's newest records, they
            // are read in date order and the reading stops with the page, side by side with
            // the count (PostgreSQL's buffers are shared); else the scope's rows.
            // The window grows with the page wanted, up to LIST_WINDOW_MAX: the reading
            // stops with the page, so a larger window costs only where the matches are
            // fewer than the statistics say (at 10M, a province's fifth page of "boi
            // thuong" read 100.000 newest records in 27–37 ms; the scope's rows, 716 ms).
            let wanted = (page.offset() + page.size) as f64;
            let per_record = w.scope_share.unwrap_or(1.0) * share;
            let window = if per_record > 0.0 {
                ((1.5 * wanted / per_record).ceil() as i64).clamp(NEWEST_WINDOW, LIST_WINDOW_MAX)
            } else {
                NEWEST_WINDOW
            };
            let expected = per_record * window as f64;
            if DATE_INDEXED.contains(&register)
                && (expected >= 1.5 * wanted || self.every_word_common)
            {
                let (count, newest) = tokio::join!(
                    self.capped_count(w, &scope_rows, table),
                    self.page_among_newest(w, table, order, id, page, window),
                );
                let (total, lower_bound) = count?;
                let (rows, ids) = newest?;
                // The window tells when it holds the whole page, by the count: any match
                // outside it is older than every record in it.
                let expected_rows = if lower_bound {
                    page.size
                } else {
                    (total - page.offset()).clamp(0, page.size)
                };
                if rows == page.size || (!lower_bound && rows == expected_rows) {
                    return Ok((total, lower_bound, ids));
                }
                let ids = self
                    .page_where(w, &scope_rows, table, order, id, page)
                    .await?;
                return Ok((total, lower_bound, ids));
            }
            return self
                .page_of_ids_where(w, &scope_rows, table, order, id, page)
                .await;
        }
        self.page_of_ids_where(w, &w.sql(), table, order, id, page)
            .await
    }

    /// The share of a PostgreSQL register's records that hold a folded text, by PostgreSQL's
    /// own statistics of the full-text column (the most common words and the share of records
    /// holding each): each word counts as the most common listed word containing it (the filter
    /// matches inside words), the text as its rarest word; a word not listed is rare (0).
    /// Asking the index instead cost more than the answer saved: the count of a common word's
    /// matches built a bitmap of all of them (140 ms for "boi thuong" at 1M). Shorter than a
    /// trigram, a text is taken as common everywhere: the trigram index cannot find it.
    async fn text_share(&self, register: &str, folded: &str) -> crate::Result<f64> {
        if folded.chars().count() < 3 {
            return Ok(1.0);
        }
        let stats = self.word_stats(register).await?;
        Ok(folded
            .split(' ')
            .map(|word| stats.share_of(|w| w.contains(word)))
            .fold(1.0, f64::min))
    }

    /// A register's word statistics, read from `pg_stats` at most every ten minutes (they
    /// change with `ANALYZE`, which autovacuum runs as the register grows).
    pub(crate) async fn word_stats(
        &self,
        register: &str,
    ) -> crate::Result<std::sync::Arc<WordStats>> {
        const KEEP: std::time::Duration = std::time::Duration::from_secs(600);
        if let Ok(cache) = self.word_stats.lock()
            && let Some((at, stats)) = cache.get(register)
            && at.elapsed() < KEEP
        {
            return Ok(stats.clone());
        }
        let records: f64 = sqlx::query_scalar(
            "SELECT CAST(GREATEST(reltuples, 0) AS DOUBLE PRECISION) FROM pg_class WHERE relname = $1",
        )
        .bind(register.to_owned())
        .fetch_optional(&self.pool)
        .await?
        .unwrap_or(0.0);
        let shares: Vec<(String, f64)> = sqlx::query_as(
            "SELECT e, CAST(f AS DOUBLE PRECISION) FROM pg_stats, \
             unnest(CAST(CAST(most_common_elems AS TEXT) AS TEXT[]), most_common_elem_freqs) AS t(e, f) \
             WHERE tablename = $1 AND attname = 'search_tsv' AND e IS NOT NULL",
        )
        .bind(register.to_owned())
        .fetch_all(&self.pool)
        .await?;
        let stats = std::sync::Arc::new(WordStats { records, shares });
        if let Ok(mut cache) = self.word_stats.lock() {
            cache.insert(
                register.to_owned(),
                (std::time::Instant::now(), stats.clone()),
            );
        }
        Ok(stats)
    }

    /// The count and one page of a rare text's matches in one statement: every match is
    /// gathered first (the trigram index and the scope's clauses together), then counted and
    /// ordered — no walk of an ordered index for a page that may never fill.
    async fn page_of_rare_matches(
        &self,
        w: &Where,
        table: &str,
        order: &str,
        id: &str,
        page: crate::Page,
    ) -> crate::Result<(i64, bool, String)> {
        use sqlx::Row;
        // "p.received_date DESC, p.id DESC" → the keys gathered as o0, o1 and ordered alike.
        let keys: Vec<(&str, &str)> = order
            .split(',')
            .map(|k| k.trim().split_once(' ').unwrap_or((k.trim(), "")))
            .collect();
        let gathered: String = keys
            .iter()
            .enumerate()
            .map(|(i, (col, _))| format!(", {col} AS o{i}"))
            .collect();
        let reorder = |alias: &str| -> String {
            keys.iter()
                .enumerate()
                .map(|(i, (_, dir))| format!("{alias}o{i} {dir}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sql = format!(
            "WITH m AS MATERIALIZED (SELECT {id} AS id{gathered} FROM {table} WHERE {}) \
             SELECT c.n, pg.id FROM (SELECT COUNT(*) AS n FROM m) c LEFT JOIN \
             (SELECT * FROM m ORDER BY {} LIMIT {} OFFSET {}) pg ON true ORDER BY {}",
            w.sql(),
            reorder(""),
            page.size,
            page.offset(),
            reorder("pg.")
        );
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(&self.pool)
            .await?;
        let mut total: i64 = match rows.first() {
            Some(r) => r.try_get(0)?,
            None => 0,
        };
        let lower_bound = total > crate::TEXT_COUNT_CAP;
        if lower_bound {
            total = crate::TEXT_COUNT_CAP;
        }
        let mut ids = vec![];
        for r in &rows {
            if let Some(id) = r.try_get::<Option<i64>, _>(1)? {
                ids.push(id.to_string());
            }
        }
        Ok((total, lower_bound, ids.join(",")))
    }

    async fn page_of_ids_where(
        &self,
        w: &Where,
        where_sql: &str,
        table: &str,
        order: &str,
        id: &str,
        page: crate::Page,
    ) -> crate::Result<(i64, bool, String)> {
        // One after the other: run side by side on two connections they were slower (each
        // connection has its own page cache).
        let (total, lower_bound) = self.capped_count(w, where_sql, table).await?;
        let ids = self
            .page_where(w, where_sql, table, order, id, page)
            .await?;
        Ok((total, lower_bound, ids))
    }

    /// The rows under the clause, counted up to [`crate::TEXT_COUNT_CAP`] when it scans text
    /// (and whether there were more).
    async fn capped_count(
        &self,
        w: &Where,
        where_sql: &str,
        table: &str,
    ) -> crate::Result<(i64, bool)> {
        use sqlx::Row;
        let (register, _) = register_and_alias(table);
        if let Some((ids, all, status)) = w.kept_count_key()
            && COUNTED.contains(&register)
        {
            return Ok((self.kept_total(register, ids, all, status).await?, false));
        }
        if self.beyond_count_cap(w, table).await? {
            return Ok((crate::TEXT_COUNT_CAP, true));
        }
        let count_sql = if w.scans_text {
            format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {where_sql} LIMIT {}) x",
                crate::TEXT_COUNT_CAP + 1
            )
        } else {
            format!("SELECT COUNT(*) FROM {table} WHERE {where_sql}")
        };
        let count = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(count_sql)))
            .fetch_one(&self.pool)
            .await?;
        let total: i64 = count.try_get(0)?;
        Ok(if total > crate::TEXT_COUNT_CAP {
            (crate::TEXT_COUNT_CAP, true)
        } else {
            (total, false)
        })
    }

    /// Whether a common text (PostgreSQL) holds more than the count's cap among the scope's
    /// newest [`COUNT_PROBE_ROWS`] rows, read from the `(unit_id, id)` index and stopping at
    /// the cap — asked when the statistics expect it to. The count otherwise reads the
    /// scope's rows through a bitmap of all of them, built before the first is read: at 10M a
    /// province's 294.821 entries took 77 ms, and the whole count of "boi thuong" 126–215 ms,
    /// against 17–21 ms streamed (warm). A text rarer in the scope than in the country is
    /// then counted as before, after the probe.
    async fn beyond_count_cap(&self, w: &Where, table: &str) -> crate::Result<bool> {
        use sqlx::Row;
        let Some(tf) = &w.text_filter else {
            return Ok(false);
        };
        let (register, alias) = register_and_alias(table);
        if self.backend != crate::Backend::Postgres || !DATE_INDEXED.contains(&register) {
            return Ok(false);
        }
        let share = self.text_share(register, &tf.folded).await?;
        if share * (COUNT_PROBE_ROWS as f64) < 1.5 * (crate::TEXT_COUNT_CAP + 1) as f64
            && !self.every_word_common
        {
            return Ok(false);
        }
        let mut others: Vec<&str> = w.clauses.iter().map(String::as_str).collect();
        others.remove(tf.clause);
        let others = if others.is_empty() {
            "1=1".to_owned()
        } else {
            others.join(" AND ")
        };
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT {column} AS k FROM {table} WHERE {others} \
             ORDER BY {alias}.unit_id DESC, {alias}.id DESC LIMIT {COUNT_PROBE_ROWS}) s \
             WHERE s.k LIKE {pattern} ESCAPE '\\' LIMIT {}) x",
            crate::TEXT_COUNT_CAP + 1,
            column = tf.column,
            pattern = tf.pattern,
        );
        let found: i64 = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(found > crate::TEXT_COUNT_CAP)
    }

    /// One page of ids under the clause, as a list for `IN (…)`.
    async fn page_where(
        &self,
        w: &Where,
        where_sql: &str,
        table: &str,
        order: &str,
        id: &str,
        page: crate::Page,
    ) -> crate::Result<String> {
        let page_sql = format!(
            "SELECT {id} FROM {table} WHERE {where_sql} ORDER BY {order} LIMIT {} OFFSET {}",
            page.size,
            page.offset()
        );
        ids_of(
            w.bind(sqlx::query(sqlx::AssertSqlSafe(page_sql)))
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// The page among the register's `window` newest records in the list's order
    /// (read through its date index, stopping with the page): how many rows it found, and
    /// their ids as a list for `IN (…)`.
    ///
    /// The window's dates, ids and units come from the `(date, id) INCLUDE (unit_id)` index
    /// (migration 0022) and only the scope's rows are read: reading every row of the window
    /// for its unit took a province's fourth page of "boi thuong" 58–66 ms at 1M (57.276
    /// rows), against 14–24 ms for its 2.804.
    async fn page_among_newest(
        &self,
        w: &Where,
        table: &str,
        order: &str,
        id: &str,
        page: crate::Page,
        window: i64,
    ) -> crate::Result<(i64, String)> {
        let where_sql = w.sql_reading_scope_rows();
        let (register, alias) = register_and_alias(table);
        let inner_order = order.replace(&format!("{alias}."), "");
        let mut window_columns: Vec<&str> = vec![];
        for column in inner_order
            .split(',')
            .filter_map(|c| c.split_whitespace().next())
            .chain(["id", "unit_id"])
        {
            if !window_columns.contains(&column) {
                window_columns.push(column);
            }
        }
        let window_columns = window_columns.join(", ");
        // The scope's units are checked on the window's own column, before any row is read.
        let where_sql = where_sql.replace(&format!("{alias}.unit_id "), "n.unit_id ");
        let outer_order = order.replace(&format!("{alias}."), "n.");
        let sql = format!(
            "SELECT {id} FROM (SELECT {window_columns} FROM {register} ORDER BY {inner_order} LIMIT {window}) n \
             JOIN {register} {alias} ON {alias}.id = n.id \
             WHERE {where_sql} ORDER BY {outer_order} LIMIT {} OFFSET {}",
            page.size,
            page.offset()
        );
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(&self.pool)
            .await?;
        Ok((rows.len() as i64, ids_of(rows)?))
    }
}

impl crate::Store {
    /// The rows of a page's ids (a list as `page_of_ids` gives it), in the list's `order`:
    /// `row_sql` is the register's row statement up to its `WHERE`; its one parameter, when it
    /// has one, is the reader's user id.
    pub(crate) async fn page_rows(
        &self,
        row_sql: &str,
        id: &str,
        order: &str,
        reader: Option<i64>,
        ids: &str,
    ) -> crate::Result<Vec<sqlx::any::AnyRow>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let placeholder = if reader.is_some() { "$2" } else { "$1" };
        let (among, ids) = among_ids(self.backend, id, placeholder, ids);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{row_sql} WHERE {among} ORDER BY {order}"
        )));
        if let Some(user) = reader {
            q = q.bind(user);
        }
        Ok(q.bind(ids).fetch_all(&self.pool).await?)
    }
}

/// The registers whose records are counted per unit (cases also per status) as they are
/// written (`register_counts`, kept by triggers in the same transaction; records are never
/// moved between units or deleted, but the triggers follow both).
const COUNTED: [&str; 3] = ["visits", "petitions", "cases"];

impl crate::Store {
    /// A register's records in some units (of one status, for cases), from the counts kept
    /// per unit: the total of an unfiltered list without counting its rows (at 10M, a
    /// province's 250.123 visits took 27 ms to count from an index when warm, 370 ms when
    /// not; its 242.000 closed cases, 36–51 ms).
    async fn kept_total(
        &self,
        register: &str,
        ids: &[String],
        all: usize,
        status: Option<&str>,
    ) -> crate::Result<i64> {
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM register_counts WHERE register = $1 AND {}{}",
            units_in("unit_id", ids, all),
            if status.is_some() {
                " AND status = $2"
            } else {
                ""
            }
        );
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(register.to_owned());
        if let Some(s) = status {
            q = q.bind(s.to_owned());
        }
        Ok(q.fetch_one(&self.pool).await?)
    }
}

/// A register's table and alias, as the list statements name them ("petitions p").
fn register_and_alias(table: &str) -> (&str, &str) {
    let mut parts = table.split_whitespace();
    (parts.next().unwrap_or(table), parts.next().unwrap_or(""))
}
