//! What a backup needs from the database: a consistent copy taken while the server writes, and
//! the facts a restore checks it against — every table's row count, the audit chain, the files
//! the attachments table names.

use crate::{Backend, Result, Store, StoreError};
use danvan_domain::Invalid;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The facts of a database a restore must find again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Rows of every table.
    pub tables: BTreeMap<String, i64>,
    /// Entries of the audit log (its chain verified).
    pub audit_entries: i64,
    /// The files the attachments name: (SHA-256, size in bytes).
    pub blobs: Vec<(String, i64)>,
}

impl Store {
    /// Writes a consistent copy of the database to `path` (which must not exist). On SQLite,
    /// `VACUUM INTO` reads the database in one read transaction — writers go on, the copy is
    /// the state of one instant — and writes a compact file. PostgreSQL is backed up with its
    /// own tools (docs/SECURITY.md).
    pub async fn snapshot_to(&self, path: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(Invalid::one(
                "database",
                "Sao lưu PostgreSQL bằng pg_dump/pg_basebackup của máy chủ (xem docs/SECURITY.md)",
            )
            .into());
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The facts of this database; fails if its audit chain is broken.
    pub async fn backup_facts(&self) -> Result<Facts> {
        let names: Vec<String> = match self.backend {
            Backend::Sqlite => sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%_fts_%' ORDER BY name",
            )
            .fetch_all(&self.pool)
            .await?,
            Backend::Postgres => sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
            )
            .fetch_all(&self.pool)
            .await?,
        };
        let mut tables = BTreeMap::new();
        for name in names {
            // Names from the catalogue, quoted.
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM \"{}\"",
                name.replace('"', "")
            )))
            .fetch_one(&self.pool)
            .await?;
            tables.insert(name, n);
        }
        let audit_entries = match self.verify_audit_chain().await? {
            crate::ChainCheck::Ok(n) => n,
            crate::ChainCheck::Broken { id, why } => {
                return Err(StoreError::Corrupt(format!(
                    "nhật ký kiểm tra bị sửa ở mục {id}: {why}"
                )));
            }
        };
        let blobs: Vec<(String, i64)> = sqlx::query_as(
            "SELECT sha256, MAX(size_bytes) FROM attachments GROUP BY sha256 ORDER BY sha256",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(Facts {
            tables,
            audit_entries,
            blobs,
        })
    }
}

/// Where a file of the attachments lives under the attachments folder (`ab/cd/abcd…`).
pub fn blob_relative_path(sha: &str) -> Option<std::path::PathBuf> {
    (sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| Path::new(&sha[0..2]).join(&sha[2..4]).join(sha))
}
