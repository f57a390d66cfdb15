//! PIN checks at the kiosk: argon2id verification (argon2 0.6 defaults,
//! m = 19 MiB, t = 2, p = 1) of a right PIN, a wrong PIN, and an unknown
//! code (the dummy hash), which must cost the same. See BENCHMARKS.md.

use joy_kiosk::kiosk::{hash_pin, prepare_dummy, verify_or_dummy, verify_pin};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn verify_pin_right(bencher: divan::Bencher) {
    let hash = hash_pin("2468").unwrap();
    bencher.bench(|| verify_pin(divan::black_box(&hash), divan::black_box("2468")));
}

#[divan::bench(sample_count = 20)]
fn verify_pin_wrong(bencher: divan::Bencher) {
    let hash = hash_pin("2468").unwrap();
    bencher.bench(|| verify_pin(divan::black_box(&hash), divan::black_box("1357")));
}

#[divan::bench(sample_count = 20)]
fn verify_unknown_code(bencher: divan::Bencher) {
    prepare_dummy();
    bencher.bench(|| verify_or_dummy(divan::black_box(None), divan::black_box("1357")));
}

#[divan::bench(sample_count = 10)]
fn hash_new_pin(bencher: divan::Bencher) {
    bencher.bench(|| hash_pin(divan::black_box("2468")).unwrap());
}
