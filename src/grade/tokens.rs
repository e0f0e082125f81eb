//! Cost before you spend, for `grade --dry-run`: token totals (counted by
//! `crate::tokens` with the model's own encoding) priced from the config.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Price;
pub use crate::tokens::{count_request, count_text, Encoding};

/// The price entry for a model: an exact key, else the longest key the
/// model name starts with (`gpt-4o-mini` matches `gpt-4o-mini-2024-07-18`).
pub fn price_for<'a>(prices: &'a BTreeMap<String, Price>, model: &str) -> Option<(&'a str, Price)> {
    if let Some(p) = prices.get(model) {
        return Some((prices.get_key_value(model)?.0.as_str(), *p));
    }
    prices
        .iter()
        .filter(|(k, _)| model.starts_with(k.as_str()))
        .max_by_key(|(k, _)| k.len())
        .map(|(k, p)| (k.as_str(), *p))
}

/// What `--dry-run` prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CostEstimate {
    pub model: String,
    pub encoding: Option<Encoding>,
    /// Requests that would be sent (one per gradable input).
    pub requests: u64,
    /// Inputs that would be skipped: bad, or already in `--out`.
    pub skipped: u64,
    pub prompt_tokens: u64,
    /// Expected reply tokens (about 60 per criterion).
    pub completion_tokens_expected: u64,
    /// Reply ceiling (`max_tokens` per request).
    pub completion_tokens_max: u64,
    /// The price table entry used, if any.
    pub price_key: Option<String>,
    pub cost_expected_usd: Option<f64>,
    pub cost_max_usd: Option<f64>,
}

impl CostEstimate {
    /// Fill in the costs from a price table entry.
    pub fn price(&mut self, prices: &BTreeMap<String, Price>) {
        if let Some((key, p)) = price_for(prices, &self.model) {
            let input = self.prompt_tokens as f64 * p.input_per_mtok / 1e6;
            self.price_key = Some(key.to_string());
            self.cost_expected_usd =
                Some(input + self.completion_tokens_expected as f64 * p.output_per_mtok / 1e6);
            self.cost_max_usd =
                Some(input + self.completion_tokens_max as f64 * p.output_per_mtok / 1e6);
        }
    }

    /// Human-readable lines.
    pub fn render(&self) -> String {
        let enc = self.encoding.map(Encoding::name).unwrap_or("none");
        let mut s = format!(
            "dry run: {} request(s) to `{}` ({} skipped), tokenizer {enc}\n  prompt tokens:     {}\n  reply tokens:      ~{} expected, {} at most\n",
            self.requests,
            self.model,
            self.skipped,
            self.prompt_tokens,
            self.completion_tokens_expected,
            self.completion_tokens_max
        );
        match (&self.price_key, self.cost_expected_usd, self.cost_max_usd) {
            (Some(k), Some(e), Some(m)) => s.push_str(&format!(
                "  estimated cost:    ${e:.4} expected, ${m:.4} at most (price `{k}` from config)\n"
            )),
            _ => s.push_str(&format!(
                "  estimated cost:    unknown: add [prices.\"{}\"] with input_per_mtok and output_per_mtok to the config\n",
                self.model
            )),
        }
        s.push_str("  nothing was sent to the backend\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_o200k_for_4o_family_and_cl100k_otherwise() {
        for m in ["gpt-4o-mini", "gpt-4.1", "o3-mini", "o1", "openai/gpt-4o"] {
            assert_eq!(Encoding::for_model(m), Encoding::O200kBase, "{m}");
        }
        for m in ["gpt-4", "gpt-3.5-turbo", "llama3.2:3b", "ollama"] {
            assert_eq!(Encoding::for_model(m), Encoding::Cl100kBase, "{m}");
        }
    }

    #[test]
    fn longest_price_prefix_wins() {
        let mut prices = BTreeMap::new();
        let p = |i| Price {
            input_per_mtok: i,
            output_per_mtok: i,
        };
        prices.insert("gpt-4o".to_string(), p(2.5));
        prices.insert("gpt-4o-mini".to_string(), p(0.15));
        assert_eq!(
            price_for(&prices, "gpt-4o-mini-2024-07-18").map(|x| x.0),
            Some("gpt-4o-mini")
        );
        assert_eq!(price_for(&prices, "gpt-4o").map(|x| x.0), Some("gpt-4o"));
        assert!(price_for(&prices, "llama3").is_none());
    }
}
