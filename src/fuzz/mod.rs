//! Property fuzzing of the parsers we own, on stable Rust: `arbtest` feeds each target random
//! structured input (hostile pieces mixed with random characters), and the target checks what
//! API-v1.md and the code promise of the result, not only that nothing panics.
//!
//! Every `cargo test` runs each target on the same hundred seeds, so a regression is caught
//! cheaply and never by chance; `bench/fuzz.sh` explores at random for `WRITEATHON_FUZZ_SECONDS`. A failure prints its seed, and
//! `ARBTEST_SEED=0x… cargo test --lib fuzz::TARGET` replays it.

mod csv_export;
mod event_input;
mod markdown;
mod report_body;
mod tally_request;

use std::time::{Duration, Instant};

use arbtest::arbitrary::{Result, Unstructured};

/// A target's share of a plain `cargo test`: this many cases, the same ones every run, so that
/// a failure there is a regression and never the luck of a draw (random exploration is
/// `bench/fuzz.sh`'s job).
const QUICK_CASES: u64 = 100;

/// Runs `property` on random input for `WRITEATHON_FUZZ_SECONDS` (or replays `ARBTEST_SEED`),
/// else on [`QUICK_CASES`] fixed seeds; then prints how many cases it ran.
pub fn run(
    target: &str,
    max_input: u32,
    mut property: impl FnMut(&mut Unstructured<'_>) -> Result<()>,
) {
    let budget = std::env::var("WRITEATHON_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .map(Duration::from_secs_f64);
    let started = Instant::now();
    let mut cases = 0u64;
    if budget.is_none() && std::env::var_os("ARBTEST_SEED").is_none() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(0x5752_4954_4541_5448);
        for _ in 0..QUICK_CASES {
            let mut bytes = vec![0u8; rng.gen_range(0..=max_input as usize)];
            rng.fill(&mut bytes[..]);
            // Input that runs out early is simply a short case, as under arbtest.
            let _ = property(&mut Unstructured::new(&bytes));
            cases += 1;
        }
    } else {
        arbtest::arbtest(|u| {
            property(u)?;
            cases += 1;
            Ok(())
        })
        .size_max(max_input)
        .budget(budget.unwrap_or(Duration::from_secs(1)))
        .run();
    }
    // Read by bench/fuzz.sh.
    eprintln!(
        "fuzz {target}: {cases} cases in {:.1} s, 0 failures",
        started.elapsed().as_secs_f64()
    );
}

/// Characters that trip up parsers: controls, odd spaces, a byte-order mark, non-ASCII.
const ODD: [char; 14] = [
    ' ',
    '\t',
    '\n',
    '\r',
    '\0',
    '\u{7f}',
    '\u{a0}',
    '\u{feff}',
    '\u{200b}',
    '\u{2028}',
    '\u{3000}',
    'é',
    '\u{ff1d}',
    '\u{1f600}',
];

/// A string of up to `max_parts` parts, each one of `pieces`, an odd character, a random
/// printable ASCII character or any character at all.
pub fn text(u: &mut Unstructured<'_>, pieces: &[&str], max_parts: usize) -> Result<String> {
    let parts = u.int_in_range(0..=max_parts)?;
    let mut s = String::new();
    for _ in 0..parts {
        match u.int_in_range(0..=9)? {
            0..=5 if !pieces.is_empty() => s.push_str(u.choose(pieces)?),
            6 => s.push(*u.choose(&ODD)?),
            7 => s.push(u.arbitrary::<char>()?),
            _ => s.push(char::from(u.int_in_range(0x20u8..=0x7e)?)),
        }
    }
    Ok(s)
}

/// One of `valid` most of the time, else something near it or random.
pub fn mostly(u: &mut Unstructured<'_>, valid: &[&str], pieces: &[&str]) -> Result<String> {
    Ok(match u.int_in_range(0..=9)? {
        0..=5 => u.choose(valid)?.to_string(),
        6 => format!(" {} ", u.choose(valid)?),
        7 => u.choose(valid)?.to_uppercase(),
        _ => text(u, pieces, 6)?,
    })
}
