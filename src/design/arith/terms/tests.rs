use super::*;

#[test]
fn a_noun_made_singular_is_said_back_in_its_plural() {
    for w in [
        "series", "queries", "points", "classes", "keys", "events", "boxes",
    ] {
        assert_eq!(plural(&singular(w)), w);
    }
}

fn one(s: &str) -> Term {
    terms(s)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no term in {s}"))
}

#[test]
fn rates_sizes_counts_and_durations_get_their_dimensions() {
    let t = one("4M updates a day");
    assert_eq!((t.dim, t.period), (Dim::RATE, Some(86_400.0)));
    assert!((t.lo - 4e6 / 86_400.0).abs() < 1e-6);
    assert_eq!(t.noun.as_deref(), Some("update"));
    let t = one("about 4,000 a second");
    assert_eq!((t.lo, t.dim), (4000.0, Dim::RATE));
    assert_eq!(one("200 MB/s").dim, Dim::BYTE_RATE);
    let t = one("350 GB a day");
    assert_eq!((t.dim, t.period), (Dim::BYTE_RATE, Some(86_400.0)));
    let t = one("1 byte per sample compressed");
    assert_eq!((t.lo, t.dim), (1.0, Dim::BYTES));
    assert_eq!(t.each.as_deref(), Some("sample"));
    assert_eq!(one("1 KB of index each").each.as_deref(), Some(""));
    let t = one("720K ids");
    assert_eq!(
        (t.lo, t.dim, t.noun.as_deref()),
        (720e3, Dim::COUNT, Some("id"))
    );
    assert_eq!(
        (one("13 months").lo, one("13 months").dim),
        (33_696_000.0, Dim::SECS)
    );
    let t = one("an hour at 200K/s");
    assert_eq!((t.lo, t.dim), (3600.0, Dim::SECS));
    let t = one("a few hundred MB");
    assert_eq!((t.lo, t.hi, t.dim), (200e6, 900e6, Dim::BYTES));
    let t = one("every 15 s");
    assert_eq!(t.dim, Dim::RATE);
    assert!((t.lo - 1.0 / 15.0).abs() < 1e-9);
    assert_eq!(one("2K session writes/s").noun.as_deref(), Some("write"));
    assert_eq!(one("~500 QPS").lo, 500.0);
    assert_eq!(one("15%").lo, 0.15);
}

#[test]
fn money_in_words_is_not_a_figure() {
    let t = terms("Glacier IR at about 0.4 cents per GB a month, around 60 dollars a month.");
    assert!(t.is_empty(), "{t:?}");
    let t = terms("15 TB at 0.4 cents per GB a month is 60 dollars a month, 2K events/s");
    assert_eq!(t.len(), 2, "{t:?}");
}

#[test]
fn money_product_names_and_ordinals_are_not_figures() {
    assert!(terms("maybe $200 a month on EBS").is_empty());
    assert!(terms("S3 and p99 and EC2").is_empty());
    assert!(terms("add a second time axis").is_empty());
}
