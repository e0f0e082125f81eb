//! Boxes and mentions: drawn boxes reuse or upgrade the components already
//! known, products and generic boxes named in prose become components.

use super::{shift, Ctx};
use crate::design::diagram::{self, Diagram};
use crate::design::vague::{is_generic_name, is_orchestration_name};
use crate::design::{Component, Design, Origin, TurnReading};
use crate::read::analysis::Analysis;
use crate::read::text::holds_words;
use crate::rubric::ComponentKind;

/// Drawn boxes: reuse a box of the same name, or upgrade a component only
/// mentioned so far; returns the component index of every diagram node.
pub(super) fn add_boxes(
    d: &mut Design,
    cx: &Ctx<'_>,
    dg: &Diagram,
    out: &mut TurnReading,
) -> Vec<usize> {
    let mut map = Vec::with_capacity(dg.nodes.len());
    for n in &dg.nodes {
        let same_name = d
            .components
            .iter()
            .position(|c| c.drawn && c.name.eq_ignore_ascii_case(&n.name));
        let mentioned = || {
            d.components.iter().position(|c| {
                !c.drawn
                    && (c.name.eq_ignore_ascii_case(&n.name)
                        || (n.product.is_some() && c.product == n.product))
            })
        };
        // A box named short on a later line ("portal -> Kafka" after
        // "Privacy portal", "ledger -> Spark deleter is a few MB a day"
        // read as "Spark") is the one box drawn earlier whose name holds
        // those words, not a new one.
        let shortened = || {
            let words: Vec<&str> = n.name.split_whitespace().collect();
            if words.is_empty() || words.len() > 2 {
                return None;
            }
            let holds = |c: &Component| {
                let name: Vec<&str> = c.name.split_whitespace().collect();
                name.len() > words.len()
                    && name
                        .windows(words.len())
                        .any(|w| w.iter().zip(&words).all(|(a, b)| a.eq_ignore_ascii_case(b)))
            };
            let mut earlier = d
                .components
                .iter()
                .enumerate()
                .filter(|(_, c)| c.drawn && c.introduced.turn < cx.turn && holds(c));
            let (first, _) = earlier.next()?;
            earlier.next().is_none().then_some(first)
        };
        let i = match same_name.or_else(mentioned).or_else(shortened) {
            Some(i) => {
                let c = &mut d.components[i];
                if !c.drawn {
                    c.drawn = true;
                    c.name = n.name.clone();
                    c.vague = box_is_vague(n, cx);
                }
                i
            }
            None => {
                d.components.push(Component {
                    name: n.name.clone(),
                    product: n.product.clone(),
                    kind: box_kind(n),
                    drawn: true,
                    vague: box_is_vague(n, cx),
                    gone: None,
                    introduced: Origin {
                        turn: cx.turn,
                        phase: cx.phase,
                        evidence: shift(&n.evidence, cx.off),
                    },
                });
                out.new_components.push(d.components.len() - 1);
                d.components.len() - 1
            }
        };
        map.push(i);
        // A product in the box's short note ("S3 raw (Iceberg)", "Redis
        // (ElastiCache)"); a long one is prose that ran on after a box name.
        if let Some(note) = n
            .note
            .as_ref()
            .filter(|note| note.quote.split_whitespace().count() <= 6)
        {
            for m in cx.reader.index.find_all(&note.quote) {
                if !m.vague && !d.noted.iter().any(|(c, p)| *c == i && *p == m.name) {
                    d.noted.push((i, m.name.clone()));
                }
            }
        }
    }
    map
}

/// The one drawn box whose note names product `name`.
pub(super) fn noted_box(d: &Design, name: &str) -> Option<usize> {
    let mut boxes = d.noted.iter().filter(|(_, p)| p.eq_ignore_ascii_case(name));
    let (first, _) = boxes.next()?;
    boxes.all(|(c, _)| c == first).then_some(*first)
}

/// A box is vague when it names no product and its name is a generic
/// category ("Streaming platform", "a database"); the candidate's own
/// service ("Search API", "Pricing service", "Collector") is not.
fn box_is_vague(n: &diagram::DiagramNode, cx: &Ctx<'_>) -> bool {
    n.product.is_none() && is_generic_name(&n.name, &cx.reader.index)
}

/// The catalogue's kind, or an orchestrator for a box named as one the
/// catalogue does not list ("cron", "Backfill DAG").
fn box_kind(n: &diagram::DiagramNode) -> ComponentKind {
    if n.product.is_none() && is_orchestration_name(&n.name) {
        ComponentKind::Orchestrator
    } else {
        n.kind
    }
}

/// Products and generic boxes named in prose (negated mentions dropped).
pub(super) fn add_mentions(d: &mut Design, cx: &Ctx<'_>, an: &Analysis<'_>, out: &mut TurnReading) {
    for m in an.components.iter() {
        let known = if m.vague {
            // "API" of a drawn "Request API (Postgres)" is that box.
            d.components.iter().any(|c| {
                c.name.eq_ignore_ascii_case(&m.evidence.quote)
                    || c.name.eq_ignore_ascii_case(&m.name)
                    || (c.drawn && holds_words(&c.name, &m.evidence.quote))
            })
        } else {
            d.components
                .iter()
                .any(|c| c.product.as_deref() == Some(m.name.as_str()))
        };
        // "Iceberg" said of the one object store drawn is that box, and so
        // is a product named in one box's note ("S3 raw (Iceberg)").
        let on_drawn_store = !m.vague
            && ((m.kind == ComponentKind::ObjectStore && d.sole_drawn(m.kind).is_some())
                || noted_box(d, &m.name).is_some());
        if known || on_drawn_store {
            continue;
        }
        d.components.push(Component {
            // As said: "dbt tests" is not called "Great Expectations" back,
            // nor "Grafana" "Prometheus"; the catalogue's name is the
            // product.
            name: if m.vague || said_otherwise(&m.evidence.quote, &m.name) {
                m.evidence.quote.clone()
            } else {
                m.name.clone()
            },
            product: (!m.vague).then(|| m.name.clone()),
            kind: m.kind,
            drawn: false,
            vague: m.vague,
            gone: None,
            introduced: Origin {
                turn: cx.turn,
                phase: cx.phase,
                evidence: shift(&m.evidence, cx.off),
            },
        });
        out.new_components.push(d.components.len() - 1);
    }
}

/// A mention said in other words than the catalogue's name for it (a
/// synonym: "dbt tests", "Grafana", "MSK"), not just in another case.
fn said_otherwise(quote: &str, name: &str) -> bool {
    let q = quote.trim();
    !q.is_empty() && !q.eq_ignore_ascii_case(name) && q.len() <= 40
}
