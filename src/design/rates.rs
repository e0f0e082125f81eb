//! Which rate is on a hop, and which goes into a component: the figures the
//! interviewer's capacity checks quote back. A rate belongs to the hop it
//! was written on ("Flink --(80 GB/day)--> S3" is not Kafka's input; "Iceberg
//! to Trino: 50 MB/s" is Trino's reads), so each query looks at the hop or
//! the component first and falls back to the design-wide ingest rate only
//! when the candidate gave one ingest figure — with two different figures,
//! guessing which one a hop carries would put words in their mouth.

use super::{Design, Measure, Number, Role};
use crate::rubric::ComponentKind;

/// One figure: its value in base units and the words it was said in.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Items a second, or bytes a second.
    pub value: f64,
    /// The candidate's words ("20K changes/s"); "10K/s at 1 KB" when the
    /// byte rate is derived from a rate and an item size.
    pub quote: String,
    /// The turn it was said in (the later one for a derived figure).
    pub turn: u32,
    /// The number in [`Design::numbers`], `None` when derived.
    pub number: Option<usize>,
}

/// How close to the asked hop or component the figures are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowScope {
    /// Said of this very hop (or, for a component, of a hop into it or of
    /// the component itself).
    Exact,
    /// Said of a hop out of the component: what leaves a queue or a
    /// stream job is what entered it.
    Through,
    /// The design-wide ingest rate: the candidate gave one ingest figure.
    Ingest,
}

/// A rate: items a second and bytes a second, each the peak said.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flow {
    pub items: Option<Figure>,
    pub bytes: Option<Figure>,
    /// Where the figures came from; `None` when there are none.
    pub scope: Option<FlowScope>,
}

impl Flow {
    /// True when no figure was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_none() && self.bytes.is_none()
    }
}

impl Design {
    /// The rate on hop `edge` (an index into [`Design::edges`]): the peak
    /// items/s and bytes/s written on the arrow, on a box note that
    /// annotates it, in a sentence naming both its ends, or in the answer to
    /// a question about it. With nothing said of the hop, the design-wide
    /// ingest rate when the candidate gave exactly one ingest figure
    /// ([`Design::ingest_rate`]); else an empty flow.
    pub fn rate_on(&self, edge: usize) -> Flow {
        let Some(e) = self.edges.get(edge) else {
            return Flow::default();
        };
        let on = |n: &Number| n.edge == Some(edge);
        let sized = |n: &Number| n.edge == Some(edge) || n.subject == Some(e.from);
        self.flow(&on, &sized, FlowScope::Exact)
            .unwrap_or_else(|| self.ingest_rate())
    }

    /// The rate into component `c` (an index into [`Design::components`]):
    /// the peak said on a hop into it or of the component itself; else on a
    /// hop out of it (what leaves a queue is what entered it); else the
    /// design-wide ingest rate when the candidate gave exactly one ingest
    /// figure ([`Design::ingest_rate`]); else an empty flow. A rate said of
    /// another hop ("80 GB/day to S3", "50 MB/s of Trino reads") never
    /// counts as the rate into `c`.
    pub fn rate_into(&self, c: usize) -> Flow {
        let into = |n: &Number| match n.edge.and_then(|e| self.edges.get(e)) {
            Some(e) => e.to == c,
            None => n.subject == Some(c),
        };
        let out_of = |n: &Number| {
            n.edge
                .and_then(|e| self.edges.get(e))
                .is_some_and(|e| e.from == c)
        };
        let sized = |n: &Number| into(n) || out_of(n);
        self.flow(&into, &sized, FlowScope::Exact)
            .or_else(|| self.flow(&out_of, &sized, FlowScope::Through))
            .unwrap_or_else(|| self.ingest_rate())
    }

    /// The design-wide ingest rate: the items/s (and bytes/s) the candidate
    /// gave for what enters the pipeline — said of a source, a queue or CDC,
    /// on a hop out of a source or into a queue, or of nothing in
    /// particular — but only when that is one figure (said once or
    /// repeated). Two different ingest figures give no ingest rate.
    pub fn ingest_rate(&self) -> Flow {
        let ingest_side = |i: usize| {
            matches!(
                self.components.get(i).map(|c| c.kind),
                Some(ComponentKind::Queue | ComponentKind::Producer | ComponentKind::Cdc)
            ) || self.role(i) == Role::Source
        };
        let ingest = |n: &Number| match (n.edge.and_then(|e| self.edges.get(e)), n.subject) {
            (Some(e), _) => ingest_side(e.from) || ingest_side(e.to),
            (None, Some(c)) => ingest_side(c),
            (None, None) => true,
        };
        let one = |m: Measure| -> Option<Figure> {
            let all: Vec<(usize, &Number)> = self
                .numbers
                .iter()
                .enumerate()
                .filter(|(_, n)| n.measure == m && !n.denied && ingest(n))
                .filter(|(_, n)| n.value.is_some_and(|v| v > 0.0))
                .collect();
            let (first_i, first) = *all.first()?;
            let v0 = first.value?;
            let same = all
                .iter()
                .all(|(_, n)| n.value.is_some_and(|v| (v - v0).abs() <= v0 * 0.01));
            same.then(|| figure(first_i, first))
        };
        let items = one(Measure::Throughput);
        let bytes = one(Measure::ByteRate).or_else(|| {
            let it = items.as_ref()?;
            self.derived_bytes(it, &|n: &Number| ingest(n))
        });
        let scope = (items.is_some() || bytes.is_some()).then_some(FlowScope::Ingest);
        Flow {
            items,
            bytes,
            scope,
        }
    }

    /// The peak items/s and bytes/s among numbers `pick` selects; bytes
    /// derived from items × an item size `sized` selects when not said.
    fn flow(
        &self,
        pick: &dyn Fn(&Number) -> bool,
        sized: &dyn Fn(&Number) -> bool,
        scope: FlowScope,
    ) -> Option<Flow> {
        let peak = |m: Measure| {
            self.numbers
                .iter()
                .enumerate()
                .filter(|(_, n)| n.measure == m && !n.denied && pick(n))
                .filter(|(_, n)| n.value.is_some())
                .max_by(|a, b| {
                    a.1.value
                        .unwrap_or(0.0)
                        .total_cmp(&b.1.value.unwrap_or(0.0))
                })
                .map(|(i, n)| figure(i, n))
        };
        let items = peak(Measure::Throughput);
        let bytes = peak(Measure::ByteRate)
            .or_else(|| items.as_ref().and_then(|it| self.derived_bytes(it, sized)));
        (items.is_some() || bytes.is_some()).then_some(Flow {
            items,
            bytes,
            scope: Some(scope),
        })
    }

    /// Items/s × an item size said of the same place (or of nothing).
    fn derived_bytes(&self, items: &Figure, sized: &dyn Fn(&Number) -> bool) -> Option<Figure> {
        let loose = |n: &Number| n.edge.is_none() && n.subject.is_none();
        let size = |f: &dyn Fn(&Number) -> bool| {
            self.numbers
                .iter()
                .filter(|n| n.measure == Measure::ItemSize && !n.denied && f(n))
                .find_map(|n| n.value.map(|v| (v, n)))
        };
        let (s, n) = size(sized).or_else(|| size(&loose))?;
        Some(Figure {
            value: items.value * s,
            quote: format!("{} at {}", items.quote, n.evidence.quote),
            turn: items.turn.max(n.turn),
            number: None,
        })
    }
}

fn figure(i: usize, n: &Number) -> Figure {
    Figure {
        value: n.value.unwrap_or(0.0),
        quote: n.evidence.quote.clone(),
        turn: n.turn,
        number: Some(i),
    }
}
