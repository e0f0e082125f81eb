//! What kind of hop an arrow is: data, a control signal (an
//! orchestrator's trigger, a check's verdict, an alert, a metadata commit),
//! a query reading data at rest, or a transform inside one warehouse. The
//! interviewer asks a format and volume only of data hops.

use crate::design::{Component, Design, HopKind};
use crate::rubric::ComponentKind;

/// Products that hold metadata only (the catalogue's names): an arrow
/// into one carries no volume.
const METADATA_STORES: &[&str] = &["MLflow", "DataHub", "Hive Metastore"];

/// The catalogue's data-quality checks (Great Expectations, Deequ, Soda…).
const QUALITY_CHECKS: &str = "Great Expectations";

/// What only metadata is called on an arrow: a manifest, lineage, a
/// snapshot id, a registration, a pointer.
const METADATA: &[&str] = &[
    "manifest",
    "manifests",
    "metadata",
    "lineage",
    "registration",
    "registers",
    "register",
    "pointer",
    "pointers",
    "snapshot id",
    "snapshot ids",
    "run id",
    "run ids",
    "model version",
    "model versions",
    // A check's verdict and what it moves: no record passes.
    "pass/fail",
    "pass or fail",
    "go/no-go",
    "fast-forward",
    "fast-forwards",
];

/// What names the data itself on an arrow: any of these and the hop
/// carries data, whatever metadata rides along ("Parquet + manifest").
const DATA: &[&str] = &[
    "rows", "row", "records", "events", "files", "parquet", "avro", "json", "csv", "orc",
    "protobuf", "batches", "features", "messages", "data",
];

/// What a read path is called on an arrow: queries and who runs them.
const QUERIES: &[&str] = &[
    "query",
    "queries",
    "sql",
    "ad-hoc",
    "ad hoc",
    "dashboard",
    "dashboards",
    "report",
    "reports",
    "analysts",
    "analyst",
    "bi",
];

/// Query engines and BI tools (the catalogue's names): an arrow from a
/// store into one is the store being queried.
const QUERY_TOOLS: &[&str] = &["Trino", "Looker"];

/// Dashboard tools, by the box's name (the catalogue files Grafana under
/// monitoring): what they show they query where it rests.
const DASHBOARD_TOOLS: &[&str] = &["grafana", "kibana"];

/// A store data rests in, which a query reads in place.
pub(super) fn at_rest(c: &Component) -> bool {
    matches!(
        c.kind,
        ComponentKind::ObjectStore
            | ComponentKind::Warehouse
            | ComponentKind::ServingStore
            | ComponentKind::OltpDatabase
    )
}

/// True when a label names only queries: "analysts' SQL" is, "SQL scans,
/// ~1 TB/day" has a rate (read before this), "rows for the dashboard" is data.
pub(super) fn queries_only(label: &str) -> bool {
    names_only(label, QUERIES)
}

/// True when `label` holds one of `what` and names no data.
fn names_only(label: &str, what: &[&str]) -> bool {
    let l = label.to_ascii_lowercase();
    let words = |list: &[&str]| list.iter().any(|w| crate::read::text::holds_words(&l, w));
    words(what) && !words(DATA)
}

/// True when `label` names the data itself ([`DATA`]).
pub(super) fn names_data(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    DATA.iter().any(|w| crate::read::text::holds_words(&l, w))
}

/// True when a label says the arrow carries metadata and nothing else:
/// "manifest with snapshot ids, git sha, seed" is, "Parquet + manifest"
/// is data.
pub(super) fn metadata_only(label: &str) -> bool {
    names_only(label, METADATA)
}

/// True for a data-quality check: a check product (Great Expectations,
/// Deequ, Soda…), or a box named for running data-quality checks ("Check
/// runner", "DQ checks") whatever it runs on. A "Fraud check" or a
/// "Validation service" in a stream handles every record: not this.
fn checker(c: &Component) -> bool {
    const CHECKS: &[&str] = &[
        "check runner",
        "checks runner",
        "quality check",
        "data quality",
        "dq",
    ];
    let name = c.name.to_ascii_lowercase();
    c.product.as_deref() == Some(QUALITY_CHECKS)
        || CHECKS
            .iter()
            .any(|k| crate::read::text::holds_words(&name, k))
}

/// True when a check's arrow carries its verdict, not rows: "swap v1 to
/// v2 once checks pass" is, "check results, ~15K rows/day" is data.
pub(super) fn verdict_only(from: &Component, label: &str) -> bool {
    checker(from) && !names_data(label)
}

/// What an arrow carrying only a signal to people is called: an alert, a
/// page, a notification.
const ALERTS: &[&str] = &[
    "alert",
    "alerts",
    "page",
    "pages",
    "paging",
    "notification",
    "notifications",
    "notifies",
];

/// True when an arrow pages people and carries nothing else: "alerts to
/// the table owner within 10 min" into a monitoring box is, and so is any
/// label into a pager (PagerDuty, Opsgenie); "alerts" into SNS or Kafka,
/// where the alerts are the pipeline's output, are data.
pub(super) fn alert_only(to: &Component, label: &str) -> bool {
    // A pager takes nothing but pages, whatever the label calls them
    // ("failures per owner from a catalog").
    to.kind == ComponentKind::Monitoring && (names_only(label, ALERTS) || pager(to))
}

/// True when a box is a pager or a chat channel people are paged in
/// (PagerDuty, Opsgenie, Slack): what reaches it is a page.
fn pager(c: &Component) -> bool {
    const PAGERS: &[&str] = &["pagerduty", "opsgenie", "victorops", "slack"];
    let name = c.name.to_ascii_lowercase();
    PAGERS
        .iter()
        .any(|p| crate::read::text::holds_words(&name, p))
}

/// What a new hop between two components stands for: an orchestrator's
/// arrow is control, and so is a schema registry's (clients fetch schemas
/// from it; no record passes through it), and what reaches a pager is a
/// page; what a data-quality check reads it reads in place; a transform
/// inside the warehouse (dbt or SQL between tables of one warehouse) moves
/// nothing out of it; a store read by a query engine, a BI tool or a
/// dashboard tool is queried in place; the rest is data.
pub(super) fn hop_kind(d: &Design, from: usize, to: usize) -> HopKind {
    let (Some(a), Some(b)) = (d.components.get(from), d.components.get(to)) else {
        return HopKind::Data;
    };
    let control = |k: ComponentKind| {
        matches!(
            k,
            ComponentKind::Orchestrator | ComponentKind::SchemaRegistry
        )
    };
    // A model registry or a data catalogue holds metadata, not data.
    let catalogue = |c: &Component| {
        c.product
            .as_deref()
            .is_some_and(|p| METADATA_STORES.contains(&p))
    };
    if control(a.kind) || control(b.kind) || catalogue(a) || catalogue(b) || pager(b) {
        return HopKind::Control;
    }
    // What a data-quality check reads it checks in place.
    if checker(b) {
        return HopKind::Query;
    }
    let transform = |c: &Component| {
        c.product
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("dbt"))
            || c.name
                .split(|ch: char| !ch.is_ascii_alphanumeric())
                .any(|w| w.eq_ignore_ascii_case("dbt") || w.eq_ignore_ascii_case("sql"))
    };
    // A store read by a query engine, a BI tool or a dashboard tool
    // (Grafana, Kibana) is queried in place.
    let queries = |c: &Component| {
        c.product
            .as_deref()
            .is_some_and(|p| QUERY_TOOLS.contains(&p))
            || DASHBOARD_TOOLS
                .iter()
                .any(|t| crate::read::text::holds_words(&c.name.to_ascii_lowercase(), t))
    };
    // A box named for who reads ("Finance dashboards", "BI reports",
    // "analysts") and no product: the store is read where it rests.
    let readers = |c: &Component| c.product.is_none() && queries_only(&c.name);
    if at_rest(a) && (queries(b) || readers(b)) {
        return HopKind::Query;
    }
    let warehouse = |c: &Component| c.kind == ComponentKind::Warehouse;
    let same_warehouse =
        warehouse(a) && warehouse(b) && a.product.is_some() && a.product == b.product;
    if (warehouse(a) && transform(b)) || (warehouse(b) && transform(a)) || same_warehouse {
        return HopKind::InWarehouse;
    }
    HopKind::Data
}
