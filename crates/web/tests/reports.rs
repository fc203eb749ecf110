//! The form pages: a table with numbered columns, figures that open their records for those
//! who may see records, aggregates only for the board, CSV, and clear messages for bad input.

mod common;

use common::*;

#[tokio::test]
async fn a_form_on_screen_drills_down_to_its_records() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let form = vec![
        ("_csrf", csrf.as_str()),
        ("unit_code", "P-UB"),
        ("received_date", "10/11/2026"),
        ("source", "post"),
        ("sender_kind", "many"),
        ("signer_count", "7"),
        ("sender.full_name", "Nguyễn Văn Đại Diện"),
        ("petition_type", "KN"),
        ("field_code", "DD-TH"),
        ("summary", "Khiếu nại bồi thường khi thu hồi đất"),
        ("eligible", "1"),
        ("competent", "1"),
        ("decision", "accept"),
        ("decision_date", "12/11/2026"),
    ];
    let (status, location, body) = app.post_form("/petitions", &cookie, &form).await;
    assert_eq!(status, 303, "{body}");
    let code = location
        .trim_start_matches("/petitions/")
        .split('?')
        .next()
        .expect("code")
        .to_owned();

    let (head, _) = app.login("chutich").await;
    let url = "/reports?form=02-XLD&from=01/11/2026&to=30/11/2026&unit=P-UB";
    let (status, page) = app.get(url, &head).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Biểu số 02/XLD"),
        "TT 06/2025 numbers the summary 02/XLD"
    );
    assert!(
        page.contains("Thông tư 06/2025/TT-TTCP"),
        "the set is named"
    );
    assert!(page.contains("(24)") && page.contains("Tổng cộng"));
    let link = page
        .split("href=\"/reports/records?")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a figure links to its records")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let (status, records) = app.get(&format!("/reports/records?{link}"), &head).await;
    assert_eq!(status, 200);
    assert!(records.contains(&code), "the petition behind the figure");

    let (status, csv) = app.get(&format!("{url}&format=csv"), &head).await;
    assert_eq!(status, 200);
    assert!(csv.contains("\"Tổng cộng\",1,"));
    for format in ["xlsx", "docx"] {
        let res = app
            .send(
                axum::http::Request::get(format!("{url}&format={format}"))
                    .header(axum::http::header::COOKIE, &head)
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(res.status(), 200, "{format}");
        assert!(
            res.headers()[axum::http::header::CONTENT_DISPOSITION]
                .to_str()
                .expect("ascii")
                .ends_with(&format!(".{format}\""))
        );
        let body = body_text(res).await;
        assert!(body.starts_with("PK"), "{format} is a zip package");
    }

    // The board reads the figures of any unit, never the records.
    let (board, _) = app.login("bandv").await;
    let (status, page) = app.get(url, &board).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("/reports/records?"),
        "no drill-down links for aggregate readers"
    );
    let (status, _) = app.get(&format!("/reports/records?{link}"), &board).await;
    assert_eq!(status, 404);
    // Another province's head may not read P's figures.
    let (foreign, _) = app.login("chutichq").await;
    let (status, _) = app.get(url, &foreign).await;
    assert_eq!(status, 403);
    // Bad input: a clear message, nothing computed.
    let (status, page) = app
        .get(
            "/reports?form=01-XLD&from=30/11/2026&to=01/11/2026&unit=P-UB",
            &head,
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("trước ngày bắt đầu"));
    let (_, page) = app
        .get("/reports?form=99-ABC&preset=2026&unit=P-UB", &head)
        .await;
    assert!(page.contains("không có biểu 99/ABC"));
}
