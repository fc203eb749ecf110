//! Excel workbooks of the forms: one sheet per form, the form's layout — title, unit and period,
//! merged group headings, numbered columns, one row per unit and the total — numbers as numbers
//! (shown 2.002 in a Vietnamese Excel or LibreOffice), Times New Roman.

use crate::report::Report;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

fn base() -> Format {
    Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(11)
}

/// The workbook of some reports, as bytes.
pub fn workbook(reports: &[Report]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = base()
        .set_bold()
        .set_font_size(13)
        .set_align(FormatAlign::Center);
    let sub = base().set_italic().set_align(FormatAlign::Center);
    let head = base()
        .set_bold()
        .set_font_size(10)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let numbers = base()
        .set_italic()
        .set_font_size(10)
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let label = base().set_border(FormatBorder::Thin).set_text_wrap();
    let value = base()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0");
    let total_label = label.clone().set_bold();
    let total_value = value.clone().set_bold();
    for r in reports {
        let ws = wb.add_worksheet();
        // Sheet names cannot hold '/'.
        ws.set_name(format!("Bieu {}", r.form.replace('/', "-")))?;
        let n = r.columns.len() as u16;
        ws.set_column_width(0, 34)?;
        for c in 1..=n {
            ws.set_column_width(c, 9)?;
        }
        ws.merge_range(
            0,
            0,
            0,
            n,
            &format!("BIỂU SỐ {}: {}", r.form, r.title.to_uppercase()),
            &title,
        )?;
        ws.merge_range(
            1,
            0,
            1,
            n,
            &format!(
                "{} · Kỳ báo cáo từ ngày {} đến ngày {} · {}",
                r.unit_name,
                r.from.format("%d/%m/%Y"),
                r.to.format("%d/%m/%Y"),
                r.form_set_name
            ),
            &sub,
        )?;
        // Heading rows: one per level of the deepest column path.
        let depth = r
            .columns
            .iter()
            .map(|c| c.groups.len() + 1)
            .max()
            .unwrap_or(1) as u32;
        let top = 3u32;
        ws.merge_range(top, 0, top + depth - 1, 0, "Đơn vị", &head)?;
        for level in 0..depth {
            let mut col = 0usize;
            while col < r.columns.len() {
                let path = |i: usize| -> Vec<String> {
                    let c = &r.columns[i];
                    c.groups
                        .iter()
                        .cloned()
                        .chain(std::iter::once(c.heading.clone()))
                        .collect()
                };
                let p = path(col);
                if (level as usize) >= p.len() {
                    col += 1;
                    continue;
                }
                // The last element of a path fills the rows down to the bottom heading row.
                let is_leaf = level as usize == p.len() - 1;
                let mut end = col;
                if !is_leaf {
                    while end + 1 < r.columns.len() {
                        let q = path(end + 1);
                        if q.len() > level as usize + 1
                            && q[..=level as usize] == p[..=level as usize]
                        {
                            end += 1;
                        } else {
                            break;
                        }
                    }
                }
                let (row0, row1) = if is_leaf {
                    (top + level, top + depth - 1)
                } else {
                    (top + level, top + level)
                };
                let (c0, c1) = (col as u16 + 1, end as u16 + 1);
                if row0 == row1 && c0 == c1 {
                    ws.write_string_with_format(row0, c0, &p[level as usize], &head)?;
                } else {
                    ws.merge_range(row0, c0, row1, c1, &p[level as usize], &head)?;
                }
                col = end + 1;
            }
        }
        let number_row = top + depth;
        ws.write_string_with_format(number_row, 0, "", &numbers)?;
        for (i, c) in r.columns.iter().enumerate() {
            ws.write_string_with_format(
                number_row,
                i as u16 + 1,
                format!("({})", c.number),
                &numbers,
            )?;
        }
        let mut row = number_row + 1;
        for data in &r.rows {
            ws.write_string_with_format(row, 0, &data.label, &label)?;
            for (i, v) in data.values.iter().enumerate() {
                ws.write_number_with_format(row, i as u16 + 1, *v as f64, &value)?;
            }
            row += 1;
        }
        ws.write_string_with_format(row, 0, &r.total.label, &total_label)?;
        for (i, v) in r.total.values.iter().enumerate() {
            ws.write_number_with_format(row, i as u16 + 1, *v as f64, &total_value)?;
        }
        ws.set_freeze_panes(number_row + 1, 1)?;
        // Printed as the paper forms are: A4 landscape, all columns on one page's width.
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
    }
    wb.save_to_buffer()
}
