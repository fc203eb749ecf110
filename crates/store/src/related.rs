//! Related records while a petition or a visit is being entered (issue 5): the same citizen (by
//! ID number, or by name with the commune), the same content sent before (MinHash/LSH over the
//! petitions, crate danvan-similar) and the same content sent to several bodies at once. Each
//! suggestion says why and how strongly. Only records the reader may see are suggested, and a
//! protected identity never makes a match: a record whose person the reader may not see is left
//! out of the identity matches altogether (omitted, not masked — its ID number would tell).

use crate::{Result, Store, query::Where};
use chrono::NaiveDate;
use danvan_domain::Actor;
use sqlx::Row;
use std::collections::BTreeMap;

/// Candidates read per band key, newest first: a key shared by a common phrase stays cheap.
const PER_BAND: i64 = 40;
/// Suggestions shown at most.
const SHOWN: usize = 8;
pub use danvan_similar::DEFAULT_THRESHOLD;
/// Content sent to another body within this many days counts as "sent to several bodies".
const ELSEWHERE_DAYS: i64 = 60;

/// The distinct band keys of a text (none for a text without words).
pub(crate) fn distinct_band_keys(text: &str) -> Vec<i64> {
    let mut keys: Vec<i64> = danvan_similar::band_keys(text)
        .map(|k| k.to_vec())
        .unwrap_or_default();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// What is known of the record being entered.
#[derive(Debug, Clone, Default)]
pub struct RelatedQuery {
    /// The receiving unit's code.
    pub unit_code: String,
    pub text: String,
    pub id_number: String,
    pub full_name: String,
    pub area_code: String,
    pub date: Option<NaiveDate>,
}

/// Why a record was suggested.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reason {
    /// id_number, name_area, content, elsewhere.
    pub kind: &'static str,
    /// As shown: "Cùng số CCCD/CMND", "Nội dung giống 92%"…
    pub label: String,
    /// 0–1.
    pub strength: f64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Related {
    /// petition or visit.
    pub kind: &'static str,
    pub code: String,
    pub case_code: String,
    pub date: NaiveDate,
    pub unit: String,
    pub summary: String,
    pub reasons: Vec<Reason>,
    /// The strongest reason's strength.
    pub strength: f64,
}

impl Related {
    /// A record found, before the reasons it was found for are gathered.
    fn found(
        kind: &'static str,
        code: String,
        case_code: String,
        date: NaiveDate,
        unit: String,
        summary: String,
    ) -> Self {
        Related {
            kind,
            code,
            case_code,
            date,
            unit,
            summary,
            reasons: vec![],
            strength: 0.0,
        }
    }

    /// The reasons as one line ("Cùng số CCCD/CMND; Nội dung giống 92%").
    pub fn why(&self) -> String {
        self.reasons
            .iter()
            .map(|r| r.label.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Store {
    /// The similarity from which content is suggested (setting `duplicate_threshold`, 0–1).
    pub async fn duplicate_threshold(&self) -> Result<f64> {
        Ok(self
            .setting("duplicate_threshold")
            .await?
            .and_then(|v| v.replace(',', ".").parse::<f64>().ok())
            .filter(|t| (0.05..=1.0).contains(t))
            .unwrap_or(DEFAULT_THRESHOLD))
    }

    /// The records related to one being entered, strongest first. The same citizen and the
    /// same content are looked up side by side, each on its own connection: on PostgreSQL at
    /// 1M each costs a few statements of 2–8 ms, and one after the other they took the
    /// answer to the line of its 20 ms (18–21 ms p95).
    pub async fn related(&self, actor: &Actor, q: &RelatedQuery) -> Result<Vec<Related>> {
        let (same_citizen, same_content) =
            tokio::join!(self.same_citizen(actor, q), self.same_content(actor, q));
        let mut found: BTreeMap<(&'static str, String), Related> = BTreeMap::new();
        for (r, reason) in same_citizen?.into_iter().chain(same_content?) {
            let entry = found.entry((r.kind, r.code.clone())).or_insert(r);
            if !entry.reasons.iter().any(|x| x.kind == reason.kind) {
                entry.strength = entry.strength.max(reason.strength);
                entry.reasons.push(reason);
            }
        }
        let mut out: Vec<Related> = found.into_values().collect();
        out.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then(b.date.cmp(&a.date))
                .then(b.code.cmp(&a.code))
        });
        out.truncate(SHOWN);
        Ok(out)
    }

    /// The records of the same citizen: by ID number, or by name in the same commune — only
    /// those whose identity the reader may see.
    async fn same_citizen(
        &self,
        actor: &Actor,
        q: &RelatedQuery,
    ) -> Result<Vec<(Related, Reason)>> {
        let id_number: String = q
            .id_number
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_uppercase();
        let mut people: Vec<(String, Reason)> = vec![];
        if id_number.len() >= 8 {
            let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id_number = $1")
                .bind(id_number)
                .fetch_all(&self.pool)
                .await?;
            if !ids.is_empty() {
                people.push((
                    join(&ids),
                    Reason {
                        kind: "id_number",
                        label: "Cùng số CCCD/CMND".into(),
                        strength: 1.0,
                    },
                ));
            }
        }
        let name_key = danvan_vntext::name_key(&q.full_name);
        if !name_key.is_empty() && !q.area_code.trim().is_empty() {
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM people WHERE name_key = $1 AND area_code = $2 LIMIT 50",
            )
            .bind(name_key)
            .bind(q.area_code.trim().to_owned())
            .fetch_all(&self.pool)
            .await?;
            if !ids.is_empty() {
                people.push((
                    join(&ids),
                    Reason {
                        kind: "name_area",
                        label: "Cùng họ tên và xã/phường".into(),
                        strength: 0.8,
                    },
                ));
            }
        }
        let mut found = vec![];
        for (ids, reason) in people {
            // Only records whose identity the reader may see (the others are not listed).
            let (petitions, visits) = tokio::join!(
                self.petitions_with_identity_of(actor, &ids, 20),
                self.visits_with_identity_of(actor, &ids, 20),
            );
            for p in petitions? {
                let related = Related::found(
                    "petition",
                    p.code,
                    p.case_code,
                    p.received_date,
                    p.unit_name,
                    p.summary,
                );
                found.push((related, reason.clone()));
            }
            for v in visits? {
                let related = Related::found(
                    "visit",
                    v.code,
                    v.case_code,
                    v.visit_date,
                    v.unit_name,
                    v.content,
                );
                found.push((related, reason.clone()));
            }
        }
        Ok(found)
    }

    /// The petitions with the same content (sharing a band key, compared exactly), and among
    /// them those sent to another body at about the same time.
    async fn same_content(
        &self,
        actor: &Actor,
        q: &RelatedQuery,
    ) -> Result<Vec<(Related, Reason)>> {
        let keys = distinct_band_keys(&q.text);
        if keys.is_empty() {
            return Ok(vec![]);
        }
        let (threshold, units) = tokio::join!(
            self.duplicate_threshold(),
            self.units_clause("p.unit_id", &actor.scope, None),
        );
        let threshold = threshold?;
        let mut w = Where::default();
        let per_band: Vec<String> = keys
            .iter()
            .map(|k| {
                let p = w.int(*k);
                format!(
                    "SELECT petition_id FROM (SELECT petition_id FROM petition_bands WHERE band_key = {p} ORDER BY petition_id DESC LIMIT {PER_BAND}) b"
                )
            })
            .collect();
        w.and(format!("p.id IN ({})", per_band.join(" UNION ")));
        w.and(units?);
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT p.code, c.code, p.received_date, u.name, u.code, p.summary FROM petitions p \
                 JOIN cases c ON c.id = p.case_id JOIN units u ON u.id = p.unit_id WHERE {}",
                w.sql()
            ))))
            .fetch_all(&self.pool)
            .await?;
        let mine = danvan_similar::shingles(&q.text);
        let mut found = vec![];
        for r in &rows {
            let summary: String = r.try_get(5)?;
            let s = danvan_similar::jaccard(&mine, &danvan_similar::shingles(&summary));
            if s < threshold {
                continue;
            }
            let date = crate::parse_day(&r.try_get::<String, _>(2)?)?;
            let unit: String = r.try_get(3)?;
            let unit_code: String = r.try_get(4)?;
            let related = Related::found(
                "petition",
                r.try_get(0)?,
                r.try_get(1)?,
                date,
                unit.clone(),
                summary,
            );
            let near = q
                .date
                .is_none_or(|d| (d - date).num_days().abs() <= ELSEWHERE_DAYS);
            let elsewhere = unit_code != q.unit_code && near && !q.unit_code.is_empty();
            found.push((
                related.clone(),
                Reason {
                    kind: "content",
                    label: format!("Nội dung giống {}%", (s * 100.0).round() as i64),
                    strength: s,
                },
            ));
            if elsewhere {
                found.push((
                    related,
                    Reason {
                        kind: "elsewhere",
                        label: format!("Gửi nhiều nơi: cùng nội dung gửi {unit}"),
                        strength: s,
                    },
                ));
            }
        }
        Ok(found)
    }

    /// Writes the band keys of every petition that has none (databases created before issue 5):
    /// once, in batches; a no-op afterwards.
    pub(crate) async fn ensure_petition_bands(&self) -> Result<()> {
        if self.setting("petition_bands").await?.as_deref() == Some("1") {
            return Ok(());
        }
        let mut after = 0i64;
        loop {
            let rows = sqlx::query(
                "SELECT id, summary FROM petitions WHERE id > $1 ORDER BY id LIMIT 20000",
            )
            .bind(after)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            let mut tx = self.write().await?;
            let mut values: Vec<String> = vec![];
            for r in &rows {
                let id: i64 = r.try_get(0)?;
                after = id;
                let summary: String = r.try_get(1)?;
                for k in distinct_band_keys(&summary) {
                    values.push(format!("({k}, {id})"));
                }
            }
            // Integers computed here: nothing to escape.
            for chunk in values.chunks(500) {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO petition_bands (band_key, petition_id) VALUES {} ON CONFLICT DO NOTHING",
                    chunk.join(", ")
                )))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
        sqlx::query("DELETE FROM settings WHERE key = 'petition_bands'")
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('petition_bands', '1')")
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn join(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Records the officer's answers to the suggestions, in the transaction of the new record.
pub(crate) async fn record_choices(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    kind: &str,
    record_id: i64,
    choices: &[danvan_domain::records::RelatedChoice],
) -> Result<()> {
    for c in choices {
        sqlx::query("INSERT INTO related_choices (record_kind, record_id, other_code, choice, reason, chosen_by, chosen_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(kind.to_owned())
            .bind(record_id)
            .bind(c.other_code.clone())
            .bind(c.choice.code())
            .bind(c.reason.clone())
            .bind(actor.user_id)
            .bind(crate::now_utc())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// An answer recorded with a record, as its page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChoiceRow {
    pub id: i64,
    pub other_code: String,
    /// link, duplicate, dismiss.
    pub choice: String,
    pub reason: String,
    pub chosen_by: String,
    pub chosen_at: String,
    pub undone_at: Option<String>,
}

impl Store {
    /// The answers recorded with a petition, oldest first.
    pub async fn related_choices(
        &self,
        actor: &Actor,
        petition_code: &str,
    ) -> Result<Vec<ChoiceRow>> {
        let (id, path) = self.petition_ref(petition_code).await?;
        if !actor.may(danvan_domain::access::Action::ViewRecord(
            danvan_domain::access::RecordRef { unit_path: &path },
        )) {
            return Err(crate::StoreError::NotFound);
        }
        let rows = sqlx::query(
            "SELECT r.id, r.other_code, r.choice, r.reason, COALESCE(u.full_name, ''), r.chosen_at, r.undone_at \
             FROM related_choices r LEFT JOIN users u ON u.id = r.chosen_by \
             WHERE r.record_kind = 'petition' AND r.record_id = $1 ORDER BY r.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ChoiceRow {
                    id: r.try_get(0)?,
                    other_code: r.try_get(1)?,
                    choice: r.try_get(2)?,
                    reason: r.try_get(3)?,
                    chosen_by: r.try_get(4)?,
                    chosen_at: r.try_get(5)?,
                    undone_at: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Undoes an answer: a duplicate mark no longer files the petition (its handling is open
    /// again, unless it was changed since); a link moves the petition to a case of its own; a
    /// dismissal is only stamped. The answer stays in the record, stamped with who and when.
    pub async fn undo_related_choice(
        &self,
        actor: &Actor,
        petition_code: &str,
        choice_id: i64,
    ) -> Result<()> {
        let (petition_id, path) = self.petition_ref(petition_code).await?;
        if !actor.may(danvan_domain::access::Action::HandlePetition(
            danvan_domain::access::RecordRef { unit_path: &path },
        )) {
            return Err(crate::StoreError::Forbidden);
        }
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "SELECT choice, other_code FROM related_choices WHERE id = $1 AND record_kind = 'petition' AND record_id = $2 AND undone_at IS NULL",
        )
        .bind(choice_id)
        .bind(petition_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(crate::StoreError::NotFound)?;
        let (choice, other): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        if choice == "duplicate" {
            sqlx::query(
                "UPDATE petitions SET decision = NULL, decision_date = NULL, eligibility_reason = '' \
                 WHERE id = $1 AND decision = 'file' AND eligibility_reason = $2",
            )
            .bind(petition_id)
            .bind(format!("Đơn trùng với {other}"))
            .execute(&mut *tx)
            .await?;
        }
        if choice == "link" || choice == "duplicate" {
            let r = sqlx::query("SELECT unit_id, summary, petition_type, field_code, received_date FROM petitions WHERE id = $1")
                .bind(petition_id)
                .fetch_one(&mut *tx)
                .await?;
            let (unit_id, summary, kind, field): (i64, String, String, String) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
            let opened = crate::parse_day(&r.try_get::<String, _>(4)?)?;
            let (case_id, _) = crate::visits::open_case(
                &mut tx,
                Some(actor.user_id),
                crate::visits::NewCase {
                    unit_id,
                    title: &summary,
                    petition_type: &kind,
                    field_code: &field,
                    is_group: false,
                    opened_on: opened,
                },
            )
            .await?;
            let before: i64 = sqlx::query_scalar("SELECT case_id FROM petitions WHERE id = $1")
                .bind(petition_id)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("UPDATE petitions SET case_id = $1 WHERE id = $2")
                .bind(case_id)
                .bind(petition_id)
                .execute(&mut *tx)
                .await?;
            crate::cases::note_petition_cases(&mut tx, self.backend, &[before, case_id]).await?;
        }
        sqlx::query("UPDATE related_choices SET undone_by = $1, undone_at = $2 WHERE id = $3")
            .bind(actor.user_id)
            .bind(crate::now_utc())
            .bind(choice_id)
            .execute(&mut *tx)
            .await?;
        self.refresh_clocks(&mut tx, petition_id).await?;
        crate::audit::record(
            &mut tx,
            Some(actor.user_id),
            "undo_related",
            "petition",
            petition_code,
            &format!("{choice} {other}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The case of a suggested record (a petition or a visit, by code) that the reader may see.
pub(crate) async fn related_case(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    code: &str,
) -> Result<String> {
    let row = sqlx::query(
        "SELECT c.code, u.path FROM petitions p JOIN cases c ON c.id = p.case_id JOIN units u ON u.id = p.unit_id WHERE p.code = $1 \
         UNION ALL SELECT c.code, u.path FROM visits v JOIN cases c ON c.id = v.case_id JOIN units u ON u.id = v.unit_id WHERE v.code = $1",
    )
    .bind(code.to_owned())
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(r) => {
            let path: String = r.try_get(1)?;
            if actor.may(danvan_domain::access::Action::ViewRecord(
                danvan_domain::access::RecordRef { unit_path: &path },
            )) {
                return Ok(r.try_get(0)?);
            }
            Err(danvan_domain::Invalid::one(
                "related",
                "Không tìm thấy hồ sơ liên quan trong phạm vi của bạn",
            )
            .into())
        }
        None => Err(danvan_domain::Invalid::one(
            "related",
            "Không tìm thấy hồ sơ liên quan có mã này",
        )
        .into()),
    }
}
