//! A self-contained HTML report: inline CSS and inline SVG charts, no
//! script and nothing fetched from the network, so it opens offline in any
//! browser and can be mailed as one file.

use std::f64::consts::PI;
use std::fmt::Write;

use crate::report::summary::{CriterionStats, RadarAnswer, Summary};
use crate::rubric::Level;

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1d2430}\
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #dde;padding-bottom:.2em}\
table{border-collapse:collapse;width:100%;font-size:.92em}td,th{border:1px solid #dde;padding:.3em .5em;text-align:left}\
td.n{text-align:right}.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #dde;border-radius:6px;padding:.6em 1em}\
.card b{display:block;font-size:1.5em}svg text{font-family:inherit;font-size:12px;fill:#1d2430}";

/// Level distribution as vertical bars.
pub fn level_chart(s: &Summary) -> String {
    let levels = [Level::L3, Level::L4, Level::L5, Level::L6];
    let max = levels
        .iter()
        .map(|l| s.levels.get(l).copied().unwrap_or(0))
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h, bar) = (360.0, 200.0, 60.0);
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Level distribution\" width=\"{w}\" height=\"{}\" viewBox=\"0 0 {w} {}\">",
        h + 40.0,
        h + 40.0
    );
    for (i, l) in levels.iter().enumerate() {
        let n = s.levels.get(l).copied().unwrap_or(0);
        let bh = h * n as f64 / max as f64;
        let x = 20.0 + i as f64 * (bar + 25.0);
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{:.1}\" width=\"{bar}\" height=\"{bh:.1}\" fill=\"#4c78a8\"><title>{l}: {n}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text>\
             <text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{l}</text>",
            h - bh + 10.0,
            x + bar / 2.0,
            h - bh + 5.0,
            x + bar / 2.0,
            h + 28.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Per-criterion coverage across the batch as horizontal bars.
pub fn coverage_chart(stats: &[CriterionStats]) -> String {
    let row_h = 22.0;
    let label_w = 260.0;
    let bar_w = 380.0;
    let h = row_h * stats.len() as f64 + 10.0;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Coverage per criterion\" width=\"{}\" height=\"{h}\" viewBox=\"0 0 {} {h}\">",
        label_w + bar_w + 60.0,
        label_w + bar_w + 60.0
    );
    for (i, c) in stats.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let pct = c.coverage();
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{:.1}\" fill=\"#eef\"/>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#59a14f\"><title>{}: {:.0}% covered, mean {:.2}/4</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\">{:.0}%</text>",
            label_w - 8.0,
            y + 14.0,
            esc(&c.name),
            row_h - 6.0,
            bar_w * pct,
            row_h - 6.0,
            esc(&c.name),
            pct * 100.0,
            c.mean_final(),
            label_w + bar_w + 6.0,
            y + 14.0,
            pct * 100.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One answer's concept strengths as a radar (spider) chart.
pub fn radar_chart(r: &RadarAnswer) -> String {
    let n = r.axes.len();
    let (cx, cy, rad) = (330.0, 230.0, 160.0);
    let mut svg = String::from(
        "<svg role=\"img\" aria-label=\"Radar of one answer\" width=\"660\" height=\"460\" viewBox=\"0 0 660 460\">",
    );
    if n < 3 {
        svg.push_str("<text x=\"10\" y=\"20\">too few concepts for a radar</text></svg>");
        return svg;
    }
    let point = |i: usize, v: f64| {
        let a = -PI / 2.0 + 2.0 * PI * i as f64 / n as f64;
        (cx + rad * v * a.cos(), cy + rad * v * a.sin())
    };
    for ring in 1..=4 {
        let pts: Vec<String> = (0..n)
            .map(|i| {
                let (x, y) = point(i, ring as f64 / 4.0);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            svg,
            "<polygon points=\"{}\" fill=\"none\" stroke=\"#ccd\"/>",
            pts.join(" ")
        );
    }
    for (i, (name, _)) in r.axes.iter().enumerate() {
        let (x, y) = point(i, 1.0);
        let (lx, ly) = point(i, 1.13);
        let anchor = if (lx - cx).abs() < 5.0 {
            "middle"
        } else if lx > cx {
            "start"
        } else {
            "end"
        };
        let _ = write!(
            svg,
            "<line x1=\"{cx}\" y1=\"{cy}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#ccd\"/>\
             <text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text>",
            esc(name)
        );
    }
    let pts: Vec<String> = r
        .axes
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let (x, y) = point(i, f64::from(*v) / 4.0);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        svg,
        "<polygon points=\"{}\" fill=\"#f28e2b55\" stroke=\"#f28e2b\" stroke-width=\"2\"/></svg>",
        pts.join(" ")
    );
    svg
}

fn table(stats: &[CriterionStats]) -> String {
    let mut t = String::from("<table><tr><th>Criterion</th><th>Covered</th><th>Mean final</th><th>Mean evidence</th><th>Mean judge</th><th>Disagreements</th></tr>");
    for s in stats {
        let judge = s
            .mean_judge()
            .map(|j| format!("{j:.2}"))
            .unwrap_or_else(|| "–".into());
        let _ = write!(
            t,
            "<tr><td>{}</td><td class=n>{:.0}%</td><td class=n>{:.2}</td><td class=n>{:.2}</td><td class=n>{judge}</td><td class=n>{}</td></tr>",
            esc(&s.name),
            s.coverage() * 100.0,
            s.mean_final(),
            s.mean_evidence(),
            s.disagreements
        );
    }
    t.push_str("</table>");
    t
}

/// The whole report.
pub fn render(s: &Summary) -> String {
    let mut h = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>mockround grade report</title><style>{STYLE}</style></head><body>\
         <h1>mockround grade report</h1><div class=cards>\
         <div class=card>Answers<b>{}</b></div><div class=card>Graded<b>{}</b></div><div class=card>Errors<b>{}</b></div><div class=card>Mean overall<b>{:.1}</b></div></div>",
        s.rows, s.graded, s.errors, s.mean_overall()
    );
    let _ = write!(h, "<h2>Level distribution</h2>{}", level_chart(s));
    if !s.concepts.is_empty() {
        let _ = write!(
            h,
            "<h2>Concept coverage across the batch</h2><p>Share of answers at weak (2/4) or better.</p>{}{}",
            coverage_chart(&s.concepts),
            table(&s.concepts)
        );
    }
    if !s.signals.is_empty() {
        let _ = write!(
            h,
            "<h2>Signals</h2>{}{}",
            coverage_chart(&s.signals),
            table(&s.signals)
        );
    }
    if let Some(r) = &s.radar {
        let _ = write!(
            h,
            "<h2>Top answer: {} ({} / 100)</h2>{}",
            esc(&r.id),
            r.overall,
            radar_chart(r)
        );
    }
    if !s.listed_disagreements.is_empty() {
        h.push_str("<h2>Judge and evidence disagree</h2><table><tr><th>Answer</th><th>Criterion</th><th>Evidence</th><th>Judge</th></tr>");
        for d in &s.listed_disagreements {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
                esc(&d.id),
                esc(&d.criterion),
                d.evidence,
                d.judge
            );
        }
        h.push_str("</table>");
    }
    if !s.listed_errors.is_empty() {
        h.push_str("<h2>Errors</h2><table><tr><th>Input</th><th>Error</th></tr>");
        for (id, e) in &s.listed_errors {
            let _ = write!(h, "<tr><td>{}</td><td>{}</td></tr>", esc(id), esc(e));
        }
        h.push_str("</table>");
    }
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::summary::RadarAnswer;

    #[test]
    fn report_escapes_answer_text_and_draws_three_charts() {
        let mut s = Summary {
            rows: 1,
            graded: 1,
            ..Summary::default()
        };
        s.levels.insert(Level::L5, 1);
        s.concepts.push(CriterionStats {
            id: "exactly-once".into(),
            name: "Exactly-once <b>".into(),
            answers: 1,
            covered: 1,
            final_sum: 3,
            ..CriterionStats::default()
        });
        s.radar = Some(RadarAnswer {
            id: "<script>alert(1)</script>".into(),
            overall: 70,
            axes: vec![("a".into(), 1), ("b".into(), 4), ("c".into(), 2)],
        });
        let html = render(&s);
        assert_eq!(html.matches("<svg").count(), 3);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;") && html.contains("Exactly-once &lt;b&gt;"));
    }
}
