//! Server-rendered SVG charts: plain bars with their numbers written on them, so they read the
//! same on screen and on paper (no colour needed, no script).

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Vertical bars (one series per colour band), e.g. visits and petitions by month.
pub fn columns(title: &str, labels: &[String], series: &[(&str, Vec<i64>)]) -> String {
    let width = 640.0_f64;
    let height = 240.0_f64;
    let (left, bottom, top) = (36.0, 36.0, 28.0);
    let max = series
        .iter()
        .flat_map(|s| s.1.iter())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let groups = labels.len().max(1) as f64;
    let slot = (width - left - 8.0) / groups;
    let bar = (slot * 0.8 / series.len().max(1) as f64).max(2.0);
    let shades = ["#9b1c1c", "#6b7280", "#1f4e79"];
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\" class=\"chart\"><text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{}</text>",
        esc(title),
        esc(title)
    );
    let plot = height - bottom - top;
    out.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>",
        height - bottom,
        width - 8.0,
        height - bottom
    ));
    for (i, label) in labels.iter().enumerate() {
        let x0 = left + slot * i as f64 + slot * 0.1;
        for (k, (_, values)) in series.iter().enumerate() {
            let v = values.get(i).copied().unwrap_or(0);
            let h = plot * v as f64 / max;
            let x = x0 + bar * k as f64;
            let y = height - bottom - h;
            out.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {}</title></rect>",
                bar - 1.0,
                shades[k % shades.len()],
                esc(label),
                v
            ));
            if v > 0 && bar >= 12.0 {
                out.push_str(&format!("<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\">{v}</text>", x + bar / 2.0, y - 2.0));
            }
        }
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            left + slot * i as f64 + slot / 2.0,
            height - bottom + 14.0,
            esc(label)
        ));
    }
    // Legend.
    for (k, (name, _)) in series.iter().enumerate() {
        let x = left + 140.0 * k as f64;
        out.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"10\">{}</text>",
            height - 14.0,
            shades[k % shades.len()],
            x + 14.0,
            height - 5.0,
            esc(name)
        ));
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars with their values, e.g. petitions by field or overdue by unit.
pub fn bars(title: &str, items: &[(String, i64)]) -> String {
    let row = 22.0_f64;
    let width = 640.0_f64;
    let label_w = 230.0;
    let height = 30.0 + row * items.len().max(2) as f64;
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1) as f64;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\" class=\"chart\"><text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{}</text>",
        esc(title),
        esc(title)
    );
    if items.is_empty() {
        out.push_str("<text x=\"0\" y=\"44\" font-size=\"12\" fill=\"#666\">Chưa có số liệu trong kỳ.</text>");
    }
    for (i, (label, v)) in items.iter().enumerate() {
        let y = 28.0 + row * i as f64;
        let w = (width - label_w - 60.0) * *v as f64 / max;
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"#9b1c1c\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{v}</text>",
            label_w - 6.0,
            y + 13.0,
            esc(label),
            row - 6.0,
            label_w + w + 4.0,
            y + 13.0
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_and_carry_their_numbers() {
        let svg = bars(
            "Đơn theo lĩnh vực",
            &[("Đất đai <tranh chấp>".into(), 12), ("Khác".into(), 3)],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("&lt;tranh chấp&gt;") && !svg.contains("<tranh"));
        assert!(svg.contains(">12</text>") && svg.contains(">3</text>"));
        let svg = columns(
            "Theo tháng",
            &["1".into(), "2".into()],
            &[("Lượt tiếp", vec![5, 0]), ("Đơn", vec![2, 7])],
        );
        assert!(svg.contains("Lượt tiếp") && svg.contains(">7</text>"));
    }
}
