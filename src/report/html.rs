//! A self-contained HTML report: inline CSS and inline SVG charts, no
//! script and nothing fetched from the network, so it opens offline in any
//! browser and can be mailed as one file. After the batch figures come a
//! table of every answer and a section per answer (why its level, the gates
//! it missed and what would pass them, strengths quoted, improvements with
//! what an L5 answer says). Everything from an answer is escaped.
//!
//! Chart geometry is computed from the labels: SVG does not wrap or shrink
//! text, so a margin sized by hand clips any label longer than the one it
//! was sized for. Widths are estimated with DejaVu Sans advances (the
//! widest common sans-serif, and Debian's default), so any other system
//! font fits inside the same box.

use std::f64::consts::PI;
use std::fmt::Write;

use crate::grade::rows::ResultRow;
use crate::report::summary::{CriterionStats, RadarAnswer, Summary};
use crate::report::{graded, one_line, ReportError, Rows};
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

/// Chart text size in pixels (the stylesheet sets it on `svg text`).
pub const FONT_PX: f64 = 12.0;
/// Space kept between a label and the edge of its chart.
const PAD: f64 = 8.0;
/// How far a glyph reaches above and below the baseline, in ems.
pub const ASCENT: f64 = 0.93;
pub const DESCENT: f64 = 0.24;

/// DejaVu Sans advance widths for printable ASCII (space to `~`), in
/// thousandths of an em.
const ADVANCE: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318,
    337, // ' '..'/'
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838,
    531, // '0'..'?'
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748,
    787, // '@'..'O'
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
    500, // 'P'..'_'
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634,
    612, // '`'..'o'
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, // 'p'..'~'
];

/// Estimated width of `s` in pixels at `px`: DejaVu Sans advances for
/// ASCII, one em for wide (CJK) characters, 0.8 em for anything else.
pub fn text_width(s: &str, px: f64) -> f64 {
    let ems: f64 = s
        .chars()
        .map(|c| {
            let code = c as u32;
            if (0x20..0x7f).contains(&code) {
                f64::from(ADVANCE[(code - 0x20) as usize]) / 1000.0
            } else if unicode_width::UnicodeWidthChar::width(c) == Some(2) {
                1.0
            } else {
                0.8
            }
        })
        .sum();
    ems * px
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1d2430}\
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #dde;padding-bottom:.2em}h3{margin:0 0 .4em}h4{margin:.9em 0 .3em}\
table{border-collapse:collapse;width:100%;font-size:.92em}td,th{border:1px solid #dde;padding:.3em .5em;text-align:left;vertical-align:top}\
td.n{text-align:right}.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #dde;border-radius:6px;padding:.6em 1em}\
.card b{display:block;font-size:1.5em}svg{max-width:100%;height:auto}svg text{font-family:inherit;font-size:12px;fill:#1d2430}\
.lv{display:inline-block;min-width:2.2em;text-align:center;border-radius:4px;color:#fff;font-weight:600;font-size:.9em;padding:0 .3em}\
.L3{background:#b0413e}.L4{background:#c77c02}.L5{background:#3b6ea8}.L6{background:#2e7d32}\
section.answer{border:1px solid #dde;border-radius:6px;padding:.8em 1em;margin:1em 0}\
.warn{background:#fff4d6;border-left:4px solid #c77c02;padding:.3em .6em}.meta{color:#556}\
blockquote{margin:.3em 0 .3em 1em;padding-left:.6em;border-left:3px solid #ccd;color:#333}\
table.answers td.id{word-break:break-all}table.answers th.gap{width:45%}\
.l5{margin:.3em 0 .2em;color:#334}.l5 span{font-weight:600}code{background:#f2f3f7;padding:0 .2em;border-radius:3px}";

/// The SVG element that opens a chart of this size.
fn svg_open(label: &str, w: f64, h: f64) -> String {
    format!(
        "<svg role=\"img\" aria-label=\"{label}\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\">"
    )
}

/// Level distribution as vertical bars, with each count above its bar and
/// room above the tallest one for its count.
pub fn level_chart(s: &Summary) -> String {
    let levels = [Level::L3, Level::L4, Level::L5, Level::L6];
    let counts: Vec<u64> = levels
        .iter()
        .map(|l| s.levels.get(l).copied().unwrap_or(0))
        .collect();
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let widest = counts
        .iter()
        .map(|n| text_width(&n.to_string(), FONT_PX))
        .fold(0.0, f64::max);
    let bar = (widest + PAD).max(60.0);
    let gap = 25.0;
    let plot_h = 200.0;
    // The count sits 5 px above its bar: the tallest bar starts one line
    // of text (and a gap) below the top.
    let top = (FONT_PX * ASCENT + 5.0 + PAD).ceil();
    let label_base = top + plot_h + 6.0 + FONT_PX * ASCENT;
    let h = (label_base + FONT_PX * DESCENT + PAD).ceil();
    let w = (2.0 * 20.0 + 4.0 * bar + 3.0 * gap).ceil();
    let mut svg = svg_open("Level distribution", w, h);
    for (i, (l, n)) in levels.iter().zip(&counts).enumerate() {
        let bh = plot_h * *n as f64 / max as f64;
        let x = 20.0 + i as f64 * (bar + gap);
        let y = top + plot_h - bh;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{bh:.1}\" fill=\"#4c78a8\"><title>{l}: {n}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text>\
             <text x=\"{:.1}\" y=\"{label_base:.1}\" text-anchor=\"middle\">{l}</text>",
            x + bar / 2.0,
            y - 5.0,
            x + bar / 2.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Per-criterion coverage across the batch as horizontal bars, the label
/// column as wide as the longest name.
pub fn coverage_chart(stats: &[CriterionStats]) -> String {
    let row_h = 22.0;
    let bar_h = row_h - 6.0;
    let label_w = stats
        .iter()
        .map(|c| text_width(&c.name, FONT_PX))
        .fold(0.0, f64::max)
        + 2.0 * PAD;
    let bar_w = 380.0;
    let pct_x = label_w + bar_w + 6.0;
    let w = (pct_x + text_width("100%", FONT_PX) + PAD).ceil();
    let h = (row_h * stats.len() as f64 + 2.0 * PAD).ceil();
    let mut svg = svg_open("Coverage per criterion", w, h);
    for (i, c) in stats.iter().enumerate() {
        let y = PAD + i as f64 * row_h;
        // Baseline that centres the text on its bar.
        let base = y + bar_h / 2.0 + FONT_PX * (ASCENT - DESCENT) / 2.0;
        let pct = c.coverage();
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{base:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w:.1}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{bar_h:.1}\" fill=\"#eef\"/>\
             <rect x=\"{label_w:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar_h:.1}\" fill=\"#59a14f\"><title>{}: {:.0}% covered, mean {:.2}/4</title></rect>\
             <text x=\"{pct_x:.1}\" y=\"{base:.1}\">{:.0}%</text>",
            label_w - PAD,
            esc(&c.name),
            bar_w * pct,
            esc(&c.name),
            pct * 100.0,
            c.mean_final(),
            pct * 100.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One answer's concept strengths as a radar (spider) chart, the canvas
/// grown to hold every axis label.
pub fn radar_chart(r: &RadarAnswer) -> String {
    let n = r.axes.len();
    if n < 3 {
        let msg = "too few concepts for a radar";
        let w = (text_width(msg, FONT_PX) + 2.0 * PAD).ceil();
        return format!(
            "{}<text x=\"{PAD}\" y=\"{:.1}\">{msg}</text></svg>",
            svg_open("Radar of one answer", w, 32.0),
            PAD + FONT_PX * ASCENT
        );
    }
    let rad = 160.0;
    let angle = |i: usize| -PI / 2.0 + 2.0 * PI * i as f64 / n as f64;
    // Labels relative to the centre: (x, baseline, anchor, left, right).
    let labels: Vec<(f64, f64, &str, f64, f64)> = r
        .axes
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let a = angle(i);
            let (dx, dy) = ((rad + 10.0) * a.cos(), (rad + 10.0) * a.sin());
            let tw = text_width(name, FONT_PX);
            let (anchor, left, right) = if dx.abs() < 5.0 {
                ("middle", dx - tw / 2.0, dx + tw / 2.0)
            } else if dx > 0.0 {
                ("start", dx, dx + tw)
            } else {
                ("end", dx - tw, dx)
            };
            // Above the centre the text sits on its point, below it hangs
            // from it, at the sides it is centred on it.
            let base = if dy < -rad * 0.9 {
                dy - 2.0
            } else if dy > rad * 0.9 {
                dy + FONT_PX * ASCENT
            } else {
                dy + FONT_PX * (ASCENT - DESCENT) / 2.0
            };
            (dx, base, anchor, left, right)
        })
        .collect();
    let min_x = labels.iter().map(|l| l.3).fold(-rad, f64::min) - PAD;
    let max_x = labels.iter().map(|l| l.4).fold(rad, f64::max) + PAD;
    let min_y = labels
        .iter()
        .map(|l| l.1 - FONT_PX * ASCENT)
        .fold(-rad, f64::min)
        - PAD;
    let max_y = labels
        .iter()
        .map(|l| l.1 + FONT_PX * DESCENT)
        .fold(rad, f64::max)
        + PAD;
    let (cx, cy) = ((-min_x).ceil(), (-min_y).ceil());
    let (w, h) = ((max_x - min_x).ceil() + 1.0, (max_y - min_y).ceil() + 1.0);
    let point = |i: usize, v: f64| {
        let a = angle(i);
        (cx + rad * v * a.cos(), cy + rad * v * a.sin())
    };
    let mut svg = svg_open("Radar of one answer", w, h);
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
    for (i, ((name, _), (dx, base, anchor, _, _))) in r.axes.iter().zip(&labels).enumerate() {
        let (x, y) = point(i, 1.0);
        let _ = write!(
            svg,
            "<line x1=\"{cx}\" y1=\"{cy}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#ccd\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
            cx + dx,
            cy + base,
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

/// Longest top gap in the answers table, in characters.
const GAP_CHARS: usize = 140;
/// Longest quote in a section, in characters.
const QUOTE_CHARS: usize = 320;

/// Escaped rubric text with its `code` spans set as code (the advice
/// writes examples like `Kafka -> Flink` that way).
fn esc_code(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

fn badge(level: Option<Level>) -> String {
    match level {
        Some(l) => format!("<span class=\"lv {l}\">{l}</span>"),
        None => "–".into(),
    }
}

fn problem_cell(row: &ResultRow) -> String {
    match &row.problem {
        Some(p) => esc(p),
        None if row.problem_missing => "<i>none (generic rubric)</i>".into(),
        None => "–".into(),
    }
}

fn table_line(n: usize, row: &ResultRow) -> String {
    let gap = row
        .top_gap()
        .map(|g| esc(&one_line(&g, GAP_CHARS)))
        .unwrap_or_else(|| "–".into());
    format!(
        "<tr><td class=n>{n}</td><td class=id><a href=\"#a{n}\">{}</a></td><td>{}</td><td>{}</td><td class=n>{}</td><td>{gap}</td></tr>",
        esc(&row.id),
        problem_cell(row),
        badge(row.level),
        row.overall.map(|o| o.to_string()).unwrap_or_else(|| "–".into()),
    )
}

fn section(n: usize, row: &ResultRow) -> String {
    let mut o = format!(
        "<section class=answer id=\"a{n}\"><h3>{n}. {} {} {}/100</h3>",
        esc(&row.id),
        badge(row.level),
        row.overall
            .map(|o| o.to_string())
            .unwrap_or_else(|| "–".into()),
    );
    match &row.problem {
        Some(p) => {
            let _ = write!(o, "<p class=meta>Problem: {}</p>", esc(p));
        }
        None if row.problem_missing => o.push_str(
            "<p class=warn>No problem id, so this was graded against the generic rubric. Pass <code>--problem ID</code> or add front matter <code>problem: ID</code>.</p>",
        ),
        None => {}
    }
    if !row.brief_missed.is_empty() {
        let missed: Vec<String> = row.brief_missed.iter().map(|m| esc(m)).collect();
        let _ = write!(
            o,
            "<p class=warn>The brief asks for, and the answer never covers: {}.</p>",
            missed.join("; ")
        );
    }
    if let Some(e) = &row.error {
        let _ = write!(o, "<p class=warn>{}</p>", esc(e));
    }
    if let Some(sm) = &row.judge_samples {
        o.push_str(&crate::report::variance::html_answer(sm));
    }
    let Some(v) = &row.verdict else {
        o.push_str("<p class=meta>This row was written before grade rows explained themselves; grade the answer again for reasons and improvements.</p></section>");
        return o;
    };
    if !v.reasons.is_empty() {
        let _ = write!(o, "<h4>Why {}</h4><ul>", v.level);
        for r in &v.reasons {
            let _ = write!(o, "<li>{}</li>", esc(r));
        }
        o.push_str("</ul>");
    }
    if !v.failed_gates.is_empty() {
        o.push_str("<h4>Gates not passed</h4><table><tr><th>Level</th><th>Gate</th><th>What was missing</th><th>What would pass it</th></tr>");
        for g in &v.failed_gates {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                badge(Some(g.level)),
                esc(&g.gate),
                esc(&g.because),
                esc_code(&g.to_pass)
            );
        }
        o.push_str("</table>");
    }
    if !row.strengths.is_empty() {
        o.push_str("<h4>Strengths</h4><ul>");
        for st in &row.strengths {
            let _ = write!(
                o,
                "<li><b>{}</b> ({}/4)<blockquote>{}</blockquote></li>",
                esc(&st.name),
                st.strength,
                esc(&one_line(&st.quote, QUOTE_CHARS))
            );
        }
        o.push_str("</ul>");
    }
    if !row.improvements.is_empty() {
        o.push_str("<h4>Improvements</h4><ol>");
        for imp in &row.improvements {
            let _ = write!(o, "<li>{}", esc_code(&imp.text));
            if let Some(l5) = &imp.l5_says {
                let _ = write!(
                    o,
                    "<div class=l5><span>An L5 answer says:</span> <q>{}</q></div>",
                    esc(&one_line(l5, QUOTE_CHARS))
                );
            }
            o.push_str("</li>");
        }
        o.push_str("</ol>");
    }
    o.push_str("</section>");
    o
}

/// The whole report: the batch figures and charts, then the per-answer
/// table and sections, read from `rows` one at a time.
pub fn write(
    out: &mut dyn std::io::Write,
    s: &Summary,
    rows: &dyn Rows,
) -> Result<(), ReportError> {
    let mut h = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>mockround grade report</title><style>{STYLE}</style></head><body>\
         <h1>mockround grade report</h1><div class=cards>\
         <div class=card>Answers<b>{}</b></div><div class=card>Graded<b>{}</b></div><div class=card>Errors<b>{}</b></div><div class=card>Mean overall<b>{:.1}</b></div></div>",
        s.rows, s.graded, s.errors, s.mean_overall()
    );
    if s.problem_missing > 0 {
        let _ = write!(
            h,
            "<p class=warn>{} answer(s) had no problem id and were graded against the generic rubric: pass <code>--problem ID</code> or add front matter <code>problem: ID</code>.</p>",
            s.problem_missing
        );
    }
    let _ = write!(h, "<h2>Level distribution</h2>{}", level_chart(s));
    out.write_all(h.as_bytes())?;

    if s.graded > 0 {
        out.write_all(b"<h2>Answers</h2><p>The top gap is the first gate the answer did not pass (the one that kept it from the next level), or its first improvement. Each id links to its section below.</p>\
<table class=answers><tr><th>#</th><th>Answer</th><th>Problem</th><th>Level</th><th>Overall</th><th class=gap>Top gap</th></tr>")?;
        for item in graded(rows)? {
            let (n, row) = item?;
            out.write_all(table_line(n, &row).as_bytes())?;
        }
        out.write_all(b"</table>")?;
    }

    let mut h = String::new();
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
    h.push_str(&crate::report::variance::html_section(s));
    if !s.listed_errors.is_empty() {
        h.push_str("<h2>Errors</h2><table><tr><th>Input</th><th>Error</th></tr>");
        for (id, e) in &s.listed_errors {
            let _ = write!(h, "<tr><td>{}</td><td>{}</td></tr>", esc(id), esc(e));
        }
        h.push_str("</table>");
    }
    out.write_all(h.as_bytes())?;

    if s.graded > 0 {
        out.write_all(b"<h2>Per answer</h2>")?;
        for item in graded(rows)? {
            let (n, row) = item?;
            out.write_all(section(n, &row).as_bytes())?;
        }
    }
    out.write_all(b"</body></html>\n")?;
    Ok(())
}

/// The report for rows already in memory (tests, small batches).
pub fn render(s: &Summary, rows: &[ResultRow]) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and in-memory rows cannot be unreadable.
    let _ = write(&mut out, s, &rows);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{self, HOSTILE};
    use crate::report::summary::RadarAnswer;

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    /// Every text of every chart inside its SVG's viewBox, by the width the
    /// layout estimates: what a browser would clip.
    fn assert_no_label_clipped(html: &str) {
        let svg_re =
            regex::Regex::new(r#"(?s)<svg[^>]*viewBox="0 0 ([\d.]+) ([\d.]+)">(.*?)</svg>"#)
                .expect("svg regex");
        let text_re = regex::Regex::new(
            r#"<text x="([-\d.]+)" y="([-\d.]+)"(?: text-anchor="(\w+)")?>([^<]*)</text>"#,
        )
        .expect("text regex");
        let mut texts = 0;
        for svg in svg_re.captures_iter(html) {
            let w: f64 = svg[1].parse().expect("width");
            let h: f64 = svg[2].parse().expect("height");
            for t in text_re.captures_iter(&svg[3]) {
                texts += 1;
                let x: f64 = t[1].parse().expect("x");
                let y: f64 = t[2].parse().expect("y");
                let label = unescape(&t[4]);
                let tw = text_width(&label, FONT_PX);
                let (left, right) = match t.get(3).map(|m| m.as_str()) {
                    Some("end") => (x - tw, x),
                    Some("middle") => (x - tw / 2.0, x + tw / 2.0),
                    _ => (x, x + tw),
                };
                assert!(
                    left >= 0.0,
                    "{label:?} starts at {left:.1}, left of the chart"
                );
                assert!(
                    right <= w,
                    "{label:?} ends at {right:.1}, past the width {w}"
                );
                assert!(
                    y - FONT_PX * ASCENT >= 0.0,
                    "{label:?} at y={y} is cut off at the top"
                );
                assert!(
                    y + FONT_PX * DESCENT <= h,
                    "{label:?} at y={y} is cut off at the bottom (height {h})"
                );
            }
        }
        assert!(texts > 0, "no chart text found");
    }

    fn stats(name: &str, covered: u64) -> CriterionStats {
        CriterionStats {
            id: name.to_lowercase(),
            name: name.into(),
            answers: 100,
            covered,
            final_sum: 200,
            ..CriterionStats::default()
        }
    }

    #[test]
    fn chart_labels_are_never_clipped() {
        let rubric = crate::rubric::Rubric::load(None).expect("built-in rubric");
        let mut s = Summary {
            rows: 123_465,
            graded: 123_465,
            ..Summary::default()
        };
        // The count over the tallest bar is the one that used to be cut off.
        s.levels.insert(Level::L3, 123_456);
        s.levels.insert(Level::L5, 7);
        s.levels.insert(Level::L6, 2);
        s.concepts = rubric
            .concepts
            .iter()
            .map(|c| stats(&c.name, 100))
            .collect();
        s.concepts.push(stats(&"W".repeat(70), 0));
        s.concepts
            .push(stats("数据质量监控与告警 (data quality)", 50));
        s.signals = rubric.signals.iter().map(|c| stats(&c.name, 37)).collect();
        let mut axes: Vec<(String, u8)> = rubric
            .concepts
            .iter()
            .map(|c| (c.id.to_string(), 4))
            .collect();
        axes.push((
            "a-very-long-concept-identifier-from-a-custom-rubric".into(),
            4,
        ));
        s.radar = Some(RadarAnswer {
            id: "top".into(),
            overall: 99,
            axes,
        });
        let html = render(&s, &[]);
        assert_eq!(html.matches("<svg").count(), 4);
        assert_no_label_clipped(&html);
        // Small charts too: three axes, and too few for a radar.
        for n in [3, 2] {
            let r = RadarAnswer {
                id: "x".into(),
                overall: 1,
                axes: (0..n).map(|i| (format!("Concept number {i}"), 2)).collect(),
            };
            assert_no_label_clipped(&radar_chart(&r));
        }
        let empty = Summary::default();
        assert_no_label_clipped(&level_chart(&empty));
    }

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
        let html = render(&s, &[]);
        assert_eq!(html.matches("<svg").count(), 3);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;") && html.contains("Exactly-once &lt;b&gt;"));
    }

    #[test]
    fn every_answer_gets_a_table_line_and_a_section_that_explains_it() {
        let rows = fixtures::rows();
        let html = render(&fixtures::summary(&rows), &rows);
        // Three graded answers: three table lines linking to three sections.
        for n in 1..=3 {
            assert!(html.contains(&format!("<a href=\"#a{n}\">")), "link {n}");
            assert!(
                html.contains(&format!("<section class=answer id=\"a{n}\">")),
                "section {n}"
            );
        }
        assert!(!html.contains("id=\"a4\""), "the error row has no section");
        let strong = &html[html.find("id=\"a1\"").expect("a1")..];
        let strong = &strong[..strong.find("</section>").expect("end")];
        for part in [
            "<h4>Why L5</h4>",
            "Uses specific numbers",
            "<h4>Gates not passed</h4>",
            "Operations are missing: who is paged",
            "Add the alert that pages on-call (<code>lag &gt; 5 min</code>)",
            "<h4>Strengths</h4>",
            "The load is a MERGE on session_id so a rerun is safe.",
            "<h4>Improvements</h4>",
            "An L5 answer says:",
            "alert when consumer lag &gt; 5 min pages on-call",
        ] {
            assert!(strong.contains(part), "missing {part:?} in {strong}");
        }
        // The table's top gap is the first failed gate.
        assert!(html.contains("<td>L6 operations: Operations are missing: who is paged</td>"));
        // No problem id: said in the table, the section and the header.
        assert!(html.contains("none (generic rubric)"));
        assert!(html.contains("1 answer(s) had no problem id"));
    }

    #[test]
    fn nothing_from_an_answer_reaches_the_page_unescaped() {
        let rows = fixtures::rows();
        let html = render(&fixtures::summary(&rows), &rows);
        assert!(!html.contains(HOSTILE));
        assert!(!html.contains("<script"));
        assert!(
            html.contains("<blockquote>&lt;/blockquote&gt;&lt;script&gt;"),
            "a quote must not close its blockquote"
        );
        assert!(html.contains(&esc(HOSTILE)));
        assert!(
            !html.contains("href=\"http"),
            "an answer's link became a link"
        );
        // Self-contained: nothing loaded from anywhere.
        for banned in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!html.contains(banned), "{banned} in the report");
        }
    }
}
