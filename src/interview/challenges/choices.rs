//! The choices on the board: why this product over its alternative, and
//! what a reasoned choice gives up.

use super::*;

pub(super) fn why_choice(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let m = |t: &str| Move::new(Kind::WhyChoice.intent()).target(t.to_string());
    // Two "why X" questions are enough for a round; more reads like a quiz.
    if cx
        .asked
        .iter()
        .filter(|k| k.starts_with("challenge_why|"))
        .count()
        >= 2
    {
        return None;
    }
    // A product drawn as several boxes (one Kafka topic each) is one
    // choice: "why Kafka?" answered for the impressions topic is answered
    // for the clicks topic too.
    let same_product = |j: usize, i: usize| {
        j == i
            || matches!(
                (d.components.get(j).and_then(|c| c.product.as_deref()),
                 d.components.get(i).and_then(|c| c.product.as_deref())),
                (Some(a), Some(b)) if a.eq_ignore_ascii_case(b)
            )
    };
    let (i, c) = cx.in_flow().find(|(i, c)| {
        matches!(
            c.kind,
            ComponentKind::StreamProcessor
                | ComponentKind::ServingStore
                | ComponentKind::Warehouse
                | ComponentKind::Queue
                | ComponentKind::FeatureStore
        ) && !d
            .choices
            .iter()
            .any(|ch| ch.component.is_some_and(|j| same_product(j, *i)))
            && c.product
                .as_deref()
                .is_some_and(|p| alternative(cx.rubric, p).is_some() && !cx.given_by_problem(p))
    })?;
    let product = c.product.clone()?;
    // "Why Spark rather than Flink?" asks nothing when Flink is on the
    // board too: the candidate uses both, each for its own path.
    let alt = alternative(cx.rubric, &product).filter(|a| !on_board(d, a))?;
    // A freshness decides between products only when it is tight: "given
    // 5 seconds" is a reason to pick a stream processor, "given 30 days"
    // (a deletion deadline) says nothing about a warehouse.
    let tight = |f: &String| {
        crate::read::quantities(f)
            .first()
            .and_then(crate::design::numbers::value_of)
            .is_some_and(|s| s <= 3600.0)
    };
    // Said as a target ("with a target of 1 min in mind"), not a bare
    // figure ("with 1 min in mind"), in the words it was said in. A rate
    // decides between queues, stream processors and serving stores; not
    // between warehouses ("why Snowflake, given 5K requests/day?" asks
    // nothing).
    let given = cx
        .freshness()
        .filter(tight)
        .map(|f| format!("a target of {f}"))
        .or_else(|| {
            // The flow through this box, not another's: "why Kafka, given
            // 40 training sets a week?" (a figure on the builder's output)
            // asks nothing about Kafka. What its arrows carry first (a
            // topic's rate reaches the store it feeds), then a figure said
            // of it, then one said of nothing when no arrow has a rate.
            if c.kind == ComponentKind::Warehouse {
                return None;
            }
            let ends = |e: &crate::design::Edge| e.from == i || e.to == i;
            let carried = || {
                let into = d.live_edges().filter(|(_, e)| e.to == i);
                let out = d.live_edges().filter(|(_, e)| e.from == i);
                into.chain(out)
                    .find_map(|(k, _)| d.carried_rate(k))
                    .map(|a| a.value.clone())
            };
            let rates = || {
                d.numbers_of(Measure::Throughput)
                    .chain(d.numbers_of(Measure::ByteRate))
            };
            let said_of = || {
                rates()
                    .find(|n| {
                        n.subject == Some(i)
                            || n.edge.and_then(|e| d.edges.get(e)).is_some_and(ends)
                    })
                    .map(|n| n.evidence.quote.clone())
            };
            let unplaced = || {
                rates()
                    .find(|n| n.subject.is_none() && n.edge.is_none())
                    .filter(|_| d.current_edges().all(|e| e.rate.is_none()))
                    .map(|n| n.evidence.quote.clone())
            };
            carried().or_else(said_of).or_else(unplaced)
        });
    // In the candidate's words: "MSK rather than Kinesis", not "Kafka".
    let spoken = spoken_product(cx.rubric, &c.name, &product);
    let mv = m(&cx.name(i))
        .quote(c.introduced.evidence.quote.clone())
        .var("component", spoken)
        .var("alternative", alt);
    Some(match given {
        Some(g) => mv.var("given", g),
        None => Move {
            intent: "challenge_why_plain".into(),
            ..mv
        },
    })
}

pub(super) fn tradeoff(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let m = |t: &str| Move::new(Kind::Tradeoff.intent()).target(t.to_string());
    // A choice the interviewer already questioned ("why Kafka rather than
    // Kinesis?") is not questioned again: the answer stands.
    let questioned = |i: usize| {
        let key = format!("challenge_why|{}", cx.name(i));
        cx.asked.contains(&key)
    };
    let c = d.choices.iter().find(|c| {
        // A box since removed ("scratch Redis") is no choice to weigh.
        c.reason && !c.tradeoff && c.component.is_some_and(|i| !questioned(i) && !d.gone(i))
    })?;
    let i = c.component?;
    let name = cx.name(i);
    let mv = m(&name)
        .quote(c.evidence.quote.clone())
        .var("component", name);
    // "You picked Flink over Spark" when Spark is on the board too reads
    // as a choice the candidate never made: the plain question asks what
    // the choice costs.
    Some(match c.over.as_deref().filter(|o| !on_board(d, o)) {
        Some(o) => mv.var("alternative", o.to_string()),
        None => Move {
            intent: "challenge_tradeoff_plain".into(),
            ..mv
        },
    })
}

/// True when the design has a box of `product`: its product, or a word of
/// its name ("Spark Structured Streaming" for "Spark").
fn on_board(d: &crate::design::Design, product: &str) -> bool {
    d.components.iter().any(|x| {
        x.product
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case(product))
            || crate::read::text::holds_words(x.label(), product)
    })
}
