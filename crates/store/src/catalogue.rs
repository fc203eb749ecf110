//! The field catalogue (lĩnh vực), editable by administrators. The defaults follow DOMAIN.md §6;
//! the land sub-fields carry the seed's phrases as their narrative labels.

use crate::{Result, Store, StoreError, audit};
use danvan_domain::Invalid;
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct FieldRow {
    pub code: String,
    pub parent_code: Option<String>,
    pub label: String,
    pub narrative_label: String,
    pub sort_order: i64,
    pub active: bool,
}

/// (code, parent, label, narrative label)
pub const DEFAULT_FIELDS: &[(&str, Option<&str>, &str, &str)] = &[
    ("HC", None, "Hành chính", "lĩnh vực hành chính"),
    (
        "HC-CS",
        Some("HC"),
        "Chế độ, chính sách",
        "chế độ, chính sách",
    ),
    ("HC-DD", Some("HC"), "Đất đai, nhà cửa", "đất đai, nhà cửa"),
    (
        "DD-TC",
        Some("HC-DD"),
        "Tranh chấp đất đai",
        "tranh chấp đất đai trong nội bộ nhân dân",
    ),
    (
        "DD-TH",
        Some("HC-DD"),
        "Thu hồi đất, bồi thường, giải tỏa",
        "khiếu nại về việc thu hồi đất, bồi thường giải tỏa khi thu hồi đất",
    ),
    (
        "DD-GCN",
        Some("HC-DD"),
        "Cấp giấy chứng nhận quyền sử dụng đất",
        "khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất",
    ),
    ("DD-NHA", Some("HC-DD"), "Nhà ở, tài sản", "nhà ở, tài sản"),
    (
        "HC-CBCC",
        Some("HC"),
        "Công chức, công vụ",
        "công chức, công vụ",
    ),
    (
        "HC-KHAC",
        Some("HC"),
        "Hành chính khác",
        "các vấn đề hành chính khác",
    ),
    ("TP", None, "Tư pháp", "lĩnh vực tư pháp"),
    ("TN", None, "Tham nhũng", "hành vi tham nhũng"),
    ("DANG", None, "Đảng, đoàn thể", "lĩnh vực Đảng, đoàn thể"),
    ("KHAC", None, "Khác", "các nội dung khác"),
];

impl Store {
    pub(crate) async fn ensure_default_fields(&self) -> Result<()> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fields")
            .fetch_one(&self.pool)
            .await?;
        if n > 0 {
            return Ok(());
        }
        let mut tx = self.write().await?;
        for (i, (code, parent, label, narrative)) in DEFAULT_FIELDS.iter().enumerate() {
            sqlx::query("INSERT INTO fields (code, parent_code, label, narrative_label, sort_order, active) VALUES ($1, $2, $3, $4, $5, 1)")
                .bind(*code)
                .bind(*parent)
                .bind(*label)
                .bind(*narrative)
                .bind(i as i64)
                .execute(&mut *tx)
                .await?;
        }
        audit::record(&mut tx, None, "create", "field_catalogue", "default", "").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn fields(&self) -> Result<Vec<FieldRow>> {
        let rows = sqlx::query("SELECT code, parent_code, label, narrative_label, sort_order, active FROM fields ORDER BY sort_order, code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(FieldRow {
                    code: r.try_get(0)?,
                    parent_code: r.try_get(1)?,
                    label: r.try_get(2)?,
                    narrative_label: r.try_get(3)?,
                    sort_order: r.try_get(4)?,
                    active: r.try_get::<i64, _>(5)? != 0,
                })
            })
            .collect()
    }

    /// Adds a field to the catalogue (administrators), under a parent field or at the top.
    pub async fn add_field(
        &self,
        actor: Option<i64>,
        code: &str,
        parent_code: Option<&str>,
        label: &str,
        narrative_label: &str,
    ) -> Result<()> {
        let code = code.trim().to_uppercase();
        let mut errors = danvan_domain::FieldErrors::default();
        if code.is_empty()
            || code.len() > 20
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            errors.add("code", "Mã lĩnh vực gồm chữ, số hoặc '-' (tối đa 20 ký tự)");
        }
        if label.trim().is_empty() {
            errors.add("label", "Chưa nhập tên lĩnh vực");
        }
        if !errors.is_empty() {
            return Err(Invalid(errors).into());
        }
        let mut tx = self.write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM fields WHERE code = $1")
            .bind(code.clone())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(Invalid::one("code", "Mã lĩnh vực đã có").into());
        }
        if let Some(parent) = parent_code.filter(|p| !p.is_empty()) {
            let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM fields WHERE code = $1")
                .bind(parent.to_owned())
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(Invalid::one("parent_code", "Không có lĩnh vực cha này").into());
            }
        }
        let order: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(sort_order), 0) + 10 FROM fields")
            .fetch_one(&mut *tx)
            .await?;
        let narrative = if narrative_label.trim().is_empty() {
            label.trim().to_lowercase()
        } else {
            narrative_label.trim().to_owned()
        };
        sqlx::query("INSERT INTO fields (code, parent_code, label, narrative_label, sort_order, active) VALUES ($1, $2, $3, $4, $5, 1)")
            .bind(code.clone())
            .bind(parent_code.filter(|p| !p.is_empty()).map(str::to_owned))
            .bind(label.trim().to_owned())
            .bind(narrative)
            .bind(order)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, actor, "create", "field", &code, label).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Edits a field's labels (administrators).
    pub async fn update_field(
        &self,
        actor: Option<i64>,
        code: &str,
        label: &str,
        narrative_label: &str,
        active: bool,
    ) -> Result<()> {
        if label.trim().is_empty() {
            return Err(Invalid::one("label", "Chưa nhập tên lĩnh vực").into());
        }
        let mut tx = self.write().await?;
        let n = sqlx::query(
            "UPDATE fields SET label = $1, narrative_label = $2, active = $3 WHERE code = $4",
        )
        .bind(label.trim().to_owned())
        .bind(narrative_label.trim().to_owned())
        .bind(i64::from(active))
        .bind(code.to_owned())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record(&mut tx, actor, "update", "field", code, label).await?;
        tx.commit().await?;
        Ok(())
    }
}
