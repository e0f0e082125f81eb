//! Numbers as values: "200K events/sec" is 200,000 a second, "5 TB/day"
//! is 5e12 bytes a day, "24h" is 86,400 s. What a number measures (a rate,
//! a retention, a TTL, a partition count) comes from its own unit and the
//! words next to it. The interviewer's capacity checks are arithmetic on
//! these values, so they only ever quote the candidate's own numbers.

use serde::{Deserialize, Serialize};

use crate::read::rates::WORD_AMOUNTS;
use crate::read::{Quantity, QuantityKind};

mod words;

/// What a number quantifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Items a second: events, rows, requests.
    Throughput,
    /// Bytes a second (or a day): the volume on a hop.
    ByteRate,
    /// Bytes per item: "1 KB per event".
    ItemSize,
    /// Bytes at rest: "450 TB", "a 4 TB table".
    Volume,
    /// A latency or freshness target: "p99 < 10ms", "under 60 s".
    Latency,
    /// How long data is kept: "7 days retention".
    Retention,
    /// How long state is kept: "24h state TTL".
    Ttl,
    /// A window, gap or lateness allowance: "30-min gap", "10 minute watermark".
    Window,
    /// How often something runs: "checkpoints every minute", "hourly".
    Interval,
    /// Partitions or shards.
    Partitions,
    /// Replicas, replication factor, in-sync replicas.
    Replicas,
    /// Nodes, brokers, workers, executors, instances.
    Nodes,
    /// Money.
    Cost,
    Percent,
    /// Any other count ("50M users").
    Count,
    /// Any other duration.
    Duration,
}

/// A value in base units: items/s, bytes/s, bytes, seconds, a count, dollars.
pub(crate) fn value_of(q: &Quantity) -> Option<f64> {
    let t = q.evidence.quote.to_ascii_lowercase();
    // "p99 < 10ms": the number is after the percentile.
    let t = match t.strip_prefix('p') {
        Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => {
            let skip = r
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(r.len());
            r[skip..].to_string()
        }
        _ => t,
    };
    let (n, rest) = leading_number(&t)?;
    let rest = rest.trim_start();
    match q.kind {
        QuantityKind::Rate => {
            let per = per_seconds(rest).unwrap_or(1.0);
            Some(n / per)
        }
        QuantityKind::Size => {
            let bytes = n * byte_unit(rest)?;
            match per_seconds(rest) {
                Some(per) => Some(bytes / per),
                None => Some(bytes),
            }
        }
        QuantityKind::Latency | QuantityKind::Duration => {
            if t.contains(':') && !t.contains("ms") {
                return None;
            }
            Some(n * time_unit(rest)?)
        }
        QuantityKind::Money | QuantityKind::Count | QuantityKind::Percent => Some(n),
    }
}

/// An amount said in words at the start ("a few hundred", "several"), with
/// what follows it.
fn word_amount(t: &str) -> Option<(f64, &str)> {
    let t = t.trim_start();
    let (mut n, mut rest) = WORD_AMOUNTS.iter().find_map(|(w, v)| {
        let r = t.get(..w.len()).filter(|h| h.eq_ignore_ascii_case(w))?;
        let rest = &t[r.len()..];
        rest.starts_with(|c: char| !c.is_ascii_alphanumeric())
            .then_some((*v, rest))
    })?;
    for (word, m) in [
        ("hundred", 1e2),
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
    ] {
        if let Some(r) = rest.trim_start().strip_prefix(word) {
            n *= m;
            rest = r;
            break;
        }
    }
    let rest = rest.trim_start();
    Some((n, rest.strip_prefix("of ").unwrap_or(rest)))
}

/// The first number with its multiplier ("200k", "1.5 million", "$0.023").
fn leading_number(t: &str) -> Option<(f64, &str)> {
    if let Some(w) = word_amount(t) {
        return Some(w);
    }
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let s = &t[start..];
    let len = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(s.len());
    let n: f64 = without_commas(&s[..len])
        .trim_end_matches('.')
        .parse()
        .ok()?;
    let mut rest = &s[len..];
    let trimmed = rest.trim_start();
    for (word, m) in [
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("trillion", 1e12),
        ("bn", 1e9),
        ("k", 1e3),
        ("m", 1e6),
        ("b", 1e9),
    ] {
        if let Some(r) = trimmed.strip_prefix(word) {
            // "5 mb" is megabytes, "5 m events" is millions; "2 min" is minutes.
            let unit_follows = r.starts_with(|c: char| c.is_ascii_alphabetic());
            if !unit_follows {
                rest = r;
                return Some((n * m, rest));
            }
        }
    }
    Some((n, rest))
}

/// The period a rate is counted over, in seconds: "/s", "per minute",
/// "a day", "in ~3 h" (a count over a duration).
fn per_seconds(rest: &str) -> Option<f64> {
    if let Some(secs) = over_duration(rest) {
        return Some(secs);
    }
    // "qps", "tps", "rps": per second already.
    if matches!(ascii_word(rest), "qps" | "rps" | "tps" | "eps") {
        return Some(1.0);
    }
    // "per minute" at the very start counts as " per minute".
    let spaced = format!(" {rest}");
    let rest = spaced.as_str();
    let i = rest
        .find('/')
        .or_else(|| rest.find(" per ").map(|i| i + 4))
        .or_else(|| rest.find(" a ").map(|i| i + 2))
        .or_else(|| rest.find(" an ").map(|i| i + 3))
        .or_else(|| rest.find(" each ").map(|i| i + 5))
        .or_else(|| rest.find(" every ").map(|i| i + 6))?;
    let unit = rest[i + 1..].trim_start_matches([' ', '/']);
    let unit = unit.trim_start_matches("per ").trim_start();
    // A period with its own count: "per 15 minutes", "/5 min", "every 10 s".
    if unit.starts_with(|c: char| c.is_ascii_digit()) {
        return duration_at(unit);
    }
    Some(match ascii_word(unit) {
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "min" | "mins" | "minute" | "minutes" | "m" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        "week" | "wk" => 604_800.0,
        "month" | "mo" => 2_592_000.0,
        _ => return None,
    })
}

/// "docs in ~3 h", "rows over 10 days": the duration a count is spread over.
fn over_duration(rest: &str) -> Option<f64> {
    let i = [" in ", " over ", " within "]
        .iter()
        .filter_map(|w| rest.find(w).map(|i| i + w.len()))
        .min()?;
    duration_at(rest[i..].trim_start_matches(|c: char| !c.is_ascii_digit()))
}

/// The duration `s` starts with, in seconds: a count and its time unit
/// ("15 minutes", "3 h").
fn duration_at(s: &str) -> Option<f64> {
    let len = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(s.len());
    let n: f64 = without_commas(s.get(..len)?).parse().ok()?;
    let secs = n * time_unit(s[len..].trim_start())?;
    (secs > 0.0).then_some(secs)
}

/// The ASCII letters `s` starts with.
fn ascii_word(s: &str) -> &str {
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(s.len());
    &s[..end]
}

/// `s` without its thousands separators (borrowed when it has none).
fn without_commas(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(',') {
        std::borrow::Cow::Owned(s.replace(',', ""))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn byte_unit(rest: &str) -> Option<f64> {
    Some(match ascii_word(rest) {
        "b" | "bytes" => 1.0,
        "kb" | "kilobytes" => 1e3,
        "kib" => 1024.0,
        "mb" | "megabytes" => 1e6,
        "mib" => 1_048_576.0,
        "gb" | "gigabytes" => 1e9,
        "gib" => 1_073_741_824.0,
        "tb" | "terabytes" => 1e12,
        "tib" => 1_099_511_627_776.0,
        "pb" | "petabytes" => 1e15,
        "pib" => 1_125_899_906_842_624.0,
        _ => return None,
    })
}

fn time_unit(rest: &str) -> Option<f64> {
    let rest = rest.trim_start_matches(['-', ' ']);
    let end = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    Some(match &rest[..end] {
        "ms" | "millisecond" | "milliseconds" => 1e-3,
        "µs" | "us" | "microsecond" | "microseconds" => 1e-6,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        "wk" | "wks" | "week" | "weeks" => 604_800.0,
        "month" | "months" => 2_592_000.0,
        "yr" | "yrs" | "year" | "years" => 31_536_000.0,
        _ => return None,
    })
}

/// What a quantity measures, from its kind, its own words and the words
/// just before and after it (`context`, lower-case).
pub(crate) fn measure_of(q: &Quantity, before: &str, after: &str) -> Measure {
    use words::{any, found, List};
    let own = q.evidence.quote.to_ascii_lowercase();
    let before = before.trim_end();
    let after = after.trim_start();
    // The words right after a number say most ("24-hour state TTL",
    // "30-minute gap"); the words before decide only when those are silent.
    let cut = |s: &str, n: usize, tail: bool| -> usize {
        let mut i = if tail {
            s.len().saturating_sub(n)
        } else {
            n.min(s.len())
        };
        while !s.is_char_boundary(i) {
            if tail {
                i += 1
            } else {
                i -= 1
            }
        }
        i
    };
    let after_near = &after[..cut(after, 22, false)];
    let before_near = &before[cut(before, 28, true)..];
    let duration = |ctx: &str, own: words::Found| -> Option<Measure> {
        let has = found(ctx) | own;
        if any(has, List::Ttl) {
            Some(Measure::Ttl)
        } else if any(has, List::Retention) {
            Some(Measure::Retention)
        } else if any(has, List::Window) {
            Some(Measure::Window)
        } else if any(has, List::Interval) {
            Some(Measure::Interval)
        } else if any(has, List::Latency) {
            Some(Measure::Latency)
        } else {
            None
        }
    };
    match q.kind {
        QuantityKind::Rate => Measure::Throughput,
        QuantityKind::Size => {
            let per_item_words = [
                "per event",
                "each event",
                "per record",
                "per message",
                "per row",
                "average event",
                "event size",
                "message size",
                "record size",
                "each",
            ];
            let has = found(&own);
            let per_period = leading_number(&own)
                .is_some_and(|(_, rest)| per_seconds(rest.trim_start()).is_some());
            if any(has, List::Per) || per_period {
                if any(has, List::Item) {
                    Measure::ItemSize
                } else {
                    Measure::ByteRate
                }
            } else if per_item_words
                .iter()
                .any(|w| after_near.starts_with(w) || before_near.ends_with(w))
            {
                Measure::ItemSize
            } else {
                Measure::Volume
            }
        }
        QuantityKind::Latency => Measure::Latency,
        // "within 20% of the 7-day median", "the sum against the 7-day
        // history": a baseline a check compares with is a window, not how
        // long data is kept.
        QuantityKind::Duration if baseline(before_near, after_near) => Measure::Window,
        QuantityKind::Duration => {
            let own = found(&own);
            duration(after_near, own)
                .or_else(|| duration(before_near, own))
                .unwrap_or(Measure::Duration)
        }
        QuantityKind::Count => {
            let has = found(&own);
            if any(has, List::Partitions) {
                Measure::Partitions
            } else if any(has, List::Replicas) {
                Measure::Replicas
            } else if any(has, List::Nodes) {
                Measure::Nodes
            } else {
                Measure::Count
            }
        }
        QuantityKind::Money => Measure::Cost,
        QuantityKind::Percent => Measure::Percent,
    }
}

/// True when a duration is the span of a baseline a figure is compared
/// with: a statistic follows it ("7-day median") or a comparison comes
/// right before it ("against the 7-day history").
fn baseline(before: &str, after: &str) -> bool {
    const STATS: &[&str] = &[
        "median", "average", "avg", "mean", "baseline", "trend", "moving", "rolling",
    ];
    const AGAINST: &[&str] = &[
        "against the",
        "against its",
        "compared to the",
        "compared with the",
        "vs the",
        "versus the",
        "relative to the",
    ];
    let next = after
        .trim_start_matches(|c: char| !c.is_ascii_alphabetic())
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    let stat = STATS.iter().any(|w| next.eq_ignore_ascii_case(w));
    let compared = AGAINST.iter().any(|w| before.ends_with(w))
        && ["history", "baseline", "trend"]
            .iter()
            .any(|w| next.eq_ignore_ascii_case(w));
    stat || compared
}

/// A human figure for a value in base units ("200 MB/s", "1.1 TB", "17B").
pub fn human(value: f64, unit: &str) -> String {
    let (v, suffix) = if value >= 1e15 {
        (value / 1e15, "P")
    } else if value >= 1e12 {
        (value / 1e12, "T")
    } else if value >= 1e9 {
        (value / 1e9, "G")
    } else if value >= 1e6 {
        (value / 1e6, "M")
    } else if value >= 1e3 {
        (value / 1e3, "K")
    } else {
        (value, "")
    };
    let n = if v >= 10.0 || (v - v.round()).abs() < 0.05 {
        format!("{:.0}", v)
    } else {
        format!("{:.1}", v)
    };
    match unit {
        "B" => format!("{n} {suffix}B"),
        "B/s" => format!("{n} {suffix}B/s"),
        "" => {
            let s = match suffix {
                "G" => "B",
                x => x,
            };
            format!("{n}{s}")
        }
        u => format!("{n}{suffix} {u}"),
    }
}

/// Seconds as the unit a person would say ("24 hours", "7 days", "90 s").
pub fn human_seconds(s: f64) -> String {
    let fmt = |v: f64, u: &str| {
        let n = if (v - v.round()).abs() < 0.05 {
            format!("{:.0}", v)
        } else {
            format!("{:.1}", v)
        };
        let plural = if n == "1" { "" } else { "s" };
        format!("{n} {u}{plural}")
    };
    if s >= 86_400.0 * 2.0 {
        fmt(s / 86_400.0, "day")
    } else if s >= 7200.0 {
        fmt(s / 3600.0, "hour")
    } else if s >= 120.0 {
        fmt(s / 60.0, "minute")
    } else {
        fmt(s, "second")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::quantities;

    fn one(text: &str) -> Quantity {
        quantities(text).into_iter().next().expect(text)
    }

    #[test]
    fn rates_sizes_and_durations_become_base_units() {
        assert_eq!(value_of(&one("200K events/sec")), Some(200_000.0));
        assert_eq!(
            value_of(&one("1.5 million rows per minute")),
            Some(25_000.0)
        );
        assert_eq!(value_of(&one("200 MB/s")), Some(200e6));
        assert_eq!(
            value_of(&one("5 TB/day")).map(|v| v.round()),
            Some((5e12_f64 / 86_400.0).round())
        );
        assert_eq!(value_of(&one("a 24h TTL")), Some(86_400.0));
        assert_eq!(value_of(&one("kept 7 days")), Some(604_800.0));
        assert_eq!(value_of(&one("p99 < 10ms")), Some(0.01));
        assert_eq!(value_of(&one("100 partitions")), Some(100.0));
        let day = value_of(&one("20M transactions a day")).expect("value");
        assert!((day - 20e6 / 86_400.0).abs() < 1.0, "{day}");
    }

    #[test]
    fn a_period_said_with_its_own_count_divides_the_rate() {
        let q = one("about 300 queries per 15 minutes from analysts");
        assert_eq!(q.evidence.quote, "300 queries per 15 minutes");
        assert_eq!(q.kind, QuantityKind::Rate);
        assert_eq!(value_of(&q), Some(300.0 / 900.0));
        let v = value_of(&one("~18M rows/15 min")).expect("value");
        assert!((v - 20_000.0).abs() < 0.01, "{v}");
        let v = value_of(&one("2 GB every 10 minutes")).expect("value");
        assert!((v - 2e9 / 600.0).abs() < 0.01, "{v}");
        assert_eq!(value_of(&one("5 alerts every minute")), Some(5.0 / 60.0));
        // A window said with "a" is no period of a rate.
        let q = one("Kafka keeps 2 TB a 7-day window");
        assert_eq!(q.kind, QuantityKind::Size);
        assert_eq!(q.evidence.quote, "2 TB");
    }

    #[test]
    fn rates_of_any_noun_and_word_amounts_have_values() {
        assert_eq!(value_of(&one("30K movements/s")), Some(30_000.0));
        assert_eq!(value_of(&one("5 alerts/min")), Some(5.0 / 60.0));
        assert_eq!(value_of(&one("a few per minute")), Some(3.0 / 60.0));
        assert_eq!(value_of(&one("6 per minute")), Some(0.1));
        let v = value_of(&one("120M docs in ~3 h")).expect("value");
        assert!((v - 120e6 / 10_800.0).abs() < 1.0, "{v}");
        let v = value_of(&one("a few hundred changes/min")).expect("value");
        assert!((v - 5.0).abs() < 0.01, "{v}");
        let q = one("a few MB a day");
        assert_eq!(measure_of(&q, "", ""), Measure::ByteRate);
        let v = value_of(&q).expect("value");
        assert!((v - 3e6 / 86_400.0).abs() < 0.01, "{v}");
        let q = one("500 experiments/day");
        assert_eq!(measure_of(&q, "", ""), Measure::Throughput);
        assert_eq!(measure_of(&one("25 GB a day"), "", ""), Measure::ByteRate);
    }

    #[test]
    fn measures_come_from_units_and_neighbouring_words() {
        let q = one("24h");
        assert_eq!(measure_of(&q, "dedupe state with a ", " ttl"), Measure::Ttl);
        assert_eq!(measure_of(&q, "retention of ", ""), Measure::Retention);
        let q = one("30-minute");
        assert_eq!(
            measure_of(
                &q,
                "with a 24-hour state ttl, assigns it to a session with a ",
                " gap"
            ),
            Measure::Window
        );
        let q = one("1 KB per event");
        assert_eq!(measure_of(&q, "", ""), Measure::ItemSize);
        let q = one("64 partitions");
        assert_eq!(measure_of(&q, "", ""), Measure::Partitions);
        let q = one("200 MB/s");
        assert_eq!(measure_of(&q, "", ""), Measure::ByteRate);
    }

    #[test]
    fn a_baseline_a_check_compares_with_is_not_retention() {
        let q = one("7-day");
        assert_eq!(
            measure_of(&q, "row count within 20% of the ", " median"),
            Measure::Window
        );
        assert_eq!(
            measure_of(&q, "the sum against the ", " history"),
            Measure::Window
        );
        let q = one("7 days");
        assert_eq!(
            measure_of(&q, "kafka keeps ", " of history"),
            Measure::Retention
        );
        assert_eq!(measure_of(&q, "retention of ", ""), Measure::Retention);
    }

    #[test]
    fn human_figures_read_naturally() {
        assert_eq!(human(200e6, "B/s"), "200 MB/s");
        assert_eq!(human(3.125e6, "B/s"), "3.1 MB/s");
        assert_eq!(human(17.28e9, ""), "17B");
        assert_eq!(human(1.1e12, "B"), "1.1 TB");
        assert_eq!(human_seconds(86_400.0), "24 hours");
        assert_eq!(human_seconds(604_800.0), "7 days");
    }
}
