//! Trust (issue 6): the audit log's page — read by administrators and leaders within their
//! scope, by nobody else, and never edited through the product.

mod common;

use common::*;

#[tokio::test]
async fn the_audit_log_is_read_by_admins_and_leaders_of_the_writers_units_only() {
    let app = TestApp::new().await;
    let (officer, csrf) = app.login("tiepdan").await;
    let (status, location, _) = app
        .post_form(
            "/visits",
            &officer,
            &visit_form(&csrf, "P-TCD", "060085001234"),
        )
        .await;
    assert_eq!(status, 303);
    let code = location
        .trim_start_matches("/visits/")
        .split('?')
        .next()
        .expect("code")
        .to_owned();

    let (admin, _) = app.login("admin").await;
    let (status, page) = app.get(&format!("/admin/audit?code={code}"), &admin).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&code) && page.contains("tiepdan") && page.contains("Tạo"),
        "{page}"
    );

    // The province committee's head sees what the users of the committee's subtree did.
    let (head, _) = app.login("chutich").await;
    let (status, page) = app.get("/admin/audit?user=tiepdan", &head).await;
    assert_eq!(status, 200);
    assert!(page.contains(&code));
    // Another province's head does not.
    let (other, _) = app.login("chutichq").await;
    let (status, page) = app.get("/admin/audit?user=tiepdan", &other).await;
    assert_eq!(status, 200);
    assert!(!page.contains(&code), "{page}");
    // Officers, handlers and viewers do not read the log.
    for user in ["tiepdan", "xuly", "xem"] {
        let (cookie, _) = app.login(user).await;
        assert_eq!(app.get("/admin/audit", &cookie).await.0, 403, "{user}");
    }
    // A bad date is said, not a crash.
    let (status, page) = app.get("/admin/audit?from=31/02/2026", &admin).await;
    assert_eq!(status, 200);
    assert!(page.contains("Từ ngày không hợp lệ (dd/mm/yyyy)"), "{page}");
    // There is no route that writes to the log.
    for method in ["POST", "PUT", "DELETE"] {
        let res = app
            .send(
                axum::http::Request::builder()
                    .method(method)
                    .uri("/admin/audit")
                    .header(axum::http::header::COOKIE, &admin)
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(res.status(), 405, "{method}");
    }
}

async fn login_status(app: &TestApp, user: &str, password: &str) -> (u16, String) {
    let res = app
        .send(
            axum::http::Request::post("/login")
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(axum::body::Body::from(format!(
                    "username={user}&password={}",
                    enc(password)
                )))
                .expect("request"),
        )
        .await;
    let status = res.status().as_u16();
    (status, body_text(res).await)
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_until_an_audited_unlock() {
    let app = TestApp::new().await;
    for _ in 0..4 {
        let (status, page) = login_status(&app, "xuly", "sai-mat-khau").await;
        assert_eq!(status, 401);
        assert!(page.contains("không đúng"));
    }
    // The fifth locks it: now even the right password is refused, and said so.
    let (status, page) = login_status(&app, "xuly", "sai-mat-khau").await;
    assert_eq!(status, 401);
    assert!(page.contains("Tài khoản tạm khóa"), "{page}");
    let (status, page) = login_status(&app, "xuly", PASSWORD).await;
    assert_eq!(status, 401);
    assert!(page.contains("Tài khoản tạm khóa"));
    assert_eq!(
        danvan_store::testing::scalar(
            &app.store,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'lock' AND entity_code = 'xuly'"
        )
        .await,
        1
    );
    // An unknown account is answered like a wrong password (nothing to learn from it).
    let (_, page) = login_status(&app, "khong-co-ai", "x").await;
    assert!(page.contains("không đúng"));

    // The administrator sees the lock and lifts it; the lift is in the log.
    let (admin, csrf) = app.login("admin").await;
    let (_, page) = app.get("/admin", &admin).await;
    assert!(page.contains("Đang khóa"));
    let (status, _, _) = app
        .post_form("/admin/users/xuly/unlock", &admin, &[("_csrf", &csrf)])
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        danvan_store::testing::scalar(
            &app.store,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'unlock' AND entity_code = 'xuly'"
        )
        .await,
        1
    );
    let (status, _) = login_status(&app, "xuly", PASSWORD).await;
    assert_eq!(status, 303);
    // Only an administrator of the account's unit may unlock it.
    let (other, other_csrf) = app.login("chutichq").await;
    let (status, _, _) = app
        .post_form(
            "/admin/users/xuly/unlock",
            &other,
            &[("_csrf", &other_csrf)],
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn sessions_end_when_idle_and_everywhere_at_once() {
    let app = TestApp::new().await;
    let (first, _) = app.login("tiepdan").await;
    let (second, csrf) = app.login("tiepdan").await;
    assert_eq!(app.get("/", &first).await.0, 200);
    // Unused for longer than the idle time (30 minutes by default): back to the login page.
    danvan_store::testing::execute(
        &app.store,
        "UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00.000Z', created_at = '2000-01-01T00:00:00.000Z' WHERE token_hash IN (SELECT token_hash FROM sessions ORDER BY created_at LIMIT 1)",
    )
    .await;
    let res = app
        .send(
            axum::http::Request::get("/")
                .header(axum::http::header::COOKIE, &first)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 303, "idle session ended");
    assert_eq!(app.get("/", &second).await.0, 200);
    // "Đăng xuất khỏi mọi nơi" ends the others too.
    let (third, _) = app.login("tiepdan").await;
    let (status, location, _) = app
        .post_form("/account/logout-all", &second, &[("_csrf", &csrf)])
        .await;
    assert_eq!((status, location.as_str()), (303, "/login"));
    for cookie in [&second, &third] {
        let res = app
            .send(
                axum::http::Request::get("/")
                    .header(axum::http::header::COOKIE, cookie.as_str())
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(res.status(), 303);
    }
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn api_tokens_are_shown_once_listed_and_revoked() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let (status, _, page) = app
        .post_form(
            "/account/tokens",
            &cookie,
            &[("_csrf", &csrf), ("label", "Phần mềm văn bản")],
        )
        .await;
    assert_eq!(status, 200);
    let token = page
        .split("<code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .expect("the new token is shown")
        .to_owned();
    assert!(token.starts_with("dv_"));
    let (status, _) = app.api("GET", "/api/v1/units", &token, None).await;
    assert_eq!(status, 200);
    // Listed without the token itself, with its last use.
    let (_, page) = app.get("/account", &cookie).await;
    assert!(page.contains("Phần mềm văn bản") && !page.contains(&token));
    assert!(!page.contains("chưa dùng"), "the use is recorded");
    let id = danvan_store::testing::scalar(&app.store, "SELECT MAX(id) FROM api_tokens").await;
    // Another user cannot revoke it; its owner can; then it answers 401.
    let (other, other_csrf) = app.login("tiepdan").await;
    let (status, _, _) = app
        .post_form(
            &format!("/account/tokens/{id}/revoke"),
            &other,
            &[("_csrf", &other_csrf)],
        )
        .await;
    assert_eq!(status, 404);
    let (status, _, _) = app
        .post_form(
            &format!("/account/tokens/{id}/revoke"),
            &cookie,
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(status, 303);
    let (status, body) = app.api("GET", "/api/v1/units", &token, None).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn the_redacted_copy_hides_the_denouncer_everywhere_and_the_waiver_is_kept() {
    let app = TestApp::new().await;
    let (head, csrf) = app.login("chutich").await;
    let code = app
        .create(
            "/petitions",
            &head,
            &[
                ("_csrf", &csrf),
                ("unit_code", "P-UB"),
                ("received_date", "10/11/2026"),
                ("source", "post"),
                ("sender_kind", "one"),
                ("sender.full_name", "Trần Văn Tố Giác"),
                ("sender.id_number", "060085004321"),
                ("sender.address", "Thôn Bình An"),
                ("subject", "Ông Nguyễn Văn Bị"),
                ("petition_type", "TC"),
                ("field_code", "HC-CBCC"),
                ("summary", "Tôi, Trần Văn Tố Giác (CCCD 060085004321, Thôn Bình An), tố cáo cán bộ địa chính nhận tiền"),
            ],
        )
        .await;
    // The head of the handling unit sees the denouncer, and makes the copy.
    let res = app
        .send(
            axum::http::Request::get(format!("/petitions/{code}/redacted.docx"))
                .header(axum::http::header::COOKIE, &head)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let text = docx_text(&body_bytes(res).await);
    assert!(text.contains("tố cáo cán bộ địa chính nhận tiền"), "{text}");
    for secret in ["Trần Văn Tố Giác", "060085004321", "Thôn Bình An"] {
        assert!(!text.contains(secret), "{secret} in the copy: {text}");
    }
    assert!(text.contains("[đã che thông tin người tố cáo]"));
    assert!(text.contains("Ông Nguyễn Văn Bị"), "the accused stays");
    assert_eq!(
        danvan_store::testing::scalar(&app.store, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'redacted_copy' AND entity_code = '{code}'")).await,
        1
    );
    // A handler who may not see the denouncer gets neither the copy nor the waiver form.
    let (handler, handler_csrf) = app.login("xuly").await;
    assert_eq!(
        app.get(&format!("/petitions/{code}/redacted.docx"), &handler)
            .await
            .0,
        403
    );
    let (status, _, _) = app
        .post_form(
            &format!("/petitions/{code}/waiver"),
            &handler,
            &[("_csrf", &handler_csrf), ("waived_on", "12/11/2026")],
        )
        .await;
    assert_eq!(status, 403);
    // The waiver: who and when, shown to those who may see the denouncer.
    let (status, _, body) = app
        .post_form(
            &format!("/petitions/{code}/waiver"),
            &head,
            &[
                ("_csrf", &csrf),
                ("waived_on", "12/11/2026"),
                ("note", "Biên bản làm việc ngày 12/11/2026"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = app.get(&format!("/petitions/{code}"), &head).await;
    assert!(
        page.contains("từ chối biện pháp bảo vệ ngày 12/11/2026")
            && page.contains("Cán bộ chutich"),
        "{page}"
    );
    let (status, _, _) = app
        .post_form(
            &format!("/petitions/{code}/waiver"),
            &head,
            &[("_csrf", &csrf), ("waived_on", "01/01/2030")],
        )
        .await;
    assert_eq!(status, 422, "not in the future");
    assert_eq!(app.count("protection_waivers").await, 1);
}

#[tokio::test]
async fn a_leader_adds_a_second_factor_and_signs_in_with_a_code_used_once() {
    let app = TestApp::new().await;
    let (head, csrf) = app.login("chutich").await;
    let (status, _, page) = app
        .post_form("/account/totp/start", &head, &[("_csrf", &csrf)])
        .await;
    assert_eq!(status, 200);
    let secret = page
        .split("id=\"totp-secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the secret is shown")
        .to_owned();
    let key = danvan_totp::base32_decode(&secret).expect("base32");
    // One instant for the whole test: the codes of its step and of the next are both within
    // the window the server accepts for the next minute.
    let t0 = chrono::Utc::now().timestamp() as u64;
    let now = || t0;
    let code = |t: u64| format!("{:06}", danvan_totp::totp(&key, t));
    let (status, _, body) = app
        .post_form(
            "/account/totp/confirm",
            &head,
            &[("_csrf", &csrf), ("code", "000000")],
        )
        .await;
    assert!(status == 422 || code(now()) == "000000", "{body}");
    let (status, _, _) = app
        .post_form(
            "/account/totp/confirm",
            &head,
            &[("_csrf", &csrf), ("code", &code(now()))],
        )
        .await;
    assert_eq!(status, 303);
    // Signing in now asks for a code after the password; no session before it.
    let res = app
        .send(
            axum::http::Request::post("/login")
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(axum::body::Body::from(format!(
                    "username=chutich&password={PASSWORD}"
                )))
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().get(axum::http::header::SET_COOKIE).is_none());
    let page = body_text(res).await;
    let challenge = page
        .split("name=\"challenge\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("challenge")
        .to_owned();
    let post_code = |c: String| {
        let challenge = challenge.clone();
        let app = &app;
        async move {
            app.send(
                axum::http::Request::post("/login/totp")
                    .header(
                        axum::http::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(axum::body::Body::from(format!(
                        "challenge={challenge}&code={c}"
                    )))
                    .expect("request"),
            )
            .await
        }
    };
    // The code that confirmed the enrolment is spent: the next step's code is needed.
    let res = post_code(code(now())).await;
    assert_eq!(res.status(), 401, "a code is used once");
    let res = post_code(code(now() + 30)).await;
    assert_eq!(res.status(), 303);
    assert!(res.headers().get(axum::http::header::SET_COOKIE).is_some());
    // A handler may not add one; the administrator may take it off a lost phone (audited).
    let (handler, handler_csrf) = app.login("xuly").await;
    let (status, _, _) = app
        .post_form("/account/totp/start", &handler, &[("_csrf", &handler_csrf)])
        .await;
    assert_eq!(status, 403);
    let (admin, admin_csrf) = app.login("admin").await;
    let (status, _, _) = app
        .post_form(
            "/admin/users/chutich/totp-reset",
            &admin,
            &[("_csrf", &admin_csrf)],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        danvan_store::testing::scalar(
            &app.store,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('totp_on', 'totp_off')"
        )
        .await,
        2
    );
    app.login("chutich").await;
}

/// Every body a reader can get that could carry the petition's denouncer.
async fn surfaces(
    app: &TestApp,
    cookie: &str,
    token: &str,
    code: &str,
    case: &str,
    attachment: i64,
) -> Vec<(String, String)> {
    let mut out = vec![];
    for path in [
        format!("/petitions/{code}"),
        "/petitions".to_owned(),
        "/petitions?q=Khuat".to_owned(),
        format!("/cases/{case}"),
        "/search?q=Khuat+Van".to_owned(),
        "/search?q=06008507777".to_owned(),
        "/related?unit_code=P-UB&sender.id_number=060085077777&summary=T%E1%BB%91+c%C3%A1o+c%C3%A1n+b%E1%BB%99+%C4%91%E1%BB%8Ba+ch%C3%ADnh+x%C3%A3+P+nh%E1%BA%ADn+ti%E1%BB%81n+c%E1%BB%A7a+d%C3%A2n".to_owned(),
        "/people/lookup?people%5B0%5D.id_number=060085077777".to_owned(),
        "/deadlines".to_owned(),
        "/inbox".to_owned(),
        "/reports/records?set=TT06-2025&form=04-GQTC&col=1&from=2026-01-01&to=2026-11-30&row=P-UB".to_owned(),
        format!("/attachments/{attachment}"),
    ] {
        out.push((path.clone(), app.get(&path, cookie).await.1));
    }
    for path in [
        format!("/api/v1/petitions/{code}"),
        "/api/v1/petitions".to_owned(),
        "/api/v1/search?q=Khuat".to_owned(),
        "/api/v1/search?q=06008507777".to_owned(),
        format!("/api/v1/cases/{case}"),
        format!("/api/v1/cases/{case}/letters"),
        "/api/v1/related?unit_code=P-UB&sender.id_number=060085077777".to_owned(),
    ] {
        let (_, body) = app.api("GET", &path, token, None).await;
        out.push((path, body.to_string()));
    }
    out
}

#[tokio::test]
async fn a_denouncer_is_nowhere_for_another_unit_nor_for_the_accused_unit() {
    let app = TestApp::new().await;
    let (head, csrf) = app.login("chutich").await;
    // A denunciation of an official of the commune P-XA, handled by P-UB.
    let code = app
        .create(
            "/petitions",
            &head,
            &[
                ("_csrf", &csrf),
                ("unit_code", "P-UB"),
                ("received_date", "10/11/2026"),
                ("source", "post"),
                ("sender_kind", "one"),
                ("sender.full_name", "Khuất Văn Báo"),
                ("sender.id_number", "060085077777"),
                ("sender.address", "Xóm Đồi Mận"),
                ("subject", "Cán bộ địa chính xã P"),
                ("subject_unit_code", "P-XA"),
                ("petition_type", "TC"),
                ("field_code", "HC-CBCC"),
                ("summary", "Tố cáo cán bộ địa chính xã P nhận tiền của dân"),
            ],
        )
        .await;
    let (status, _) = upload(
        &app,
        &head,
        &csrf,
        &format!("/petitions/{code}/attachments"),
        "don-to-cao.pdf",
        b"%PDF-1.4 Khuat Van Bao\n%%EOF\n",
    )
    .await;
    assert_eq!(status, 303);
    let attachment =
        danvan_store::testing::scalar(&app.store, "SELECT MAX(id) FROM attachments").await;
    let (_, letter_status, _) = app
        .post_form(
            "/letters",
            &head,
            &[("_csrf", &csrf), ("kind", "transfer_slip"), ("code", &code)],
        )
        .await;
    assert!(!letter_status.is_empty());
    let case = danvan_store::testing::texts(
        &app.store,
        &format!("SELECT c.code FROM petitions p JOIN cases c ON c.id = p.case_id WHERE p.code = '{code}'"),
    )
    .await
    .remove(0);
    let secrets = [
        "Khuất Văn Báo",
        "Khuat Van Bao",
        "060085077777",
        "Xóm Đồi Mận",
    ];

    // The head of the handling unit sees the denouncer: the surfaces do carry it when allowed.
    let token = app
        .store
        .create_token(None, "chutich", "t")
        .await
        .expect("token");
    let seen = surfaces(&app, &head, &token, &code, &case, attachment).await;
    assert!(
        seen.iter().any(|(_, b)| b.contains("Khuất Văn Báo")),
        "positive control"
    );

    // A handler of the same unit not assigned, the accused commune's viewer, the board and
    // another province's users: never, on any surface.
    for user in [
        "xuly", "xem", "bandv", "ngoai", "chutichq", "admin", "tiepdan",
    ] {
        let (cookie, _) = app.login(user).await;
        let token = app
            .store
            .create_token(None, user, "t")
            .await
            .expect("token");
        for (path, body) in surfaces(&app, &cookie, &token, &code, &case, attachment).await {
            for secret in secrets {
                // What the reader typed comes back in the form (an ID number looked up).
                if path.contains(secret) {
                    continue;
                }
                assert!(!body.contains(secret), "{user} sees {secret} on {path}");
            }
        }
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_the_right_answer_and_nothing_stored() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let visits = app.count("visits").await;
    let petitions = app.count("petitions").await;
    // Cross-origin and CSRF-less posts.
    let res = app
        .send(
            axum::http::Request::post("/petitions")
                .header(axum::http::header::COOKIE, &cookie)
                .header(axum::http::header::ORIGIN, "https://evil.example")
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(axum::body::Body::from(format!(
                    "_csrf={csrf}&unit_code=P-UB"
                )))
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 403, "cross-origin");
    let (status, _, _) = app
        .post_form("/petitions", &cookie, &[("unit_code", "P-UB")])
        .await;
    assert_eq!(status, 403, "no CSRF token");
    // SQL metacharacters are text.
    for q in [
        "' OR 1=1 --",
        "\"; DROP TABLE petitions; --",
        "%_\\",
        "Robert'); DELETE FROM units;--",
    ] {
        // Searched for as text, or refused with a message (a lone wildcard): never an error.
        let (status, _) = app.get(&format!("/petitions?q={}", enc(q)), &cookie).await;
        assert!(matches!(status, 200 | 422), "{q}: {status}");
        let (status, page) = app.get(&format!("/search?q={}", enc(q)), &cookie).await;
        assert!(matches!(status, 200 | 422), "{q}: {status}");
        assert!(
            status == 200 || page.contains("class=\"error\""),
            "{q}: the reason is said"
        );
    }
    assert!(app.count("units").await > 0);
    // Malformed JSON, wrong types, an oversized body, a malformed multipart.
    let token = app
        .store
        .create_token(None, "xuly", "t")
        .await
        .expect("token");
    let res = app
        .send(
            axum::http::Request::post("/api/v1/petitions")
                .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
                .header(axum::http::header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from("{\"unit_code\": "))
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = serde_json::from_str(&body_text(res).await).expect("json error");
    assert_eq!(body["error"]["code"], "bad_request");
    let (status, _) = app
        .api(
            "POST",
            "/api/v1/petitions",
            &token,
            Some(serde_json::json!({"unit_code": 5, "summary": []})),
        )
        .await;
    assert!(matches!(status, 400 | 422), "{status}");
    let huge = "x".repeat(3 * 1024 * 1024);
    let res = app
        .send(
            axum::http::Request::post("/api/v1/petitions")
                .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
                .header(axum::http::header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from(format!(
                    "{{\"summary\": \"{huge}\"}}"
                )))
                .expect("request"),
        )
        .await;
    assert!(
        matches!(res.status().as_u16(), 400 | 413 | 422),
        "{}",
        res.status()
    );
    let res = app
        .send(
            axum::http::Request::post("/petitions/DON-2026-000001/attachments")
                .header(axum::http::header::COOKIE, &cookie)
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "multipart/form-data; boundary=x",
                )
                .body(axum::body::Body::from("--x\r\nnot a part"))
                .expect("request"),
        )
        .await;
    assert!(
        matches!(res.status().as_u16(), 400 | 403 | 404),
        "{}",
        res.status()
    );
    // Path traversal in a record's address is a missing record.
    for path in [
        "/attachments/..%2F..%2Fetc%2Fpasswd",
        "/petitions/..%2F..%2Fdanvan.db",
        "/letters/-1/docx",
    ] {
        let (status, body) = app.get(path, &cookie).await;
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        assert!(!body.contains("root:"), "{path}");
    }
    // Expired sessions and unknown or revoked tokens are 401 (the API) or the login page.
    let (status, body) = app
        .api("GET", "/api/v1/units", "dv_not-a-token", None)
        .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthorized");
    assert_eq!(app.count("visits").await, visits);
    assert_eq!(app.count("petitions").await, petitions);
}

#[tokio::test]
async fn script_typed_into_any_text_field_comes_back_as_text() {
    let app = TestApp::new().await;
    const XSS: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let (head, csrf) = app.login("chutich").await;
    let petition = app
        .create(
            "/petitions",
            &head,
            &[
                ("_csrf", &csrf),
                ("unit_code", "P-UB"),
                ("received_date", "10/11/2026"),
                ("source", "post"),
                ("sender_kind", "one"),
                ("sender.full_name", XSS),
                ("sender.address", XSS),
                ("subject", XSS),
                ("petition_type", "KN"),
                ("field_code", "DD-TC"),
                ("summary", XSS),
            ],
        )
        .await;
    let (board, board_csrf) = app.login("bandv").await;
    let programme = app
        .create(
            "/programmes",
            &board,
            &[
                ("_csrf", &board_csrf),
                ("title", XSS),
                ("year_from", "2026"),
                ("year_to", "2026"),
                ("legal_basis", XSS),
                ("parties", "P-BDV"),
                ("parties", "P-UB"),
                ("scope_unit", "P"),
            ],
        )
        .await;
    let (s, _, _) = app
        .post_form(
            &format!("/programmes/{programme}/tasks"),
            &board,
            &[
                ("_csrf", &board_csrf),
                ("content", XSS),
                ("lead_unit", "P-UB"),
                ("due_on", "31/12/2026"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let (s, report, _) = app
        .post_form(
            "/situation/reports",
            &board,
            &[
                ("_csrf", &board_csrf),
                ("unit", "P-UB"),
                ("period_from", "01/10/2026"),
                ("period_to", "31/10/2026"),
                ("level", "signs"),
                ("narrative", XSS),
                ("recommendations", XSS),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let (s, _, _) = app
        .post_form(
            &format!("{report}/hotspots"),
            &board,
            &[
                ("_csrf", &board_csrf),
                ("area_unit", "P-XA"),
                ("place", XSS),
                ("since", "05/10/2026"),
                ("measures", XSS),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let model = app
        .create(
            "/models",
            &board,
            &[
                ("_csrf", &board_csrf),
                ("name", XSS),
                ("unit", "P-XA"),
                ("address", XSS),
                ("field", "kt"),
                ("kind", "collective"),
                ("level", "commune"),
                ("registered_on", "01/02/2026"),
                ("period_from", "2026"),
                ("period_to", "2026"),
                ("description", XSS),
                ("results", XSS),
                ("evidence", XSS),
            ],
        )
        .await;
    for (cookie, page) in [
        (&head, format!("/petitions/{petition}")),
        (&head, "/petitions".to_owned()),
        (&board, format!("/programmes/{programme}")),
        (&board, "/programmes".to_owned()),
        (&board, report.clone()),
        (
            &board,
            "/situation?from=01/01/2026&to=30/11/2026".to_owned(),
        ),
        (&board, format!("/models/{model}")),
        (&board, "/models?year=2026".to_owned()),
        (
            &board,
            format!("/programmes/{programme}/review?from=01/01/2026&to=31/12/2026"),
        ),
    ] {
        let (status, body) = app.get(&page, cookie).await;
        assert_eq!(status, 200, "{page}");
        assert!(!body.contains("<script>alert"), "{page} carries the script");
        assert!(!body.contains("<img src=x"), "{page} carries the tag");
        assert!(body.contains("alert("), "{page} shows the text");
    }
}
