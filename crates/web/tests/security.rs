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
    assert!(page.contains("Ngày không hợp lệ"));
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
