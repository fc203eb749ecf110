//! The Excel and Word exports open in LibreOffice (converted to PDF headless, as a reader would
//! print them) and carry the form: the national motto, the narrative summary, the figures, and
//! in Excel the numbers as numbers.

use std::process::Command;

fn run(cmd: &str, args: &[&str], dir: &std::path::Path) -> (bool, String) {
    let out = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed (scripts/test installs it): {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn excel_and_word_open_in_libreoffice_and_say_the_right_things() {
    let dir = std::env::temp_dir().join(format!("danvan-exports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let data = dir.join("data");
    let exe = env!("CARGO_BIN_EXE_danvan");
    let data_s = data.to_string_lossy().to_string();
    let (ok, log) = run(
        exe,
        &["--data", &data_s, "--as-of", "2026-11-28", "demo"],
        &dir,
    );
    assert!(ok, "{log}");
    for (format, file) in [("xlsx", "bieu.xlsx"), ("docx", "bao-cao.docx")] {
        let (ok, log) = run(
            exe,
            &[
                "--data",
                &data_s,
                "--as-of",
                "2026-11-28",
                "--format",
                format,
                "report",
                "--form",
                "01-XLD",
                "--from",
                "2022-01-01",
                "--to",
                "2022-06-30",
                "--unit",
                "LD",
                "--out",
                file,
            ],
            &dir,
        );
        assert!(ok, "{format}: {log}");
    }
    let (ok, log) = run(
        exe,
        &[
            "--data",
            &data_s,
            "--format",
            "xlsx",
            "report",
            "--form",
            "01-XLD",
            "--from",
            "2022-01-01",
            "--to",
            "2022-06-30",
            "--unit",
            "LD",
        ],
        &dir,
    );
    assert!(!ok && log.contains("--out"), "xlsx needs a file");

    // Numbers are numbers in the sheet (no shared string for a figure).
    let (ok, sheet) = run(
        "python3",
        &[
            "-c",
            "import zipfile,sys; print(zipfile.ZipFile('bieu.xlsx').read('xl/worksheets/sheet1.xml').decode())",
        ],
        &dir,
    );
    assert!(ok, "{sheet}");
    assert!(
        sheet.contains("<v>2384</v>"),
        "the total received is a number cell"
    );

    // The seed programme's 6-month review, as Word.
    let (ok, log) = run(
        exe,
        &[
            "--data",
            &data_s,
            "--as-of",
            "2026-11-28",
            "--format",
            "docx",
            "review",
            "--programme",
            "1",
            "--from",
            "2022-01-01",
            "--to",
            "2022-06-30",
            "--out",
            "so-ket.docx",
        ],
        &dir,
    );
    assert!(ok, "review: {log}");

    for file in ["bieu.xlsx", "bao-cao.docx", "so-ket.docx"] {
        let (ok, log) = run(
            "soffice",
            &["--headless", "--convert-to", "pdf", file],
            &dir,
        );
        assert!(ok, "LibreOffice converts {file}: {log}");
    }
    let (ok, text) = run("pdftotext", &["-layout", "bao-cao.pdf", "-"], &dir);
    assert!(ok, "{text}");
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(text.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(text.contains("BÁO CÁO"));
    assert!(
        text.contains("2.002 lượt/1.993 vụ"),
        "the narrative summary"
    );
    assert!(text.contains("Tổng cộng"));
    let (ok, pages) = run("pdfinfo", &["bao-cao.pdf"], &dir);
    assert!(ok && pages.contains("Pages:"), "{pages}");
    // The review reads as the seed's: its letterhead, its title, the article's figures, the
    // commended Tam Thanh model, the section left for the author.
    let (ok, text) = run("pdftotext", &["so-ket.pdf", "-"], &dir);
    assert!(ok, "{text}");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("BAN DÂN VẬN TỈNH ỦY BÌNH THUẬN"), "{text}");
    assert!(text.contains("Bình Thuận, ngày 28 tháng 11 năm 2026"));
    assert!(text.contains("Kết quả 6 tháng đầu năm 2022 thực hiện chương trình phối hợp"));
    assert!(text.contains(
        "Trong 6 tháng đầu năm 2022 các cơ quan, đơn vị đã tiếp 2.002 lượt/1.993 vụ việc, trong đó tiếp đông người là 4 lượt/72 người; tiếp nhận 2.384 đơn."
    ));
    assert!(
        text.contains(
            "xây dựng nông thôn mới (UBND xã Tam Thanh): Bằng khen của Chủ tịch UBND tỉnh"
        )
    );
    assert!(text.contains("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"));
    let (ok, text) = run("pdftotext", &["-layout", "bieu.pdf", "-"], &dir);
    assert!(ok, "{text}");
    assert!(text.contains("BIỂU SỐ 01/XLD"));
    assert!(text.contains("Tổng cộng"));
    let _ = std::fs::remove_dir_all(&dir);
}
