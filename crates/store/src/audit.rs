//! The audit row written in the same transaction as every change.

use crate::{Result, now_utc};
use sqlx::{Any, Transaction};

pub(crate) async fn record(
    tx: &mut Transaction<'static, Any>,
    user_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_code: &str,
    detail: &str,
) -> Result<()> {
    // Taking the head first locks it (a row lock on PostgreSQL, the write lock on SQLite), so
    // entries chain one after the other even when transactions run side by side.
    let (prev, n): (String, i64) =
        sqlx::query_as("UPDATE audit_head SET n = n + 1 WHERE id = 1 RETURNING hash, n")
            .fetch_one(&mut **tx)
            .await?;
    let at = now_utc();
    let hash = entry_hash(&prev, &at, user_id, action, entity, entity_code, detail);
    let id: i64 = sqlx::query_scalar("INSERT INTO audit_log (at, user_id, action, entity, entity_code, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(at)
        .bind(user_id)
        .bind(action.to_owned())
        .bind(entity.to_owned())
        .bind(entity_code.to_owned())
        .bind(detail.to_owned())
        .bind(prev)
        .bind(hash.clone())
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("UPDATE audit_head SET hash = $1, last_id = $2 WHERE id = 1 AND n = $3")
        .bind(hash)
        .bind(id)
        .bind(n)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The first link of the chain.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 of an entry's fields after the previous entry's hash, hex; fields separated by a
/// unit separator (U+001F), which no field contains after the forms' checks.
fn entry_hash(
    prev: &str,
    at: &str,
    user_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_code: &str,
    detail: &str,
) -> String {
    use sha2::{Digest, Sha256};
    let user = user_id.map(|u| u.to_string()).unwrap_or_default();
    let mut h = Sha256::new();
    for part in [prev, at, &user, action, entity, entity_code, detail] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// What `danvan audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum ChainCheck {
    /// Every entry links to the one before and the head names the last: `n` entries.
    Ok(i64),
    /// The first entry that does not match, and why.
    Broken { id: i64, why: String },
}

impl crate::Store {
    /// Chains the entries written before the chain existed (once), and creates the head.
    pub(crate) async fn ensure_audit_chain(&self) -> Result<()> {
        use sqlx::Row;
        let head: Option<i64> = sqlx::query_scalar("SELECT n FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        if head.is_some() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        let rows = sqlx::query("SELECT id, at, user_id, action, entity, entity_code, detail FROM audit_log WHERE hash IS NULL ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
        let mut prev = GENESIS.to_owned();
        let mut last = 0i64;
        for r in &rows {
            let id: i64 = r.try_get(0)?;
            let hash = entry_hash(
                &prev,
                &r.try_get::<String, _>(1)?,
                r.try_get(2)?,
                &r.try_get::<String, _>(3)?,
                &r.try_get::<String, _>(4)?,
                &r.try_get::<String, _>(5)?,
                &r.try_get::<String, _>(6)?,
            );
            sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
                .bind(prev.clone())
                .bind(hash.clone())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            prev = hash;
            last = id;
        }
        sqlx::query("INSERT INTO audit_head (id, n, last_id, hash) VALUES (1, $1, $2, $3)")
            .bind(rows.len() as i64)
            .bind(last)
            .bind(prev)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Walks the audit log in order and checks every link and the head.
    pub async fn verify_audit_chain(&self) -> Result<ChainCheck> {
        use sqlx::Row;
        let mut prev = GENESIS.to_owned();
        let mut n = 0i64;
        let mut last = 0i64;
        let mut after = 0i64;
        loop {
            let rows = sqlx::query("SELECT id, at, user_id, action, entity, entity_code, detail, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT 10000")
                .bind(after)
                .fetch_all(&self.pool)
                .await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let id: i64 = r.try_get(0)?;
                after = id;
                let stored_prev: Option<String> = r.try_get(7)?;
                let stored: Option<String> = r.try_get(8)?;
                if stored_prev.as_deref() != Some(prev.as_str()) {
                    return Ok(ChainCheck::Broken {
                        id,
                        why: "does not follow the entry before it (one was removed or changed)"
                            .into(),
                    });
                }
                let hash = entry_hash(
                    &prev,
                    &r.try_get::<String, _>(1)?,
                    r.try_get(2)?,
                    &r.try_get::<String, _>(3)?,
                    &r.try_get::<String, _>(4)?,
                    &r.try_get::<String, _>(5)?,
                    &r.try_get::<String, _>(6)?,
                );
                if stored.as_deref() != Some(hash.as_str()) {
                    return Ok(ChainCheck::Broken {
                        id,
                        why: "its content was changed after it was written".into(),
                    });
                }
                prev = hash;
                n += 1;
                last = id;
            }
        }
        let head = sqlx::query("SELECT n, last_id, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        let Some(head) = head else {
            return Ok(ChainCheck::Broken {
                id: last,
                why: "the head of the chain is missing".into(),
            });
        };
        let (head_n, head_last, head_hash): (i64, i64, String) =
            (head.try_get(0)?, head.try_get(1)?, head.try_get(2)?);
        if head_n != n || head_last != last || head_hash != prev {
            return Ok(ChainCheck::Broken {
                id: head_last,
                why: format!(
                    "the head names {head_n} entries ending at {head_last}; the log has {n} ending at {last} (newest entries removed?)"
                ),
            });
        }
        Ok(ChainCheck::Ok(n))
    }
}

/// Next number of a yearly sequence (`DON-2026-000123`), taken inside the caller's transaction.
pub(crate) async fn next_code(
    tx: &mut Transaction<'static, Any>,
    prefix: &str,
    year: i32,
) -> Result<String> {
    let updated: Option<i64> = sqlx::query_scalar(
        "UPDATE counters SET value = value + 1 WHERE name = $1 AND year = $2 RETURNING value",
    )
    .bind(prefix.to_owned())
    .bind(i64::from(year))
    .fetch_optional(&mut **tx)
    .await?;
    let n = match updated {
        Some(n) => n,
        None => {
            sqlx::query("INSERT INTO counters (name, year, value) VALUES ($1, $2, 1)")
                .bind(prefix.to_owned())
                .bind(i64::from(year))
                .execute(&mut **tx)
                .await?;
            1
        }
    };
    Ok(format!("{prefix}-{year}-{n:06}"))
}

impl crate::Store {
    /// The newest audit rows (for the administrator's page and tests).
    pub async fn audit_tail(
        &self,
        limit: i64,
    ) -> Result<Vec<(String, Option<i64>, String, String, String)>> {
        use sqlx::Row;
        let rows = sqlx::query("SELECT at, user_id, action, entity, entity_code FROM audit_log ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                ))
            })
            .collect()
    }
}

/// Logs a read of protected identity (its own short transaction).
pub(crate) async fn record_read(
    pool: &sqlx::AnyPool,
    user_id: i64,
    entity: &str,
    code: &str,
) -> Result<()> {
    // Its own transaction: the head's lock is taken by the first statement.
    let mut tx = pool.begin().await?;
    record(&mut tx, Some(user_id), "read_identity", entity, code, "").await?;
    tx.commit().await?;
    Ok(())
}

/// An entry of the audit log as the log page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub entity: String,
    pub entity_code: String,
    pub detail: String,
}

/// What the log page filters on.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub username: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub code: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

impl crate::Store {
    /// The log, newest first: all of it for administrators, the entries of the users of their
    /// subtree for heads and deputies.
    pub async fn audit_entries(
        &self,
        actor: &danvan_domain::Actor,
        f: &AuditFilter,
        page: crate::Page,
    ) -> Result<crate::Paged<AuditRow>> {
        use danvan_domain::access::Action;
        use sqlx::Row;
        if !actor.may(Action::ReadAuditLog) {
            return Err(crate::StoreError::Forbidden);
        }
        let mut w = crate::query::Where::default();
        if !actor.may(Action::Administer) {
            let scope = crate::query::scope_clause(&mut w, "un.path", &actor.scope);
            w.and(format!(
                "a.user_id IN (SELECT us.id FROM users us JOIN units un ON un.id = us.unit_id WHERE {scope})"
            ));
        }
        w.equals(
            "u.username",
            f.username
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty()),
        );
        w.equals("a.action", f.action.as_deref().filter(|s| !s.is_empty()));
        w.equals("a.entity", f.entity.as_deref().filter(|s| !s.is_empty()));
        w.equals(
            "a.entity_code",
            f.code.as_deref().map(str::trim).filter(|s| !s.is_empty()),
        );
        if let Some(d) = f.from {
            let p = w.text(d.to_string());
            w.and(format!("a.at >= {p}"));
        }
        if let Some(d) = f.to.and_then(|d| d.succ_opt()) {
            let p = w.text(d.to_string());
            w.and(format!("a.at < {p}"));
        }
        self.paged(
            &w,
            (
                "SELECT a.id, a.at, COALESCE(u.username, ''), a.action, a.entity, a.entity_code, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id",
                "audit_log a LEFT JOIN users u ON u.id = a.user_id",
            ),
            "a.id DESC",
            page,
            |r| {
                Ok(AuditRow {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    user: r.try_get(2)?,
                    action: r.try_get(3)?,
                    entity: r.try_get(4)?,
                    entity_code: r.try_get(5)?,
                    detail: r.try_get(6)?,
                })
            },
        )
        .await
    }
}
