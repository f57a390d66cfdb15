//! Numbers as a questionnaire (or config) file may write them: ordinary,
//! finite numbers that the app's arithmetic handles exactly.
//!
//! Refused at their file:line:column when read: `nan`, `inf` and `-inf`
//! (TOML allows them), numbers beyond [`LIMIT`] either way, and numbers
//! with more than 6 decimal places. Scores add values scaled by 10^6 as
//! whole numbers; with these rules every sum of a score (see the score
//! check in `load.rs`) stays below 2^53 and is exact.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// The largest magnitude of any number in a file, and of any score.
pub const LIMIT: f64 = 1e9;

/// Why `x` may not be used, if it may not.
pub fn problem(x: f64) -> Option<String> {
    if x.is_nan() {
        return Some("`nan` is not a number a questionnaire can use: write an ordinary number such as 3 or 2.5".into());
    }
    if x.is_infinite() {
        return Some(
            "an infinite number cannot be used: write an ordinary number such as 3 or 2.5".into(),
        );
    }
    if x.abs() > LIMIT {
        return Some(format!(
            "{x} is too large: numbers may be at most 1000000000 (one billion) either way, so that scores are computed exactly"
        ));
    }
    let scaled = x * 1e6;
    if (scaled - scaled.round()).abs() > 1e-3 {
        return Some(format!(
            "{x} has more than 6 decimal places: round it to at most 6"
        ));
    }
    None
}

/// A number written in a file, checked by [`problem`] as it is read.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Num(pub f64);

struct NumVisitor;

impl Visitor<'_> for NumVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        checked(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        checked(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        checked(v)
    }
}

fn checked<E: de::Error>(x: f64) -> Result<f64, E> {
    match problem(x) {
        Some(p) => Err(E::custom(p)),
        None => Ok(x),
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        d.deserialize_any(NumVisitor).map(Num)
    }
}

/// For `Scalar`: a checked number, or text.
pub(crate) fn number_or_text<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Result<f64, String>, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = Result<f64, String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a number or a short text")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            checked(v as f64).map(Ok)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            checked(v as f64).map(Ok)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            checked(v).map(Ok)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Err(v.to_string()))
        }
    }
    d.deserialize_any(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ordinary_numbers_pass() {
        assert!(problem(3.0).is_none() && problem(-2.5).is_none() && problem(1e9).is_none());
        assert!(problem(0.000001).is_none() && problem(0.1).is_none());
        assert!(problem(f64::NAN).unwrap().contains("nan"));
        assert!(problem(f64::INFINITY).unwrap().contains("infinite"));
        assert!(problem(1e18).unwrap().contains("too large"));
        assert!(problem(0.0000001).unwrap().contains("6 decimal"));
    }
}
