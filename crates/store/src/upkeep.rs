//! Upkeep of the database beside the requests.

use crate::{Backend, Result, Store};

/// Merges every GIN index's pending entries into the index: the pages it emptied.
pub(crate) const MERGE_PENDING_ENTRIES: &str = "SELECT CAST(COALESCE(SUM(gin_clean_pending_list(c.oid)), 0) AS BIGINT) FROM pg_class c \
     JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE am.amname = 'gin' AND n.nspname = current_schema()";

impl Store {
    /// Merges the full-text and trigram indexes' pending entries (PostgreSQL; nothing to do on
    /// SQLite): the pages emptied.
    ///
    /// PostgreSQL keeps a GIN index's new entries in a pending list, which every search reads
    /// whole, until a vacuum or a write that takes the list past `gin_pending_list_limit`
    /// merges it. That write waits for the merge: at 10.000.000 petitions a visit's `INSERT`
    /// took 80–310 ms when it merged (a few ms otherwise), since a merge puts each entry into
    /// a posting tree of gigabytes. The server calls this every second
    /// (`danvan_web::spawn_upkeep`), so that the lists stay short for the searches and a write
    /// merges only when writes outrun it. A write that reaches the limit while a merge runs
    /// does not wait for it.
    pub async fn merge_pending_index_entries(&self) -> Result<i64> {
        match self.backend {
            Backend::Sqlite => Ok(0),
            Backend::Postgres => Ok(sqlx::query_scalar(MERGE_PENDING_ENTRIES)
                .fetch_one(&self.pool)
                .await?),
        }
    }
}
