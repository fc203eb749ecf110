//! Plain SQL migrations, one folder per backend, append-only, applied in order, each in its own
//! transaction together with its row in `schema_migrations`.

use crate::{Result, Store, dialect, now_utc};
use sqlx::Row;

pub(crate) async fn run(store: &Store) -> Result<()> {
    sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        .execute(&store.pool)
        .await?;
    let done: Vec<String> = sqlx::query("SELECT name FROM schema_migrations")
        .fetch_all(&store.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?;
    for (name, sql) in dialect::migrations(store.backend) {
        if done.iter().any(|d| d == name) {
            continue;
        }
        tracing::info!(migration = name, "applying migration");
        let mut tx = store.write().await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(*sql))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)")
            .bind(*name)
            .bind(now_utc())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    // Before anything below writes an audit entry.
    store.ensure_audit_chain().await?;
    store.ensure_default_fields().await?;
    store.ensure_default_calendar().await?;
    store.ensure_default_rules().await?;
    store.ensure_petition_bands().await?;
    store.ensure_syllable_extensions().await?;
    Ok(())
}
