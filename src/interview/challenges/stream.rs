//! What a record meets on its way: a hot key, late data, a constraint of
//! the problem the candidate did not ask about, a claim of exactly-once a
//! sink cannot honour.

use super::*;

/// Records a second into a keyed box below which no key can run hot: a
/// single Kafka partition or Flink subtask takes thousands a second.
const HOT_KEY_MIN_RATE: f64 = 1_000.0;

pub(super) fn hot_key(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let m = |t: &str| Move::new(Kind::HotKey.intent()).target(t.to_string());
    // The capacity check already asked about a hot key.
    let asked = cx
        .asked
        .iter()
        .any(|k| k.starts_with("challenge_partition_capacity"));
    if asked || cx.scenario("hot-key") || cx.mechanism_said("hot-keys") {
        return None;
    }
    // The candidate already talked about skew on their own.
    if cx.said(&[
        " hot ",
        " hot.",
        " hot,",
        " hot:",
        "hot key",
        "hot partition",
        "skew",
        "salt",
    ]) {
        return None;
    }
    // Only a key whose values can be skewed: a user, a merchant, a
    // cell. A unique id (txn_id, event_id) spreads evenly.
    // And only where one key's records meet on one partition or subtask:
    // a topic, a stream job's state, a serving store. A warehouse's
    // clustering key or a lake's partition column on a batch load has no
    // "its partition" to run hot.
    let streaming = cx.in_flow().any(|(_, c)| {
        matches!(
            c.kind,
            ComponentKind::Queue | ComponentKind::StreamProcessor
        )
    });
    let at_of = |k: &crate::design::KeyFact| {
        k.subject
            .or_else(|| k.edge.and_then(|e| d.edges.get(e).map(|e| e.to)))
    };
    let k = d.keys.iter().find(|k| {
        let l = k.key.to_ascii_lowercase();
        SKEWABLE.iter().any(|w| l.contains(w))
            && match at_of(k).and_then(|i| d.components.get(i)) {
                Some(c) => matches!(
                    c.kind,
                    ComponentKind::Queue
                        | ComponentKind::StreamProcessor
                        | ComponentKind::ServingStore
                        | ComponentKind::FeatureStore
                        | ComponentKind::Cdc
                ),
                None => streaming,
            }
    })?;
    let at = at_of(k);
    // One key fifty times hotter matters under load, not at a few
    // thousand records a day, nor at a few hundred a second: even all of
    // them on one key is what one partition and one subtask carry easily.
    if let Some((rate, _)) = at.and_then(|i| into(d, i).0) {
        if rate < HOT_KEY_MIN_RATE {
            return None;
        }
    }
    let owner = at
        .map(|i| cx.name(i))
        .unwrap_or_else(|| "that topic".into());
    let noun = k
        .key
        .trim_end_matches("_id")
        .trim_end_matches(" id")
        .replace('_', " ");
    Some(
        m(&owner)
            .quote(k.evidence.quote.clone())
            .var("key", k.key.clone())
            .var("component", owner)
            .var("hot", hot_example(&noun).to_string())
            .word("noun", noun),
    )
}

/// What makes one value of a key fifty times hotter, for the key's noun:
/// a bot for a user, a flash sale for a product, a big chain for a store.
fn hot_example(noun: &str) -> &'static str {
    let has = |ws: &[&str]| ws.iter().any(|w| noun.contains(w));
    if has(&["card", "payment"]) {
        "a card-testing bot, a fleet card used all day"
    } else if has(&["sku", "product", "item", "listing", "offer", "campaign"]) {
        "a flash sale, a viral post"
    } else if has(&[
        "merchant",
        "restaurant",
        "store",
        "seller",
        "shop",
        "tenant",
        "customer",
        "account",
    ]) {
        "one huge customer, a big chain at peak"
    } else if has(&[
        "cell", "h3", "geohash", "zone", "region", "area", "city", "tile",
    ]) {
        "a stadium emptying, an airport at rush hour"
    } else if has(&["device", "sensor", "meter", "vehicle", "courier", "driver"]) {
        "a device stuck in a retry loop"
    } else if has(&[
        "page", "url", "query", "search", "video", "channel", "creator", "artist",
    ]) {
        "a celebrity, a viral link"
    } else {
        "a bot, a celebrity"
    }
}

/// Where a late event goes, said in the candidate's own words: a side
/// output, allowed lateness, a late path that is merged or reprocessed.
/// (Not a dead-letter queue, which takes bad records, nor a job that
/// "restates the final numbers" on schedule.)
const LATE_HANDLED: &[&str] = &[
    "side output",
    "side-output",
    "allowed lateness",
    "allowedlateness",
    "late path",
    "late-path",
    "late side",
    "late events go",
    "late readings go",
    "late records go",
    "late data goes",
    "late-events prefix",
    "late events prefix",
    "late firing",
    "retraction",
    "reprocess the day",
    "reprocesses the day",
    "booked as an adjustment",
];

pub(super) fn late_data(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    // Where late events go was already said: asking again re-asks it.
    if cx.affirmed(LATE_HANDLED) {
        return None;
    }
    // A watermark shorter than the lateness the problem has.
    let lateness = late_in_facts(cx.problem);
    // Only a figure said of the watermark or the lateness allowed: "a
    // 30-minute interval join, watermark 30 seconds behind" waits 30
    // seconds; "1-minute windows" says nothing of waiting.
    let text = d.text();
    let of_lateness = |n: &&crate::design::Number| {
        let (s, e) = (n.evidence.start, n.evidence.end);
        let mut lo = s.saturating_sub(32);
        while !text.is_char_boundary(lo) {
            lo -= 1;
        }
        let mut hi = (e + 24).min(text.len());
        while !text.is_char_boundary(hi) {
            hi += 1;
        }
        let before = text[lo..s]
            .rsplit([',', ';', '.', '\n'])
            .next()
            .unwrap_or("");
        let after = text[e.min(hi)..hi]
            .split([',', ';', '.', '\n'])
            .next()
            .unwrap_or("");
        let near = format!("{before} {after}").to_ascii_lowercase();
        near.contains("watermark")
            || near.contains("grace")
            || ["late", "lateness", "allowed lateness"]
                .iter()
                .any(|w| crate::read::text::holds_words(&near, w))
    };
    let window = d
        .numbers_of(Measure::Window)
        .filter(of_lateness)
        .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
        .filter(|(v, _)| *v < 3600.0)
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let (Some(late), Some((secs, wq))) = (lateness, window) {
        if !cx.scenario("late-data") {
            let sp = cx
                .first_of(&[ComponentKind::StreamProcessor])
                .map(|i| cx.name(i))
                .unwrap_or_else(|| "the stream job".into());
            return Some(
                Move::new("challenge_late_vs_watermark")
                    .target(sp.clone())
                    .quote(wq)
                    .var("window", human_seconds(secs))
                    .var("component", sp)
                    .word("late", late),
            );
        }
    }
    if cx.scenario("late-data") || cx.mechanism_said("watermarks") {
        return None;
    }
    // Late for what? Only a design that aggregates over windows (or
    // publishes per-period numbers) has a window to miss; a CDC merge, an
    // indexer or a running balance applies whatever arrives.
    let sp = cx
        .first_of(&[ComponentKind::StreamProcessor])
        .filter(|_| cx.windowed());
    // A query engine reading the lake (Trino over Iceberg) publishes
    // nothing a late record changes: only a batch job data flows into does.
    let queried_only = |i: usize| {
        let mut into = d
            .current_edges()
            .filter(|e| e.to == i && !e.control())
            .peekable();
        into.peek().is_some() && into.all(|e| e.hop == crate::design::HopKind::Query)
    };
    // A one-off job over history ("Spark backfill") publishes no period's
    // numbers for a late record to miss.
    let bp = cx
        .in_flow()
        .find(|(i, c)| c.kind == ComponentKind::BatchProcessor && !queried_only(*i) && !c.one_off())
        .map(|(i, _)| i)
        .filter(|_| {
            cx.affirmed(&[
                "window",
                // Numbers published per period, which a late record changes
                // (not "5K requests per day", not a compliance report).
                "aggregat",
                "totals",
                "daily counts",
                "hourly counts",
                "daily metrics",
                "revenue",
                "sum of",
                "sums ",
                "daily numbers",
                "daily sales",
                "daily report",
                "per campaign",
                "group by",
                "rollup",
            ])
        });
    let (i, intent) = match (sp, bp) {
        (Some(i), _) => (i, "challenge_late_data"),
        (None, Some(i)) => (i, "challenge_late_data_batch"),
        _ => return None,
    };
    let name = cx.name(i);
    Some(
        Move::new(intent)
            .target(name.clone())
            .var("component", name),
    )
}

pub(super) fn hidden_constraint(cx: &Ctx<'_>) -> Option<Move> {
    let kind = Kind::HiddenConstraint;
    let (fi, f) = cx
        .problem
        .hidden_facts
        .iter()
        .enumerate()
        .find(|(i, f)| f.topic == FactTopic::Constraint && !cx.revealed.contains(i))?;
    // The whole constraint, minus what the candidate already designed for
    // on their own (a sentence of it they said in their own words).
    let own: Vec<Vec<String>> = cx
        .design
        .text()
        .split_inclusive(['.', '\n', ';'])
        .map(crate::interview::volunteered::stems)
        .collect();
    // A requirement a curveball already moved ("oversell has to be
    // effectively zero, not 0.1%") is not told again at its old figure.
    let figure = |q: &crate::read::Quantity| {
        q.evidence
            .quote
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<String>()
    };
    let moved: Vec<String> = cx
        .changed
        .iter()
        .flat_map(|c| quantities(c))
        .map(|q| figure(&q))
        .collect();
    // A figure of the fact the candidate already said ("well inside the
    // $40K budget") is a constraint they designed for.
    let token = |q: &crate::read::Quantity| {
        q.evidence
            .quote
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '.')
            .to_ascii_lowercase()
    };
    let theirs = std::cell::OnceCell::new();
    let said_figure = |s: &str| {
        let theirs: &Vec<String> =
            theirs.get_or_init(|| quantities(cx.design.text()).iter().map(token).collect());
        quantities(s)
            .iter()
            .map(token)
            .any(|t| t.len() >= 3 && t.bytes().any(|b| b.is_ascii_digit()) && theirs.contains(&t))
    };
    let open: Vec<&str> = f
        .answer
        .split_inclusive(". ")
        .filter(|s| {
            let fact = crate::interview::volunteered::stems(s);
            !own.iter()
                .any(|o| o.iter().filter(|w| fact.contains(w)).count() >= 3)
                && !quantities(s).iter().any(|q| moved.contains(&figure(q)))
                && !said_figure(s)
        })
        .collect();
    if open.is_empty() {
        return None;
    }
    let said = open.concat().trim().to_string();
    // Records out of order or late, against a watermark they already set:
    // the question is what happens beyond it.
    let lateish = {
        let l = said.to_ascii_lowercase();
        l.contains("out of order") || l.contains(" late") || l.contains("delayed")
    };
    let watermark = cx
        .design
        .numbers_of(Measure::Window)
        .find(|n| {
            let t = cx.design.text();
            let end = (n.evidence.end + 24).min(t.len());
            let end = (n.evidence.end..=end)
                .rev()
                .find(|&i| t.is_char_boundary(i))
                .unwrap_or(n.evidence.end);
            t.get(n.evidence.end..end)
                .is_some_and(|a| a.to_ascii_lowercase().contains("watermark"))
        })
        .map(|n| n.evidence.quote.clone());
    let mv = Move::new(kind.intent())
        .target(format!("fact-{fi}"))
        .var("fact", said);
    // Where late events go, already said, is not asked again: the fact
    // is told plainly.
    Some(
        match watermark.filter(|_| lateish && !cx.affirmed(LATE_HANDLED)) {
            Some(w) => Move {
                intent: format!("{}_watermark", kind.intent()),
                ..mv.var("watermark", w)
            },
            None => mv,
        },
    )
}

pub(super) fn exactly_once_claim(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let m = |t: &str| Move::new(Kind::ExactlyOnceClaim.intent()).target(t.to_string());
    let g = d.guarantees.iter().find(|g| g.kind == "exactly-once")?;
    // The store the stream job itself writes: one fed by a topic
    // ("enriched_orders -> Druid") is not written by the job's replay. A
    // write whose retry was asked about already is not asked again.
    let writer = |s: usize| {
        let mut ins = d.current_edges().filter(|e| e.to == s).peekable();
        if ins.peek().is_none() {
            return Some(None);
        }
        ins.find(|e| d.components[e.from].kind == ComponentKind::StreamProcessor)
            .map(|e| Some(e.from))
    };
    let asked = |s: usize| {
        let label = d.components[s].label();
        [
            "ask_idempotent_write",
            "ask_idempotent_write_plain",
            "ask_idempotent_write_claimed",
        ]
        .iter()
        .any(|i| cx.asked.iter().any(|k| *k == format!("{i}|{label}")))
    };
    let (sink, by) = d.sinks().into_iter().find_map(|s| {
        let fits = d.components[s].kind == ComponentKind::ServingStore
            && d.write_for(s).is_none()
            && !asked(s);
        fits.then(|| writer(s).map(|w| (s, w))).flatten()
    })?;
    let sp = by
        .or_else(|| cx.first_of(&[ComponentKind::StreamProcessor]))
        .map(|i| cx.name(i))
        .unwrap_or_else(|| "the stream job".into());
    let name = cx.name(sink);
    Some(
        m(&name)
            .quote(g.evidence.quote.clone())
            .var("sink", name)
            .var("component", sp),
    )
}

/// How late data can be, as the problem's facts say ("hours late").
fn late_in_facts(p: &Problem) -> Option<String> {
    // Labels that come late ("fraud labels arrive up to 90 days later") are
    // joined at training time; they are not events a window waits for.
    const NOT_EVENTS: &[&str] = &["label", "ground truth"];
    p.hidden_facts.iter().find_map(|f| {
        let l = f.answer.to_ascii_lowercase();
        l.split(". ").find_map(|sentence| {
            [
                "hours late",
                "days late",
                "weeks late",
                "days later",
                "weeks after",
                "hours later",
                "arrive late",
            ]
            .iter()
            .find(|w| sentence.contains(*w))
            .filter(|_| !NOT_EVENTS.iter().any(|n| sentence.contains(n)))
            .map(|w| w.to_string())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::late_in_facts;
    use crate::rubric::Rubric;

    #[test]
    fn labels_that_come_late_are_not_events_a_window_waits_for() {
        let r = Rubric::builtin().expect("builtin rubric");
        let late = |id: &str| late_in_facts(r.problem(id).expect("problem"));
        assert_eq!(late("fraud-features"), None);
        assert_eq!(late("clickstream").as_deref(), Some("hours late"));
        assert!(late("payments-reconciliation").is_some());
    }
}
