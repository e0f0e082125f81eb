//! Diagrams that branch into side-by-side columns: a line that forks
//! (`├──┐`, `┌──┴──┐`) or merges (`└──┬──┘`, ASCII `+---+---+`) between
//! names on their own rows. Each arrow head is followed up its line, across
//! the fork's horizontal run, to the name it leaves from; the name under the
//! head is where it lands. A single column is left to the inline reader,
//! which reads it line by line; this reader takes a block only when one
//! name feeds two or two feed one. The box reader traces forks between
//! boxes with the same climb ([`Grid::trace`]). Columns are counted in
//! chars, as a monospace editor shows them.

use super::naming::{segment, Pos};
use super::Builder;

/// One char of a row: its byte offset in the text and what it is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Cell {
    Space,
    /// A connector glyph (`│ ─ ├ ┐ + |`, an arrow head).
    Glyph(char),
    /// Part of a word: names, notes and labels.
    Text,
}

pub(super) struct Grid<'t> {
    text: &'t str,
    /// Per row: each char's byte offset and class.
    rows: Vec<Vec<(usize, Cell)>>,
    /// The row's physical line.
    lines: Vec<(usize, usize)>,
}

/// A run of words on one row, split from the next by two spaces or a glyph.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Run {
    row: usize,
    from: usize,
    to: usize,
}

pub(super) fn is_down_head(c: char) -> bool {
    matches!(c, '▼' | '↓' | '⬇' | '▾' | 'v' | 'V')
}

/// Glyphs a line climbing from below goes on up through.
fn goes_up(c: char) -> bool {
    matches!(
        c,
        '│' | '┃'
            | '║'
            | '|'
            | '├'
            | '┤'
            | '┼'
            | '┴'
            | '└'
            | '┘'
            | '╰'
            | '╯'
            | '╚'
            | '╝'
            | '+'
    ) || is_down_head(c)
}

fn is_run(c: char) -> bool {
    matches!(c, '─' | '━' | '═' | '-')
}

/// Which ways a line climbing into `c` from below turns: left, right.
fn turns(c: char) -> (bool, bool) {
    match c {
        '┐' | '╮' | '╗' | '┓' => (true, false),
        '┌' | '╭' | '╔' | '┏' => (false, true),
        '┬' | '╤' | '+' => (true, true),
        _ => (false, false),
    }
}

fn unicode_glyph(c: char) -> bool {
    matches!(c, '\u{2500}'..='\u{257F}')
        || matches!(
            c,
            '▼' | '▲' | '↓' | '↑' | '⬇' | '⬆' | '▾' | '▴' | '►' | '◄' | '▶' | '◀'
        )
}

impl<'t> Grid<'t> {
    pub(super) fn new(text: &'t str, lines: &[(usize, usize)]) -> Self {
        let chars: Vec<Vec<(usize, char)>> = lines
            .iter()
            .map(|&(s, e)| text[s..e].char_indices().map(|(i, c)| (s + i, c)).collect())
            .collect();
        let at = |r: usize, c: usize| chars.get(r).and_then(|row| row.get(c)).map(|x| x.1);
        let rows = chars
            .iter()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, &(b, ch))| {
                        let near = |dr: isize, dc: isize| {
                            let (rr, cc) = (r as isize + dr, c as isize + dc);
                            if rr < 0 || cc < 0 {
                                return None;
                            }
                            at(rr as usize, cc as usize)
                        };
                        let blank = |x: Option<char>| x.is_none_or(char::is_whitespace);
                        let cell = if ch.is_whitespace() {
                            Cell::Space
                        } else if unicode_glyph(ch) || ch == '|' {
                            Cell::Glyph(ch)
                        } else if ch == '-' || ch == '+' {
                            // ASCII lines: "+----+", never "real-time".
                            let line = |x: Option<char>| matches!(x, Some('-' | '+'));
                            if line(near(0, -1)) || line(near(0, 1)) || near(-1, 0) == Some('|') {
                                Cell::Glyph(ch)
                            } else {
                                Cell::Text
                            }
                        } else if (ch == '>' && matches!(near(0, -1), Some('-' | '─' | '=')))
                            || (ch == '<' && matches!(near(0, 1), Some('-' | '─' | '=')))
                        {
                            // The head of an arrow drawn across: "──>", "<--".
                            Cell::Glyph(ch)
                        } else if matches!(ch, 'v' | 'V') && blank(near(0, -1)) && blank(near(0, 1))
                        {
                            Cell::Glyph(ch)
                        } else {
                            Cell::Text
                        };
                        (b, cell)
                    })
                    .collect()
            })
            .collect();
        Grid {
            text,
            rows,
            lines: lines.to_vec(),
        }
    }

    pub(super) fn cell(&self, r: usize, c: usize) -> Cell {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .map_or(Cell::Space, |x| x.1)
    }

    /// The runs of words on a row.
    fn runs(&self, r: usize) -> Vec<Run> {
        let mut out = Vec::new();
        let Some(row) = self.rows.get(r) else {
            return out;
        };
        let mut cur: Option<Run> = None;
        let mut gap = 0;
        for (c, &(_, cell)) in row.iter().enumerate() {
            match cell {
                Cell::Text => {
                    cur = Some(match cur {
                        Some(run) if gap < 2 => Run { to: c + 1, ..run },
                        Some(run) => {
                            out.push(run);
                            Run {
                                row: r,
                                from: c,
                                to: c + 1,
                            }
                        }
                        None => Run {
                            row: r,
                            from: c,
                            to: c + 1,
                        },
                    });
                    gap = 0;
                }
                Cell::Space => gap += 1,
                Cell::Glyph(_) => {
                    out.extend(cur.take());
                    gap = 0;
                }
            }
        }
        out.extend(cur);
        out
    }

    /// The run at (or within two columns of) column `c` on row `r`.
    pub(super) fn run_near(&self, r: usize, c: usize) -> Option<Run> {
        self.runs(r)
            .into_iter()
            .filter(|run| run.from <= c + 2 && c < run.to + 2)
            .min_by_key(|run| {
                if run.from <= c && c < run.to {
                    0
                } else {
                    run.from.abs_diff(c).min(run.to.abs_diff(c + 1)) + 1
                }
            })
    }

    /// Parentheses the run's words open and do not close.
    fn parens(&self, run: Run) -> i32 {
        let (s, e) = self.span(run);
        let t = &self.text[s..e];
        t.matches('(').count() as i32 - t.matches(')').count() as i32
    }

    pub(super) fn span(&self, run: Run) -> (usize, usize) {
        let row = &self.rows[run.row];
        let s = row[run.from].0;
        let e = row.get(run.to).map_or(self.lines[run.row].1, |x| x.0);
        (s, e)
    }

    /// The names a line leaves from, climbing from row `r`, column `c` (the
    /// cell above an arrow head), and the glyph cells it passes.
    fn climb(&self, r: usize, c: usize) -> (Vec<Run>, Vec<(usize, usize)>) {
        let t = self.trace(r, c, &|_, _| false);
        (t.sources, t.path)
    }

    /// Climb from (r, c) up the line, across forks and merges, to the names
    /// it leaves from, or to cells `stop` says end it (a box's border).
    pub(super) fn trace(&self, r: usize, c: usize, stop: &dyn Fn(usize, usize) -> bool) -> Trace {
        let mut out = Trace::default();
        let mut todo = vec![(r, c)];
        let mut steps = 0;
        while let Some((r, c)) = todo.pop() {
            steps += 1;
            if steps > 400 || out.path.contains(&(r, c)) {
                continue;
            }
            if stop(r, c) {
                out.stops.push((r, c));
                continue;
            }
            match self.cell(r, c) {
                // A name, or beside the line's end ("Kafka" over a line
                // drawn under its last letter).
                Cell::Text | Cell::Space => out.sources.extend(self.run_near(r, c)),
                Cell::Glyph(g) => {
                    out.path.push((r, c));
                    let (left, right) = turns(g);
                    if goes_up(g) && g != '+' {
                        if r > 0 {
                            todo.push((r - 1, c));
                        }
                        continue;
                    }
                    if g == '+' && r > 0 && matches!(self.cell(r - 1, c), Cell::Glyph('|')) {
                        todo.push((r - 1, c));
                    }
                    for (go, dir) in [(left, -1isize), (right, 1)] {
                        if go {
                            self.walk(r, c, dir, &mut todo, &mut out.path);
                        }
                    }
                }
            }
        }
        out.sources.dedup();
        out
    }

    /// Along a horizontal run from (r, c) to the junction it climbs from.
    fn walk(
        &self,
        r: usize,
        c: usize,
        dir: isize,
        todo: &mut Vec<(usize, usize)>,
        path: &mut Vec<(usize, usize)>,
    ) {
        let mut col = c as isize + dir;
        while col >= 0 {
            let cc = col as usize;
            match self.cell(r, cc) {
                Cell::Glyph(g) if is_run(g) || matches!(g, '┬' | '╤') => path.push((r, cc)),
                // A tee under a line: climb it, and walk on for the rest
                // of the merge ("└──┴──┬──┘").
                Cell::Glyph(g @ ('┴' | '┼' | '╧' | '╪' | '+')) => {
                    path.push((r, cc));
                    let above = if r > 0 {
                        self.cell(r - 1, cc)
                    } else {
                        Cell::Space
                    };
                    if g != '+' || above == Cell::Glyph('|') {
                        todo.push((r.saturating_sub(1), cc));
                    }
                }
                // A corner or the line itself: climb it; the run ends here.
                Cell::Glyph(g) if goes_up(g) => {
                    if r > 0 {
                        path.push((r, cc));
                        todo.push((r - 1, cc));
                    }
                    return;
                }
                Cell::Glyph(g) if turns(g) != (false, false) => {
                    // A corner with nothing above: the run ends here.
                    path.push((r, cc));
                    return;
                }
                _ => return,
            }
            col += dir;
        }
    }
}

/// Where a climb ends: names, cells a caller stopped it at, and the glyph
/// cells it passed.
#[derive(Default)]
pub(super) struct Trace {
    pub sources: Vec<Run>,
    pub stops: Vec<(usize, usize)>,
    pub path: Vec<(usize, usize)>,
}

/// The run a continued note belongs to (itself when it starts a name).
fn head(head_of: &[(Run, Run)], run: Run) -> Run {
    head_of
        .iter()
        .find(|(r, _)| *r == run)
        .map_or(run, |(_, h)| *h)
}

/// A hop found: from a name, to a name, and the glyph cells between.
struct Hop {
    from: Run,
    to: Run,
    path: Vec<(usize, usize)>,
}

/// Read the blocks of `lines` that branch into columns; mark their lines
/// used.
pub(crate) fn parse(b: &mut Builder<'_>, lines: &[(usize, usize)], used: &mut [bool]) {
    let text = b.text;
    // Cheap exit: a fork or a merge needs a box-drawing junction or an
    // ASCII "+-" / "-+".
    let unicode = memchr::memchr(0xE2, text.as_bytes()).is_some()
        && text.contains(['├', '┤', '┬', '┴', '┐', '┌', '┼']);
    if !unicode && memchr::memmem::find(text.as_bytes(), b"-+").is_none() {
        return;
    }
    let mut r = 0;
    while r < lines.len() {
        let blank = |i: usize| {
            let t = text[lines[i].0..lines[i].1].trim();
            used[i] || t.is_empty() || table_row(t)
        };
        if blank(r) {
            r += 1;
            continue;
        }
        let start = r;
        while r < lines.len() && !blank(r) {
            r += 1;
        }
        if block(b, &lines[start..r]) {
            // A line that also draws arrows across is read again, as a
            // chain, by the inline reader; the names it shares are one box.
            for i in start..r {
                used[i] = !draws_across(&text[lines[i].0..lines[i].1]);
            }
        }
    }
}

/// A Markdown table row ("| Kafka | Avro |", "|---|:--|"), not a diagram
/// line; two lines side by side ("|    |") are.
fn table_row(t: &str) -> bool {
    t.len() > 1
        && t.starts_with('|')
        && t.ends_with('|')
        && (t.chars().any(char::is_alphanumeric)
            || (t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))))
}

/// An arrow drawn across a line: "Kafka ──> Flink", "A -> B", "S3 ► Redshift".
fn draws_across(line: &str) -> bool {
    line.contains(['►', '▶', '→', '◄', '◀', '←'])
        || ["->", "─>", "<-", "<─", "=>"]
            .iter()
            .any(|a| line.contains(a))
}

/// Read one block; `false` (and nothing added) unless it branches.
fn block(b: &mut Builder<'_>, lines: &[(usize, usize)]) -> bool {
    let text = b.text;
    if lines.len() < 3 {
        return false;
    }
    // Cheap exit for prose paragraphs: a fork needs a junction and a head.
    let (s, e) = (lines[0].0, lines[lines.len() - 1].1);
    let t = &text[s..e];
    let junction = t.contains(['├', '┤', '┬', '┴', '┼', '┐', '┌']) || t.contains("-+");
    let line = t.contains(['▼', '↓', '⬇', '▾', '│', '|']);
    if !junction || !line {
        return false;
    }
    let g = Grid::new(text, lines);
    // A name whose note runs on under it ("Flink (dedupe on event_id,"
    // over " 30-min windows)"): a line leaving the lower row leaves the name.
    let mut head_of: Vec<(Run, Run)> = Vec::new();
    // Parentheses still open after each run of a name.
    let mut open: Vec<(Run, i32)> = Vec::new();
    for r in 1..g.rows.len() {
        for below in g.runs(r) {
            let depth = |run: Run, open: &[(Run, i32)]| {
                open.iter()
                    .find(|(x, _)| *x == run)
                    .map_or_else(|| g.parens(run), |(_, d)| *d)
            };
            let Some(above) = g
                .runs(r - 1)
                .into_iter()
                .find(|a| a.from < below.to && below.from < a.to && depth(*a, &open) > 0)
            else {
                continue;
            };
            let d = depth(above, &open) + g.parens(below);
            open.push((below, d));
            head_of.push((below, head(&head_of, above)));
        }
    }
    let mut hops: Vec<Hop> = Vec::new();
    for r in 1..g.rows.len() {
        for c in 0..g.rows[r].len() {
            let Cell::Glyph(h) = g.cell(r, c) else {
                continue;
            };
            // An arrow head, or a plain line that lands on a name.
            let lands = matches!(g.cell(r + 1, c), Cell::Text)
                && matches!(h, '│' | '┃' | '║' | '|')
                && matches!(g.cell(r - 1, c), Cell::Glyph(_));
            if !is_down_head(h) && !lands {
                continue;
            }
            let Some(to) = g.run_near(r + 1, c) else {
                continue;
            };
            let to = head(&head_of, to);
            let (sources, mut path) = g.climb(r - 1, c);
            path.push((r, c));
            for from in sources {
                let from = head(&head_of, from);
                if from != to {
                    hops.push(Hop {
                        from,
                        to,
                        path: path.clone(),
                    });
                }
            }
        }
    }
    let branches = |key: fn(&Hop) -> Run| {
        hops.iter()
            .any(|h| hops.iter().filter(|o| key(o) == key(h)).count() > 1)
    };
    // A head under a head on another row is a chain; only a block where one
    // name feeds two, or two feed one, is read here.
    if !branches(|h| h.from) && !branches(|h| h.to) {
        return false;
    }
    let endpoint = |run: Run| {
        let run = head(&head_of, run);
        hops.iter().any(|h| h.from == run || h.to == run)
    };
    let idx = b.idx;
    let mut node_of: Vec<(Run, Option<usize>)> = Vec::new();
    let mut node = |b: &mut Builder<'_>, run: Run| -> Option<usize> {
        if let Some((_, n)) = node_of.iter().find(|(r, _)| *r == run) {
            return *n;
        }
        let n = segment(text, g.span(run), Pos::First, idx)
            .and_then(|sg| b.add_node(sg.name.0, sg.name.1, sg.note));
        node_of.push((run, n));
        n
    };
    // Labels: words just right of a line's glyph that name no hop's end.
    let labels: Vec<(Run, (usize, usize))> = (0..g.rows.len())
        .flat_map(|r| g.runs(r))
        .filter(|run| !endpoint(*run))
        .filter_map(|run| {
            let c = (run.from.saturating_sub(3)..run.from)
                .rev()
                .find(|&c| matches!(g.cell(run.row, c), Cell::Glyph(_)))?;
            Some((run, (run.row, c)))
        })
        .collect();
    let mut added = false;
    for h in &hops {
        let (Some(f), Some(t)) = (node(b, h.from), node(b, h.to)) else {
            continue;
        };
        let label = labels
            .iter()
            .find(|(_, at)| h.path.contains(at))
            .map(|(run, _)| g.span(*run));
        b.add_edge(f, t, label, g.span(h.to));
        added = true;
    }
    added
}
