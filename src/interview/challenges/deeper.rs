//! The deeper probes for a candidate who has covered the basics: SLA
//! tiers, backfill, schema change, cost, data quality, a region outage and
//! the 3am page.

use super::*;

pub(super) fn sla_tiers(cx: &Ctx<'_>) -> Option<Move> {
    let kind = Kind::SlaTiers;
    let d = cx.design;
    if cx.explained("sla-tiers") || cx.named("sla-tiers") {
        return None;
    }
    let consumers = cx
        .in_flow()
        .filter(|(i, _)| d.role(*i) == crate::design::Role::Sink)
        .count();
    if consumers < 2 {
        return None;
    }
    Some(match tiers_drawn(cx) {
        Some((fast, slow)) => Move::new("challenge_sla_tiers_drawn")
            .target("sla-tiers")
            .var("fast", fast)
            .var("slow", slow),
        None => Move::new(kind.intent()).target("sla-tiers"),
    })
}

/// A stream job and a batch job writing to different stores ("Flink into
/// Postgres, Spark into BigQuery"): the design already serves consumers at
/// two speeds, so the question starts from those paths instead of asking
/// whether every consumer needs the same freshness.
fn tiers_drawn(cx: &Ctx<'_>) -> Option<(String, String)> {
    let d = cx.design;
    let writes = |k: ComponentKind| -> Vec<(usize, usize)> {
        cx.in_flow()
            .filter(|(i, _)| d.components[*i].kind == k)
            .flat_map(|(i, _)| {
                d.current_edges()
                    .filter(move |e| e.from == i && !e.control())
                    .map(move |e| (i, e.to))
            })
            .filter(|&(_, to)| {
                matches!(
                    d.components[to].kind,
                    ComponentKind::Warehouse
                        | ComponentKind::ServingStore
                        | ComponentKind::OltpDatabase
                        | ComponentKind::FeatureStore
                        | ComponentKind::ObjectStore
                )
            })
            .collect()
    };
    // What the stream job writes only to feed the batch job (Flink into
    // the lake Spark reads) is one path, not two speeds.
    let feeds = |x: usize, b: usize| d.current_edges().any(|e| e.from == x && e.to == b);
    let stream = writes(ComponentKind::StreamProcessor);
    let batch = writes(ComponentKind::BatchProcessor);
    stream.iter().find_map(|&(s, x)| {
        batch
            .iter()
            .find(|&&(b, y)| {
                x != y
                    && !batch.iter().any(|&(_, t)| t == x)
                    && !stream.iter().any(|&(_, t)| t == y)
                    && b != s
                    && !feeds(x, b)
            })
            .map(|&(b, y)| {
                (
                    format!("{} into {}", cx.name(s), cx.name(x)),
                    format!("{} into {}", cx.name(b), cx.name(y)),
                )
            })
    })
}

pub(super) fn backfill(cx: &Ctx<'_>) -> Option<Move> {
    let m = |t: &str| Move::new(Kind::Backfill.intent()).target(t.to_string());
    if cx.explained("backfill") {
        return None;
    }
    let p = cx
        .first_of(&[
            ComponentKind::StreamProcessor,
            ComponentKind::BatchProcessor,
        ])
        .map(|i| cx.name(i))?;
    Some(m(&p).var("component", p))
}

pub(super) fn schema_change(cx: &Ctx<'_>) -> Option<Move> {
    let m = |t: &str| Move::new(Kind::SchemaChange.intent()).target(t.to_string());
    if cx.explained("schema-evolution") || cx.scenario("schema-break") {
        return None;
    }
    // Schemas change where records are made: the source (the app, the
    // SDK, the production database), not the queue that carries them and
    // never a database the pipeline only writes to.
    let d = cx.design;
    let src = cx
        .in_flow()
        .find(|(i, _)| d.role(*i) == crate::design::Role::Source)
        .map(|(i, _)| i)
        .or_else(|| {
            cx.first_of(&[ComponentKind::Producer, ComponentKind::Queue])
                .filter(|&i| d.role(i) != crate::design::Role::Sink)
        })
        .map(|i| cx.name(i))?;
    Some(m(&src).var("component", src))
}

pub(super) fn cost(cx: &Ctx<'_>) -> Option<Move> {
    let kind = Kind::Cost;
    let d = cx.design;
    if d.numbers_of(Measure::Cost).next().is_some() || cx.explained("cost") {
        return None;
    }
    Some(Move::new(kind.intent()).target("cost"))
}

pub(super) fn data_quality(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let m = |t: &str| Move::new(Kind::DataQuality.intent()).target(t.to_string());
    if cx.explained("data-quality") {
        return None;
    }
    let sink = d
        .sinks()
        .into_iter()
        .find(|&i| {
            matches!(
                d.components[i].kind,
                ComponentKind::Warehouse | ComponentKind::ServingStore
            )
        })
        .or_else(|| d.sinks().into_iter().next())?;
    let name = cx.name(sink);
    Some(m(&name).var("sink", name))
}

pub(super) fn region_outage(cx: &Ctx<'_>) -> Option<Move> {
    let m = |t: &str| Move::new(Kind::RegionOutage.intent()).target(t.to_string());
    let q = cx
        .first_of(&[
            ComponentKind::Queue,
            ComponentKind::StreamProcessor,
            ComponentKind::Warehouse,
        ])
        .map(|i| cx.name(i))?;
    Some(m(&q).var("component", q))
}

pub(super) fn operations(cx: &Ctx<'_>) -> Option<Move> {
    let kind = Kind::Operations;
    let d = cx.design;
    if cx.signal("operational-realism") {
        return None;
    }
    let alert = d
        .failures
        .iter()
        .filter_map(|f| f.detect.evidence.as_ref())
        .next()
        .map(|_| "the alert you described")
        .unwrap_or("the main pipeline alert");
    Some(
        Move::new(kind.intent())
            .target("operations")
            .word("alert", alert),
    )
}
