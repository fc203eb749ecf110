//! Word documents in the format of NĐ 30/2020/NĐ-CP: A4, margins 20–25 mm top and bottom,
//! 30–35 mm left, 15–20 mm right; Times New Roman; the issuing body and the national motto side
//! by side at the top, the number and the place-and-date line, the title, the body. Written as
//! plain WordprocessingML (a handful of XML parts in a zip), so what it contains is visible here.

use crate::report::Report;
use std::io::Write;

/// What heads an administrative document.
#[derive(Debug, Clone)]
pub struct Letterhead {
    /// The body above the issuing body ("UBND TỈNH LÂM ĐỒNG"); may be empty.
    pub parent_body: String,
    /// The issuing body ("BAN TIẾP CÔNG DÂN").
    pub body: String,
    /// "Số: …/BC-BTCD"
    pub number: String,
    /// "Lâm Đồng, ngày 28 tháng 11 năm 2026"
    pub place_date: String,
    /// The document kind and title ("BÁO CÁO", "Kết quả tiếp công dân, xử lý đơn …").
    pub kind: String,
    pub title: String,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A run of text: Times New Roman in every font slot (Vietnamese letters otherwise fall back to
/// another font in some readers), size in points.
fn run(text: &str, pt: u32, bold: bool, italic: bool) -> String {
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\" w:eastAsia=\"Times New Roman\"/>{}{}<w:sz w:val=\"{}\"/><w:szCs w:val=\"{}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        if bold { "<w:b/>" } else { "" },
        if italic { "<w:i/>" } else { "" },
        pt * 2,
        pt * 2,
        esc(text)
    )
}

/// A paragraph: alignment ("center", "both", "left", "right"), space after in points.
fn para(runs: &str, align: &str, after: u32, indent_first_cm: f32) -> String {
    let indent = if indent_first_cm > 0.0 {
        format!(
            "<w:ind w:firstLine=\"{}\"/>",
            (indent_first_cm * 567.0) as u32
        )
    } else {
        String::new()
    };
    format!(
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"{}\" w:line=\"288\" w:lineRule=\"auto\"/>{indent}<w:jc w:val=\"{align}\"/></w:pPr>{runs}</w:p>",
        after * 20
    )
}

fn cell(content: &str, width_twips: u32, span: usize, borders: bool, shade: bool) -> String {
    let border = if borders {
        "<w:tcBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/></w:tcBorders>"
    } else {
        ""
    };
    let span = if span > 1 {
        format!("<w:gridSpan w:val=\"{span}\"/>")
    } else {
        String::new()
    };
    let fill = if shade {
        "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EEEEEE\"/>"
    } else {
        ""
    };
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{width_twips}\" w:type=\"dxa\"/>{span}{border}{fill}<w:vAlign w:val=\"center\"/></w:tcPr>{content}</w:tc>"
    )
}

fn letterhead(h: &Letterhead) -> String {
    let left = [
        para(
            &run(&h.parent_body.to_uppercase(), 13, false, false),
            "center",
            0,
            0.0,
        ),
        para(
            &run(&h.body.to_uppercase(), 13, true, false),
            "center",
            6,
            0.0,
        ),
        para(&run(&h.number, 13, false, false), "center", 0, 0.0),
    ]
    .concat();
    let right = [
        para(
            &run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, true, false),
            "center",
            0,
            0.0,
        ),
        para(
            &run("Độc lập - Tự do - Hạnh phúc", 14, true, false),
            "center",
            6,
            0.0,
        ),
        para(&run(&h.place_date, 14, false, true), "center", 0, 0.0),
    ]
    .concat();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"9355\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"3600\"/><w:gridCol w:w=\"5755\"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>",
        cell(&left, 3600, 1, false, false),
        cell(&right, 5755, 1, false, false)
    )
}

/// The form as a Word table: headings, column numbers, rows and the total.
fn form_table(r: &Report) -> String {
    let n = r.columns.len();
    let label_w = 2000u32;
    let col_w = ((LANDSCAPE_TEXT_WIDTH - label_w) / n.max(1) as u32).max(200);
    let small = |t: &str, bold: bool| para(&run(t, 7, bold, false), "center", 0, 0.0);
    let mut rows = String::new();
    // Headings: the first group spans its columns; the rest of the path under it.
    let mut groups: Vec<(String, usize)> = vec![];
    for c in &r.columns {
        let g = c.groups.first().cloned().unwrap_or_default();
        match groups.last_mut() {
            Some((last, span)) if *last == g => *span += 1,
            _ => groups.push((g, 1)),
        }
    }
    rows.push_str("<w:tr>");
    rows.push_str(&cell(&small("Đơn vị", true), label_w, 1, true, true));
    for (g, span) in &groups {
        rows.push_str(&cell(
            &small(g, true),
            col_w * *span as u32,
            *span,
            true,
            true,
        ));
    }
    rows.push_str("</w:tr><w:tr>");
    rows.push_str(&cell(&small("", false), label_w, 1, true, true));
    for c in &r.columns {
        let rest: Vec<&str> = c
            .groups
            .iter()
            .skip(1)
            .map(String::as_str)
            .chain(std::iter::once(c.heading.as_str()))
            .collect();
        rows.push_str(&cell(
            &small(&rest.join(" · "), false),
            col_w,
            1,
            true,
            true,
        ));
    }
    rows.push_str("</w:tr><w:tr>");
    rows.push_str(&cell(&small("", false), label_w, 1, true, false));
    for c in &r.columns {
        rows.push_str(&cell(
            &small(&format!("({})", c.number), false),
            col_w,
            1,
            true,
            false,
        ));
    }
    rows.push_str("</w:tr>");
    for (row, bold) in r
        .rows
        .iter()
        .map(|x| (x, false))
        .chain(std::iter::once((&r.total, true)))
    {
        rows.push_str("<w:tr>");
        rows.push_str(&cell(
            &para(&run(&row.label, 8, bold, false), "left", 0, 0.0),
            label_w,
            1,
            true,
            false,
        ));
        for v in &row.values {
            rows.push_str(&cell(
                &para(
                    &run(&crate::report::number(*v), 8, bold, false),
                    "right",
                    0,
                    0.0,
                ),
                col_w,
                1,
                true,
                false,
            ));
        }
        rows.push_str("</w:tr>");
    }
    let grid: String = std::iter::once(label_w)
        .chain(std::iter::repeat_n(col_w, n))
        .map(|w| format!("<w:gridCol w:w=\"{w}\"/>"))
        .collect();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{LANDSCAPE_TEXT_WIDTH}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"30\" w:type=\"dxa\"/><w:right w:w=\"30\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
    )
}

/// The width of the text on a landscape A4 page with 20 mm margins, in twips: the forms are
/// printed across the page, as they are on paper.
const LANDSCAPE_TEXT_WIDTH: u32 = 16838 - 2 * 1134;

/// A section break: what came before is laid out portrait A4 (NĐ 30/2020 margins).
fn portrait_section_end() -> String {
    format!("<w:p><w:pPr>{PORTRAIT}</w:pPr></w:p>")
}

const PORTRAIT: &str = "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>";
const LANDSCAPE: &str = "<w:sectPr><w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>";

/// A report: the letterhead and the narrative paragraphs on portrait pages, then each form as
/// a table on landscape pages.
pub fn report_document(
    h: &Letterhead,
    paragraphs: &[String],
    forms: &[Report],
) -> std::io::Result<Vec<u8>> {
    let mut body = letterhead(h);
    body.push_str(&para("", "left", 6, 0.0));
    body.push_str(&para(
        &run(&h.kind.to_uppercase(), 14, true, false),
        "center",
        0,
        0.0,
    ));
    body.push_str(&para(&run(&h.title, 14, true, false), "center", 12, 0.0));
    for p in paragraphs {
        body.push_str(&para(&run(p, 14, false, false), "both", 6, 1.0));
    }
    if !forms.is_empty() {
        body.push_str(&portrait_section_end());
    }
    for r in forms {
        body.push_str(&para(
            &run(
                &format!(
                    "Biểu số {} — {} ({}; {} – {})",
                    r.form,
                    r.title,
                    r.form_set_name,
                    r.from.format("%d/%m/%Y"),
                    r.to.format("%d/%m/%Y")
                ),
                12,
                true,
                false,
            ),
            "left",
            6,
            0.0,
        ));
        body.push_str(&form_table(r));
        for n in &r.notes {
            body.push_str(&para(
                &run(&format!("Ghi chú: {n}."), 10, false, true),
                "left",
                0,
                0.0,
            ));
        }
        body.push_str(&para("", "left", 6, 0.0));
    }
    document(
        &body,
        if forms.is_empty() {
            PORTRAIT
        } else {
            LANDSCAPE
        },
    )
}

/// A letter of the petition desk: the letterhead, then its paragraphs (first-line indented),
/// then the signer's block.
pub fn letter_document(
    h: &Letterhead,
    paragraphs: &[String],
    signer_title: &str,
    signer_name: &str,
) -> std::io::Result<Vec<u8>> {
    let blocks: Vec<Block> = paragraphs.iter().cloned().map(Block::Paragraph).collect();
    narrative_document(h, &blocks, signer_title, signer_name)
}

/// A piece of a narrative document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A numbered or lettered heading ("I. KẾT QUẢ THỰC HIỆN"), bold.
    Heading(String),
    /// Body text, justified, first line indented.
    Paragraph(String),
    /// A line of a list ("- Tiếp công dân …"), indented.
    Item(String),
    /// Text for the author to replace, in italics.
    ToWrite(String),
}

/// A narrative document (a review, a plan): letterhead, title, the blocks, and the signer's
/// block, all portrait A4 in the format of NĐ 30/2020.
pub fn narrative_document(
    h: &Letterhead,
    blocks: &[Block],
    signer_title: &str,
    signer_name: &str,
) -> std::io::Result<Vec<u8>> {
    let mut body = letterhead(h);
    body.push_str(&para("", "left", 6, 0.0));
    body.push_str(&para(
        &run(&h.kind.to_uppercase(), 14, true, false),
        "center",
        0,
        0.0,
    ));
    if !h.title.is_empty() {
        body.push_str(&para(&run(&h.title, 14, true, false), "center", 12, 0.0));
    }
    for b in blocks {
        body.push_str(&match b {
            Block::Heading(t) => para(&run(t, 14, true, false), "both", 6, 1.0),
            Block::Paragraph(t) => para(&run(t, 14, false, false), "both", 6, 1.0),
            Block::Item(t) => para(&run(t, 14, false, false), "both", 3, 1.0),
            Block::ToWrite(t) => para(&run(t, 14, false, true), "both", 6, 1.0),
        });
    }
    body.push_str(&para(
        &run(&signer_title.to_uppercase(), 14, true, false),
        "right",
        60,
        0.0,
    ));
    body.push_str(&para(&run(signer_name, 14, true, false), "right", 0, 0.0));
    document(&body, PORTRAIT)
}

/// The document with its last section's page layout (A4; portrait margins: top and bottom
/// 20 mm, left 30 mm, right 15 mm).
fn document(body: &str, last_section: &str) -> std::io::Result<Vec<u8>> {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}{last_section}</w:body></w:document>"
    );
    let styles = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\" w:eastAsia=\"Times New Roman\"/><w:sz w:val=\"28\"/><w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>";
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let doc_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels),
        ("word/_rels/document.xml.rels", doc_rels),
        ("word/styles.xml", styles),
        ("word/document.xml", xml.as_str()),
    ] {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}
