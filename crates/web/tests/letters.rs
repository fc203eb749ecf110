//! Letters: drafted from the record, edited, issued with the unit's yearly number and the date,
//! fixed after issue, kept on the case, downloaded as Word; the denouncer's identity stays out
//! of a transfer slip and out of reach of those who may not see it.

mod common;

use common::*;

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
        ("summary", "Nội dung cần văn bản trả lời"),
    ];
    app.create("/petitions", cookie, &form).await
}

async fn draft(app: &TestApp, cookie: &str, csrf: &str, kind: &str, code: &str) -> (u16, String) {
    let (status, location, _) = app
        .post_form(
            "/letters",
            cookie,
            &[("_csrf", csrf), ("kind", kind), ("code", code)],
        )
        .await;
    (status, location)
}

#[tokio::test]
async fn a_letter_is_drafted_edited_issued_numbered_and_then_fixed() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let code = petition(&app, &cookie, &csrf, "KN", "Phạm Thị Khiếu").await;
    let (status, location) = draft(&app, &cookie, &csrf, "accept_notice", &code).await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&location, &cookie).await;
    assert!(
        page.contains("Thông báo thụ lý") && page.contains("Phạm Thị Khiếu"),
        "drafted from the record"
    );

    let form = |body: &'static str, issue: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("title", "Thông báo thụ lý".to_owned()),
            ("body", body.to_owned()),
            ("signer_title", "Chủ tịch".to_owned()),
            ("signer_name", "Nguyễn Văn A".to_owned()),
            ("issue", issue.to_owned()),
        ]
    };
    let pairs = |f: &Vec<(&'static str, String)>| {
        f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };
    let f = form("Nội dung đã sửa trước khi ban hành.", "");
    let p: Vec<(&str, String)> = pairs(&f);
    let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = app.post_form(&location, &cookie, &refs).await;
    assert_eq!(status, 303);
    let f = form("Nội dung đã sửa trước khi ban hành.", "1");
    let p: Vec<(&str, String)> = pairs(&f);
    let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = app.post_form(&location, &cookie, &refs).await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&location, &cookie).await;
    assert!(
        page.contains("Đã ban hành: Số 1/TB, ngày 28/11/2026"),
        "numbered and dated"
    );
    assert!(page.contains("Nội dung đã sửa trước khi ban hành."));

    let f = form("Sửa sau khi ban hành", "");
    let p: Vec<(&str, String)> = pairs(&f);
    let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, page) = app.post_form(&location, &cookie, &refs).await;
    assert_eq!(status, 422);
    assert!(page.contains("đã ban hành, không sửa được"));

    // The next notice of the unit gets the next number.
    let (_, second) = draft(&app, &cookie, &csrf, "reject_notice", &code).await;
    let f = form("Không thụ lý.", "1");
    let p: Vec<(&str, String)> = pairs(&f);
    let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = app.post_form(&second, &cookie, &refs).await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&second, &cookie).await;
    assert!(page.contains("Số 2/TB"));

    let res = app
        .send(
            axum::http::Request::get(format!("{location}/docx"))
                .header(axum::http::header::COOKIE, &cookie)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(body_text(res).await.starts_with("PK"));
    let (_, petition_page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(
        petition_page.contains("số 1/TB") && petition_page.contains("số 2/TB"),
        "kept on the record"
    );
    let (foreign, _) = app.login("ngoai").await;
    let (status, _) = app.get(&location, &foreign).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_denouncer_stays_out_of_the_transfer_slip_and_out_of_reach() {
    let app = TestApp::new().await;
    let (head, head_csrf) = app.login("chutich").await;
    let code = petition(&app, &head, &head_csrf, "TC", "Trần Văn Tố Giác").await;
    let (_, slip) = draft(&app, &head, &head_csrf, "transfer_slip", &code).await;
    let (_, page) = app.get(&slip, &head).await;
    assert!(
        !page.contains("Tố Giác"),
        "a transfer slip carries the content, not the person"
    );
    assert!(page.contains("thông tin được bảo mật"));
    let (_, notice) = draft(&app, &head, &head_csrf, "accept_notice", &code).await;
    let (_, page) = app.get(&notice, &head).await;
    assert!(
        page.contains("Trần Văn Tố Giác"),
        "the head of the handling unit writes to the denouncer"
    );
    let (handler, _) = app.login("xuly").await;
    let (status, _) = app.get(&notice, &handler).await;
    assert_eq!(
        status, 403,
        "an unassigned handler may not read a letter naming the denouncer"
    );
    let (status, _) = app.get(&slip, &handler).await;
    assert_eq!(
        status, 200,
        "the slip without the name is readable by the unit"
    );
    let (viewer, viewer_csrf) = app.login("xem").await;
    let (status, _) = draft(&app, &viewer, &viewer_csrf, "guide_slip", &code).await;
    assert!(
        status == 403 || status == 404,
        "a viewer drafts nothing: {status}"
    );
}

#[tokio::test]
async fn the_api_drafts_edits_issues_lists_and_downloads_letters_under_the_same_rules() {
    let app = TestApp::new().await;
    let (head, head_csrf) = app.login("chutich").await;
    let code = petition(&app, &head, &head_csrf, "TC", "Đỗ Văn Báo Tin").await;
    let head_token = app
        .store
        .create_token(None, "chutich", "test")
        .await
        .expect("token");
    let (status, body) = app
        .api(
            "POST",
            "/api/v1/letters",
            &head_token,
            Some(serde_json::json!({"kind": "no_such_letter", "code": code})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"]["kind"], "Không có loại văn bản này");

    let (status, body) = app
        .api(
            "POST",
            "/api/v1/letters",
            &head_token,
            Some(serde_json::json!({"kind": "accept_notice", "code": code})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().expect("id");
    assert!(body["number"].is_null(), "a draft has no number");
    assert!(
        body["body"]
            .as_str()
            .is_some_and(|b| b.contains("Đỗ Văn Báo Tin")),
        "{body}"
    );
    let edit = |issue: bool| {
        serde_json::json!({
            "title": "Thông báo thụ lý tố cáo",
            "body": "Nội dung sửa qua API.",
            "signer_title": "Chủ tịch",
            "signer_name": "Nguyễn Văn A",
            "issue": issue,
        })
    };
    let path = format!("/api/v1/letters/{id}");
    let (status, body) = app.api("POST", &path, &head_token, Some(edit(true))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["number"], "1/TB");
    assert_eq!(body["issued_on"], "2026-11-28");
    assert_eq!(body["body"], "Nội dung sửa qua API.");
    let (status, body) = app.api("POST", &path, &head_token, Some(edit(false))).await;
    assert_eq!(status, 422, "an issued letter is fixed: {body}");

    let (_, petition) = app
        .api(
            "GET",
            &format!("/api/v1/petitions/{code}"),
            &head_token,
            None,
        )
        .await;
    let case = petition["row"]["case_code"]
        .as_str()
        .expect("case")
        .to_owned();
    let (status, body) = app
        .api(
            "GET",
            &format!("/api/v1/cases/{case}/letters"),
            &head_token,
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.as_array().map(Vec::len), Some(1));
    let (status, docx) = app
        .api("GET", &format!("{path}/docx"), &head_token, None)
        .await;
    assert_eq!(status, 200);
    assert!(
        docx.as_str().is_some_and(|s| s.starts_with("PK")),
        "a Word file"
    );

    // A handler not assigned to the case may not read the letter naming the denouncer.
    let handler = app
        .store
        .create_token(None, "xuly", "test")
        .await
        .expect("token");
    let (status, _) = app.api("GET", &path, &handler, None).await;
    assert_eq!(status, 403);
    let (status, _) = app
        .api("GET", &format!("{path}/docx"), &handler, None)
        .await;
    assert_eq!(status, 403);
}
