//! `danvan report --form 01-XLD|01-TCD|…`: an official form for a period and a unit.

use crate::{Cli, Format, bad};
use chrono::NaiveDate;
use danvan_reports::{Period, canonical_code, set_by_code, set_on};

pub async fn official(
    cli: &Cli,
    form: &str,
    form_set: Option<&str>,
    out: Option<&std::path::Path>,
    (from, to): (NaiveDate, NaiveDate),
    unit: Option<&str>,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let period = Period::new(from, to).map_err(|e| bad(e.to_string()))?;
    let set = match form_set {
        Some(code) => set_by_code(code).ok_or_else(|| {
            bad(format!(
                "--form-set: không có bộ biểu {code} (TT02-2021, TT01-2024, TT06-2025)"
            ))
        })?,
        None => set_on(to),
    };
    let code = canonical_code(form);
    let Some(f) = set.forms.iter().find(|f| f.code == code) else {
        let have: Vec<&str> = set.forms.iter().map(|f| f.code).collect();
        return Err(bad(format!(
            "--form: {code} không có trong {} (có: {}, summary)",
            set.name,
            have.join(", ")
        )));
    };
    if matches!(cli.format, Format::Xlsx | Format::Docx) && out.is_none() {
        return Err(bad("--out: cần tên tệp khi xuất xlsx hoặc docx"));
    }
    let store = crate::open(cli, false).await?;
    let unit = match unit {
        Some(code) => code.to_owned(),
        None => {
            let roots: Vec<_> = store
                .units()
                .await?
                .into_iter()
                .filter(|u| u.parent_id.is_none() && u.valid_to.is_none())
                .collect();
            match roots.as_slice() {
                [one] => one.code.clone(),
                _ => return Err(bad("--unit: chọn đơn vị (mã đơn vị, xem `danvan units`)")),
            }
        }
    };
    if store.unit_by_code(&unit).await?.is_none() {
        return Err(bad(format!("--unit: không có đơn vị {unit}")));
    }
    let report = store.compute_report(&set, f, period, &unit).await?;
    let text = match cli.format {
        Format::Json => serde_json::to_string(&report)? + "\n",
        Format::Csv => report.csv(),
        Format::Text => report.text(),
        Format::Xlsx => {
            let bytes = danvan_reports::xlsx::workbook(std::slice::from_ref(&report))
                .map_err(|e| anyhow::anyhow!("tạo tệp Excel: {e}"))?;
            return write_out(out, &bytes);
        }
        Format::Docx => {
            let bytes = store.report_docx(&report, today).await?;
            return write_out(out, &bytes);
        }
    };
    match out {
        Some(path) => write_out(Some(path), text.as_bytes()),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// Writes a file whole or not at all (a temporary file renamed over the target).
fn write_out(out: Option<&std::path::Path>, bytes: &[u8]) -> anyhow::Result<()> {
    let Some(path) = out else {
        return Err(bad("--out: cần tên tệp"));
    };
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes)
        .map_err(|e| bad(format!("--out: không ghi được {}: {e}", path.display())))?;
    std::fs::rename(&tmp, path)?;
    eprintln!("Đã ghi {} ({} byte)", path.display(), bytes.len());
    Ok(())
}
