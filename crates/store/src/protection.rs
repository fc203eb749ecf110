//! What Art. 56 of the Law on Denunciations asks of the file itself: a copy of a denunciation
//! with the denouncer's identity removed, for a verification team (bản sao đã che thông tin
//! người tố cáo), and the record of a denouncer declining protection.

use crate::{Result, Store, StoreError, audit, now_utc, parse_day};
use chrono::{Datelike, NaiveDate};
use danvan_domain::{Actor, Invalid};
use danvan_reports::docx::{Block, Letterhead, narrative_document};
use serde::Serialize;
use sqlx::Row;

/// The words that replace the denouncer wherever they appear.
pub const MASK: &str = "[đã che thông tin người tố cáo]";

#[derive(Debug, Clone, Serialize)]
pub struct Waiver {
    pub waived_on: NaiveDate,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// `text` with every occurrence of each of `secrets` (case-insensitive on its letters, at
/// least two characters long) replaced by the mask.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets
        .iter()
        .map(|s| s.trim())
        .filter(|s| s.chars().count() >= 2)
    {
        let lower_secret = secret.to_lowercase();
        let mut result = String::new();
        let mut rest = out.as_str();
        loop {
            let lower = rest.to_lowercase();
            // Lower-casing Vietnamese letters keeps byte lengths (both cases are 2- or 3-byte
            // forms of the same length), so positions in `lower` are positions in `rest`.
            match lower.find(&lower_secret) {
                Some(i) if lower.len() == rest.len() && rest.is_char_boundary(i) => {
                    result.push_str(&rest[..i]);
                    result.push_str(MASK);
                    rest = &rest[i + lower_secret.len()..];
                }
                // A letter whose cases differ in length: match as written, not as folded.
                _ if lower.len() != rest.len() && rest.contains(secret) => {
                    let i = rest.find(secret).unwrap_or(0);
                    result.push_str(&rest[..i]);
                    result.push_str(MASK);
                    rest = &rest[i + secret.len()..];
                }
                _ => {
                    result.push_str(rest);
                    break;
                }
            }
        }
        out = result;
    }
    out
}

impl Store {
    /// The redacted copy of a denunciation as Word: its metadata and content with the
    /// denouncer's name, ID number, address and phone replaced wherever they occur. Made by
    /// those who may see the identity (they know what they remove); the making is audited.
    pub async fn redacted_copy(
        &self,
        actor: &Actor,
        code: &str,
        today: NaiveDate,
    ) -> Result<Vec<u8>> {
        let p = self.petition_detail(actor, code).await?;
        // Only a denunciation has a denouncer to hide: no such copy of anything else.
        if p.row.petition_type != "TC" {
            return Err(StoreError::NotFound);
        }
        if p.row.identity_masked {
            return Err(StoreError::Forbidden);
        }
        let secrets = [
            p.row.sender_name.as_str(),
            p.sender_id_number.as_str(),
            p.row.sender_address.as_str(),
            p.sender_phone.as_str(),
        ];
        let r = |t: &str| redact(t, &secrets);
        let date = |d: NaiveDate| danvan_domain::format::date(d);
        let mut blocks = vec![
            Block::Paragraph(format!(
                "Bản sao đơn tố cáo số {} (số đến {}), tiếp nhận ngày {} tại {}, đã che thông tin người tố cáo theo Điều 56 Luật Tố cáo, để cung cấp cho Đoàn (Tổ) xác minh.",
                p.row.code,
                if p.row.arrival_no.is_empty() {
                    "—"
                } else {
                    &p.row.arrival_no
                },
                date(p.row.received_date),
                p.row.unit_name
            )),
            Block::Heading("I. THÔNG TIN VỀ ĐƠN".into()),
            Block::Item(format!("- Người tố cáo: {MASK}.")),
            Block::Item(format!(
                "- Số người đứng tên: {}.",
                p.row.signer_count.max(1)
            )),
            Block::Item(format!("- Lĩnh vực: {}.", p.row.field_code)),
            Block::Item(format!("- Vụ việc: {}.", p.row.case_code)),
        ];
        if !p.row.subject.is_empty() {
            blocks.push(Block::Item(format!(
                "- Người bị tố cáo: {}.",
                r(&p.row.subject)
            )));
        }
        if let Some(d) = &p.row.decision {
            blocks.push(Block::Item(format!(
                "- Hướng xử lý: {d}{}.",
                p.row
                    .decision_date
                    .map(|d| format!(" ngày {}", date(d)))
                    .unwrap_or_default()
            )));
        }
        blocks.push(Block::Heading("II. NỘI DUNG TỐ CÁO".into()));
        blocks.push(Block::Paragraph(r(&p.row.summary)));
        blocks.push(Block::ToWrite(
            "Bản sao này không chứa họ tên, địa chỉ, số định danh, số điện thoại của người tố cáo và các thông tin có thể làm lộ người tố cáo. Không sao chụp, cung cấp cho người không có trách nhiệm.".into(),
        ));
        let head = Letterhead {
            parent_body: String::new(),
            body: p.row.unit_name.clone(),
            number: "Số:\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}/BS".into(),
            place_date: format!(
                "ngày {} tháng {} năm {}",
                today.day(),
                today.month(),
                today.year()
            ),
            kind: "Bản sao".into(),
            title: "Đơn tố cáo đã che thông tin người tố cáo".into(),
        };
        let bytes = narrative_document(&head, &blocks, "Người lập", "")
            .map_err(|e| StoreError::Corrupt(format!("tạo tệp Word: {e}")))?;
        let mut tx = self.write().await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "redacted_copy",
            "petition",
            code,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(bytes)
    }

    /// Records that the denouncer declined protection (who recorded it, when, on which day),
    /// for those who may see the identity.
    pub async fn record_waiver(
        &self,
        actor: &Actor,
        code: &str,
        on: NaiveDate,
        note: &str,
        today: NaiveDate,
    ) -> Result<()> {
        let p = self.petition_detail(actor, code).await?;
        if p.row.petition_type != "TC" {
            return Err(Invalid::one(
                "waived_on",
                "Chỉ đơn tố cáo có biện pháp bảo vệ người tố cáo",
            )
            .into());
        }
        if p.row.identity_masked {
            return Err(StoreError::Forbidden);
        }
        if on > today || on < p.row.received_date {
            return Err(Invalid::one(
                "waived_on",
                "Ngày từ chối phải từ ngày nhận đơn đến hôm nay",
            )
            .into());
        }
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO protection_waivers (petition_id, waived_on, note, recorded_by, recorded_at) VALUES ((SELECT id FROM petitions WHERE code = $1), $2, $3, $4, $5)")
            .bind(code.to_owned())
            .bind(on.to_string())
            .bind(note.trim().to_owned())
            .bind(actor.user_id)
            .bind(now_utc())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "waiver",
            "petition",
            code,
            note.trim(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The waivers recorded on a petition (the caller may see the petition).
    pub async fn waivers(&self, code: &str) -> Result<Vec<Waiver>> {
        sqlx::query("SELECT w.waived_on, w.note, u.full_name, w.recorded_at FROM protection_waivers w JOIN petitions p ON p.id = w.petition_id JOIN users u ON u.id = w.recorded_by WHERE p.code = $1 ORDER BY w.id")
            .bind(code.to_owned())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Waiver {
                    waived_on: parse_day(&r.try_get::<String, _>(0)?)?,
                    note: r.try_get(1)?,
                    recorded_by: r.try_get(2)?,
                    recorded_at: r.try_get(3)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_occurrence_goes_whatever_its_case() {
        let text = "Tôi là Trần Văn Tố, CCCD 060085001234, nhà ở Thôn 2. TRẦN VĂN TỐ xin tố cáo.";
        let out = redact(text, &["Trần Văn Tố", "060085001234", "Thôn 2", ""]);
        assert!(!out.contains("Trần Văn Tố") && !out.contains("TRẦN VĂN TỐ"));
        assert!(!out.contains("060085001234") && !out.contains("Thôn 2"));
        assert_eq!(out.matches(MASK).count(), 4);
        assert!(out.contains("xin tố cáo"));
    }
}
