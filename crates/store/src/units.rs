//! The tree of units. A unit's `path` lists the ids from the root (`/1/4/9/`), so that a
//! subtree is a prefix and scoping a list is one `LIKE` on an indexed column.

use crate::{Result, Store, StoreError, audit};
use danvan_domain::Invalid;
use danvan_domain::records::UnitKind;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub path: String,
    pub area_code: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub successor_id: Option<i64>,
    pub uses_danvan: bool,
}

/// The place written on a document's date line ("Bình Thuận, ngày …"): the name of the
/// province a unit at `path` belongs to, without "Tỉnh"/"Thành phố"; empty above provinces.
pub(crate) fn document_place(units: &[UnitRow], path: &str) -> String {
    units
        .iter()
        .filter(|u| path.starts_with(&u.path) && u.kind == "province")
        .min_by_key(|u| u.path.len())
        .map(|u| {
            u.name
                .trim_start_matches("Tỉnh ")
                .trim_start_matches("Thành phố ")
                .to_owned()
        })
        .unwrap_or_default()
}

impl UnitRow {
    pub fn is_inspectorate(&self) -> bool {
        self.kind == UnitKind::Inspectorate.code()
    }
    /// Depth in the tree (root = 0), for indented lists.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }
}

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_code: Option<String>,
    pub area_code: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

const COLUMNS: &str = "id, code, name, kind, parent_id, path, area_code, valid_from, valid_to, successor_id, uses_danvan";

fn from_row(r: &AnyRow) -> Result<UnitRow> {
    Ok(UnitRow {
        id: r.try_get(0)?,
        code: r.try_get(1)?,
        name: r.try_get(2)?,
        kind: r.try_get(3)?,
        parent_id: r.try_get(4)?,
        path: r.try_get(5)?,
        area_code: r.try_get(6)?,
        valid_from: r.try_get(7)?,
        valid_to: r.try_get(8)?,
        successor_id: r.try_get(9)?,
        uses_danvan: r.try_get::<i64, _>(10)? != 0,
    })
}

impl Store {
    /// Every unit, in tree order.
    pub async fn units(&self) -> Result<Vec<UnitRow>> {
        let sql = format!("SELECT {COLUMNS} FROM units ORDER BY path");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn unit_by_code(&self, code: &str) -> Result<Option<UnitRow>> {
        let sql = format!("SELECT {COLUMNS} FROM units WHERE code = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(code.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn unit_by_id(&self, id: i64) -> Result<UnitRow> {
        let sql = format!("SELECT {COLUMNS} FROM units WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(from_row)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    /// Adds a unit under its parent.
    pub async fn insert_unit(&self, actor: Option<i64>, unit: &NewUnit) -> Result<UnitRow> {
        self.forget_scopes();
        let code = unit.code.trim();
        if code.is_empty()
            || code.len() > 40
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Invalid::one(
                "code",
                "Mã đơn vị gồm chữ, số, '-' hoặc '_' (tối đa 40 ký tự)",
            )
            .into());
        }
        if unit.name.trim().is_empty() {
            return Err(Invalid::one("name", "Chưa nhập tên đơn vị").into());
        }
        let mut tx = self.write().await?;
        let parent: Option<(i64, String)> = match &unit.parent_code {
            None => None,
            Some(pc) => {
                let row = sqlx::query("SELECT id, path FROM units WHERE code = $1")
                    .bind(pc.clone())
                    .fetch_optional(&mut *tx)
                    .await?;
                match row {
                    Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
                    None => {
                        return Err(
                            Invalid::one("parent_code", "Không có đơn vị cấp trên này").into()
                        );
                    }
                }
            }
        };
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
            .bind(code.to_owned())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(Invalid::one("code", "Mã đơn vị đã tồn tại").into());
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO units (code, name, kind, parent_id, path, area_code, valid_from, valid_to) VALUES ($1, $2, $3, $4, '', $5, $6, $7) RETURNING id",
        )
        .bind(code.to_owned())
        .bind(unit.name.trim().to_owned())
        .bind(unit.kind.code())
        .bind(parent.as_ref().map(|p| p.0))
        .bind(unit.area_code.clone())
        .bind(unit.valid_from.clone())
        .bind(unit.valid_to.clone())
        .fetch_one(&mut *tx)
        .await?;
        let path = format!(
            "{}{id}/",
            parent.as_ref().map(|p| p.1.as_str()).unwrap_or("/")
        );
        sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
            .bind(path)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, actor, "create", "unit", code, &unit.name).await?;
        tx.commit().await?;
        self.unit_by_id(id).await
    }

    /// Records that `code` was succeeded by `successor` (abolished or merged on a date).
    pub async fn set_successor(
        &self,
        actor: Option<i64>,
        code: &str,
        successor: &str,
    ) -> Result<()> {
        self.forget_scopes();
        let mut tx = self.write().await?;
        let n = sqlx::query("UPDATE units SET successor_id = (SELECT id FROM units WHERE code = $1) WHERE code = $2")
            .bind(successor.to_owned())
            .bind(code.to_owned())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record(
            &mut tx,
            actor,
            "update",
            "unit",
            code,
            &format!("successor={successor}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// What `regroup_communes` found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Regrouped {
    /// (old unit, successor) with one successor.
    pub linked: Vec<(String, String)>,
    /// (old unit, the first successor chosen, how many new communes it was split into).
    pub split: Vec<(String, String, usize)>,
    /// Old units whose new communes have no unit in danvan.
    pub unmatched: Vec<String>,
}

impl Store {
    /// Links units of communes abolished by the 2025 reorganisation to the units of the new
    /// communes, through the official conversion table (`old_commune_code,…,new_commune_code,…`):
    /// one new commune → its unit; several (a split) → the first listed, marked so that reports
    /// can say how many records were assigned that way, and every part kept so that a record
    /// whose citizen's address names one goes there. Units already linked are left alone.
    pub async fn regroup_communes(
        &self,
        actor: Option<i64>,
        conversion: &str,
        apply: bool,
    ) -> Result<Regrouped> {
        self.forget_scopes();
        let mut map: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
        for line in conversion.lines().skip(1) {
            let cols: Vec<&str> = line.split(',').collect();
            if cols.len() >= 5 {
                let list = map.entry(cols[0].trim()).or_default();
                if !list.contains(&cols[4].trim()) {
                    list.push(cols[4].trim());
                }
            }
        }
        let units = self.units().await?;
        let current: std::collections::HashMap<&str, &UnitRow> = units
            .iter()
            .filter(|u| u.valid_to.is_none() && u.kind == "commune")
            .filter_map(|u| u.area_code.as_deref().map(|a| (a, u)))
            .collect();
        let mut out = Regrouped::default();
        let mut changes: Vec<(i64, i64, bool)> = vec![];
        // (old unit, new commune code, its unit) for every part of a split commune.
        let mut parts: Vec<(i64, String, i64)> = vec![];
        for old in units
            .iter()
            .filter(|u| u.valid_to.is_some() && u.successor_id.is_none())
        {
            let Some(news) = old.area_code.as_deref().and_then(|a| map.get(a)) else {
                continue;
            };
            let targets: Vec<&UnitRow> = news
                .iter()
                .filter_map(|n| current.get(n).copied())
                .collect();
            match targets.as_slice() {
                [] => out.unmatched.push(old.code.clone()),
                [one] if news.len() == 1 => {
                    out.linked.push((old.code.clone(), one.code.clone()));
                    changes.push((old.id, one.id, false));
                }
                [first, ..] => {
                    out.split
                        .push((old.code.clone(), first.code.clone(), news.len()));
                    changes.push((old.id, first.id, true));
                    for t in &targets {
                        if let Some(area) = &t.area_code {
                            parts.push((old.id, area.clone(), t.id));
                        }
                    }
                }
            }
        }
        if apply && !changes.is_empty() {
            let mut tx = self.write().await?;
            for (old, new, split) in &changes {
                sqlx::query("UPDATE units SET successor_id = $1, successor_split = $2 WHERE id = $3 AND successor_id IS NULL")
                    .bind(*new)
                    .bind(i64::from(*split))
                    .bind(*old)
                    .execute(&mut *tx)
                    .await?;
            }
            for (old, area, new) in &parts {
                sqlx::query("INSERT INTO unit_split_parts (old_unit_id, area_code, new_unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(*old)
                    .bind(area.clone())
                    .bind(*new)
                    .execute(&mut *tx)
                    .await?;
            }
            audit::record(
                &mut tx,
                actor,
                "regroup",
                "unit",
                "2025",
                &format!(
                    "{} nối, {} chia tách (lấy đơn vị đầu tiên), {} chưa có đơn vị mới",
                    out.linked.len(),
                    out.split.len(),
                    out.unmatched.len()
                ),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(out)
    }
}
