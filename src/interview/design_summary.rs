//! The design model counted for the debrief: boxes, arrows and how many
//! say what flows, keys, guarantees, idempotent writes, choices, and what
//! was said about failures before a drill asked.

use serde::{Deserialize, Serialize};

use super::debrief::clip;
use crate::design::Depth;
use crate::interview::session::Session;

/// The design as the model read it, counted for the debrief.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DesignSummary {
    pub boxes: usize,
    pub arrows: usize,
    pub annotated_arrows: usize,
    /// Arrows that carry no data (an orchestrator's trigger, a metadata
    /// commit): no format or volume is asked of them, nor scored.
    #[serde(default)]
    pub control_arrows: usize,
    /// Of those, the arrows a query engine or a dashboard reads data at
    /// rest on ("Iceberg -> Trino : analysts' SQL").
    #[serde(default)]
    pub query_arrows: usize,
    /// Partition keys as said ("user_id").
    pub keys: Vec<String>,
    /// Guarantees with what gives them ("exactly-once: two-phase commit").
    pub guarantees: Vec<String>,
    /// Idempotent writes: "Snowflake: MERGE ... on session_id".
    pub idempotent_writes: Vec<String>,
    /// Sinks written to with no idempotency said.
    pub unsafe_writes: Vec<String>,
    pub choices_with_reasons: usize,
    pub tradeoffs: usize,
    /// What the candidate said about failures without being drilled, part
    /// by part ("Detection: “we alert on under-replicated partitions”").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volunteered_failures: Vec<String>,
}

/// The keys said, each once: one key said in several ways ("card_token",
/// "the token", "by card") is listed in its fullest form.
fn distinct_keys<'a>(said: impl Iterator<Item = &'a str>) -> Vec<String> {
    // The words that name a key: "pk" is "primary key", and joining words
    // ("table and pk", "table+pk") are not part of the name.
    let words = |k: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for w in k
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty() && !matches!(*w, "and" | "the" | "plus" | "its"))
        {
            let ws: &[&str] = if w == "pk" { &["primary", "key"] } else { &[w] };
            for w in ws {
                if !out.iter().any(|o| o == w) {
                    out.push(w.to_string());
                }
            }
        }
        out.sort();
        out
    };
    // A key that is a whole part of a compound ("device_id" of
    // "(device_id, window_start)") is a key of its own, not a fragment.
    let part_of = |a: &str, b: &str| {
        b.split([',', '+', '(', ')'])
            .flat_map(|p| p.split(" and "))
            .any(|p| p.trim().eq_ignore_ascii_case(a.trim()))
    };
    let within = |a: &str, b: &str| {
        let (wa, wb) = (words(a), words(b));
        !wa.is_empty() && wa.len() < wb.len() && wa.iter().all(|w| wb.contains(w)) && !part_of(a, b)
    };
    let mut keys: Vec<String> = Vec::new();
    for k in said {
        // The same key said again, or in other words ("table+pk", "table
        // and primary key"): listed as first said.
        if !keys
            .iter()
            .any(|x| x.eq_ignore_ascii_case(k) || (!words(k).is_empty() && words(x) == words(k)))
        {
            keys.push(k.to_string());
        }
    }
    let all = keys.clone();
    keys.retain(|k| !all.iter().any(|o| within(k, o)));
    keys
}

pub(super) fn summarise(session: &Session) -> DesignSummary {
    let d = session.design();
    let name = |i: usize| {
        d.components
            .get(i)
            .map(|c| c.label().to_string())
            .unwrap_or_default()
    };
    let keys = distinct_keys(d.keys.iter().map(|k| k.key.as_str()));
    let mut guarantees: Vec<String> = Vec::new();
    for g in &d.guarantees {
        let line = match &g.mechanism {
            Some(m) if *m != g.kind => format!("{}: {m}", g.kind),
            _ => g.kind.clone(),
        };
        if !guarantees.contains(&line) {
            guarantees.push(line);
        }
    }
    DesignSummary {
        boxes: d.boxes().count(),
        arrows: d.arrows().count(),
        annotated_arrows: d.data_arrows().filter(|(_, said)| *said).count(),
        control_arrows: d.arrows().count() - d.data_arrows().count(),
        query_arrows: d
            .arrows()
            .filter(|(_, e)| e.hop == crate::design::HopKind::Query)
            .count(),
        keys,
        guarantees,
        idempotent_writes: d
            .writes
            .iter()
            .filter(|w| !d.gone(w.sink))
            .map(|w| format!("{}: {}", name(w.sink), w.mechanism))
            .collect(),
        unsafe_writes: d
            .sinks()
            .into_iter()
            .filter(|s| d.write_for(*s).is_none())
            .map(name)
            .collect(),
        choices_with_reasons: d.choices.iter().filter(|c| c.reason).count(),
        tradeoffs: d.choices.iter().filter(|c| c.tradeoff).count(),
        volunteered_failures: volunteered(d),
    }
}

/// The deepest thing said about detecting, recovering from and not losing
/// data in a failure, across the round, each with its quote.
fn volunteered(d: &crate::design::Design) -> Vec<String> {
    let mut talk = crate::design::FailureTalk::default();
    for t in &d.failures {
        talk.merge(t);
    }
    [
        ("Detection", &talk.detect),
        ("Recovery", &talk.recover),
        ("No data lost", &talk.prevent),
    ]
    .into_iter()
    .filter(|(_, p)| p.depth >= Depth::Named)
    .filter_map(|(what, p)| {
        let q = p.quote()?;
        let depth = if p.depth.covered() {
            ""
        } else {
            " (named only)"
        };
        Some(format!("{what}{depth}: “{}”", clip(&q.quote, 140)))
    })
    .collect()
}

impl DesignSummary {
    /// Boxes and arrows as the debrief says them: a control arrow (an
    /// orchestrator's trigger, a metadata commit) carries no data, so only
    /// data arrows are counted as annotated or not, as the interviewer
    /// asks and the scorer checks.
    pub fn arrows_line(&self) -> String {
        let (b, a) = (self.boxes, self.arrows);
        let q = self.query_arrows.min(self.control_arrows);
        // What the arrows that carry no flow are: "2 control, carrying no
        // data", "1 query path, reading data at rest", or both.
        let other = match (self.control_arrows - q, q) {
            (c, 0) => format!("{c} control, carrying no data"),
            (0, q) => format!("{q} {}, reading data at rest", paths(q)),
            (c, q) => format!(
                "{c} control, carrying no data; {q} {}, reading data at rest",
                paths(q)
            ),
        };
        match (self.control_arrows, a.saturating_sub(self.control_arrows)) {
            (0, _) => format!(
                "{b} boxes, {a} arrows, {} annotated with what flows and how much",
                self.annotated_arrows
            ),
            (_, 0) if q == 0 => {
                format!("{b} boxes, {a} arrows, all control: none of them carries data")
            }
            (_, 0) => format!("{b} boxes, {a} arrows, none a data flow ({other})"),
            (_, n) if self.annotated_arrows >= n => format!(
                "{b} boxes, {a} arrows ({other}), every data arrow \
                 annotated with what flows and how much"
            ),
            (_, n) => format!(
                "{b} boxes, {a} arrows ({other}), {} of the {n} data \
                 arrows annotated with what flows and how much",
                self.annotated_arrows
            ),
        }
    }
}

fn paths(n: usize) -> &'static str {
    if n == 1 {
        "query path"
    } else {
        "query paths"
    }
}

#[cfg(test)]
mod tests {
    use super::{distinct_keys, DesignSummary};

    fn summary(arrows: usize, control: usize, annotated: usize) -> String {
        DesignSummary {
            boxes: 6,
            arrows,
            control_arrows: control,
            annotated_arrows: annotated,
            ..DesignSummary::default()
        }
        .arrows_line()
    }

    #[test]
    fn a_key_said_in_several_ways_is_listed_once_in_its_fullest_form() {
        let keys = |ks: &[&str]| distinct_keys(ks.iter().copied());
        assert_eq!(keys(&["card_token", "token", "card"]), vec!["card_token"]);
        assert_eq!(
            keys(&["primary key", "order_id", "LSN", "order_id"]),
            vec!["primary key", "order_id", "LSN"]
        );
        assert_eq!(keys(&["date", "event date"]), vec!["event date"]);
        // A whole part of a compound key is a key of its own.
        assert_eq!(
            keys(&["device_id", "(device_id, window_start)"]),
            vec!["device_id", "(device_id, window_start)"]
        );
        assert_eq!(
            keys(&["sku_id+location_id", "sku"]),
            vec!["sku_id+location_id"]
        );
        // One key in other words is listed once, as first said.
        assert_eq!(
            keys(&["table+pk", "table and primary key", "table"]),
            vec!["table+pk", "table"]
        );
    }

    #[test]
    fn control_arrows_are_told_apart_from_data_arrows_left_bare() {
        assert_eq!(
            summary(5, 0, 3),
            "6 boxes, 5 arrows, 3 annotated with what flows and how much"
        );
        assert_eq!(
            summary(6, 2, 3),
            "6 boxes, 6 arrows (2 control, carrying no data), 3 of the 4 data arrows \
             annotated with what flows and how much"
        );
        assert_eq!(
            summary(6, 1, 5),
            "6 boxes, 6 arrows (1 control, carrying no data), every data arrow annotated \
             with what flows and how much"
        );
        assert_eq!(
            summary(2, 2, 0),
            "6 boxes, 2 arrows, all control: none of them carries data"
        );
    }

    #[test]
    fn query_paths_are_named_as_reads_not_control() {
        let line = |arrows: usize, control: usize, query: usize, annotated: usize| {
            DesignSummary {
                boxes: 6,
                arrows,
                control_arrows: control,
                query_arrows: query,
                annotated_arrows: annotated,
                ..DesignSummary::default()
            }
            .arrows_line()
        };
        assert_eq!(
            line(6, 1, 1, 5),
            "6 boxes, 6 arrows (1 query path, reading data at rest), every data arrow \
             annotated with what flows and how much"
        );
        assert_eq!(
            line(6, 3, 1, 2),
            "6 boxes, 6 arrows (2 control, carrying no data; 1 query path, reading data \
             at rest), 2 of the 3 data arrows annotated with what flows and how much"
        );
        assert_eq!(
            line(2, 2, 2, 0),
            "6 boxes, 2 arrows, none a data flow (2 query paths, reading data at rest)"
        );
    }
}
