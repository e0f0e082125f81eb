//! `mockround progress --html FILE`: one self-contained page (inline CSS and
//! inline SVG, no script, nothing fetched from the network), so it opens
//! offline in any browser and can be kept next to the sessions it reads.

use std::fmt::Write;

use crate::interview::clock::format_mmss;
use crate::progress::trends::{Progress, Trend, WINDOW};
use crate::report::html::esc;
use crate::rubric::Level;

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1d2430}\
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #dde;padding-bottom:.2em}\
table{border-collapse:collapse;width:100%;font-size:.92em}td,th{border:1px solid #dde;padding:.3em .5em;text-align:left;vertical-align:middle}\
td.n{text-align:right;white-space:nowrap}.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #dde;border-radius:6px;padding:.6em 1em}\
.card b{display:block;font-size:1.5em}.drill{border:2px solid #4e79a7;border-radius:8px;padding:.8em 1.2em;background:#f4f7fb}\
code{background:#eef;padding:.15em .4em;border-radius:4px;font-size:1.05em}.muted{color:#667}\
svg text{font-family:inherit;font-size:12px;fill:#1d2430}";

fn level_colour(l: Level) -> &'static str {
    match l {
        Level::L3 => "#e15759",
        Level::L4 => "#f28e2b",
        Level::L5 => "#4e79a7",
        Level::L6 => "#59a14f",
    }
}

/// Overall score of every attempt as a line, each point coloured by level.
fn verdict_chart(p: &Progress) -> String {
    let (w, h) = (900.0, 260.0);
    let (left, right, top, bottom) = (44.0, 20.0, 14.0, 40.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let n = p.verdicts.len();
    // Points stay clear of the axis labels and the right edge.
    let inset = 12.0;
    let x = |i: usize| {
        if n <= 1 {
            left + pw / 2.0
        } else {
            left + inset + (pw - 2.0 * inset) * i as f64 / (n - 1) as f64
        }
    };
    let y = |score: u8| top + ph * (1.0 - f64::from(score) / 100.0);
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Overall score of each attempt, oldest first\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">"
    );
    for g in [0u8, 25, 50, 75, 100] {
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#dde\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{g}</text>",
            left + pw,
            y(g),
            y(g),
            left - 6.0,
            y(g) + 4.0
        );
    }
    let points: Vec<String> = p
        .verdicts
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(v.overall)))
        .collect();
    if n > 1 {
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#9aa\" stroke-width=\"1.5\"/>",
            points.join(" ")
        );
    }
    let r = if n > 80 { 2.5 } else { 4.5 };
    for (i, v) in p.verdicts.iter().enumerate() {
        let when = v.started_at.map_or_else(
            || "graded answer".to_string(),
            |t| t.format("%Y-%m-%d %H:%M").to_string(),
        );
        let _ = write!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r}\" fill=\"{}\"><title>{} {}: {} {}/100</title></circle>",
            x(i),
            y(v.overall),
            level_colour(v.level),
            esc(&when),
            esc(&v.problem),
            v.level,
            v.overall
        );
    }
    let label = |i: usize| {
        p.verdicts[i].started_at.map_or_else(
            || format!("#{}", i + 1),
            |t| t.format("%Y-%m-%d").to_string(),
        )
    };
    if n >= 1 {
        let anchor = if n == 1 { "middle" } else { "start" };
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
            x(0),
            h - bottom + 18.0,
            esc(&label(0))
        );
    }
    if n >= 2 {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            x(n - 1),
            h - bottom + 18.0,
            esc(&label(n - 1))
        );
    }
    // Legend, bottom centre.
    let mut lx = left + pw / 2.0 - 120.0;
    for l in [Level::L3, Level::L4, Level::L5, Level::L6] {
        let _ = write!(
            svg,
            "<circle cx=\"{lx:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{l}</text>",
            h - 10.0,
            level_colour(l),
            lx + 9.0,
            h - 6.0
        );
        lx += 60.0;
    }
    svg.push_str("</svg>");
    svg
}

/// One trend's newest values (0–4) as a small line.
fn sparkline(t: &Trend) -> String {
    let (w, h) = (130.0, 30.0);
    let step = (w - 12.0) / (WINDOW - 1) as f64;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{} over the last attempts\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\
         <line x1=\"6\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#eef\"/>",
        esc(&t.name),
        w - 6.0,
        h - 5.0,
        h - 5.0
    );
    let pts: Vec<(f64, f64, u8)> = t
        .recent
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.map(|s| {
                (
                    6.0 + step * i as f64,
                    h - 5.0 - (h - 10.0) * f64::from(s) / 4.0,
                    s,
                )
            })
        })
        .collect();
    if pts.len() > 1 {
        let line: Vec<String> = pts
            .iter()
            .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"2\"/>",
            line.join(" ")
        );
    }
    for (x, y, s) in pts {
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"#4e79a7\"><title>{s}/4</title></circle>"
        );
    }
    svg.push_str("</svg>");
    svg
}

fn trend_table(out: &mut String, title: &str, trends: &[Trend]) {
    let shown: Vec<&Trend> = trends.iter().filter(|t| t.mean.is_some()).collect();
    let _ = write!(out, "<h2>{title}, last {WINDOW} attempts</h2>");
    if shown.is_empty() {
        out.push_str("<p class=\"muted\">No attempts yet.</p>");
        return;
    }
    out.push_str("<table><tr><th>name</th><th>trend (0&ndash;4, oldest first)</th><th>recent</th><th>mean</th><th>change</th></tr>");
    for t in shown {
        let recent: Vec<String> = t
            .recent
            .iter()
            .map(|v| v.map_or_else(|| "&ndash;".to_string(), |x| x.to_string()))
            .collect();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{}</td></tr>",
            esc(&t.name),
            sparkline(t),
            recent.join(" "),
            t.mean.unwrap_or(0.0),
            t.change.map_or_else(String::new, |c| format!("{c:+}"))
        );
    }
    out.push_str("</table>");
}

/// Time used per phase as a share of its budget (0–200%, budget marked).
fn phase_chart(p: &Progress) -> String {
    let (label_w, bar_w, row_h) = (190.0, 520.0, 30.0);
    let rows: Vec<_> = p.phases.iter().filter(|ph| ph.share.is_some()).collect();
    let h = row_h * rows.len() as f64 + 30.0;
    let w = label_w + bar_w + 150.0;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Time used per phase against its budget\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">"
    );
    for (i, ph) in rows.iter().enumerate() {
        let share = ph.share.unwrap_or(0.0);
        let y = 6.0 + i as f64 * row_h;
        let fill = if share > 1.1 { "#e15759" } else { "#4e79a7" };
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{:.1}\" fill=\"#eef\"/>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"><title>{}: {:.0}% of budget</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\">{:.0}% ({} of {})</text>",
            label_w - 8.0,
            y + 16.0,
            esc(ph.phase.title()),
            row_h - 10.0,
            bar_w * share.min(2.0) / 2.0,
            row_h - 10.0,
            esc(ph.phase.title()),
            share * 100.0,
            label_w + bar_w + 6.0,
            y + 16.0,
            share * 100.0,
            format_mmss(ph.mean_used_ms.unwrap_or(0) as i64),
            format_mmss(ph.mean_budget_ms.unwrap_or(0) as i64)
        );
    }
    let bx = label_w + bar_w / 2.0;
    let _ = write!(
        svg,
        "<line x1=\"{bx}\" x2=\"{bx}\" y1=\"2\" y2=\"{:.1}\" stroke=\"#1d2430\" stroke-dasharray=\"4 3\"/>\
         <text x=\"{bx}\" y=\"{:.1}\" text-anchor=\"middle\">budget</text>\
         <text x=\"{label_w}\" y=\"{:.1}\" text-anchor=\"start\">0%</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">200%</text>",
        h - 20.0,
        h - 6.0,
        h - 6.0,
        label_w + bar_w,
        h - 6.0
    );
    svg.push_str("</svg>");
    svg
}

/// The whole page.
pub fn render(p: &Progress) -> String {
    let mut out = String::from("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = write!(
        out,
        "<title>mockround: practice progress</title><style>{STYLE}</style></head><body>"
    );
    out.push_str("<h1>Practice progress</h1>");
    let latest = p.verdicts.last().map_or_else(
        || "&ndash;".to_string(),
        |v| format!("{} ({})", v.level, v.overall),
    );
    let best = p
        .verdicts
        .iter()
        .map(|v| v.overall)
        .max()
        .map_or_else(|| "&ndash;".to_string(), |b| b.to_string());
    let _ = write!(
        out,
        "<div class=\"cards\"><div class=\"card\"><b>{}</b>rounds</div><div class=\"card\"><b>{}</b>graded answers</div>\
         <div class=\"card\"><b>{latest}</b>latest verdict</div><div class=\"card\"><b>{best}</b>best score</div></div>",
        p.rounds, p.graded_answers
    );
    if let Some(d) = &p.next_drill {
        let _ = write!(
            out,
            "<h2>Next drill</h2><div class=\"drill\"><p><b>{}</b> on <b>{}</b> ({})</p><p>{}</p><p><code>{}</code></p></div>",
            esc(&d.concept_name),
            esc(&d.problem),
            esc(&d.problem_title),
            esc(&d.reason),
            esc(&d.command)
        );
    }
    out.push_str("<h2>Verdicts over time</h2>");
    if p.verdicts.is_empty() {
        out.push_str("<p class=\"muted\">No finished rounds yet.</p>");
    } else {
        out.push_str(&verdict_chart(p));
        let levels: Vec<String> = p
            .levels
            .iter()
            .map(|l| format!("{} {}", l.level, l.count))
            .collect();
        let _ = write!(out, "<p>Levels reached: {}</p>", levels.join(", "));
    }
    if !p.weakest.is_empty() {
        out.push_str("<h2>The weakest concepts</h2><p class=\"muted\">Recent strength, weighted by how often each comes up in design rounds.</p><ol>");
        for w in &p.weakest {
            let _ = write!(
                out,
                "<li><b>{}</b> (<code>{}</code>): {:.1}/4 over {} attempt{}; comes up in {:.0}% of rounds</li>",
                esc(&w.name),
                esc(w.id.as_str()),
                w.mean,
                w.attempts,
                if w.attempts == 1 { "" } else { "s" },
                w.weight * 100.0
            );
        }
        out.push_str("</ol>");
    }
    trend_table(&mut out, "Concepts", &p.concepts);
    trend_table(&mut out, "Signals", &p.signals);
    out.push_str("<h2>Time per phase against budget</h2>");
    if p.phases.iter().any(|ph| ph.share.is_some()) {
        let timed = p.phases.iter().map(|ph| ph.rounds).max().unwrap_or(0);
        let _ = write!(
            out,
            "<p class=\"muted\">Mean over the last {timed} timed round{}.</p>{}",
            if timed == 1 { "" } else { "s" },
            phase_chart(p)
        );
    } else {
        out.push_str("<p class=\"muted\">No timed rounds yet.</p>");
    }
    if !p.unfinished.is_empty() || !p.skipped.is_empty() {
        out.push_str("<h2>Not counted</h2><ul>");
        if !p.unfinished.is_empty() {
            let _ = write!(
                out,
                "<li>{} unfinished round{} (continue one with <code>mockround practice --resume ID</code>)</li>",
                p.unfinished.len(),
                if p.unfinished.len() == 1 { "" } else { "s" }
            );
        }
        for s in &p.skipped {
            let _ = write!(out, "<li>{}</li>", esc(s));
        }
        out.push_str("</ul>");
    }
    out.push_str("</body></html>\n");
    out
}
