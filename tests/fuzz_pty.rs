//! A fuzz campaign of the real kiosk in a pane: random keys, broken escape
//! sequences, unfinished pastes, mouse clicks, raw bytes and resizes. The
//! kiosk must never exit (the pane would show `JOY-EXITED`, then a shell),
//! and once the input stops it must still wipe itself back to the welcome
//! screen.
//!
//! CI runs a short campaign. A long one, or a seed again:
//! `JOY_PTY_FUZZ_SECS=600 cargo test --release --test fuzz_pty -- --nocapture`
//! and `JOY_PTY_FUZZ_SEED=<seed printed by a failure>`.

#[path = "support/tmux.rs"]
mod tmux;

use joy_kiosk::demo::Rng;
use std::time::{Duration, Instant};
use tmux::{alive, seed_from_env, start_kiosk};

/// A number below `n` from the library's seeded generator.
fn below(rng: &mut Rng, n: u64) -> u64 {
    rng.next_u64() % n.max(1)
}

const FRAGMENTS: &[&[u8]] = &[
    b"\x1b",
    b"\x1b[",
    b"\x1b[200~",
    b"\x1b[201~",
    b"\x1bO",
    b"\x1b[<0;",
    b"\x1b[M",
    b"\x1b[1;",
    b"\xe2\x9c",
    b"\x1b[?1;2c",
    b"\x1b[12;40R",
    b"\x1b[1;3A",
    b"\x1b\x1b\x1b",
    b"\x0b\x0b\x0b",
    b"\x03\x1a\x1c\x04",
];

const KEYS: &[&str] = &[
    "Enter", "Tab", "Escape", "Up", "Down", "Left", "Right", "Space", "BSpace", "1", "2", "3", "4",
    "5", "6", "7", "8", "y", "n", "s", "?", "M-[", "M-x", "C-k", "F1", "F10",
];

fn one_step(t: &tmux::Tmux, rng: &mut Rng) {
    match below(rng, 100) {
        0..=29 => {
            let n = 1 + below(rng, 24) as usize;
            let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            t.bytes(&bytes);
        }
        30..=49 => t.bytes(FRAGMENTS[below(rng, FRAGMENTS.len() as u64) as usize]),
        50..=67 => {
            let (x, y) = (1 + below(rng, 100), 1 + below(rng, 40));
            let button = [0, 0, 0, 2, 64, 65][below(rng, 6) as usize];
            t.bytes(format!("\x1b[<{button};{x};{y}M\x1b[<{button};{x};{y}m").as_bytes());
        }
        68..=89 => t
            .cmd(&[
                "send-keys",
                "-t",
                "joy",
                KEYS[below(rng, KEYS.len() as u64) as usize],
            ])
            .truncate(0),
        90..=95 => {
            let (w, h) = (1 + below(rng, 200), 1 + below(rng, 60));
            t.resize(w as u16, h as u16);
        }
        _ => {
            let n = below(rng, 300) as usize;
            let text: String = (0..n)
                .map(|_| char::from_u32(32 + below(rng, 0x2fff) as u32).unwrap_or('x'))
                .collect();
            t.paste(&text);
        }
    }
}

#[test]
fn random_input_never_ends_the_kiosk_and_the_wipe_still_comes() {
    let secs: u64 = std::env::var("JOY_PTY_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let seed = seed_from_env("JOY_PTY_FUZZ_SEED");
    println!("fuzz_pty: {secs} s");
    let (_dir, _db, t) = start_kiosk(
        "fuzz",
        "inactivity_secs = 3\nresult_secs = 5\nmin_submit_interval_secs = 0",
        80,
        24,
    );
    let pid = t.joy_pid();
    let mut rng = Rng::new(seed);
    let start = Instant::now();
    let mut steps = 0u64;
    let mut last_check = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        one_step(&t, &mut rng);
        steps += 1;
        std::thread::sleep(Duration::from_millis(below(&mut rng, 60)));
        if last_check.elapsed() > Duration::from_millis(500) {
            last_check = Instant::now();
            assert!(
                alive(pid),
                "seed {seed}: the kiosk ended after {steps} steps"
            );
            let s = t.screen();
            assert!(
                !s.contains("JOY-EXITED"),
                "seed {seed}: left to the shell:\n{s}"
            );
        }
    }
    // Hands off: it must come back to the welcome screen by itself.
    t.resize(80, 24);
    let quiet = Instant::now();
    loop {
        let s = t.screen();
        if s.contains("How are you doing today?") && !s.contains("Still there?") {
            break;
        }
        assert!(
            quiet.elapsed() < Duration::from_secs(30),
            "seed {seed}: no wipe 30 s after the input stopped:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "measured: {steps} random steps in {secs} s; welcome screen again {} ms after the input stopped",
        quiet.elapsed().as_millis()
    );
    assert!(alive(pid), "seed {seed}: the kiosk ended");
    assert_eq!(t.joy_pid(), pid, "seed {seed}: the same process all along");
}
