//! The debrief on a terminal, rendered from the Markdown the debrief file
//! holds (so what the debrief says is written once): headings, boxed and
//! aligned tables, paragraphs and lists wrapped to the screen, code blocks
//! (the reference architecture) kept verbatim. termimad does the rendering;
//! this file only chooses the look: colour when asked for, and with no
//! colour (NO_COLOR, `--no-color`) no escape codes at all, headings
//! underlined with rule characters instead.

use termimad::crossterm::style::Color;
use termimad::{Alignment, MadSkin};

/// Narrow screens still get a readable table; wide ones a readable measure.
const MIN_WIDTH: usize = 40;
const MAX_WIDTH: usize = 100;

/// Render Markdown for a terminal `width` columns wide.
pub fn render(markdown: &str, width: usize, color: bool) -> String {
    let width = width.clamp(MIN_WIDTH, MAX_WIDTH);
    let md = frame_tables(markdown);
    if color {
        let mut skin = MadSkin::default();
        skin.headers[0].align = Alignment::Left;
        skin.set_headers_fg(Color::Cyan);
        skin.bold.set_fg(Color::Yellow);
        skin.text(&md, Some(width)).to_string()
    } else {
        let md = underline_headings(&md, width);
        let text = MadSkin::no_style().text(&md, Some(width)).to_string();
        let mut out: String = text
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n");
        out.push('\n');
        out
    }
}

/// Lines outside fenced code blocks, each with whether it is outside.
fn outside_code(markdown: &str) -> Vec<(&str, bool)> {
    let mut fenced = false;
    markdown
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("```") {
                fenced = !fenced;
                return (l, false);
            }
            (l, !fenced)
        })
        .collect()
}

/// Give each table a top and bottom rule, so termimad draws it boxed.
fn frame_tables(markdown: &str) -> String {
    let lines = outside_code(markdown);
    let is_row = |i: usize| {
        lines
            .get(i)
            .is_some_and(|(l, out)| *out && l.trim_start().starts_with('|'))
    };
    let mut out = String::with_capacity(markdown.len() + 64);
    for (i, (line, _)) in lines.iter().enumerate() {
        let row = is_row(i);
        let rule = || {
            let cols = line.trim().trim_matches('|').split('|').count().max(1);
            format!("|{}\n", "-|".repeat(cols))
        };
        if row && (i == 0 || !is_row(i - 1)) {
            out.push_str(&rule());
        }
        out.push_str(line);
        out.push('\n');
        if row && !is_row(i + 1) {
            out.push_str(&rule());
        }
    }
    out
}

/// With no styling, a heading is its text over a rule (`═` for the title,
/// `─` below).
fn underline_headings(markdown: &str, width: usize) -> String {
    let mut out = String::with_capacity(markdown.len() + 256);
    for (line, outside) in outside_code(markdown) {
        let level = line.chars().take_while(|c| *c == '#').count();
        let is_heading = outside && level > 0 && line[level..].starts_with(' ');
        if !is_heading {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let title = line[level..].trim().replace(['*', '`'], "");
        let len = unicode_width::UnicodeWidthStr::width(title.as_str()).min(width);
        let rule = if level == 1 { "═" } else { "─" };
        out.push_str(&format!("{title}\n{}\n", rule.repeat(len)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD: &str = "# Debrief: Clickstream (clickstream)\n\nSession `s1`\n\n\
## Verdict: L5 (72/100)\n\n\
- You asked about scale, freshness and the consumer before designing, which is what the bar expects at this level in a real round, and more words to wrap.\n\n\
## The four steps\n\n\
| Step | Score | Time used | Budget |\n|---|---|---|---|\n\
| Clarify requirements | 80 | 4:12 | 5:00 |\n\
| High-level architecture | 65 | 16:40 | 15:00 |\n\n\
```text\n[Kafka] --> [Flink]   ## not a heading | not a table |\n```\n";

    #[test]
    fn plain_rendering_has_no_markdown_syntax_and_no_escape_codes() {
        let out = render(MD, 60, false);
        assert!(!out.contains('\x1b'), "{out}");
        assert!(!out.lines().any(|l| l.starts_with('#')), "{out}");
        assert!(!out.contains("`s1`"), "{out}");
        assert!(out.contains("Verdict: L5 (72/100)\n────"), "{out}");
        assert!(
            out.contains("Debrief: Clickstream (clickstream)\n════"),
            "{out}"
        );
        // Code blocks are verbatim.
        assert!(out.contains("[Kafka] --> [Flink]   ## not a heading | not a table |"));
        for line in out.lines() {
            assert!(line.chars().count() <= 60, "too wide: {line:?}");
        }
    }

    #[test]
    fn table_columns_line_up_in_a_box() {
        let out = render(MD, 80, false);
        let rows: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with('│') || l.starts_with('┌') || l.starts_with('└'))
            .collect();
        assert_eq!(rows.len(), 5, "{out}");
        let bars = |l: &str| -> Vec<usize> {
            l.chars()
                .enumerate()
                .filter(|(_, c)| "│┼┬┴┌┐└┘├┤".contains(*c))
                .map(|(i, _)| i)
                .collect()
        };
        let first = bars(rows[0]);
        assert_eq!(first.len(), 5, "{out}");
        for r in &rows {
            assert_eq!(bars(r), first, "misaligned: {r:?}\n{out}");
        }
    }

    #[test]
    fn colour_rendering_styles_headings() {
        let out = render(MD, 80, true);
        assert!(out.contains("\x1b["), "{out}");
        assert!(!out.lines().any(|l| l.starts_with('#')), "{out}");
    }
}
