//! Attachments: content-addressed upload with size and type limits, scoped download, and the
//! scan of a denunciation protected like the denouncer's identity.

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use common::*;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

async fn petition(app: &TestApp, cookie: &str, csrf: &str, kind: &str, name: &str) -> String {
    let form = vec![
        ("_csrf", csrf),
        ("unit_code", "P-UB"),
        ("received_date", "10/11/2026"),
        ("source", "post"),
        ("sender_kind", "one"),
        ("sender.full_name", name),
        ("petition_type", kind),
        ("field_code", "HC-CBCC"),
        ("summary", "Nội dung đơn có tệp đính kèm"),
    ];
    app.create("/petitions", cookie, &form).await
}

#[tokio::test]
async fn a_scan_is_stored_once_by_its_hash_and_served_to_those_who_may_see_it() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let code = petition(&app, &cookie, &csrf, "KN", "Phạm Văn Khiếu").await;

    let (status, _) = upload(
        &app,
        &cookie,
        &csrf,
        &format!("/petitions/{code}/attachments"),
        "Đơn khiếu nại.pdf",
        PDF,
    )
    .await;
    assert_eq!(status, 303);
    let (status, _) = upload(
        &app,
        &cookie,
        &csrf,
        &format!("/petitions/{code}/attachments"),
        "ban-sao.pdf",
        PDF,
    )
    .await;
    assert_eq!(status, 303, "the same content attached twice");
    assert_eq!(app.count("attachments").await, 2);
    let blobs: Vec<_> = walk(&app.dir.join("att"));
    assert_eq!(blobs.len(), 1, "identical bytes are stored once: {blobs:?}");

    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(page.contains("Đơn khiếu nại.pdf"), "listed on the petition");
    let id = page
        .split("href=\"/attachments/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a download link")
        .to_owned();
    let res = app
        .send(
            Request::get(format!("/attachments/{id}"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
    assert!(
        res.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .starts_with("attachment;")
    );
    assert_eq!(body_text(res).await.as_bytes(), PDF);

    let (foreign, _) = app.login("ngoai").await;
    let (status, _) = app.get(&format!("/attachments/{id}"), &foreign).await;
    assert_eq!(
        status, 404,
        "another province does not learn the file exists"
    );

    // Bytes changed on disk are refused, not served.
    std::fs::write(&blobs[0], b"%PDF-1.4 tampered").expect("tamper");
    let (status, _) = app.get(&format!("/attachments/{id}"), &cookie).await;
    assert_eq!(status, 500);
}

#[tokio::test]
async fn wrong_types_oversized_files_and_foreign_petitions_store_nothing() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let code = petition(&app, &cookie, &csrf, "KN", "Phạm Văn Khiếu").await;

    let (status, page) = upload(
        &app,
        &cookie,
        &csrf,
        &format!("/petitions/{code}/attachments"),
        "virus.pdf",
        b"MZ\x90\0binary",
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Chỉ nhận tệp PDF"),
        "the reason is next to the field"
    );
    let (status, page) = upload(
        &app,
        &cookie,
        &csrf,
        &format!("/petitions/{code}/attachments"),
        "rong.pdf",
        b"",
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("tệp rỗng"));

    let admin = app
        .store
        .actor_by_username("admin")
        .await
        .expect("db")
        .expect("admin");
    app.store
        .set_setting(&admin, "attachment_max_bytes", "1048576")
        .await
        .expect("setting");
    let mut big = PDF.to_vec();
    big.resize(1024 * 1024 + 1, b' ');
    let (status, page) = upload(
        &app,
        &cookie,
        &csrf,
        &format!("/petitions/{code}/attachments"),
        "lon.pdf",
        &big,
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("Tệp quá lớn: tối đa 1 MB"), "{page}");

    let (status, _) = upload(
        &app,
        &cookie,
        "not-the-token",
        &format!("/petitions/{code}/attachments"),
        "don.pdf",
        PDF,
    )
    .await;
    assert_eq!(status, 403, "CSRF applies to uploads");
    let (foreign, foreign_csrf) = app.login("ngoai").await;
    let (status, _) = upload(
        &app,
        &foreign,
        &foreign_csrf,
        &format!("/petitions/{code}/attachments"),
        "don.pdf",
        PDF,
    )
    .await;
    assert_eq!(status, 404);
    let (viewer, viewer_csrf) = app.login("xem").await;
    let (status, _) = upload(
        &app,
        &viewer,
        &viewer_csrf,
        &format!("/petitions/{code}/attachments"),
        "don.pdf",
        PDF,
    )
    .await;
    assert!(
        status == 403 || status == 404,
        "a viewer cannot attach: {status}"
    );

    assert_eq!(app.count("attachments").await, 0);
    assert!(walk(&app.dir.join("att")).is_empty(), "no file left behind");
}

#[tokio::test]
async fn the_scan_of_a_denunciation_is_protected_like_the_denouncer() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let code = petition(&app, &cookie, &csrf, "TC", "Trần Thị Tố Giác").await;
    let (status, _) = upload(
        &app,
        &cookie,
        &csrf,
        &format!("/petitions/{code}/attachments"),
        "to-cao.pdf",
        PDF,
    )
    .await;
    assert_eq!(status, 303, "the handler files the scan");
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(
        !page.contains("href=\"/attachments/"),
        "no link for a masked reader"
    );
    assert!(page.contains("to-cao.pdf"));
    let id = danvan_store::testing::scalar(&app.store, "SELECT MAX(id) FROM attachments").await;
    let (status, _) = app.get(&format!("/attachments/{id}"), &cookie).await;
    assert_eq!(status, 403, "an unassigned handler may not open it");

    let reads_before = danvan_store::testing::scalar(
        &app.store,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'read_identity'",
    )
    .await;
    let (head, _) = app.login("chutich").await;
    let res = app
        .send(
            Request::get(format!("/attachments/{id}"))
                .header(header::COOKIE, &head)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200, "the head of the handling unit may");
    let reads_after = danvan_store::testing::scalar(
        &app.store,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'read_identity'",
    )
    .await;
    assert_eq!(reads_after, reads_before + 1, "and the read is audited");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
