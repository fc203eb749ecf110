//! Smaller full-text indexes beside each register's own (PostgreSQL): partial GIN indexes
//! over one province's records, and over the newest records, which a search reads instead of
//! the register's whole index when they answer it.
//!
//! Why: the register's GIN index holds, for a common word, every record of the country that
//! has it, and a search decodes each of its words' lists whole — it cannot stop at the newest
//! matches. A name of three common syllables thus cost 80–130 ms in one province at
//! 10.000.000 petitions ("vu thanh an": 2.414 matches) and 180–250 ms over the country.
//! - **A province's index** holds only its records: 3 ms for the same province's bitmap.
//! - **The newest records' indexes** (the last hundredth and the last tenth entered) hold a
//!   hundredth and a tenth of each list. A search shows the newest matches and counts up to a
//!   cap ([`crate::search::COUNT_CAP`]), so when the newest records hold more than the cap,
//!   the matches older than them cannot change the answer; when they hold fewer, the next
//!   larger index is read, and last the whole one, as before.
//!
//! The cost is disk — at 10M petitions 83 MB a province (its entries are spread over the whole
//! table, so they compress less than the country's) and 250 MB for the newest tenth (the
//! whole index: 1,5 GB) — and one or two more index entries per write. They are built on demand
//! (`danvan search-partitions`), for a database that holds many provinces; a province's own
//! database needs none.
//!
//! Each index's condition is listed in `search_partitions`: `unit_id IN (<the province's
//! units>)` or `id > <bound>`. A search names that exact condition, which is how PostgreSQL
//! knows the index answers it. A unit added to a province later is not in its list, so a
//! scope holding it reads the register's whole index (the same results, at the old speed)
//! until the next refresh; new records are all above the bounds, and a refresh moves a bound
//! up once the records above it are more than twice its share.

use crate::{Backend, Result, Store, now_utc};
use danvan_domain::Invalid;
use serde::Serialize;
use sqlx::Row;
use std::collections::HashSet;

/// The registers indexed for search, each with its full-text column `search_tsv`.
const TABLES: [&str; 3] = ["petitions", "visits", "cases"];
/// The newest records' indexes of a register, by the share of its records each holds when
/// built (1/100 and 1/10), read smallest first: a name of 4.000 matches over 10M petitions has
/// 40 among the newest hundredth and 400 among the newest tenth; one of 40.000 has 400 in the
/// hundredth, whose rows cost a tenth as much to read…
const NEWEST_SHARES: [i64; 2] = [100, 10];
/// …each rebuilt higher when the records above its bound have grown past this many times its
/// share.
const NEWEST_GROWTH: i64 = 2;

/// What a refresh did.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct PartitionChanges {
    /// Indexes built (new provinces, provinces whose units changed, registers that grew).
    pub built: Vec<String>,
    /// Indexes already up to date.
    pub kept: usize,
    /// Indexes removed (provinces gone, or `--drop`).
    pub dropped: Vec<String>,
}

/// Which records a register's smaller index holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Holds {
    /// The records of these units (a province's, as a comma-separated list of ids).
    Units(String),
    /// The records whose id is above this.
    NewerThan(i64),
}

/// One of a register's smaller indexes.
#[derive(Debug, Clone)]
pub(crate) struct Partition {
    pub table: String,
    pub holds: Holds,
}

impl Partition {
    /// The index's own condition, for a statement whose alias is `alias`.
    pub fn condition(&self, alias: &str) -> String {
        self.condition_on(&format!("{alias}."))
    }

    /// The condition on columns named with `prefix` (nothing in the index's definition).
    fn condition_on(&self, prefix: &str) -> String {
        match &self.holds {
            Holds::Units(ids) => format!("{prefix}unit_id IN ({ids})"),
            Holds::NewerThan(id) => format!("{prefix}id > {id}"),
        }
    }
}

/// The smaller indexes a search may read, for its scope.
#[derive(Debug, Default)]
pub(crate) struct Partitions {
    /// Per register, a province's index holding every unit of the scope.
    pub province: Vec<Partition>,
    /// The newest records' indexes, each register's smallest first.
    pub newest: Vec<Partition>,
}

impl Partitions {
    pub fn province_of(&self, table: &str) -> Option<&Partition> {
        self.province.iter().find(|p| p.table == table)
    }

    /// A register's newest records' indexes, smallest first.
    pub fn newest_of<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a Partition> + 'a {
        self.newest.iter().filter(move |p| p.table == table)
    }
}

impl Store {
    /// Builds, per register, an index of each province's records and two of the newest
    /// records; rebuilds those whose province's units changed or whose register grew, and
    /// drops those of provinces that are gone (PostgreSQL only). A register of fewer than
    /// `min_records` records gets no index of its newest (its whole index is small). Each
    /// index is built `CONCURRENTLY`: writes go on meanwhile.
    pub async fn refresh_search_partitions(&self, min_records: i64) -> Result<PartitionChanges> {
        self.postgres_only()?;
        let mut changes = PartitionChanges::default();
        let existing = self.partition_rows().await?;
        let mut wanted = HashSet::new();
        for (province, unit_ids) in self.provinces_units().await? {
            for table in TABLES {
                let name = format!("{table}_search_p{province}");
                wanted.insert(name.clone());
                let holds = Holds::Units(unit_ids.clone());
                if existing
                    .iter()
                    .any(|(n, h, valid)| *n == name && *h == holds && *valid)
                {
                    changes.kept += 1;
                    continue;
                }
                self.build_partition(&name, table, Some(province), &holds)
                    .await?;
                changes.built.push(name);
            }
        }
        for table in TABLES {
            let records: i64 =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                    .fetch_one(&self.pool)
                    .await?;
            if records < min_records.max(1) {
                continue;
            }
            for share in NEWEST_SHARES {
                let name = format!("{table}_search_newest{share}");
                wanted.insert(name.clone());
                let current = existing.iter().find_map(|(n, h, valid)| match h {
                    Holds::NewerThan(id) if *n == name && *valid => Some(*id),
                    _ => None,
                });
                if let Some(bound) = current {
                    let above: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                        "SELECT COUNT(*) FROM {table} WHERE id > $1"
                    )))
                    .bind(bound)
                    .fetch_one(&self.pool)
                    .await?;
                    if above <= NEWEST_GROWTH * records / share {
                        changes.kept += 1;
                        continue;
                    }
                }
                // The id below the newest share (none for a register of fewer records than the
                // share's denominator: all of it).
                let bound: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT id FROM {table} ORDER BY id DESC OFFSET $1 LIMIT 1"
                )))
                .bind(records / share)
                .fetch_optional(&self.pool)
                .await?;
                let holds = Holds::NewerThan(bound.unwrap_or(0));
                self.build_partition(&name, table, None, &holds).await?;
                changes.built.push(name);
            }
        }
        for (name, _, _) in existing {
            if !wanted.contains(&name) {
                self.drop_partition(&name).await?;
                changes.dropped.push(name);
            }
        }
        Ok(changes)
    }

    /// Drops every smaller index: searches read the registers' whole indexes again.
    pub async fn drop_search_partitions(&self) -> Result<PartitionChanges> {
        self.postgres_only()?;
        let mut changes = PartitionChanges::default();
        for (name, _, _) in self.partition_rows().await? {
            self.drop_partition(&name).await?;
            changes.dropped.push(name);
        }
        Ok(changes)
    }

    /// The smaller indexes a search in `scope` (unit ids as text, empty for every unit) may
    /// read: a province's whose units hold the scope, and the newest records'. None on
    /// SQLite, whose FTS5 index walks its matches newest first whatever their number.
    pub(crate) async fn search_partitions(&self, scope: &[String]) -> Result<Partitions> {
        let mut found = Partitions::default();
        if self.backend != Backend::Postgres {
            return Ok(found);
        }
        for (name, holds, valid) in self.partition_rows().await? {
            let Some(table) = TABLES.iter().find(|t| name.starts_with(&format!("{t}_"))) else {
                continue;
            };
            if !valid {
                continue;
            }
            let partition = Partition {
                table: table.to_string(),
                holds: holds.clone(),
            };
            match &holds {
                Holds::Units(ids) => {
                    let units: HashSet<&str> = ids.split(',').collect();
                    if !scope.is_empty()
                        && scope.iter().all(|u| units.contains(u.as_str()))
                        && found.province_of(table).is_none()
                    {
                        found.province.push(partition);
                    }
                }
                Holds::NewerThan(_) => found.newest.push(partition),
            }
        }
        // Smallest first: the highest bound.
        found.newest.sort_by_key(|p| match p.holds {
            Holds::NewerThan(id) => std::cmp::Reverse(id),
            Holds::Units(_) => std::cmp::Reverse(i64::MIN),
        });
        Ok(found)
    }

    /// Each province and its units' ids (itself included), in id order.
    async fn provinces_units(&self) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT p.id, u.id FROM units p JOIN units u ON u.path LIKE p.path || '%' \
             WHERE p.kind = 'province' ORDER BY p.id, u.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<(i64, Vec<String>)> = vec![];
        for r in &rows {
            let (province, unit): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            match out.last_mut() {
                Some((p, units)) if *p == province => units.push(unit.to_string()),
                _ => out.push((province, vec![unit.to_string()])),
            }
        }
        Ok(out.into_iter().map(|(p, u)| (p, u.join(","))).collect())
    }

    /// (index, what it holds, whether PostgreSQL holds it valid) for every listed index.
    async fn partition_rows(&self) -> Result<Vec<(String, Holds, bool)>> {
        let rows = sqlx::query(
            "SELECT s.index_name, s.unit_ids, s.newer_than, COALESCE((SELECT i.indisvalid FROM pg_class c \
             JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname = s.index_name), FALSE) \
             FROM search_partitions s ORDER BY s.index_name",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = vec![];
        for r in &rows {
            let units: Option<String> = r.try_get(1)?;
            let newer: Option<i64> = r.try_get(2)?;
            let holds = match (units, newer) {
                (Some(ids), None) => Holds::Units(ids),
                (None, Some(id)) => Holds::NewerThan(id),
                _ => continue,
            };
            out.push((r.try_get(0)?, holds, r.try_get(3)?));
        }
        Ok(out)
    }

    /// Builds (or builds again) one index and lists it. A build that failed half-way leaves
    /// an invalid index: dropped first, as an outdated one.
    async fn build_partition(
        &self,
        name: &str,
        table: &str,
        province: Option<i64>,
        holds: &Holds,
    ) -> Result<()> {
        self.drop_partition(name).await?;
        let partition = Partition {
            table: table.into(),
            holds: holds.clone(),
        };
        // Names and conditions are made here from ids: nothing to escape.
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE INDEX CONCURRENTLY {name} ON {table} USING gin (search_tsv) WHERE {}",
            partition.condition_on(""),
        )))
        .execute(&self.pool)
        .await?;
        let (units, newer) = match holds {
            Holds::Units(ids) => (Some(ids.clone()), None),
            Holds::NewerThan(id) => (None, Some(*id)),
        };
        sqlx::query(
            "INSERT INTO search_partitions (index_name, register, province_id, unit_ids, newer_than, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(name)
        .bind(table)
        .bind(province)
        .bind(units)
        .bind(newer)
        .bind(now_utc())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn drop_partition(&self, name: &str) -> Result<()> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP INDEX CONCURRENTLY IF EXISTS {name}"
        )))
        .execute(&self.pool)
        .await?;
        sqlx::query("DELETE FROM search_partitions WHERE index_name = $1")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    fn postgres_only(&self) -> Result<()> {
        match self.backend {
            Backend::Postgres => Ok(()),
            Backend::Sqlite => Err(Invalid::one(
                "backend",
                "Chỉ mục tìm kiếm theo tỉnh và theo hồ sơ mới chỉ dùng với PostgreSQL; SQLite tìm theo chỉ mục FTS5 của nó",
            )
            .into()),
        }
    }
}
