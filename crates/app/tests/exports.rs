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

    for file in ["bieu.xlsx", "bao-cao.docx"] {
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
    let (ok, text) = run("pdftotext", &["-layout", "bieu.pdf", "-"], &dir);
    assert!(ok, "{text}");
    assert!(text.contains("BIỂU SỐ 01/XLD"));
    assert!(text.contains("Tổng cộng"));
    let _ = std::fs::remove_dir_all(&dir);
}
