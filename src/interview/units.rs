//! How a flow is counted in a problem: what one unit is called, whether a
//! volume is asked per second or per day, and which of its times are
//! freshness targets.

use crate::rubric::{FactTopic, Problem};

/// What one unit of flow is called in a problem of `category`: an event
/// in a stream, a change in CDC, a record elsewhere (a nightly batch has no
/// events to follow).
pub(crate) fn record_word(category: &str) -> &'static str {
    match category {
        "streaming" => "event",
        "cdc" => "change",
        _ => "record",
    }
}

/// True when the problem gives its scale per second ("20M samples/sec")
/// and is not a warehouse or batch problem: its flows are said per second
/// wherever they go, not only into a queue.
fn scale_per_second(p: &Problem) -> bool {
    !matches!(p.category.as_str(), "warehouse" | "batch")
        && p.hidden_facts
            .iter()
            .filter(|f| f.topic == FactTopic::Scale)
            .any(|f| {
                let a = f.answer.to_ascii_lowercase();
                ["/sec", "/s ", "/s,", "/s.", "per second", "a second"]
                    .iter()
                    .any(|w| a.contains(w))
            })
}

/// How a volume is said on an arrow: per second into or out of a queue or
/// a stream processor (`streamed`), or in a problem whose scale is per
/// second; per day in a batch.
pub(crate) fn volume_units(p: &Problem, streamed: bool) -> &'static str {
    if streamed
        || matches!(p.category.as_str(), "streaming" | "cdc" | "serving")
        || scale_per_second(p)
    {
        "events a second, or MB a second"
    } else {
        "rows or GB a day, or per run"
    }
}

/// An arrow label that says the hop runs as a batch ("weekly, point-in-time
/// join", "nightly export"): its volume is asked per run, whatever the
/// problem's scale is said in.
fn batch_cadence(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, "weekly" | "daily" | "nightly" | "monthly" | "hourly"))
        || [
            "per run",
            "a day at a time",
            "one day at a time",
            "each run",
            "every night",
            "every day",
            "every week",
        ]
        .iter()
        .any(|w| l.contains(w))
}

/// An arrow of a backfill or a conversion of history ("Spark backfill ->
/// Iceberg : historical JSON"): a one-off job, sized by what it has to
/// read in total and what each run takes.
fn one_off_history(label: &str) -> bool {
    crate::design::names_one_off_job(label)
}

/// How the volume on the arrow labelled `label` is asked: per run when the
/// label says the hop runs as a batch, else as [`volume_units`] says.
/// How a query path is sized: queries and what they scan, not a rate.
pub(crate) const QUERY_UNITS: &str = "queries a day, and GB scanned per query";

pub(crate) fn arrow_units(p: &Problem, streamed: bool, label: &str) -> &'static str {
    if one_off_history(label) {
        "TB in total, and GB per run"
    } else if batch_cadence(label) {
        "rows or GB per run"
    } else {
        volume_units(p, streamed)
    }
}

/// A single unit of time said in words after "within", "in", "under" or
/// "every" ("within an hour"): its seconds and the words ("an hour").
pub(crate) fn spelled_duration(text: &str) -> Option<(f64, String)> {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(3).find_map(|w| {
        let lead = matches!(w[0], "within" | "in" | "under" | "every");
        let one = matches!(w[1], "a" | "an" | "one");
        let secs = match w[2] {
            "second" => 1.0,
            "minute" => 60.0,
            "hour" => 3600.0,
            "day" => 86_400.0,
            "week" => 604_800.0,
            _ => return None,
        };
        (lead && one).then(|| (secs, format!("{} {}", w[1], w[2])))
    })
}

/// A time counted from something that happens to the pipeline, not the age
/// of the data a reader sees: "the owner paged within 10 minutes of a
/// failure", "checked within 30 minutes of a load". "Orders on the
/// dashboard within 5 minutes of the event" is a freshness target.
pub(crate) fn response_time(text: &str, start: usize, end: usize) -> bool {
    let after = text
        .get(end..)
        .unwrap_or_default()
        .trim_start()
        .to_ascii_lowercase();
    let events = [
        "failure", "incident", "alert", "error", "breach", "outage", "load", "run", "landing",
        "job",
    ];
    let of_event = ["of a ", "of an ", "of the ", "of "].iter().any(|lead| {
        after.strip_prefix(lead).is_some_and(|rest| {
            let word = rest
                .split(|c: char| !c.is_ascii_alphabetic())
                .next()
                .unwrap_or("");
            events.contains(&word)
        })
    });
    let before = text.get(..start).unwrap_or_default();
    let clause = before
        .rfind([',', ';', '.', ':'])
        .map_or(before, |i| &before[i + 1..])
        .to_ascii_lowercase();
    of_event
        || ["paged", "alerted", "notified"]
            .iter()
            .any(|w| clause.contains(w))
}

#[cfg(test)]
mod tests {
    use super::volume_units;

    #[test]
    fn a_label_with_a_cadence_is_a_batch_hop() {
        assert!(super::batch_cadence(
            "S3 -> Spark training sets : weekly, point-in-time join"
        ));
        assert!(super::batch_cadence("nightly export, Parquet"));
        assert!(!super::batch_cadence("Kafka -> Flink : avro, 10K/s"));
        assert!(super::batch_cadence(
            "Spark -> S3 : converted one day at a time"
        ));
        // "hour" inside a word is not a cadence.
        assert!(!super::batch_cadence(
            "Flink -> Redis : per-hour counters, 30K/s"
        ));
    }

    #[test]
    fn a_backfill_arrow_is_sized_in_total_and_per_run() {
        let p = crate::rubric::Rubric::builtin().expect("builtin rubric");
        let p = p.problem("clickstream").expect("clickstream");
        assert_eq!(
            super::arrow_units(
                p,
                false,
                "Spark backfill -> Iceberg : historical JSON, per day"
            ),
            "TB in total, and GB per run"
        );
        assert_ne!(
            super::arrow_units(p, true, "Kafka -> Flink : clicks"),
            "TB in total, and GB per run"
        );
    }

    #[test]
    fn a_duration_said_in_words_is_read() {
        assert_eq!(
            super::spelled_duration("Finance wants to know within an hour, not at month-end."),
            Some((3600.0, "an hour".to_string()))
        );
        assert_eq!(
            super::spelled_duration("Refreshed in under a minute."),
            Some((60.0, "a minute".to_string()))
        );
        assert_eq!(
            super::spelled_duration(
                "Dashboards refresh every minute or so, under a minute behind."
            ),
            Some((60.0, "a minute".to_string()))
        );
        assert_eq!(super::spelled_duration("We have an hour of buffer."), None);
    }

    #[test]
    fn a_platform_problem_sized_per_second_asks_volumes_per_second() {
        let rubric = crate::rubric::Rubric::builtin().expect("rubric");
        let metrics = rubric.problem("metrics-pipeline").expect("problem");
        assert_eq!(
            volume_units(metrics, false),
            "events a second, or MB a second"
        );
        let recon = rubric.problem("payments-reconciliation").expect("problem");
        assert_eq!(volume_units(recon, false), "rows or GB a day, or per run");
        let scd2 = rubric.problem("scd2-dimension").expect("problem");
        assert_eq!(volume_units(scd2, false), "rows or GB a day, or per run");
    }
}
