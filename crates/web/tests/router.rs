//! The real router on a fresh database per test: login, CSRF, the registers, validation,
//! scoping, protected identity, the API and its OpenAPI document.

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use common::*;
use serde_json::json;

#[tokio::test]
async fn health_and_login() {
    let app = TestApp::new().await;
    let res = app
        .send(Request::get("/healthz").body(Body::empty()).expect("req"))
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .send(Request::get("/").body(Body::empty()).expect("req"))
        .await;
    assert_eq!(
        res.status(),
        303,
        "anonymous users are sent to the login page"
    );
    let (status, _, body) = app
        .post_form(
            "/login",
            "",
            &[("username", "tiepdan"), ("password", "sai-mat-khau")],
        )
        .await;
    assert_eq!(status, 401);
    assert!(body.contains("không đúng"));
    let (cookie, _) = app.login("tiepdan").await;
    let (status, body) = app.get("/", &cookie).await;
    assert_eq!(status, 200);
    assert!(body.contains("Tổng quan"));
    let res = app
        .send(
            Request::get("/")
                .header(header::COOKIE, "danvan_session=forged")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(res.status(), 303, "a forged session is no session");
}

#[tokio::test]
async fn a_visit_with_a_new_case_appears_in_the_register_and_the_summary() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("tiepdan").await;
    let (status, location, _) = app
        .post_form(
            "/visits",
            &cookie,
            &visit_form(&csrf, "P-TCD", "060085001234"),
        )
        .await;
    assert_eq!(status, 303, "saved and redirected");
    assert!(location.starts_with("/visits/TCD-2026-"), "{location}");
    let (status, page) = app.get(&location, &cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains("Nguyễn Văn Bình") || page.contains("bảo mật"));
    let (_, list) = app.get("/visits?q=dat+dai", &cookie).await;
    assert!(
        list.contains("Tranh chấp ranh giới đất đai"),
        "folded search finds đất đai from 'dat dai'"
    );
    let (_, list) = app.get("/visits?q=khong+co+gi", &cookie).await;
    assert!(!list.contains("Tranh chấp ranh giới"));
    assert_eq!(
        app.count("cases").await,
        1,
        "a visit with no case chosen opens one"
    );
    let summary = app
        .store
        .summary(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("d"),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("d"),
            Some("P"),
        )
        .await
        .expect("summary");
    assert_eq!(
        (summary.visits, summary.cases, summary.petitions),
        (1, 1, 0)
    );
    assert!(
        summary
            .text()
            .starts_with("Trong tháng 11 năm 2026 các cơ quan, đơn vị đã tiếp 1 lượt/1 vụ việc")
    );
}

#[tokio::test]
async fn forms_need_the_csrf_token_and_same_origin() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("tiepdan").await;
    let mut form = visit_form(&csrf, "P-TCD", "060085001234");
    form[0] = ("_csrf", "wrong");
    let (status, ..) = app.post_form("/visits", &cookie, &form).await;
    assert_eq!(status, 403);
    let body = "_csrf=x";
    let res = app
        .send(
            Request::post("/visits")
                .header(header::COOKIE, &cookie)
                .header(header::ORIGIN, "http://evil.example")
                .header(header::HOST, "localhost")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("req"),
        )
        .await;
    assert_eq!(res.status(), 403, "cross-origin post refused");
    assert_eq!(app.count("visits").await, 0);
}

#[tokio::test]
async fn bad_input_gets_vietnamese_messages_and_stores_nothing() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("tiepdan").await;
    let mut form = visit_form(&csrf, "P-TCD", "12345");
    form.push(("is_group", "1"));
    form.push(("headcount", "3"));
    form[2] = ("visit_date", "31/02/2026");
    let (status, _, page) = app.post_form("/visits", &cookie, &form).await;
    assert_eq!(status, 422);
    assert!(page.contains("CCCD có 12 chữ số"), "ID number message");
    assert!(page.contains("Ngày tiếp không hợp lệ"), "date message");
    assert!(
        page.contains("từ 5 người trở lên"),
        "group threshold message"
    );
    assert!(
        page.contains("Nguyễn Văn Bình"),
        "the form keeps what was typed"
    );
    assert_eq!(app.count("visits").await, 0);
    assert_eq!(app.count("cases").await, 0);
    assert_eq!(app.count("people").await, 0);
    // An unknown case code is refused without a half-written visit.
    let mut form = visit_form(&csrf, "P-TCD", "060085001234");
    form.push(("case_code", "VV-2026-999999"));
    let (status, _, page) = app.post_form("/visits", &cookie, &form).await;
    assert_eq!(status, 422);
    assert!(page.contains("Không tìm thấy vụ việc"));
    assert_eq!(app.count("visits").await, 0);
    assert_eq!(app.count("cases").await, 0);
}

#[tokio::test]
async fn users_see_only_their_subtree() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("tiepdan").await;
    let code = app
        .create(
            "/visits",
            &cookie,
            &visit_form(&csrf, "P-TCD", "060085001234"),
        )
        .await;
    let (foreign, _) = app.login("ngoai").await;
    let (status, _) = app.get(&format!("/visits/{code}"), &foreign).await;
    assert_eq!(
        status, 404,
        "a foreign unit's record does not exist for them"
    );
    let (_, list) = app.get("/visits", &foreign).await;
    assert!(!list.contains(&code));
    let (commune, _) = app.login("xem").await;
    let (_, list) = app.get("/visits", &commune).await;
    assert!(
        !list.contains(&code),
        "a commune does not see the province's reception office"
    );
    let (committee, _) = app.login("chutich").await;
    let (_, list) = app.get("/visits", &committee).await;
    assert!(
        list.contains(&code),
        "the committee sees its reception office"
    );
    // Writing into a foreign unit is refused.
    let (cookie_q, csrf_q) = app.login("chutichq").await;
    let (status, ..) = app
        .post_form(
            "/visits",
            &cookie_q,
            &visit_form(&csrf_q, "P-TCD", "060085001234"),
        )
        .await;
    assert_eq!(status, 403);
    // A viewer cannot write.
    let (viewer, viewer_csrf) = app.login("xem").await;
    let (status, ..) = app
        .post_form(
            "/visits",
            &viewer,
            &visit_form(&viewer_csrf, "P-XA", "060085001234"),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.count("visits").await, 1);
}

#[tokio::test]
async fn a_denouncers_identity_is_masked_for_everyone_but_the_head_and_assigned() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let form = vec![
        ("_csrf", csrf.as_str()),
        ("unit_code", "P-UB"),
        ("received_date", "10/11/2026"),
        ("source", "post"),
        ("sender_kind", "one"),
        ("sender.full_name", "Trần Thị Tố Giác"),
        ("sender.id_number", "060190009999"),
        ("petition_type", "TC"),
        ("field_code", "HC-CBCC"),
        ("subject", "Cán bộ địa chính xã"),
        ("summary", "Tố cáo cán bộ địa chính nhận tiền"),
    ];
    let code = app.create("/petitions", &cookie, &form).await;
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(
        !page.contains("Tố Giác"),
        "an unassigned handler sees the mask"
    );
    assert!(page.contains("Đã che thông tin người tố cáo"));
    let (_, list) = app.get("/petitions?q=to+giac", &cookie).await;
    assert!(
        !list.contains(&code),
        "a protected name never matches a search"
    );
    let (admin, _) = app.login("admin").await;
    let (_, page) = app.get(&format!("/petitions/{code}"), &admin).await;
    assert!(
        !page.contains("Tố Giác"),
        "administering is not handling the case"
    );
    let (head, head_csrf) = app.login("chutich").await;
    let (_, page) = app.get(&format!("/petitions/{code}"), &head).await;
    assert!(
        page.contains("Trần Thị Tố Giác"),
        "the head of the handling unit sees the denouncer"
    );
    let reads = danvan_store::testing::scalar(
        &app.store,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'read_identity'",
    )
    .await;
    assert_eq!(reads, 1, "the protected read was logged");
    // Assign the handler: now they see it.
    let case_code = app
        .store
        .petition_detail(
            &app.store
                .actor_by_username("chutich")
                .await
                .expect("ok")
                .expect("actor"),
            &code,
        )
        .await
        .expect("detail")
        .row
        .case_code;
    let (status, ..) = app
        .post_form(
            &format!("/cases/{case_code}/handlers"),
            &head,
            &[("_csrf", &head_csrf), ("username", "xuly")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(
        page.contains("Trần Thị Tố Giác"),
        "the assigned handler sees the denouncer"
    );
}

#[tokio::test]
async fn the_api_creates_lists_and_explains_errors() {
    let app = TestApp::new().await;
    let token = app
        .store
        .create_token(None, "tiepdan", "test")
        .await
        .expect("token");
    let body = json!({
        "unit_code": "P-TCD", "visit_date": "2026-11-20", "kind": "regular", "receiver_name": "Cán bộ",
        "people": [{"full_name": "Lê Văn Cường", "id_number": "060085001235"}],
        "content": "Khiếu nại thu hồi đất", "petition_type": "KN", "field_code": "DD-TH", "handling": "accept"
    });
    let (status, created) = app
        .api("POST", "/api/v1/visits", &token, Some(body.clone()))
        .await;
    assert_eq!(status, 201, "{created}");
    let code = created["code"].as_str().expect("code").to_owned();
    let (status, list) = app
        .api("GET", "/api/v1/visits?q=thu+hoi", &token, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["code"], code);
    let mut bad = body.clone();
    bad["people"][0]["id_number"] = json!("999");
    bad["field_code"] = json!("KHONG-CO");
    let (status, err) = app.api("POST", "/api/v1/visits", &token, Some(bad)).await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["code"], "invalid");
    assert!(
        err["error"]["fields"]["people[0].id_number"]
            .as_str()
            .expect("message")
            .contains("12 chữ số")
    );
    assert!(err["error"]["fields"]["field_code"].is_string());
    let res = app
        .send(
            Request::post("/api/v1/visits")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .expect("req"),
        )
        .await;
    assert_eq!(res.status(), 400);
    let (status, _) = app
        .api("GET", "/api/v1/visits", "dv_revoked_or_forged", None)
        .await;
    assert_eq!(status, 401);
    let (status, summary) = app
        .api(
            "GET",
            "/api/v1/summary?from=2026-11-01&to=2026-11-30&unit=P-TCD",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(summary["visits"], 1);
    assert!(
        summary["text"]
            .as_str()
            .expect("text")
            .contains("1 lượt/1 vụ việc")
    );
    let (status, _) = app
        .api(
            "GET",
            "/api/v1/summary?from=2026-11-30&to=2026-11-01",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 422, "a period that ends before it starts");
    let (status, _) = app.api("GET", "/api/v1/users", &token, None).await;
    assert_eq!(status, 403, "only administrators list users");
}

#[tokio::test]
async fn the_board_reads_aggregates_beyond_its_subtree_but_not_records() {
    let app = TestApp::new().await;
    let token = app
        .store
        .create_token(None, "bandv", "test")
        .await
        .expect("token");
    let (status, _) = app
        .api(
            "GET",
            "/api/v1/summary?from=2026-01-01&to=2026-12-31&unit=P-UB",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, list) = app.api("GET", "/api/v1/visits", &token, None).await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 0);
    let viewer = app
        .store
        .create_token(None, "xem", "test")
        .await
        .expect("token");
    let (status, _) = app
        .api(
            "GET",
            "/api/v1/summary?from=2026-01-01&to=2026-12-31&unit=Q",
            &viewer,
            None,
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_openapi_document_is_served_and_matches_the_snapshot() {
    let app = TestApp::new().await;
    let res = app
        .send(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let served: serde_json::Value =
        serde_json::from_str(&body_text(res).await).expect("valid JSON");
    let snapshot: serde_json::Value =
        serde_json::from_str(include_str!("../openapi.json")).expect("snapshot");
    assert_eq!(served, snapshot);
    for path in [
        "/api/v1/visits",
        "/api/v1/petitions",
        "/api/v1/cases",
        "/api/v1/summary",
        "/api/v1/units",
        "/api/v1/reports",
        "/api/v1/letters",
        "/api/v1/letters/{id}",
        "/api/v1/programmes",
        "/api/v1/models/{id}/stage",
        "/api/v1/situation",
    ] {
        assert!(served["paths"][path].is_object(), "{path} documented");
    }
}

#[tokio::test]
async fn every_page_escapes_what_users_typed() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("tiepdan").await;
    let mut form = visit_form(&csrf, "P-TCD", "060085001234");
    form[7] = ("content", "<script>alert(1)</script>");
    let (status, location, _) = app.post_form("/visits", &cookie, &form).await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&location, &cookie).await;
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("alert(1)"), "the text is shown, escaped");
}

#[tokio::test]
async fn an_id_number_finds_the_citizen_only_where_the_reader_may_see_them() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("tiepdan").await;
    let (status, _, _) = app
        .post_form(
            "/visits",
            &cookie,
            &visit_form(&csrf, "P-TCD", "060085007777"),
        )
        .await;
    assert_eq!(status, 303);
    let lookup = "/people/lookup?people%5B0%5D.id_number=060085007777";
    let (status, hint) = app.get(lookup, &cookie).await;
    assert_eq!(status, 200);
    assert!(hint.contains("Công dân đã có trong sổ"), "{hint}");
    assert!(hint.contains("Nguyễn Văn Bình"));
    assert!(hint.contains("/cases/VV-2026-"), "the case to link to");
    let (_, hint) = app
        .get(
            "/people/lookup?people%5B0%5D.id_number=060085000000",
            &cookie,
        )
        .await;
    assert!(
        !hint.contains("Công dân"),
        "an unknown number finds nothing"
    );
    for other in ["ngoai", "xem"] {
        let (c, _) = app.login(other).await;
        let (status, hint) = app.get(lookup, &c).await;
        assert_eq!(status, 200);
        assert!(
            !hint.contains("Nguyễn Văn Bình") && !hint.contains("Công dân"),
            "{other} sees nothing, not even a mask"
        );
    }

    // A denouncer is never found by an officer who may not see them.
    let (xuly, xuly_csrf) = app.login("xuly").await;
    let form = vec![
        ("_csrf", xuly_csrf.as_str()),
        ("unit_code", "P-UB"),
        ("received_date", "10/11/2026"),
        ("source", "post"),
        ("sender_kind", "one"),
        ("sender.full_name", "Trần Thị Tố Giác"),
        ("sender.id_number", "060190008888"),
        ("petition_type", "TC"),
        ("field_code", "HC-CBCC"),
        ("summary", "Tố cáo cán bộ"),
    ];
    let (status, _, _) = app.post_form("/petitions", &xuly, &form).await;
    assert_eq!(status, 303);
    let (_, hint) = app
        .get("/people/lookup?sender.id_number=060190008888", &xuly)
        .await;
    assert!(
        !hint.contains("Tố Giác") && !hint.contains("Công dân"),
        "{hint}"
    );
    let (head, _) = app.login("chutich").await;
    let reads =
        "SELECT COUNT(*) FROM audit_log WHERE action = 'read_identity' AND entity = 'person'";
    let before = danvan_store::testing::scalar(&app.store, reads).await;
    let (_, hint) = app
        .get("/people/lookup?sender.id_number=060190008888", &head)
        .await;
    assert!(
        hint.contains("Tố Giác"),
        "the head of the handling unit may"
    );
    let after = danvan_store::testing::scalar(&app.store, reads).await;
    assert_eq!(
        after,
        before + 1,
        "and that read of a protected identity is audited"
    );
}

#[tokio::test]
async fn administrators_edit_the_catalogue_accounts_units_and_settings() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("admin").await;
    let (status, page) = app.get("/admin", &cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains("Danh mục lĩnh vực") && page.contains("Tạo tài khoản"));

    let (status, location, _) = app
        .post_form(
            "/admin/fields",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("code", "DD-QH"),
                ("parent_code", "HC"),
                ("label", "Quy hoạch sử dụng đất"),
                ("narrative_label", "quy hoạch sử dụng đất"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/admin?ok="));
    let fields = app.store.fields().await.expect("fields");
    assert!(fields.iter().any(|f| f.code == "DD-QH" && f.active));
    let (status, _, page) = app
        .post_form(
            "/admin/fields",
            &cookie,
            &[("_csrf", &csrf), ("code", "DD-QH"), ("label", "Trùng mã")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Mã lĩnh vực đã có"));
    let (status, _, _) = app
        .post_form(
            "/admin/fields/DD-QH",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("label", "Quy hoạch đất"),
                ("narrative_label", "quy hoạch"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let fields = app.store.fields().await.expect("fields");
    let f = fields.iter().find(|f| f.code == "DD-QH").expect("field");
    assert_eq!(f.label, "Quy hoạch đất");
    assert!(!f.active, "an unticked box retires the field");

    let (status, _, _) = app
        .post_form(
            "/admin/users",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("username", "tiepdan2"),
                ("full_name", "Lê Thị Tiếp"),
                ("unit_code", "P-TCD"),
                ("role", "reception_officer"),
                ("password", "mat-khau-moi-2026"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(
        app.store
            .verify_login("tiepdan2", "mat-khau-moi-2026")
            .await
            .expect("db")
            != danvan_store::Login::Refused
    );
    let (status, _, page) = app
        .post_form(
            "/admin/users",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("username", "ngoai2"),
                ("full_name", "Ngoài phạm vi"),
                ("unit_code", "Q-UB"),
                ("role", "viewer"),
                ("password", "mat-khau-moi-2026"),
            ],
        )
        .await;
    assert_eq!(
        status, 422,
        "an administrator of P cannot create accounts in Q"
    );
    assert!(page.contains("phạm vi quản trị"));
    assert!(
        app.store
            .actor_by_username("ngoai2")
            .await
            .expect("db")
            .is_none()
    );

    let (status, _, _) = app
        .post_form(
            "/admin/users/tiepdan2/password",
            &cookie,
            &[("_csrf", &csrf), ("password", "mat-khau-khac-2026")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(
        app.store
            .verify_login("tiepdan2", "mat-khau-khac-2026")
            .await
            .expect("db")
            != danvan_store::Login::Refused
    );
    let (status, _, _) = app
        .post_form(
            "/admin/users/chutichq/password",
            &cookie,
            &[("_csrf", &csrf), ("password", "mat-khau-khac-2026")],
        )
        .await;
    assert_eq!(status, 404, "accounts of another province are out of reach");

    let (status, _, page) = app
        .post_form(
            "/admin/units",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("code", "P-XA2"),
                ("name", "UBND xã Mới"),
                ("kind", "commune"),
                ("parent_code", "P-UB"),
                ("valid_from", "01/07/2025"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    let unit = app
        .store
        .unit_by_code("P-XA2")
        .await
        .expect("db")
        .expect("unit");
    assert_eq!(unit.valid_from.as_deref(), Some("2025-07-01"));

    let (status, _, page) = app
        .post_form(
            "/admin/settings",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("group_threshold", "1"),
                ("attachment_max_mb", "10"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("từ 2 đến 100"));
    assert_eq!(
        app.store.group_threshold().await.expect("db"),
        5,
        "nothing saved"
    );
    let (status, _, _) = app
        .post_form(
            "/admin/settings",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("group_threshold", "10"),
                ("attachment_max_mb", "10"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(app.store.group_threshold().await.expect("db"), 10);

    for who in ["tiepdan", "chutich"] {
        let (c, t) = app.login(who).await;
        let (status, _) = app.get("/admin", &c).await;
        assert_eq!(status, 403, "{who} does not administer");
        let (status, _, _) = app
            .post_form(
                "/admin/settings",
                &c,
                &[
                    ("_csrf", &t),
                    ("group_threshold", "3"),
                    ("attachment_max_mb", "5"),
                ],
            )
            .await;
        assert_eq!(status, 403);
    }
    assert_eq!(app.store.group_threshold().await.expect("db"), 10);
}
