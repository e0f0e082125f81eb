//! ASCII diagram parser: any text gives a graph whose edges point at real
//! nodes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let d = mockround::design::diagram::parse(text);
    for e in &d.edges {
        assert!(
            e.from < d.nodes.len() && e.to < d.nodes.len(),
            "dangling edge"
        );
    }
    let _ = d.unannotated_edges();
    let _ = d.vague_nodes();
});
