//! A box's name as the diagram reader compares it: when two names drawn in
//! one answer are the same box. People shorten a box after drawing it once
//! ("Deletion orchestrator (Airflow)", then "Orchestrator -> Iceberg");
//! those are one box, while "Kafka (orders)" and "Kafka (payments)" are two.

/// A box name, worked out once.
pub(super) struct Name {
    /// Lowercased.
    pub key: String,
    /// Without a vendor prefix.
    pub bare: String,
    /// `bare` without a trailing parenthesised alias.
    base: String,
    /// The parenthesised alias `bare` ends in ("airflow").
    alias: Option<String>,
    /// Several things in one box ("SFTP / APIs / Postgres",
    /// "finops.job_cost vs finops.billing"), none of them the box.
    several: bool,
}

/// Words a product name is followed by when the box is that product, not
/// another one built on it: "Kafka deletion-requests topic" is Kafka,
/// "Kafka DLQ" and "Postgres replica" are boxes of their own.
/// A database or a table with a qualifier ("Postgres feature DB") is
/// another instance, not the product's box.
const CONTAINERS: [&str; 11] = [
    "topic", "topics", "cluster", "bucket", "buckets", "job", "jobs", "stream", "streams", "dag",
    "dags",
];

impl Name {
    /// `key` is lowercased.
    pub(super) fn new(key: String) -> Name {
        fn vendorless(n: &str) -> &str {
            [
                "aws ",
                "amazon ",
                "apache ",
                "google ",
                "gcp ",
                "azure ",
                "confluent ",
            ]
            .iter()
            .find_map(|p| n.strip_prefix(p))
            .unwrap_or(n)
            .trim()
        }
        fn split(n: &str) -> (&str, Option<&str>) {
            match n
                .strip_suffix(')')
                .and_then(|r| r.rfind('(').map(|i| (&r[..i], &r[i + 1..])))
            {
                Some((base, alias)) if !base.trim().is_empty() => (base.trim(), Some(alias.trim())),
                _ => (n, None),
            }
        }
        let bare = vendorless(&key);
        let (base, alias) = split(bare);
        let several = ["/", "+", ",", "&", " and ", " or ", " vs "]
            .iter()
            .any(|s| base.contains(s));
        Name {
            bare: bare.to_string(),
            base: base.to_string(),
            alias: alias.map(str::to_string),
            several,
            key,
        }
    }

    /// Two names of one box: "Kafka (MSK)" and "Kafka", "AWS IoT Core" and
    /// "IoT Core". A vendor prefix is dropped, and an alias in parentheses
    /// matches the bare name (never another alias: "Kafka (orders)" and
    /// "Kafka (payments)" stay two boxes).
    pub(super) fn same_box(&self, other: &Name) -> bool {
        self.bare == other.bare
            || (self.base == other.base
                && !(self.alias.is_some() && other.alias.is_some())
                && !self.base.is_empty())
    }

    /// True when `self` (naming `product`, if any) is a shorter name of the
    /// box `long` (naming `long_product`): its head noun ("Orchestrator" of
    /// "Deletion orchestrator (Airflow)", "Lake" of "Iceberg lake"), its
    /// alias ("Redis" of "Feature store (Redis)"), or its product when the
    /// rest only says what kind of thing it is ("Kafka" of "Kafka
    /// deletion-requests topic"). A short name with a product of its own
    /// shortens only a box of that product.
    pub(super) fn shortens(
        &self,
        product: Option<&str>,
        long: &Name,
        long_product: Option<&str>,
    ) -> bool {
        let short = self.base.as_str();
        if self.alias.is_some() || long.several || short.len() < 3 || short.len() >= long.base.len()
        {
            return false;
        }
        let head_noun = long
            .base
            .strip_suffix(short)
            .is_some_and(|rest| rest.ends_with(' '));
        let alias = long.alias.as_deref() == Some(short);
        let product_of_kind = || {
            long_product.is_some_and(|p| p.eq_ignore_ascii_case(short))
                && long
                    .base
                    .strip_prefix(short)
                    .is_some_and(|rest| rest.starts_with(' '))
                && long
                    .base
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| CONTAINERS.contains(&w))
        };
        if !(head_noun || alias || product_of_kind()) {
            return false;
        }
        match (product, long_product) {
            (None, _) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (Some(_), None) => false,
        }
    }
}

impl Name {
    /// True when `self` is the leading words of `long` and the rest does
    /// not name another instance: "Kafka" of "Kafka cdc.<db>.<table>",
    /// "Iceberg" of "Iceberg on S3", "Debezium" of "Debezium on Kafka
    /// Connect". Only read where a chain is continued on the next line
    /// from the box the last one ended in.
    pub(super) fn begins(&self, long: &Name) -> bool {
        let short = self.bare.as_str();
        if short.len() < 2 || long.several || self.several {
            return false;
        }
        let Some(rest) = long
            .bare
            .strip_prefix(short)
            .and_then(|r| r.strip_prefix(' '))
        else {
            return false;
        };
        !rest
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| OTHER_INSTANCE.contains(&w))
    }
}

/// Words that make a box built on a product another box of that product:
/// "Kafka DLQ" is not the Kafka the next line continues from.
const OTHER_INSTANCE: [&str; 8] = [
    "dlq",
    "dead-letter",
    "replica",
    "replicas",
    "standby",
    "backup",
    "archive",
    "mirror",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn shortens(short: &str, sp: Option<&str>, long: &str, lp: Option<&str>) -> bool {
        Name::new(short.to_lowercase()).shortens(sp, &Name::new(long.to_lowercase()), lp)
    }

    #[test]
    fn a_head_noun_an_alias_or_a_product_with_a_kind_word_shortens_a_box() {
        let airflow = Some("Airflow");
        assert!(shortens(
            "Orchestrator",
            None,
            "Deletion orchestrator (Airflow)",
            airflow
        ));
        assert!(shortens(
            "Airflow",
            airflow,
            "Deletion orchestrator (Airflow)",
            airflow
        ));
        assert!(shortens("Lake", None, "Iceberg lake", Some("Iceberg")));
        let kafka = Some("Kafka");
        assert!(shortens(
            "Kafka",
            kafka,
            "Kafka deletion-requests topic",
            kafka
        ));
        assert!(shortens(
            "Redis",
            Some("Redis"),
            "Feature store (Redis)",
            Some("Redis")
        ));
        assert!(shortens("Airflow", airflow, "Airflow DAGs", airflow));
    }

    #[test]
    fn another_box_built_on_the_product_is_not_shortened() {
        let kafka = Some("Kafka");
        assert!(!shortens("Kafka", kafka, "Kafka DLQ", kafka));
        let pg = Some("Postgres");
        assert!(!shortens("Postgres", pg, "Postgres replica", pg));
        assert!(!shortens("Postgres", pg, "Postgres feature DB", pg));
        // A product of its own is not the head noun of another product's box.
        assert!(!shortens(
            "Store",
            Some("Redis"),
            "Feature store",
            Some("DynamoDB")
        ));
        assert!(
            !shortens("Line", None, "Data pipeline", None),
            "a whole word only"
        );
        assert!(
            !shortens("Postgres", pg, "SFTP / APIs / Postgres", pg),
            "a list"
        );
        assert!(!shortens(
            "finops.billing",
            None,
            "finops.job_cost vs finops.billing",
            None
        ));
        assert!(!shortens(
            "Kafka (orders)",
            kafka,
            "Kafka (payments)",
            kafka
        ));
    }
}
