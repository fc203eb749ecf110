//! People: personal data kept apart from the records, found again by ID number or by name and
//! commune.

use crate::{PetitionRow, Result, Store, VisitRow, now_utc};
use danvan_domain::Actor;
use danvan_domain::records::{PersonInput, PetitionType, SenderKind};
use sqlx::{Any, Row, Transaction};

/// A citizen already in the registers, as the reader may see them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KnownPerson {
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub address: String,
    pub area_code: Option<String>,
    pub phone: Option<String>,
    pub visits: Vec<VisitRow>,
    pub petitions: Vec<PetitionRow>,
}

impl Store {
    /// The person with this ID number, if the reader may see them in at least one record of
    /// their scope with the identity shown. Otherwise nothing: answering "protected" would
    /// already tell that the person came (omit, don't mask).
    pub async fn known_person(
        &self,
        actor: &Actor,
        id_number: &str,
    ) -> Result<Option<KnownPerson>> {
        let id_number: String = id_number
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        if id_number.len() < 8 {
            return Ok(None);
        }
        let rows = sqlx::query("SELECT id, full_name, birth_year, address, area_code, phone FROM people WHERE id_number = $1 ORDER BY id")
            .bind(id_number.to_uppercase())
            .fetch_all(&self.pool)
            .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let ids = rows
            .iter()
            .map(|r| r.try_get::<i64, _>(0).map(|i| i.to_string()))
            .collect::<Result<Vec<_>, _>>()?
            .join(",");
        let visits = self.visits_with_identity_of(actor, &ids, 20).await?;
        let petitions = self.petitions_with_identity_of(actor, &ids, 20).await?;
        if visits.is_empty() && petitions.is_empty() {
            return Ok(None);
        }
        let protected = visits
            .iter()
            .any(|v| crate::visits::visit_protected(&v.petition_type, v.visit_date))
            || petitions.iter().any(|p| {
                p.petition_type == PetitionType::Denunciation.code()
                    && p.sender_kind != SenderKind::Anonymous.code()
            });
        if protected {
            let person: i64 = first.try_get(0)?;
            crate::audit::record_read(&self.pool, actor.user_id, "person", &person.to_string())
                .await?;
        }
        Ok(Some(KnownPerson {
            full_name: first.try_get(1)?,
            birth_year: first.try_get(2)?,
            address: first.try_get(3)?,
            area_code: first.try_get(4)?,
            phone: first.try_get(5)?,
            visits,
            petitions,
        }))
    }
}

/// A citizen as one reader may see them: every visit and petition of theirs in the units the
/// reader may see and whose identity the reader may see (the others are not listed, so the
/// page never tells that a protected denouncer wrote elsewhere), with counts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PersonRecords {
    pub id: i64,
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub address: String,
    pub id_number: String,
    pub visits: Vec<VisitRow>,
    pub petitions: Vec<PetitionRow>,
    /// Distinct cases among them.
    pub cases: usize,
}

impl Store {
    /// The person page (at most 500 of each kind); `NotFound` when the reader may see none of
    /// the person's records with their identity.
    pub async fn person_records(&self, actor: &Actor, person_id: i64) -> Result<PersonRecords> {
        let row = sqlx::query(
            "SELECT full_name, birth_year, address, id_number FROM people WHERE id = $1",
        )
        .bind(person_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(crate::StoreError::NotFound)?;
        let ids = person_id.to_string();
        let visits = self.visits_with_identity_of(actor, &ids, 500).await?;
        let petitions = self.petitions_with_identity_of(actor, &ids, 500).await?;
        if visits.is_empty() && petitions.is_empty() {
            return Err(crate::StoreError::NotFound);
        }
        let protected = visits
            .iter()
            .any(|v| crate::visits::visit_protected(&v.petition_type, v.visit_date))
            || petitions.iter().any(|p| {
                p.petition_type == PetitionType::Denunciation.code()
                    && p.sender_kind != SenderKind::Anonymous.code()
            });
        if protected {
            crate::audit::record_read(&self.pool, actor.user_id, "person", &ids).await?;
        }
        let cases: std::collections::BTreeSet<&str> = visits
            .iter()
            .map(|v| v.case_code.as_str())
            .chain(petitions.iter().map(|p| p.case_code.as_str()))
            .collect();
        Ok(PersonRecords {
            id: person_id,
            full_name: row.try_get(0)?,
            birth_year: row.try_get(1)?,
            address: row.try_get(2)?,
            id_number: row.try_get::<Option<String>, _>(3)?.unwrap_or_default(),
            cases: cases.len(),
            visits,
            petitions,
        })
    }
}

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
