//! Box-drawing diagrams: boxes drawn with `┌─┐ │ └─┘` (or ASCII `+--+`,
//! `|`), joined by horizontal arrows on a shared row (`│A│──avro──►│B│`) or
//! vertical connectors under a box (`│`, `▼`). The first text line in a box
//! names it; the other lines are its note. Columns are counted in chars, as
//! a monospace editor shows them.

use super::columns;
use super::naming::{segment, Pos};
use super::Builder;

/// A box found on the grid: rows `top..=bottom`, columns `left..=right`.
#[derive(Debug, Clone, Copy)]
struct Rect {
    top: usize,
    bottom: usize,
    left: usize,
    right: usize,
    node: usize,
}

const MAX_HEIGHT: usize = 40;

fn is_tl(c: char) -> bool {
    matches!(c, '┌' | '╭' | '╔' | '┏' | '+')
}
fn is_tr(c: char) -> bool {
    matches!(c, '┐' | '╮' | '╗' | '┓' | '+')
}
fn is_bl(c: char) -> bool {
    matches!(c, '└' | '╰' | '╚' | '┗' | '+')
}
fn is_br(c: char) -> bool {
    matches!(c, '┘' | '╯' | '╝' | '┛' | '+')
}
fn is_horizontal(c: char) -> bool {
    matches!(c, '─' | '━' | '═' | '-' | '=' | '┬' | '┴' | '┼' | '╤' | '╧')
}
fn is_vertical(c: char) -> bool {
    matches!(
        c,
        '│' | '┃' | '║' | '|' | '├' | '┤' | '┼' | '╟' | '╢' | '╠' | '╣'
    )
}
fn is_down_head(c: char) -> bool {
    matches!(c, '▼' | '↓' | '⬇' | 'v' | 'V' | '▾')
}
fn is_up_head(c: char) -> bool {
    matches!(c, '▲' | '↑' | '⬆' | '^' | '▴')
}
fn is_right_head(c: char) -> bool {
    matches!(c, '>' | '►' | '▶' | '→' | '▸')
}
fn is_left_head(c: char) -> bool {
    matches!(c, '<' | '◄' | '◀' | '←' | '◂')
}
fn is_line(c: char) -> bool {
    matches!(c, '─' | '━' | '═' | '-' | '=' | '~' | '.')
}

struct Grid {
    /// Per row: each char with its byte offset in the text.
    rows: Vec<Vec<(usize, char)>>,
    /// Byte end of each row.
    ends: Vec<usize>,
}

impl Grid {
    fn at(&self, r: usize, c: usize) -> Option<char> {
        self.rows.get(r)?.get(c).map(|x| x.1)
    }
    fn byte(&self, r: usize, c: usize) -> usize {
        self.rows
            .get(r)
            .and_then(|row| row.get(c).map(|x| x.0))
            .unwrap_or_else(|| self.ends.get(r).copied().unwrap_or(0))
    }
}

pub(crate) fn parse(b: &mut Builder<'_>, lines: &[(usize, usize)], used: &mut [bool]) {
    let text = b.text;
    // Cheap exit: no corner characters at all. The Unicode corners all
    // start with the byte 0xE2, so a text without it (most) has none.
    let unicode_corner =
        memchr::memchr(0xE2, text.as_bytes()).is_some() && text.contains(['┌', '╭', '╔', '┏']);
    if !unicode_corner && memchr::memmem::find(text.as_bytes(), b"+-").is_none() {
        return;
    }
    let grid = Grid {
        rows: lines
            .iter()
            .map(|&(s, e)| text[s..e].char_indices().map(|(i, c)| (s + i, c)).collect())
            .collect(),
        ends: lines.iter().map(|l| l.1).collect(),
    };
    let mut rects: Vec<Rect> = Vec::new();
    for (r, row) in grid.rows.iter().enumerate() {
        if used[r] {
            continue;
        }
        let mut c = 0;
        while c < row.len() {
            if is_tl(row[c].1) {
                if let Some(rect) = find_rect(&grid, r, c) {
                    if let Some(node) = name_box(b, &grid, rect) {
                        rects.push(Rect { node, ..rect });
                    }
                    c = rect.right + 1;
                    continue;
                }
            }
            c += 1;
        }
    }
    if rects.is_empty() {
        return;
    }
    let mut connector_rows: Vec<usize> = Vec::new();
    for a in &rects {
        horizontal(b, &grid, &rects, a);
        vertical(b, &grid, &rects, a, &mut connector_rows);
    }
    forks(b, &grid, lines, &rects, &mut connector_rows);
    forks_to_text(b, &grid, lines, &rects, used, &mut connector_rows);
    for rect in &rects {
        for u in used.iter_mut().take(rect.bottom + 1).skip(rect.top) {
            *u = true;
        }
    }
    for r in connector_rows {
        if let Some(u) = used.get_mut(r) {
            *u = true;
        }
    }
}

fn find_rect(g: &Grid, top: usize, left: usize) -> Option<Rect> {
    let row = g.rows.get(top)?;
    let ascii = row[left].1 == '+';
    let mut right = None;
    let mut lines = 0;
    for (c, &(_, ch)) in row.iter().enumerate().skip(left + 1) {
        if is_tr(ch) && lines >= 2 {
            right = Some(c);
            break;
        }
        if is_horizontal(ch) {
            lines += 1;
        } else if ascii || is_tl(ch) {
            // ASCII boxes have plain borders; a new corner starts another box.
            return None;
        }
        // Unicode top borders may carry a title: "┌─ Kafka ─┐".
    }
    let right = right?;
    // Hand-drawn right borders wander a column either way ("+-----+" over
    // "| Airflow DAG per (source, date)  |"), or two to the right when a box
    // to the left on that row is drawn wide too: the border is where the
    // row has one.
    let near = |r: usize, f: fn(char) -> bool| {
        [right, right + 1, right.wrapping_sub(1), right + 2]
            .iter()
            .any(|&c| g.at(r, c).is_some_and(f))
    };
    // The left border wanders too when a box to its left on the same row
    // is drawn a column wide ("│ WMS (x3 vendors)│ ──▶ │ Kafka").
    let near_left = |r: usize, f: fn(char) -> bool| {
        [left, left + 1, left.wrapping_sub(1)]
            .iter()
            .any(|&c| g.at(r, c).is_some_and(f))
    };
    for r in top + 1..(top + MAX_HEIGHT).min(g.rows.len()) {
        if near_left(r, is_bl) && near(r, is_br) {
            return (r > top + 1).then_some(Rect {
                top,
                bottom: r,
                left,
                right,
                node: 0,
            });
        }
        if !(near_left(r, is_vertical) && near(r, is_vertical)) {
            return None;
        }
    }
    None
}

/// The text inside a box row, as a byte span: up to the right border, or
/// the column before it when that row's border is drawn a column early.
fn inner(g: &Grid, r: usize, rect: &Rect) -> Option<(usize, usize)> {
    let late = g.at(r, rect.left + 1).is_some_and(is_vertical)
        && !g.at(r, rect.left).is_some_and(is_vertical);
    let s = g.byte(r, if late { rect.left + 2 } else { rect.left + 1 });
    let early = rect.right > rect.left + 1 && g.at(r, rect.right - 1).is_some_and(is_vertical);
    // Drawn late, the row's border is further right: stop at it.
    let late_end = (rect.right..=rect.right + 2).find(|&c| g.at(r, c).is_some_and(is_vertical));
    let e = g.byte(
        r,
        if early {
            rect.right - 1
        } else {
            late_end.unwrap_or(rect.right)
        },
    );
    (s < e).then_some((s, e))
}

fn name_box(b: &mut Builder<'_>, g: &Grid, rect: Rect) -> Option<usize> {
    let text = b.text;
    let rows: Vec<(usize, usize)> = (rect.top + 1..rect.bottom)
        .filter_map(|r| inner(g, r, &rect))
        .filter(|&(s, e)| !text[s..e].trim().is_empty())
        .collect();
    let (&first, rest) = rows.split_first()?;
    let seg = segment(text, first, Pos::First, b.idx)?;
    // The note: the title row's own note, else the first other row that
    // reads as an annotation, else the first other row.
    let note = seg.note.or_else(|| {
        rest.iter()
            .copied()
            .find(|&(s, e)| {
                let t = &text[s..e];
                t.bytes().any(|c| c.is_ascii_digit()) || b.idx.format_in(t).is_some()
            })
            .or_else(|| rest.first().copied())
    });
    // "Airflow DAG per (source, date)": the note cut the name after "per".
    let (s, mut e) = seg.name;
    loop {
        let name = text[s..e].trim_end();
        let Some((head, last)) = name.rsplit_once(' ') else {
            break;
        };
        if ![
            "per", "for", "of", "with", "by", "and", "to", "the", "a", "on", "in",
        ]
        .contains(&last.to_ascii_lowercase().as_str())
        {
            break;
        }
        e = s + head.trim_end().len();
    }
    b.add_node(s, e, note)
}

/// The box whose left border is at `(r, c)`, or a column right of where
/// its corner is when the row is drawn a column wide.
fn box_left_at<'r>(g: &Grid, rects: &'r [Rect], r: usize, c: usize) -> Option<&'r Rect> {
    rects.iter().find(|x| {
        x.top <= r
            && r <= x.bottom
            && (x.left == c
                || (x.left + 1 == c
                    && g.at(r, c).is_some_and(is_vertical)
                    && !g.at(r, x.left).is_some_and(is_vertical)))
    })
}

fn horizontal(b: &mut Builder<'_>, g: &Grid, rects: &[Rect], a: &Rect) {
    for r in a.top..=a.bottom {
        let Some(row) = g.rows.get(r) else { continue };
        let mut c = a.right + 1;
        let start = c;
        let mut target = None;
        while c < row.len() {
            if let Some(t) = box_left_at(g, rects, r, c) {
                target = Some(*t);
                break;
            }
            c += 1;
        }
        let Some(t) = target else { continue };
        if start >= c {
            continue;
        }
        let seg: Vec<char> = row[start..c].iter().map(|x| x.1).collect();
        let line_chars = seg.iter().filter(|ch| is_line(**ch)).count();
        let right = seg.iter().any(|ch| is_right_head(*ch));
        let left = seg.iter().any(|ch| is_left_head(*ch));
        if line_chars < 2 && !right && !left {
            continue;
        }
        // The label: words on the arrow, else words just above it; words
        // just under it say more ("~60 rows/s avg" under the line).
        let label = label_in_run(g, r, start, c).or_else(|| {
            r.checked_sub(1)
                .and_then(|up| label_in_run(g, up, start, c))
        });
        let below = (!arrow_row(g, r + 1, start, c))
            .then(|| label_in_run(g, r + 1, start, c))
            .flatten();
        let span = (g.byte(r, start), g.byte(r, c));
        let (f, to) = if left && !right {
            (t.node, a.node)
        } else {
            (a.node, t.node)
        };
        b.add_edge_with(f, to, label, below, span);
    }
}

/// True when row `r` draws an arrow of its own in columns `from..to`: its
/// words label that arrow, not the one above.
fn arrow_row(g: &Grid, r: usize, from: usize, to: usize) -> bool {
    g.rows.get(r).is_some_and(|row| {
        let run: Vec<char> = row.iter().take(to).skip(from).map(|x| x.1).collect();
        run.iter().any(|ch| is_right_head(*ch) || is_left_head(*ch))
            || run
                .windows(2)
                .any(|w| is_line(w[0]) && is_line(w[1]) && w[0] != '.')
    })
}

/// Words in columns `from..to` of row `r`, as a byte span (border and line
/// characters excluded).
fn label_in_run(g: &Grid, r: usize, from: usize, to: usize) -> Option<(usize, usize)> {
    let row = g.rows.get(r)?;
    let end = to.min(row.len());
    let mut first = None;
    let mut last = None;
    // A lone "v" or "^" is another connector's head, not a word.
    let blank = |c: Option<usize>| {
        c.and_then(|c| row.get(c))
            .is_none_or(|x| x.1.is_whitespace() || is_vertical(x.1))
    };
    for (c, &(_, ch)) in row.iter().enumerate().take(end).skip(from) {
        let head =
            (is_down_head(ch) || is_up_head(ch)) && blank(c.checked_sub(1)) && blank(Some(c + 1));
        let deco = head
            || is_line(ch)
            || is_vertical(ch)
            || is_right_head(ch)
            || is_left_head(ch)
            || is_tl(ch)
            || is_tr(ch)
            || is_bl(ch)
            || is_br(ch)
            || ch.is_whitespace();
        if !deco {
            if first.is_none() {
                first = Some(c);
            }
            last = Some(c);
        }
    }
    let (f, l) = (first?, last?);
    let s = g.byte(r, f);
    let e = row.get(l).map(|x| x.0 + x.1.len_utf8())?;
    Some((s, e))
}

fn vertical(b: &mut Builder<'_>, g: &Grid, rects: &[Rect], a: &Rect, rows_out: &mut Vec<usize>) {
    // A connector may leave from under a corner and land on one: ASCII
    // boxes are often drawn with the line on the border column.
    for c in a.left..=a.right {
        let below = g.at(a.bottom + 1, c);
        let on_border = g
            .at(a.bottom, c)
            .is_some_and(|ch| matches!(ch, '┬' | '╤' | '+'));
        let starts = below.is_some_and(|ch| is_vertical(ch) || is_down_head(ch) || is_up_head(ch));
        if !starts && !on_border {
            continue;
        }
        let mut r = a.bottom + 1;
        let mut label: Option<(usize, usize)> = None;
        let mut up = false;
        let mut seen = Vec::new();
        let mut hit = None;
        while r < g.rows.len() && r <= a.bottom + 12 {
            if let Some(t) = rects
                .iter()
                .find(|x| x.top == r && x.left <= c && c <= x.right)
            {
                hit = Some(*t);
                break;
            }
            match g.at(r, c) {
                Some(ch) if is_vertical(ch) || is_down_head(ch) || is_up_head(ch) => {
                    up |= is_up_head(ch);
                    if label.is_none() {
                        label = side_label(g, rects, r, c);
                    }
                    seen.push(r);
                }
                _ => break,
            }
            r += 1;
        }
        // A box right under the other, joined on the border rows
        // ("└───┬───┘" over "┌───▼───┐"), has no rows between them.
        let joined = hit.is_some_and(|t| {
            t.top == a.bottom + 1
                && on_border
                && g.at(t.top, c)
                    .is_some_and(|ch| is_down_head(ch) || is_up_head(ch))
        });
        if let (Some(t), false) = (hit, seen.is_empty() && !joined) {
            // Joined, the connector is the border junction and the head.
            let (from_row, to_row) = if seen.is_empty() {
                (a.bottom, a.bottom + 1)
            } else {
                (a.bottom + 1, r - 1)
            };
            let start = g.byte(from_row, c);
            let end = g
                .rows
                .get(to_row)
                .and_then(|row| row.get(c))
                .map_or(start, |x| x.0 + x.1.len_utf8());
            let span = (start, end);
            let (f, to) = if up {
                (t.node, a.node)
            } else {
                (a.node, t.node)
            };
            b.add_edge(f, to, label, span);
            rows_out.extend(seen);
            // One connector per box pair is enough.
        }
    }
}

/// The words beside a vertical connector at `(r, c)`: to its right up to
/// the next box or the next connector (whose label that is), else just to
/// its left ("upsert (sku,loc) w/ ver│").
fn side_label(g: &Grid, rects: &[Rect], r: usize, c: usize) -> Option<(usize, usize)> {
    let row = g.rows.get(r)?;
    let next_box = rects
        .iter()
        .filter(|x| x.left > c && x.top <= r && r <= x.bottom)
        .map(|x| x.left)
        .min()
        .unwrap_or(usize::MAX);
    // Another connector's line or head (not a letter "v").
    let glyph = |ch: char| is_vertical(ch) || matches!(ch, '▼' | '↓' | '⬇' | '▾');
    let next_line = (c + 1..row.len().min(next_box))
        .find(|&k| g.at(r, k).is_some_and(glyph))
        .unwrap_or(usize::MAX);
    if let Some(l) = label_in_run(g, r, c + 1, next_box.min(next_line)) {
        return Some(l);
    }
    // Left of the line: words that end within two columns of it.
    let prev_line = (0..c)
        .rev()
        .find(|&k| g.at(r, k).is_some_and(glyph))
        .map_or(0, |k| k + 1);
    let (s, e) = label_in_run(g, r, prev_line, c)?;
    let ends_near = row
        .iter()
        .position(|x| x.0 >= e)
        .is_some_and(|k| k + 2 >= c);
    ends_near.then_some((s, e))
}

/// Lines that fork or merge between boxes (`┌────┼────┐` under one box,
/// a `▼` over each of two): each head on a box's top border is followed up
/// its line, across the fork, to the bottom border of the box it leaves.
fn forks(
    b: &mut Builder<'_>,
    g: &Grid,
    lines: &[(usize, usize)],
    rects: &[Rect],
    rows_out: &mut Vec<usize>,
) {
    let bottom_of = |r: usize, c: usize| {
        rects
            .iter()
            .find(|x| x.bottom == r && x.left <= c && c <= x.right)
    };
    // Heads on a box's top border that do not sit right under another box.
    let heads: Vec<(&Rect, usize, usize)> = rects
        .iter()
        .filter(|t| t.top >= 2)
        .flat_map(|t| (t.left..=t.right).map(move |c| (t, t.top - 1, c)))
        .filter(|&(_, r, c)| {
            g.at(r, c).is_some_and(columns::is_down_head) && bottom_of(r - 1, c).is_none()
        })
        .collect();
    if heads.is_empty() {
        return;
    }
    // Only the rows the boxes span are traced.
    let first = rects.iter().map(|x| x.top).min().unwrap_or(0);
    let last = rects.iter().map(|x| x.bottom).max().unwrap_or(0);
    let Some(span) = lines.get(first..=last) else {
        return;
    };
    let cells = columns::Grid::new(b.text, span);
    for (t, head_row, c) in heads {
        // A head above every box's top has no box above it to leave from.
        let Some(from_row) = (head_row - 1).checked_sub(first) else {
            continue;
        };
        let stop = |r: usize, c: usize| bottom_of(r + first, c).is_some();
        let trace = cells.trace(from_row, c, &stop);
        for (r, sc) in trace.stops {
            if let Some(from) = bottom_of(r + first, sc).filter(|f| f.node != t.node) {
                let start = g.byte(head_row, c);
                let end = start + g.at(head_row, c).map_or(0, char::len_utf8);
                b.add_edge(from.node, t.node, None, (start, end));
                rows_out.extend(trace.path.iter().map(|p| p.0 + first));
                rows_out.push(head_row);
            }
        }
    }
}

/// Lines from under a box that fork down to names with no box around them
/// ("Snowflake recon.matches" and "exceptions UI" under a `+----+----+`
/// below the Airflow box): each head with words under it is followed up its
/// line to the box it leaves; the words under the head are the target.
fn forks_to_text(
    b: &mut Builder<'_>,
    g: &Grid,
    lines: &[(usize, usize)],
    rects: &[Rect],
    used: &[bool],
    rows_out: &mut Vec<usize>,
) {
    let in_box = |r: usize, c: usize| {
        rects
            .iter()
            .any(|x| x.top <= r && r <= x.bottom && x.left <= c && c <= x.right)
    };
    for a in rects {
        let first = a.bottom;
        let last = (a.bottom + 8).min(lines.len().saturating_sub(1));
        if last < first + 3 {
            continue;
        }
        let Some(span) = lines.get(first..=last) else {
            continue;
        };
        let cells = columns::Grid::new(b.text, span);
        for r in first + 2..last {
            if used.get(r + 1).copied().unwrap_or(true) {
                continue;
            }
            let Some(row) = g.rows.get(r) else { continue };
            for c in 0..row.len() {
                let head = g.at(r, c).is_some_and(columns::is_down_head)
                    && !in_box(r, c)
                    && !in_box(r + 1, c)
                    && cells.run_near(r - first + 1, c).is_some();
                if !head {
                    continue;
                }
                // Up the line to this box's bottom border.
                let stop = |rr: usize, cc: usize| rr == 0 && a.left <= cc && cc <= a.right;
                let trace = cells.trace(r - first - 1, c, &stop);
                if trace.stops.is_empty() {
                    continue;
                }
                let Some(run) = cells.run_near(r - first + 1, c) else {
                    continue;
                };
                let Some(seg) = segment(b.text, cells.span(run), Pos::First, b.idx) else {
                    continue;
                };
                let Some(to) = b.add_node(seg.name.0, seg.name.1, seg.note) else {
                    continue;
                };
                let start = g.byte(r, c);
                let end = start + g.at(r, c).map_or(0, char::len_utf8);
                b.add_edge(a.node, to, None, (start, end));
                rows_out.extend(trace.path.iter().map(|p| p.0 + first));
                rows_out.push(r);
                rows_out.push(r + 1);
            }
        }
    }
}
