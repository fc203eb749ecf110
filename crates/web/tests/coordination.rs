//! Dân vận coordination through the real router: programmes and tasks, dialogues, situation
//! reports and hotspots, "Dân vận khéo" models and their cycle, the review; who may see and
//! do what; bad input answered in Vietnamese with nothing half-saved.

mod common;

use common::*;

/// A programme between the committee and the board, created by the board; returns its id.
async fn programme(app: &TestApp, cookie: &str, csrf: &str) -> String {
    app.create(
        "/programmes",
        cookie,
        &[
            ("_csrf", csrf),
            ("title", "Chương trình phối hợp công tác dân vận năm 2026"),
            ("year_from", "2026"),
            ("year_to", "2026"),
            ("legal_basis", "Quy chế phối hợp số 01"),
            ("parties", "P-BDV"),
            ("parties", "P-UB"),
            ("scope_unit", "P"),
        ],
    )
    .await
}

async fn task(
    app: &TestApp,
    cookie: &str,
    csrf: &str,
    p: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let mut f = vec![("_csrf", csrf)];
    f.extend_from_slice(form);
    let (status, _, body) = app
        .post_form(&format!("/programmes/{p}/tasks"), cookie, &f)
        .await;
    (status, body)
}

#[tokio::test]
async fn a_programme_gathers_tasks_that_each_party_updates_and_a_foreign_unit_never_sees() {
    let app = TestApp::new().await;
    let (board, board_csrf) = app.login("bandv").await;
    let p = programme(&app, &board, &board_csrf).await;

    // A task due before it starts: the form comes back with the message, nothing is saved.
    let (status, body) = task(
        &app,
        &board,
        &board_csrf,
        &p,
        &[
            ("content", "Đối thoại với nhân dân"),
            ("lead_unit", "P-UB"),
            ("starts_on", "01/06/2026"),
            ("due_on", "31/05/2026"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Hạn hoàn thành không thể trước ngày bắt đầu nhiệm vụ"),
        "{body}"
    );
    assert!(
        body.contains("Đối thoại với nhân dân"),
        "the form keeps what was typed"
    );
    assert_eq!(app.count("programme_tasks").await, 0);

    let (status, _) = task(
        &app,
        &board,
        &board_csrf,
        &p,
        &[
            ("content", "Đối thoại với nhân dân"),
            ("lead_unit", "P-UB"),
            ("cooperating", "P-TCD"),
            ("starts_on", "01/06/2026"),
            ("due_on", "30/09/2026"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let task_id: i64 =
        danvan_store::testing::scalar(&app.store, "SELECT MAX(id) FROM programme_tasks").await;

    // Past due (today is 28/11/2026): it surfaces on the dashboard of the lead unit's users.
    let (head, head_csrf) = app.login("chutich").await;
    let (_, dash) = app.get("/", &head).await;
    assert!(dash.contains("Nhiệm vụ phối hợp quá hạn (1)"), "{dash}");
    assert!(dash.contains(&format!("/tasks/{task_id}")));

    // The lead unit's head records progress and completes it; the cooperating unit's officer
    // may too; a viewer of another unit may not.
    let (status, location, _) = app
        .post_form(
            &format!("/tasks/{task_id}"),
            &head,
            &[
                ("_csrf", &head_csrf),
                ("status", "done"),
                ("note", "Đã tổ chức đối thoại"),
                ("evidence", "Thông báo kết luận số 12"),
                ("noted_on", "20/11/2026"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    let (_, page) = app.get(&format!("/tasks/{task_id}"), &head).await;
    assert!(
        page.contains("Hoàn thành")
            && page.contains("20/11/2026")
            && page.contains("Thông báo kết luận số 12")
    );
    let (_, dash) = app.get("/", &head).await;
    assert!(
        !dash.contains("Nhiệm vụ phối hợp quá hạn"),
        "done tasks leave the dashboard"
    );

    let (viewer, viewer_csrf) = app.login("xem").await;
    let (status, _, _) = app
        .post_form(
            &format!("/tasks/{task_id}"),
            &viewer,
            &[("_csrf", &viewer_csrf), ("note", "x")],
        )
        .await;
    assert_eq!(status, 403);

    // A user of another province sees neither the programme nor its task, in the UI or the API.
    let (foreign, _) = app.login("ngoai").await;
    let (_, list) = app.get("/programmes", &foreign).await;
    assert!(!list.contains("Chương trình phối hợp công tác dân vận năm 2026"));
    assert_eq!(app.get(&format!("/programmes/{p}"), &foreign).await.0, 403);
    assert_eq!(app.get(&format!("/tasks/{task_id}"), &foreign).await.0, 403);
    let token = app
        .store
        .create_token(None, "ngoai", "t")
        .await
        .expect("token");
    let (status, body) = app
        .api("GET", &format!("/api/v1/programmes/{p}"), &token, None)
        .await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "forbidden");
    let (status, body) = app.api("GET", "/api/v1/programmes", &token, None).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_recurring_task_moves_to_the_next_quarter_when_done_and_ends_with_the_programme() {
    let app = TestApp::new().await;
    let (board, csrf) = app.login("bandv").await;
    let p = programme(&app, &board, &csrf).await;
    let (status, _) = task(
        &app,
        &board,
        &csrf,
        &p,
        &[
            ("content", "Báo cáo tình hình hằng quý"),
            ("lead_unit", "P-BDV"),
            ("due_on", "30/06/2026"),
            ("recurrence", "quarterly"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let id: i64 =
        danvan_store::testing::scalar(&app.store, "SELECT MAX(id) FROM programme_tasks").await;
    let done = |on: &'static str| {
        let board = board.clone();
        let csrf = csrf.clone();
        let app = &app;
        async move {
            app.post_form(
                &format!("/tasks/{id}"),
                &board,
                &[
                    ("_csrf", &csrf),
                    ("status", "done"),
                    ("note", "Đã báo cáo"),
                    ("noted_on", on),
                ],
            )
            .await
            .0
        }
    };
    assert_eq!(done("01/07/2026").await, 303);
    let (_, page) = app.get(&format!("/tasks/{id}"), &board).await;
    assert!(
        page.contains("30/09/2026") && page.contains("Đang thực hiện"),
        "rolled to Q3"
    );
    assert_eq!(done("01/10/2026").await, 303);
    assert_eq!(done("20/11/2026").await, 303);
    let (_, page) = app.get(&format!("/tasks/{id}"), &board).await;
    assert!(
        page.contains("Hoàn thành"),
        "the last quarter of the programme closes it"
    );
}

#[tokio::test]
async fn a_model_goes_from_registration_to_commendation_and_never_skips_recognition() {
    let app = TestApp::new().await;
    let (board, csrf) = app.login("bandv").await;
    let register = [
        ("_csrf", csrf.as_str()),
        ("name", "Dân vận khéo trong xây dựng nông thôn mới"),
        ("unit", "P-XA"),
        ("address", "Xã P"),
        ("field", "vhxh"),
        ("kind", "collective"),
        ("level", "commune"),
        ("registered_on", "15/02/2026"),
        ("period_from", "2026"),
        ("period_to", "2030"),
    ];
    let id = app.create("/models", &board, &register).await;
    let step = |stage: &'static str, on: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut f = vec![
            ("_csrf", csrf.clone()),
            ("stage", stage.to_owned()),
            ("on", on.to_owned()),
        ];
        f.extend(extra.into_iter().map(|(k, v)| (k, v.to_owned())));
        f
    };
    let post = |f: Vec<(&'static str, String)>| {
        let board = board.clone();
        let id = id.clone();
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&format!("/models/{id}/stage"), &board, &pairs)
                .await
        }
    };
    assert_eq!(post(step("in_progress", "01/03/2026", vec![])).await.0, 303);
    assert_eq!(post(step("checked", "20/05/2026", vec![])).await.0, 303);
    let events = app.count("model_events").await;

    // Commended before it was recognised: refused, with the reason, nothing saved.
    let (status, _, body) = post(step(
        "commended",
        "25/06/2026",
        vec![
            ("decision", "1520/QĐ-UBND"),
            ("form", "Bằng khen"),
            ("issuer", "Chủ tịch UBND tỉnh"),
        ],
    ))
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Mô hình chưa được công nhận thì chưa thể khen thưởng"),
        "{body}"
    );
    assert_eq!(app.count("model_events").await, events);
    let stage: Vec<String> = danvan_store::testing::texts(
        &app.store,
        &format!("SELECT stage FROM dvk_models WHERE id = {id}"),
    )
    .await;
    assert_eq!(stage, ["checked"]);

    // The commune's own viewer sees it but may not recognise it.
    let (officer, officer_csrf) = app.login("xem").await;
    let (status, _, _) = app
        .post_form(
            &format!("/models/{id}/stage"),
            &officer,
            &[
                ("_csrf", &officer_csrf),
                ("stage", "recognised"),
                ("on", "10/06/2026"),
                ("decision", "25-QĐ/BDV"),
            ],
        )
        .await;
    assert_eq!(status, 403);

    // Recognised by a round's decision, then commended — not before the recognition date.
    let (status, location, body) = app
        .post_form(
            "/models/round",
            &board,
            &[
                ("_csrf", &csrf),
                ("round_stage", "recognised"),
                ("decision", "25-QĐ/BDV"),
                ("on", "10/06/2026"),
                ("model", &id),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.contains("done=1"));
    let (status, _, body) = post(step(
        "commended",
        "01/06/2026",
        vec![
            ("decision", "1520/QĐ-UBND"),
            ("form", "Bằng khen"),
            ("issuer", "Chủ tịch UBND tỉnh"),
        ],
    ))
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("trước ngày mô hình được công nhận"), "{body}");
    let (status, _, _) = post(step(
        "commended",
        "25/06/2026",
        vec![
            ("decision", "1520/QĐ-UBND"),
            ("form", "Bằng khen"),
            ("issuer", "Chủ tịch UBND tỉnh"),
        ],
    ))
    .await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&format!("/models/{id}"), &board).await;
    assert!(page.contains("Được khen thưởng"));
    assert!(
        page.contains(
            "Bằng khen của Chủ tịch UBND tỉnh, Quyết định số 1520/QĐ-UBND ngày 25/06/2026"
        ),
        "{page}"
    );
    assert_eq!(app.count("model_rounds").await, 1);

    // Counted in the list by field and stage.
    let (_, list) = app.get("/models?year=2026&field=vhxh", &board).await;
    assert!(list.contains("Tổng số: <strong>1</strong>"), "{list}");
    let (_, none) = app.get("/models?year=2026&field=kt", &board).await;
    assert!(none.contains("Tổng số: <strong>0</strong>"));
}

#[tokio::test]
async fn a_round_is_all_or_nothing_and_names_the_model_at_fault() {
    let app = TestApp::new().await;
    let token = app
        .store
        .create_token(None, "bandv", "t")
        .await
        .expect("token");
    let model = |name: &str| {
        serde_json::json!({
            "name": name, "unit": "P-XA", "field": "kt", "kind": "individual", "level": "commune",
            "registered_on": "2026-02-01", "period_from": 2026, "period_to": 2026
        })
    };
    let (status, a) = app
        .api("POST", "/api/v1/models", &token, Some(model("Mô hình A")))
        .await;
    assert_eq!(status, 200, "{a}");
    let (_, b) = app
        .api("POST", "/api/v1/models", &token, Some(model("Mô hình B")))
        .await;
    let (a, b) = (a["id"].as_i64().expect("id"), b["id"].as_i64().expect("id"));
    for stage in ["in_progress", "checked"] {
        let (status, body) = app
            .api(
                "POST",
                &format!("/api/v1/models/{a}/stage"),
                &token,
                Some(serde_json::json!({"stage": stage, "on": "2026-03-01"})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["row"]["stage"], stage);
    }
    // B was never checked: the round recognising A and B fails as a whole.
    let (status, body) = app
        .api(
            "POST",
            "/api/v1/models/round",
            &token,
            Some(serde_json::json!({"stage": "recognised", "decision": "7/QĐ", "on": "2026-04-01", "models": [a, b]})),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["fields"]["models"]
            .as_str()
            .is_some_and(|m| m.contains(&format!("Mô hình số {b}"))),
        "{body}"
    );
    assert_eq!(app.count("model_rounds").await, 0);
    let stages =
        danvan_store::testing::texts(&app.store, "SELECT stage FROM dvk_models ORDER BY id").await;
    assert_eq!(stages, ["checked", "registered"]);
    // Malformed JSON is a structured 400.
    let (status, body) = app
        .api(
            "POST",
            "/api/v1/models",
            &token,
            Some(serde_json::json!({"name": 3})),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "bad_request");
}

#[tokio::test]
async fn a_hotspot_must_lie_in_the_reports_area_and_the_overview_sets_it_beside_the_registers() {
    let app = TestApp::new().await;
    let (board, csrf) = app.login("bandv").await;
    let (status, location, body) = app
        .post_form(
            "/situation/reports",
            &board,
            &[
                ("_csrf", &csrf),
                ("unit", "P-UB"),
                ("period_from", "01/10/2026"),
                ("period_to", "31/10/2026"),
                ("level", "signs"),
                ("topics", "dat_dai"),
                ("topics", "ton_giao"),
                ("narrative", "Một số hộ dân bức xúc về bồi thường"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let report = location.rsplit('/').next().expect("id").to_owned();

    // A hotspot in another province: refused with the reason, nothing saved.
    let hotspot = |area: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("area_unit", area.into()),
            ("place", "Khu tái định cư".into()),
            ("since", "05/10/2026".into()),
            ("people", "30".into()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let board = board.clone();
        let report = report.clone();
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(
                &format!("/situation/reports/{report}/hotspots"),
                &board,
                &pairs,
            )
            .await
        }
    };
    let (status, _, body) = post(hotspot("Q-UB")).await;
    assert_eq!(status, 422);
    assert!(body.contains("nằm ngoài địa bàn"), "{body}");
    assert_eq!(app.count("hotspots").await, 0);
    assert_eq!(post(hotspot("P-XA")).await.0, 303);

    let (_, page) = app
        .get("/situation?from=01/01/2026&to=30/11/2026&unit=P", &board)
        .await;
    assert!(page.contains("Khu tái định cư"));
    assert!(page.contains("Có biểu hiện phức tạp"));
    assert!(page.contains("<svg"), "a chart of levels by unit");
    assert!(page.contains("10/2026"), "the trend by month");
    // A foreign user neither sees the report nor lists it.
    let (foreign, _) = app.login("ngoai").await;
    assert_eq!(
        app.get(&format!("/situation/reports/{report}"), &foreign)
            .await
            .0,
        403
    );
    let (_, other) = app
        .get("/situation?from=01/01/2026&to=30/11/2026", &foreign)
        .await;
    assert!(!other.contains("Khu tái định cư"));
}

#[tokio::test]
async fn the_review_of_a_period_without_activity_says_so_and_downloads_as_word() {
    let app = TestApp::new().await;
    let (board, csrf) = app.login("bandv").await;
    let p = programme(&app, &board, &csrf).await;
    let (status, page) = app
        .get(
            &format!("/programmes/{p}/review?from=01/01/2026&to=31/01/2026"),
            &board,
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Trong kỳ không có hoạt động nào được ghi nhận"),
        "{page}"
    );
    let res = app
        .send(
            axum::http::Request::get(format!(
                "/programmes/{p}/review.docx?from=01/01/2026&to=31/01/2026"
            ))
            .header(axum::http::header::COOKIE, &board)
            .body(axum::body::Body::empty())
            .expect("req"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()[axum::http::header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    let bytes = body_bytes(res).await;
    let xml = docx_text(&bytes);
    assert!(
        xml.contains("hệ thống không ghi nhận hoạt động nào"),
        "{xml}"
    );
    assert!(xml.contains("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"));
    // A period that ends before it starts is a clear 400; a bad date in a list's filter is said.
    let (_, page) = app.get("/situation?from=31/02/2026", &board).await;
    assert!(page.contains("Từ ngày không hợp lệ"), "{page}");
    let (_, page) = app.get("/engagements?to=hôm+qua", &board).await;
    assert!(page.contains("Đến ngày không hợp lệ"));
    let (_, page) = app.get("/models?year=abc", &board).await;
    assert!(page.contains("Năm không hợp lệ"));
    let (status, _) = app
        .get(
            &format!("/programmes/{p}/review?from=31/01/2026&to=01/01/2026"),
            &board,
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_review_counts_what_the_registers_and_the_programme_hold() {
    let app = TestApp::new().await;
    let (board, csrf) = app.login("bandv").await;
    let p = programme(&app, &board, &csrf).await;
    let (status, _) = task(
        &app,
        &board,
        &csrf,
        &p,
        &[
            ("content", "Hội nghị sơ kết"),
            ("lead_unit", "P-BDV"),
            ("due_on", "30/06/2026"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let id: i64 =
        danvan_store::testing::scalar(&app.store, "SELECT MAX(id) FROM programme_tasks").await;
    let (s, _, _) = app
        .post_form(
            &format!("/tasks/{id}"),
            &board,
            &[
                ("_csrf", &csrf),
                ("status", "done"),
                ("note", "Đã tổ chức"),
                ("noted_on", "15/06/2026"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    // A visit in the period, received by the committee's reception office.
    let (officer, officer_csrf) = app.login("tiepdan").await;
    let mut form = visit_form(&officer_csrf, "P-TCD", "060085001234");
    form.retain(|(k, _)| *k != "visit_date");
    form.push(("visit_date", "10/03/2026"));
    let (s, _, body) = app.post_form("/visits", &officer, &form).await;
    assert_eq!(s, 303, "{body}");
    // A dialogue linked to that visit's case.
    let case: Vec<String> =
        danvan_store::testing::texts(&app.store, "SELECT code FROM cases").await;
    let (s, _, body) = app
        .post_form(
            "/engagements",
            &board,
            &[
                ("_csrf", &csrf),
                ("kind", "dialogue"),
                ("unit", "P-UB"),
                ("held_on", "20/03/2026"),
                ("host", "Chủ tịch UBND tỉnh"),
                ("participants", "20"),
                ("cases", &case[0]),
            ],
        )
        .await;
    assert_eq!(s, 303, "{body}");

    let (_, page) = app
        .get(
            &format!("/programmes/{p}/review?from=01/01/2026&to=30/06/2026"),
            &board,
        )
        .await;
    assert!(
        page.contains("Trong 6 tháng đầu năm 2026 các cơ quan, đơn vị đã tiếp 1 lượt/1 vụ việc"),
        "{page}"
    );
    assert!(page.contains("Hoàn thành <strong>1</strong> nhiệm vụ"));
    assert!(page.contains("Đối thoại với nhân dân: <strong>1</strong>"));
    assert!(
        page.contains(&format!("/tasks/{id}")),
        "each figure links back"
    );
    let token = app
        .store
        .create_token(None, "bandv", "t")
        .await
        .expect("token");
    let (status, body) = app
        .api(
            "GET",
            &format!("/api/v1/programmes/{p}/review?from=2026-01-01&to=2026-06-30"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["review"]["summary"]["visits"], 1);
    assert_eq!(body["empty"], false);
    assert!(body["text"].as_array().is_some_and(|t| {
        t.iter()
            .any(|x| x.as_str().is_some_and(|s| s.contains("1 cuộc đối thoại")))
    }));
}

#[tokio::test]
async fn what_users_type_in_coordination_records_is_escaped() {
    let app = TestApp::new().await;
    let (board, csrf) = app.login("bandv").await;
    let (s, location, _) = app
        .post_form(
            "/engagements",
            &board,
            &[
                ("_csrf", &csrf),
                ("kind", "contact"),
                ("unit", "P-BDV"),
                ("held_on", "10/05/2026"),
                ("host", "<script>alert(1)</script>"),
                ("counterpart", "Giáo hội <b>x</b>"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let (_, page) = app.get(&location, &board).await;
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(
        page.contains("alert(1)"),
        "the text is shown, escaped: {page}"
    );
    // Without the CSRF token, nothing is written.
    let before = app.count("engagements").await;
    let (s, _, _) = app
        .post_form(
            "/engagements",
            &board,
            &[
                ("kind", "contact"),
                ("unit", "P-BDV"),
                ("held_on", "10/05/2026"),
                ("host", "X"),
                ("counterpart", "Y"),
            ],
        )
        .await;
    assert_eq!(s, 403);
    assert_eq!(app.count("engagements").await, before);
}

#[tokio::test]
async fn a_programme_keeps_its_documents_for_its_parties_and_a_record_shows_the_tasks_it_proves() {
    let app = TestApp::new().await;
    let (board, csrf) = app.login("bandv").await;
    let p = programme(&app, &board, &csrf).await;
    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    let path = format!("/programmes/{p}/documents");
    // Not a document: refused next to the field, nothing stored.
    let (status, page) = upload(&app, &board, &csrf, &path, "quy-che.exe", b"MZ\x90\0").await;
    assert_eq!(status, 422);
    assert!(page.contains("Chỉ nhận tệp PDF"), "{page}");
    assert_eq!(app.count("attachments").await, 0);
    let (status, _) = upload(&app, &board, &csrf, &path, "Quy chế phối hợp.pdf", PDF).await;
    assert_eq!(status, 303);
    let id: i64 =
        danvan_store::testing::scalar(&app.store, "SELECT MAX(id) FROM attachments").await;
    // The other party's head reads it; the commune below a party is not a party (the
    // programme does not exist for its viewer), nor is another province.
    let (head, _) = app.login("chutich").await;
    let (_, page) = app.get(&format!("/programmes/{p}"), &head).await;
    assert!(page.contains("Quy chế phối hợp.pdf"));
    let (status, body) = app.get(&format!("/attachments/{id}"), &head).await;
    assert_eq!(status, 200);
    assert!(body.starts_with("%PDF"));
    let (viewer, viewer_csrf) = app.login("xem").await;
    let (status, _) = upload(&app, &viewer, &viewer_csrf, &path, "x.pdf", PDF).await;
    assert_eq!(status, 404);
    assert_eq!(app.get(&format!("/attachments/{id}"), &viewer).await.0, 404);
    let (foreign, foreign_csrf) = app.login("ngoai").await;
    assert_eq!(
        app.get(&format!("/attachments/{id}"), &foreign).await.0,
        404
    );
    assert_eq!(
        upload(&app, &foreign, &foreign_csrf, &path, "x.pdf", PDF)
            .await
            .0,
        404
    );
    assert_eq!(app.count("attachments").await, 1);

    // A dialogue linked to a task as its evidence shows the task back.
    let (s, location, _) = app
        .post_form(
            "/engagements",
            &board,
            &[
                ("_csrf", &csrf),
                ("kind", "dialogue"),
                ("unit", "P-UB"),
                ("held_on", "20/03/2026"),
                ("host", "Chủ tịch UBND tỉnh"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let engagement = location.rsplit('/').next().expect("id").to_owned();
    let (s, _) = task(
        &app,
        &board,
        &csrf,
        &p,
        &[
            ("content", "Tổ chức đối thoại quý I"),
            ("lead_unit", "P-UB"),
            ("due_on", "31/03/2026"),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let t: i64 =
        danvan_store::testing::scalar(&app.store, "SELECT MAX(id) FROM programme_tasks").await;
    let (s, _, body) = app
        .post_form(
            &format!("/tasks/{t}/links"),
            &board,
            &[("_csrf", &csrf), ("kind", "engagement"), ("target", "999")],
        )
        .await;
    assert_eq!(s, 422, "no such dialogue");
    assert!(
        body.contains("Không có đối thoại, tiếp xúc số 999"),
        "{body}"
    );
    let (s, _, _) = app
        .post_form(
            &format!("/tasks/{t}/links"),
            &board,
            &[
                ("_csrf", &csrf),
                ("kind", "engagement"),
                ("target", &engagement),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let (_, page) = app.get(&location, &board).await;
    assert!(
        page.contains("Nhiệm vụ phối hợp liên quan") && page.contains(&format!("/tasks/{t}")),
        "{page}"
    );
    let (_, page) = app.get(&format!("/tasks/{t}"), &board).await;
    assert!(page.contains(&format!("/engagements/{engagement}")));
}
