//! Attachments of a petition (the scanned petition, evidence, official letters): the bytes are
//! stored content-addressed in the data folder (`ab/cd/<sha256>`), the row in the database.
//!
//! The file is written (and synced) before its row is committed, so an acknowledged attachment
//! always has its bytes; a crash in between leaves at most an unreferenced file, never a row
//! without one. The type is decided from the first bytes, not from the name or the browser.

use crate::{Invalid, Result, Store, StoreError, audit, now_utc};
use danvan_domain::access::{Action, RecordRef};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Default upper size of one file; administrators change it in `settings.attachment_max_bytes`.
pub const DEFAULT_MAX_BYTES: i64 = 20 * 1024 * 1024;

#[derive(Debug, Clone, serde::Serialize)]
pub struct AttachmentRow {
    pub id: i64,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub created_at: String,
}

/// The types a petition desk receives, recognised by their signature.
fn sniff(bytes: &[u8], file_name: &str) -> Option<&'static str> {
    let lower = file_name.to_lowercase();
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some("image/tiff")
    } else if bytes.starts_with(b"PK\x03\x04") && lower.ends_with(".docx") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if bytes.starts_with(b"PK\x03\x04") && lower.ends_with(".xlsx") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else if bytes.starts_with(b"PK\x03\x04") && lower.ends_with(".odt") {
        Some("application/vnd.oasis.opendocument.text")
    } else {
        None
    }
}

/// A file name safe to store and to send back in a header: no folders, no control characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() {
        "tep-dinh-kem".into()
    } else {
        danvan_vntext::normalize(&cleaned)
    }
}

fn blob_path(dir: &Path, sha: &str) -> PathBuf {
    dir.join(&sha[0..2]).join(&sha[2..4]).join(sha)
}

/// Writes the bytes under their hash (once: the same content is stored once) and syncs them.
fn write_blob(dir: &Path, sha: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = blob_path(dir, sha);
    if path.exists() {
        return Ok(());
    }
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent)?;
    let tmp = parent.join(format!(".{sha}.{}.tmp", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    // The rename itself must survive a power loss too.
    std::fs::File::open(parent)?.sync_all()?;
    Ok(())
}

/// What a file belongs to.
pub(crate) enum Owner<'a> {
    /// (id, code)
    Petition(i64, &'a str),
    Programme(i64),
}

impl Store {
    pub async fn attachment_max_bytes(&self) -> Result<i64> {
        self.setting_i64("attachment_max_bytes", DEFAULT_MAX_BYTES)
            .await
    }

    /// Adds a file to a petition the actor may handle.
    pub async fn attach_to_petition(
        &self,
        actor: &danvan_domain::Actor,
        blobs: &Path,
        code: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<AttachmentRow> {
        let (petition_id, unit_path) = self.petition_ref(code).await?;
        let unit = RecordRef {
            unit_path: &unit_path,
        };
        if !actor.may(Action::ViewRecord(unit)) {
            return Err(StoreError::NotFound);
        }
        if !actor.may(Action::HandlePetition(unit)) {
            return Err(StoreError::Forbidden);
        }
        self.attach(
            actor,
            blobs,
            Owner::Petition(petition_id, code),
            file_name,
            bytes,
        )
        .await
    }

    /// Checks a file (not empty, within the size limit, a type its bytes prove), writes it
    /// to the blob folder under its SHA-256, and records it for its owner with an audit row.
    pub(crate) async fn attach(
        &self,
        actor: &danvan_domain::Actor,
        blobs: &Path,
        owner: Owner<'_>,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<AttachmentRow> {
        let max = self.attachment_max_bytes().await?;
        if bytes.is_empty() {
            return Err(Invalid::one("file", "Chưa chọn tệp hoặc tệp rỗng").into());
        }
        if bytes.len() as i64 > max {
            return Err(Invalid::one(
                "file",
                format!(
                    "Tệp quá lớn: tối đa {} MB",
                    danvan_domain::format::number(max / (1024 * 1024))
                ),
            )
            .into());
        }
        let Some(media_type) = sniff(bytes, file_name) else {
            return Err(Invalid::one(
                "file",
                "Chỉ nhận tệp PDF, ảnh (JPEG, PNG, TIFF) hoặc văn bản DOCX, XLSX, ODT",
            )
            .into());
        };
        let name = clean_name(file_name);
        let sha = hex::encode(Sha256::digest(bytes));
        let dir = blobs.to_owned();
        let (sha_w, data) = (sha.clone(), bytes.to_vec());
        tokio::task::spawn_blocking(move || write_blob(&dir, &sha_w, &data))
            .await
            .map_err(|e| StoreError::Corrupt(format!("ghi tệp: {e}")))?
            .map_err(|e| StoreError::Corrupt(format!("ghi tệp: {e}")))?;
        let now = now_utc();
        let (petition_id, programme_id, entity, code) = match owner {
            Owner::Petition(id, code) => (Some(id), None, "petition", code.to_owned()),
            Owner::Programme(id) => (None, Some(id), "programme", id.to_string()),
        };
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query("INSERT INTO attachments (sha256, file_name, media_type, size_bytes, petition_id, programme_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(sha.clone())
            .bind(name.clone())
            .bind(media_type)
            .bind(bytes.len() as i64)
            .bind(petition_id)
            .bind(programme_id)
            .bind(actor.user_id)
            .bind(now.clone())
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "attach",
            entity,
            &code,
            &format!("{name} ({} bytes, sha256 {sha})", bytes.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(AttachmentRow {
            id,
            file_name: name,
            media_type: media_type.into(),
            size_bytes: bytes.len() as i64,
            created_at: now,
        })
    }

    /// The files of a petition (the caller has already been allowed to see the petition).
    pub(crate) async fn attachments_of(&self, petition_id: i64) -> Result<Vec<AttachmentRow>> {
        self.attachments_where("petition_id", petition_id).await
    }

    /// The files of an owner, by its column in `attachments` (a name of ours).
    pub(crate) async fn attachments_where(
        &self,
        column: &str,
        id: i64,
    ) -> Result<Vec<AttachmentRow>> {
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT id, file_name, media_type, size_bytes, created_at FROM attachments WHERE {column} = $1 ORDER BY id")))
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(AttachmentRow {
                    id: r.try_get(0)?,
                    file_name: r.try_get(1)?,
                    media_type: r.try_get(2)?,
                    size_bytes: r.try_get(3)?,
                    created_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// A file and its bytes, for a reader who may see its petition (or programme). The scan of a named
    /// denunciation carries the denouncer's identity: only those who may see the identity get
    /// it, and the read is audited like any identity read (through `petition_detail`).
    pub async fn open_attachment(
        &self,
        actor: &danvan_domain::Actor,
        blobs: &Path,
        id: i64,
    ) -> Result<(AttachmentRow, Vec<u8>)> {
        let r = sqlx::query("SELECT a.id, a.file_name, a.media_type, a.size_bytes, a.created_at, a.sha256, p.code, a.programme_id FROM attachments a LEFT JOIN petitions p ON p.id = a.petition_id WHERE a.id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        match (
            r.try_get::<Option<String>, _>(6)?,
            r.try_get::<Option<i64>, _>(7)?,
        ) {
            (Some(code), _) => {
                let petition = self.petition_detail(actor, &code).await?;
                if petition.row.identity_masked {
                    return Err(StoreError::Forbidden);
                }
            }
            // A programme's documents are read by whoever may read the programme.
            (None, Some(programme)) => {
                let (parties, _) = self.programme_parties(programme).await?;
                if !Self::may_view_programme(actor, &parties) {
                    return Err(StoreError::NotFound);
                }
            }
            (None, None) => return Err(StoreError::NotFound),
        }
        let row = AttachmentRow {
            id: r.try_get(0)?,
            file_name: r.try_get(1)?,
            media_type: r.try_get(2)?,
            size_bytes: r.try_get(3)?,
            created_at: r.try_get(4)?,
        };
        let sha: String = r.try_get(5)?;
        let path = blob_path(blobs, &sha);
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| StoreError::Corrupt(format!("tệp đính kèm {sha}: {e}")))?;
        // The bytes on disk must still be the ones that were attached.
        if hex::encode(Sha256::digest(&bytes)) != sha {
            return Err(StoreError::Corrupt(format!(
                "tệp đính kèm {sha} đã bị thay đổi"
            )));
        }
        Ok((row, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "don.pdf"), Some("application/pdf"));
        assert_eq!(sniff(b"%PDF-1.7 ...", "don.exe"), Some("application/pdf"));
        assert_eq!(sniff(b"MZ\x90\0", "don.pdf"), None);
        assert_eq!(sniff(b"<html>", "don.pdf"), None);
        assert_eq!(sniff(b"PK\x03\x04rest", "bao-cao.zip"), None);
        assert!(sniff(b"PK\x03\x04rest", "Bao cao.DOCX").is_some());
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "anh"), Some("image/jpeg"));
    }

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\scan\\Đơn thư.pdf"), "Đơn thư.pdf");
        assert_eq!(clean_name("a\"b\n.pdf"), "ab.pdf");
        assert_eq!(clean_name("   "), "tep-dinh-kem");
    }
}
