//! `danvan backup` while the server runs and writes, then `danvan restore` into an empty
//! folder: the restored data is the state of one instant (no half-written record), checked
//! against the manifest; a non-empty folder is refused (exit 2); a tampered file is named
//! (exit 1).

mod common;

use common::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[test]
fn a_backup_taken_under_writes_restores_and_verifies() {
    let dir = temp("backup");
    let data = dir.join("data");
    let (code, _, err) = danvan(&data, &["--as-of", "2026-11-28", "demo"]);
    assert_eq!(code, 0, "{err}");
    let (_, token, _) = danvan(&data, &["user", "token", "tiepdan"]);
    let token = token.trim().to_owned();
    let server = Server::start(&data, 18_431);

    // A writer records visits through the API for as long as the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (port, stop, token) = (server.port, stop.clone(), token.clone());
        std::thread::spawn(move || {
            let mut created = 0;
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) || created < 5 {
                n += 1;
                let (status, body) = request(
                    port,
                    "POST",
                    "/api/v1/visits",
                    Some(&token),
                    Some(&visit_json(n)),
                );
                assert_eq!(status, 201, "{body}");
                created += 1;
            }
            created
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let archive = dir.join("sao-luu.zip");
    let (code, out, err) = danvan(
        &data,
        &["backup", "--out", archive.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("chuỗi băm đúng") && out.contains("1 tệp đính kèm"),
        "{out}"
    );
    stop.store(true, Ordering::SeqCst);
    let written = writer.join().expect("writer");
    assert!(written >= 5);
    drop(server);

    // Restored into an empty folder: every fact of the manifest found again.
    let restored = dir.join("restored");
    let (code, out, err) = danvan(&restored, &["restore", archive.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("OK"), "{out}");
    let (code, out, _) = danvan(&restored, &["audit", "verify"]);
    assert_eq!(code, 0, "{out}");
    // The copy is one instant: each visit is whole — with its case and its person, and its
    // audit entry — or absent.
    let (code, json, err) = danvan(
        &restored,
        &[
            "--format",
            "json",
            "search",
            "Kiểm thử độ bền",
            "--limit",
            "1000",
            "--kind",
            "visit",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let found: serde_json::Value = serde_json::from_str(&json).expect("json");
    let in_copy = found["total"].as_i64().expect("total");
    assert!(in_copy <= written as i64, "{in_copy} of {written}");

    // Not into a folder that holds data.
    let (code, _, err) = danvan(&restored, &["restore", archive.to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("đã có dữ liệu"), "{err}");

    // A file altered inside the archive is named, and the restore fails.
    let tampered = dir.join("tampered.zip");
    let script = format!(
        "import zipfile\nsrc=zipfile.ZipFile(r'{}')\ndst=zipfile.ZipFile(r'{}','w')\nfor i in src.infolist():\n    b=src.read(i.filename)\n    if i.filename.startswith('attachments/'): b=b.replace(b'minh hoa', b'MINH HOA')\n    dst.writestr(i, b)\ndst.close()\n",
        archive.display(),
        tampered.display()
    );
    let status = std::process::Command::new("python3")
        .args(["-c", &script])
        .status()
        .expect("python3");
    assert!(status.success());
    let (code, _, err) = danvan(
        &dir.join("again"),
        &["restore", tampered.to_str().expect("utf-8")],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("không khớp mã băm"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
