//! Validation time of a generated worst-case questionnaire file (0.7 MB,
//! under the 1 MiB limit): a 0-10000 number question scored through a
//! 45,001-entry `remap`. Target: under 1 s. See BENCHMARKS.md.

#[allow(dead_code)]
#[path = "../tests/fixtures/questionnaires/worst_case.rs"]
mod worst_case;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn validate_worst_case_remap(bencher: divan::Bencher) {
    let text = worst_case::remap_file(45_001);
    assert!(text.len() < 1024 * 1024);
    bencher.bench(|| {
        joy_kiosk::questionnaire::load_str("worst.toml", divan::black_box(&text))
            .map(|q| q.scores.len())
            .unwrap_or(0)
    });
}
