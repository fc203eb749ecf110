//! `danvan backup --out FILE` and `danvan restore FILE --data DIR`.
//!
//! A backup is one zip: `manifest.json` (what the restore must find again: every table's row
//! count, the number of audit entries with their chain verified, each attachment's SHA-256 and
//! size), `danvan.db` (a consistent copy taken while the server writes) and
//! `attachments/ab/cd/<sha256>` (each file the database names, checked against its hash as it
//! is packed). It is written to a temporary name, synced, then renamed: a kill leaves either
//! the old file or the whole new one.
//!
//! A restore goes only into an absent or empty folder, accepts only those names (no path from
//! the archive is trusted), and then opens the restored database and checks every fact of the
//! manifest; one difference and it says which and fails.

use anyhow::{Context, bail};
use danvan_store::Store;
use danvan_store::backup::{Facts, blob_relative_path};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

const FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    created_at: String,
    facts: Facts,
}

/// What a restore found: (tables, rows, audit entries, files).
pub struct Restored {
    pub tables: usize,
    pub rows: i64,
    pub audit_entries: i64,
    pub files: usize,
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Takes the backup of the SQLite database of `data` into `out`.
pub async fn backup(store: &Store, data: &Path, out: &Path) -> anyhow::Result<Facts> {
    let work = tempdir_near(out)?;
    let copy = work.join("danvan.db");
    store.snapshot_to(&copy).await?;
    // The facts are read from the copy, not from the database that goes on changing.
    let snapshot = Store::open(&format!("sqlite://{}", copy.display())).await?;
    let facts = snapshot.backup_facts().await;
    snapshot.close().await;
    let facts = facts?;
    let manifest = Manifest {
        format: FORMAT,
        created_at: chrono::Utc::now().to_rfc3339(),
        facts: facts.clone(),
    };
    let partial = out.with_extension("partial");
    {
        let file = std::fs::File::create(&partial)
            .with_context(|| format!("tạo tệp {}", partial.display()))?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("manifest.json", options)?;
        zip.write_all(serde_json::to_string_pretty(&manifest)?.as_bytes())?;
        zip.start_file("danvan.db", options)?;
        let mut db = std::fs::File::open(&copy)?;
        std::io::copy(&mut db, &mut zip)?;
        for (sha, size) in &facts.blobs {
            let rel = blob_relative_path(sha).with_context(|| format!("mã băm lạ: {sha}"))?;
            let bytes = std::fs::read(data.join("attachments").join(&rel))
                .with_context(|| format!("thiếu tệp đính kèm {sha}"))?;
            if sha_hex(&bytes) != *sha || bytes.len() as i64 != *size {
                bail!("tệp đính kèm {sha} đã bị thay đổi trên đĩa: không sao lưu");
            }
            zip.start_file(format!("attachments/{}", rel.to_string_lossy()), options)?;
            zip.write_all(&bytes)?;
        }
        let file = zip.finish()?;
        file.sync_all()?;
    }
    std::fs::rename(&partial, out)?;
    std::fs::remove_dir_all(&work).ok();
    Ok(facts)
}

/// Restores `archive` into `data` (absent or empty) and checks it. `Err` with `Refused` when
/// the folder is not empty.
pub async fn restore(archive: &Path, data: &Path) -> anyhow::Result<Restored> {
    if data.exists()
        && std::fs::read_dir(data)
            .with_context(|| format!("đọc thư mục {}", data.display()))?
            .next()
            .is_some()
    {
        return Err(Refused(format!(
            "thư mục {} đã có dữ liệu: chỉ khôi phục vào thư mục chưa có hoặc rỗng",
            data.display()
        ))
        .into());
    }
    let file = std::fs::File::open(archive)
        .with_context(|| format!("mở bản sao lưu {}", archive.display()))?;
    let mut zip = zip::ZipArchive::new(file).context("bản sao lưu không phải tệp zip hợp lệ")?;
    let manifest: Manifest = {
        let mut text = String::new();
        zip.by_name("manifest.json")
            .context("bản sao lưu thiếu manifest.json")?
            .read_to_string(&mut text)?;
        serde_json::from_str(&text).context("manifest.json không hợp lệ")?
    };
    if manifest.format != FORMAT {
        bail!(
            "bản sao lưu định dạng {} không được hỗ trợ",
            manifest.format
        );
    }
    std::fs::create_dir_all(data)?;
    let expected: std::collections::BTreeMap<String, (String, i64)> = manifest
        .facts
        .blobs
        .iter()
        .filter_map(|(sha, size)| {
            blob_relative_path(sha).map(|p| {
                (
                    format!("attachments/{}", p.to_string_lossy()),
                    (sha.clone(), *size),
                )
            })
        })
        .collect();
    let mut files = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let name = entry.name()?.to_string();
        let target = if name == "manifest.json" {
            continue;
        } else if name == "danvan.db" {
            data.join("danvan.db")
        } else if let Some((sha, size)) = expected.get(&name) {
            // Only the names the manifest lists: nothing from the archive picks a path.
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            if sha_hex(&bytes) != *sha || bytes.len() as i64 != *size {
                bail!("tệp đính kèm {sha} trong bản sao lưu không khớp mã băm");
            }
            let path = data
                .join("attachments")
                .join(blob_relative_path(sha).context("mã băm")?);
            std::fs::create_dir_all(path.parent().context("thư mục")?)?;
            std::fs::write(&path, &bytes)?;
            files += 1;
            continue;
        } else {
            bail!("bản sao lưu có tệp lạ: {name}");
        };
        let mut out = std::fs::File::create(&target)?;
        std::io::copy(&mut entry, &mut out)?;
        out.sync_all()?;
    }
    if files != expected.len() {
        bail!(
            "bản sao lưu thiếu tệp đính kèm: có {files}, cần {}",
            expected.len()
        );
    }
    let store = Store::open(&format!("sqlite://{}", data.join("danvan.db").display()))
        .await
        .context("mở cơ sở dữ liệu khôi phục")?;
    let found = store.backup_facts().await;
    store.close().await;
    let found = found?;
    for (table, n) in &manifest.facts.tables {
        let got = found.tables.get(table).copied().unwrap_or(-1);
        if got != *n {
            bail!("bảng {table}: {got} dòng, bản sao lưu ghi {n}");
        }
    }
    if found.audit_entries != manifest.facts.audit_entries {
        bail!(
            "nhật ký kiểm tra: {} mục, bản sao lưu ghi {}",
            found.audit_entries,
            manifest.facts.audit_entries
        );
    }
    Ok(Restored {
        tables: found.tables.len(),
        rows: found.tables.values().sum(),
        audit_entries: found.audit_entries,
        files,
    })
}

/// A restore refused before it touched anything (exit 2).
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// A working folder next to the output (same file system, so the rename is atomic).
fn tempdir_near(out: &Path) -> anyhow::Result<std::path::PathBuf> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(format!(".danvan-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let copy = dir.join("danvan.db");
    if copy.exists() {
        std::fs::remove_file(&copy)?;
    }
    Ok(dir)
}
