//! What a box name says about the box when the catalogue knows no product
//! in it: a generic category ("Streaming platform", "Search engine", "AI
//! insights layer", "the cloud", "database") is vague — the seed's junior
//! signal — while the candidate's own service ("Search API", "Availability
//! API", "Pricing service", "Collector", "vmalert") is a concrete component
//! with nothing to pick. And whether a box orchestrates rather than carries
//! data ("cron", "scheduler"), so its arrows are control, not data hops.
//!
//! The rule is about the shape of the name, not a list of names: a name is
//! generic when its head noun is a category (platform, engine, layer,
//! database...) and every other word only describes the category
//! (streaming, search, data, AI...). One distinctive word ("Orders DB",
//! "Attribution job") makes it the candidate's own thing.

use crate::read::components::ComponentIndex;

/// Head nouns that name a category of infrastructure, not a thing.
const CATEGORY_HEADS: &[&str] = &[
    "platform",
    "platforms",
    "engine",
    "engines",
    "layer",
    "layers",
    "system",
    "systems",
    "database",
    "databases",
    "db",
    "dbs",
    "datastore",
    "store",
    "stores",
    "storage",
    "queue",
    "queues",
    "bus",
    "broker",
    "brokers",
    "cache",
    "warehouse",
    "lake",
    "lakehouse",
    "cluster",
    "pipeline",
    "pipelines",
    "processor",
    "processors",
    "processing",
    "stream",
    "streams",
    "streaming",
    "tool",
    "tools",
    "tooling",
    "solution",
    "framework",
    "cloud",
    "repository",
    "repo",
    "tier",
    "infrastructure",
    "infra",
    "hub",
    "mesh",
    "fabric",
    "job",
    "jobs",
    "etl",
    "index",
    "backend",
    "sink",
    "stack",
    "technology",
    "tech",
    "component",
    "module",
    "server",
    "servers",
];

/// Heads that name something the candidate runs themselves: with any
/// qualifier ("Search API", "Pricing service") the box is theirs.
const OWN_HEADS: &[&str] = &[
    "api",
    "apis",
    "service",
    "services",
    "svc",
    "app",
    "apps",
    "application",
    "frontend",
    "gateway",
    "collector",
    "worker",
    "workers",
    "ui",
    "portal",
    "sdk",
    "sdks",
    "client",
    "clients",
    "website",
    "site",
    "microservice",
    "microservices",
    "endpoint",
    "bot",
    "consumer",
    "producer",
    "dashboard",
    "dashboards",
];

/// Words that only describe a category: "streaming", "search", "AI".
const CATEGORY_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "our",
    "some",
    "any",
    "streaming",
    "stream",
    "search",
    "data",
    "message",
    "messaging",
    "event",
    "events",
    "analytics",
    "analytical",
    "ai",
    "ml",
    "insights",
    "insight",
    "intelligence",
    "real-time",
    "realtime",
    "real",
    "time",
    "batch",
    "processing",
    "storage",
    "cloud",
    "cloud-native",
    "modern",
    "big",
    "distributed",
    "nosql",
    "sql",
    "relational",
    "key-value",
    "kv",
    "time-series",
    "timeseries",
    "columnar",
    "object",
    "blob",
    "document",
    "graph",
    "vector",
    "olap",
    "oltp",
    "central",
    "main",
    "hot",
    "cold",
    "warm",
    "serving",
    "query",
    "compute",
    "ingestion",
    "ingest",
    "observability",
    "monitoring",
    "logging",
    "log",
    "logs",
    "metrics",
    "reporting",
    "bi",
    "scalable",
    "elastic",
    "managed",
    "etl",
    "elt",
    "transformation",
    "transform",
    "enterprise",
    "unified",
    "generic",
    "standard",
    "open",
    "source",
    "open-source",
    "in-memory",
    "memory",
    "fast",
    "low-latency",
    "high-throughput",
    "persistent",
    "durable",
    "shared",
    "global",
    "pub/sub",
    "pubsub",
    "publish-subscribe",
    "lake",
    "warehouse",
    "database",
    "db",
    "cache",
    "caching",
    "queue",
    "queuing",
    "queueing",
    "medallion",
    "bronze",
    "silver",
    "gold",
    "raw",
    "curated",
    "semantic",
    "feature",
    "features",
    "model",
    "serverless",
    "hyperscale",
];

/// Words that make a box an orchestrator even when the catalogue has no
/// product for it: its arrows schedule work, they carry no data.
const ORCHESTRATION_WORDS: &[&str] = &[
    "cron",
    "crontab",
    "cronjob",
    "scheduler",
    "orchestrator",
    "orchestration",
    "oozie",
    "luigi",
    "argo",
    "mwaa",
    "composer",
    "control-m",
    "autosys",
    "dag",
    "dags",
];

fn words(name: &str) -> Vec<String> {
    // The note in parentheses is not part of the name ("Kafka (MSK)").
    let bare = name.split(['(', '[']).next().unwrap_or(name);
    bare.split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '"' | '\'' | '`'))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// True when a box with no product is a generic category rather than the
/// candidate's own component.
pub(crate) fn is_generic_name(name: &str, idx: &ComponentIndex) -> bool {
    let ws = words(name);
    let Some(head) = ws.last() else {
        return false;
    };
    // A catalogue generic term as the whole name: "API", "producers", "CDC".
    let article = |w: &String| matches!(w.as_str(), "a" | "an" | "the" | "our" | "some");
    let whole = ws
        .iter()
        .skip_while(|w| article(w))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let found = idx.find_all(&whole);
    let catalogue_generic = found.len() == 1
        && found[0].vague
        && found[0].evidence.start == 0
        && found[0].evidence.end == whole.len();
    if OWN_HEADS.contains(&head.as_str()) {
        // "Collector", "Search API", "Pricing service": theirs; only a bare
        // catalogue word ("API") names nothing.
        return catalogue_generic;
    }
    if CATEGORY_HEADS.contains(&head.as_str()) {
        return ws[..ws.len() - 1]
            .iter()
            .all(|w| CATEGORY_WORDS.contains(&w.as_str()));
    }
    catalogue_generic
}

/// True when a box name says it schedules work ("cron", "Airflow DAG",
/// "scheduler").
pub(crate) fn is_orchestration_name(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| ORCHESTRATION_WORDS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generic(n: &str) -> bool {
        is_generic_name(n, ComponentIndex::builtin())
    }

    #[test]
    fn category_names_are_vague() {
        for n in [
            "Streaming platform",
            "Search engine",
            "AI insights layer",
            "the cloud",
            "database",
            "queue",
            "Data lake",
            "a streaming system",
            "Message bus",
            "Batch job",
            "API",
        ] {
            assert!(generic(n), "{n} should be vague");
        }
    }

    #[test]
    fn the_candidates_own_services_are_concrete() {
        for n in [
            "Search API",
            "Availability API",
            "Pricing service",
            "Scorecard service",
            "Collector",
            "vmalert",
            "Orders DB",
            "Attribution job",
            "Auth service",
            "Tills",
        ] {
            assert!(!generic(n), "{n} is their own component");
        }
    }

    #[test]
    fn orchestration_words_mark_a_scheduler() {
        assert!(is_orchestration_name("cron"));
        assert!(is_orchestration_name("Nightly cron"));
        assert!(is_orchestration_name("Backfill DAG"));
        assert!(!is_orchestration_name("Pricing service"));
    }
}
