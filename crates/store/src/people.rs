//! People: personal data kept apart from the records, found again by ID number or by name and
//! commune.

use crate::{Result, now_utc};
use danvan_domain::records::PersonInput;
use sqlx::{Any, Transaction};

/// Finds the person again or adds them; returns the id. Inside the caller's transaction.
pub(crate) async fn find_or_insert(
    tx: &mut Transaction<'static, Any>,
    p: &PersonInput,
) -> Result<i64> {
    let name_key = danvan_vntext::name_key(&p.full_name);
    let found: Option<i64> = match &p.id_number {
        Some(id) => sqlx::query_scalar("SELECT id FROM people WHERE id_number = $1 ORDER BY id LIMIT 1")
            .bind(id.number.clone())
            .fetch_optional(&mut **tx)
            .await?,
        None if p.area_code.is_some() => sqlx::query_scalar(
            "SELECT id FROM people WHERE name_key = $1 AND area_code = $2 AND id_number IS NULL ORDER BY id LIMIT 1",
        )
        .bind(name_key.clone())
        .bind(p.area_code.clone())
        .fetch_optional(&mut **tx)
        .await?,
        None => None,
    };
    if let Some(id) = found {
        // Keep what was written before; fill in what was missing.
        sqlx::query("UPDATE people SET phone = COALESCE(phone, $1), birth_year = COALESCE(birth_year, $2), area_code = COALESCE(area_code, $3), address = CASE WHEN address = '' THEN $4 ELSE address END WHERE id = $5")
            .bind(p.phone.clone())
            .bind(p.birth_year.map(i64::from))
            .bind(p.area_code.clone())
            .bind(p.address.clone())
            .bind(id)
            .execute(&mut **tx)
            .await?;
        return Ok(id);
    }
    let id: i64 = sqlx::query_scalar("INSERT INTO people (full_name, name_key, id_kind, id_number, birth_year, address, area_code, phone, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(p.full_name.clone())
        .bind(name_key)
        .bind(p.id_number.as_ref().map(|i| i.kind_code()))
        .bind(p.id_number.as_ref().map(|i| i.number.clone()))
        .bind(p.birth_year.map(i64::from))
        .bind(p.address.clone())
        .bind(p.area_code.clone())
        .bind(p.phone.clone())
        .bind(now_utc())
        .fetch_one(&mut **tx)
        .await?;
    Ok(id)
}
