//! danvan's storage. One SQL layer over sqlx's `Any` driver, so the same statement text runs on
//! SQLite (the embedded default) and PostgreSQL; the few places where the dialects differ are
//! named functions in [`dialect`]. Every write is one transaction together with its audit row.
//!
//! Conventions: dates of legal events are `TEXT 'YYYY-MM-DD'`, timestamps `TEXT` RFC 3339 UTC,
//! flags `0/1` integers — the types both backends and the `Any` driver agree on.

#![forbid(unsafe_code)]

mod accounts;
pub mod attachments;
mod audit;
pub mod backup;
pub mod bulk;
pub mod calendar;
mod cases;
mod catalogue;
pub mod coordination;
pub mod deadlines;
pub mod dialect;
pub mod letters;
pub mod management;
mod migrate;
pub mod people;
mod petitions;
pub mod protection;
mod query;
pub mod related;
pub mod reports;
mod schedule;
pub mod search;
mod search_partitions;
mod search_words;
mod summary;
mod units;
mod upkeep;
mod visits;

pub use accounts::{Login, NewUser, SessionInfo, TokenRow, UserRow};
pub use attachments::AttachmentRow;
pub use audit::{AuditFilter, AuditRow, ChainCheck};
pub use cases::{CaseDetail, CaseFilter, CaseRow, TimelineEntry, flag_columns};
pub use catalogue::FieldRow;
pub use deadlines::{ClockRow, DeadlineFilter, Moved, PetitionEvent};
pub use people::KnownPerson;
pub use petitions::{PetitionDetail, PetitionFilter, PetitionRow};
pub use schedule::ScheduleRow;
pub use search_partitions::PartitionChanges;
pub use units::{NewUnit, UnitRow};
pub use visits::{VisitDetail, VisitFilter, VisitRow};

use danvan_domain::Invalid;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// The storage error. `Invalid` carries field messages for the user; `NotFound` and
/// `Forbidden` become 404/403; everything else is a database failure (logged, 500).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("không tìm thấy")]
    NotFound,
    #[error("không có quyền")]
    Forbidden,
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    #[error("dữ liệu trong cơ sở dữ liệu không hợp lệ: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    calendars: calendar::SharedCache,
    /// The idle time of sessions, read from the settings at most once a minute: every
    /// request asks for it.
    session_idle: std::sync::Arc<std::sync::Mutex<Option<(std::time::Instant, i64)>>>,
    /// Scopes of unit paths (`scope_of`), kept 30 seconds.
    #[allow(clippy::type_complexity)]
    scopes: std::sync::Arc<
        std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, Vec<String>)>>,
    >,
    /// How common the words of each register are, from PostgreSQL's statistics, kept ten
    /// minutes (`query::WordStats`).
    word_stats: query::WordStatsCache,
    /// Tests take every word of a register text filter as common, to run both ways over a few
    /// records (`testing::every_word_common`).
    every_word_common: bool,
}

/// How a page of a list is asked for.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub number: i64,
    pub size: i64,
}

impl Page {
    pub fn new(number: i64, size: i64) -> Self {
        Self {
            number: number.max(1),
            size: size.clamp(1, 500),
        }
    }
    pub(crate) fn offset(self) -> i64 {
        (self.number - 1) * self.size
    }
}

/// One page of a list and the total count behind it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// Matching rows; a lower bound when `total_is_lower_bound` (text searches stop counting
    /// at [`TEXT_COUNT_CAP`] so that a broad word costs no more than a narrow one).
    pub total: i64,
    pub total_is_lower_bound: bool,
    pub page: i64,
    pub page_size: i64,
}

/// A text-filtered list counts its matches up to this many and then says "more than".
pub const TEXT_COUNT_CAP: i64 = 1000;

impl Store {
    /// Connects (creating an SQLite file if needed) and brings the schema up to date.
    /// `sqlite://PATH` or `postgres://…`.
    pub async fn open(url: &str) -> Result<Self> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Invalid(Invalid::one(
                "database",
                "Địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite:// hoặc postgres://",
            )));
        };
        let url = if backend == Backend::Sqlite && !url.contains('?') {
            format!("{url}?mode=rwc")
        } else {
            url.to_owned()
        };
        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        if backend == Backend::Sqlite {
            options = options.max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL for concurrent readers; FULL so that an acknowledged write survives a
                    // power loss, not only a process kill.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA cache_size = -65536").await?;
                    Ok(())
                })
            });
        } else {
            options = options.max_connections(16).after_connect(|conn, _| {
                Box::pin(async move {
                    // The report queries group a few hundred thousand records per unit-year:
                    // room to hash them in memory instead of sorting on disk, and no JIT, whose
                    // compilation (≈110 ms) costs more than it saves on these plans.
                    conn.execute("SET work_mem = '64MB'").await?;
                    conn.execute("SET jit = off").await?;
                    // Every search scans a GIN index's pending entries whole, and PostgreSQL
                    // lets them grow to 4 MB before a write merges them: after a bench run
                    // the cases' held 9.479, and a rare ID number took 20 ms in them (0,85 ms
                    // merged). The server merges them every second
                    // (`Store::merge_pending_index_entries`); a write merges them itself only
                    // past 1 MB, when writes outrun that.
                    conn.execute("SET gin_pending_list_limit = '1MB'").await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(&url).await?;
        let store = Self {
            pool,
            backend,
            calendars: Default::default(),
            session_idle: Default::default(),
            scopes: Default::default(),
            word_stats: Default::default(),
            every_word_common: false,
        };
        migrate::run(&store).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Is the database reachable?
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`)
    /// so that two writers queue on the busy timeout instead of failing on lock upgrade.
    async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// True when the database holds no unit yet (a fresh install).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    /// Statements executed by this handle are not counted by sqlx; tests that count queries
    /// use [`Store::pool_for_tests`] with their own wrapper.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

pub(crate) fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn parse_day(s: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("ngày '{s}'")))
}

/// `LIKE` pattern for a unit subtree.
pub(crate) fn subtree(path: &str) -> String {
    format!("{path}%")
}

/// Helpers for tests of other crates (counting rows without reaching for sqlx).
pub mod testing {
    /// The same store, with every word of a register text filter taken as common: on
    /// PostgreSQL the filter then reads the scope's rows instead of the trigram index, so a
    /// test over a few records compares both ways.
    pub fn every_word_common(store: &crate::Store) -> crate::Store {
        crate::Store {
            every_word_common: true,
            ..store.clone()
        }
    }

    /// Creates an empty PostgreSQL database next to `admin_url`'s and returns its URL.
    pub async fn create_pg_database(admin_url: &str, name: &str) -> crate::Result<String> {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(admin_url).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&pool)
            .await?;
        pool.close().await;
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(admin_url);
        Ok(format!("{base}/{name}"))
    }

    pub async fn scalar(store: &crate::Store, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(store.pool())
            .await
            .unwrap_or(-1)
    }

    /// Runs a statement directly on the database, bypassing the product (tests that tamper
    /// with the audit log use it).
    pub async fn execute(store: &crate::Store, sql: &str) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(store.pool())
            .await
            .expect("statement");
    }

    /// The statements one audit entry adds to a write (the chain's head locked and advanced,
    /// the entry hashed and written), in a transaction then rolled back: what the audit log
    /// costs a write, measured by the scale bench beside the writes themselves. The commit is
    /// not counted: the write it belongs to commits anyway.
    pub async fn audit_entry_alone(store: &crate::Store) -> crate::Result<()> {
        let mut tx = store.write().await?;
        crate::audit::record(&mut tx, None, "bench", "bench", "bench", "").await?;
        tx.rollback().await?;
        Ok(())
    }

    /// The first column of every row, as text (benchmarks sample their queries with it).
    pub async fn texts(store: &crate::Store, sql: &str) -> Vec<String> {
        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_all(store.pool())
            .await
            .unwrap_or_default()
    }
}
