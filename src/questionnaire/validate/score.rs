//! The rules of a score: its questions can be scored, `reverse`, `remap`
//! and `lookup` cover what the questions can give, the reach stays within
//! a billion, and the bands cover every possible score exactly once.

use super::{join_numbers, near, value_count, Validator, MAX_SCORED_VALUES};
use crate::questionnaire::file::*;
use crate::questionnaire::model::*;
use crate::questionnaire::{number, range};
use std::collections::{HashMap, HashSet};
use toml::Spanned;

impl Validator<'_> {
    pub(super) fn score(
        &mut self,
        rs: &RawScore,
        questions: &[Question],
        index: &HashMap<String, usize>,
        has_file_signposting: bool,
    ) -> Score {
        let errors_before = self.errors.len();
        self.check_id(&rs.id, "score");
        let whose = format!("score \"{}\"", rs.id.get_ref());
        let mut items: Vec<&Question> = Vec::new();
        let mut item_ids: HashSet<&str> = HashSet::new();
        if rs.questions.get_ref().is_empty() {
            self.err(rs.questions.span(), format!("{whose} lists no questions"));
        }
        for qid in rs.questions.get_ref() {
            match index.get(qid.get_ref()).map(|i| &questions[*i]) {
                None => self.err(
                    qid.span(),
                    format!(
                        "{whose} refers to question \"{}\", which is not in this file",
                        qid.get_ref()
                    ),
                ),
                Some(q) => {
                    let scorable = match &q.kind {
                        QuestionKind::Number { .. } => true,
                        QuestionKind::Scale { .. } | QuestionKind::Choice { .. } => q
                            .kind
                            .options()
                            .iter()
                            .all(|o| o.value.as_number().is_some()),
                        _ => false,
                    };
                    if !scorable {
                        self.err(
                            qid.span(),
                            format!(
                                "{whose}: question \"{}\" cannot be scored (it is {} without numeric values); \
                                 only scale, number, and choice questions with numeric values can be",
                                q.id,
                                q.kind.type_name()
                            ),
                        );
                    } else if !item_ids.insert(q.id.as_str()) {
                        self.err(
                            qid.span(),
                            format!("{whose} lists question \"{}\" twice", q.id),
                        );
                    } else {
                        items.push(q);
                    }
                }
            }
        }
        let listed: HashSet<&String> = rs.questions.get_ref().iter().map(|s| s.get_ref()).collect();
        for r in &rs.reverse {
            if !listed.contains(&r.get_ref()) {
                self.err(
                    r.span(),
                    format!(
                        "{whose} reverses question \"{}\", which this score does not include: add it to `questions` or remove it from `reverse`",
                        r.get_ref()
                    ),
                );
            }
        }
        let mut remap: Vec<(f64, f64)> = rs
            .remap
            .as_ref()
            .map(|r| r.get_ref().iter().map(|m| (m.from.0, m.to.0)).collect())
            .unwrap_or_default();
        // Sorted by `from`, so `remapped` is a binary search and every check
        // here is linear or n log n: a 45,000-entry remap used to take half
        // a minute (each value searched the whole list, twice).
        remap.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(r) = rs.remap.as_ref() {
            if let Some(w) = remap.windows(2).find(|w| (w[1].0 - w[0].0).abs() < 1e-9) {
                self.err(
                    r.span(),
                    format!(
                        "{whose}: `remap` lists the value {} twice; keep one entry for each value",
                        fmt_exact(w[0].0)
                    ),
                );
            }
        }
        if let Some(r) = rs.remap.as_ref().filter(|r| !r.get_ref().is_empty()) {
            let mut missing: Vec<f64> = Vec::new();
            let mut seen_missing: HashSet<i64> = HashSet::new();
            for q in &items {
                for v in range::raw_values(q) {
                    let i = remap.partition_point(|(f, _)| *f < v - 1e-9);
                    let found = remap.get(i).is_some_and(|(f, _)| (f - v).abs() < 1e-9);
                    if !found && seen_missing.insert((v * 1e6).round() as i64) {
                        missing.push(v);
                    }
                }
            }
            if !missing.is_empty() {
                self.err(
                    r.span(),
                    format!("{whose}: `remap` has no entry for the value(s) {}; add {{ from = ..., to = ... }} for each", join_numbers(&missing)),
                );
            }
        }
        let lookup_rows: &[Spanned<RawLookup>] = rs
            .lookup
            .as_ref()
            .map(|l| l.get_ref().as_slice())
            .unwrap_or(&[]);
        let mut lookup: Vec<(f64, f64)> = lookup_rows
            .iter()
            .map(|m| (m.get_ref().raw.0, m.get_ref().score.0))
            .collect();
        lookup.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Rows whose raw score an earlier row already has: sort the row
        // numbers by raw score (stable, so file order within equal scores).
        let mut order: Vec<usize> = (0..lookup_rows.len()).collect();
        order.sort_by(|a, b| {
            lookup_rows[*a]
                .get_ref()
                .raw
                .0
                .total_cmp(&lookup_rows[*b].get_ref().raw.0)
        });
        let mut repeated: Vec<usize> = order
            .windows(2)
            .filter(|w| {
                (lookup_rows[w[1]].get_ref().raw.0 - lookup_rows[w[0]].get_ref().raw.0).abs() < 1e-6
            })
            .map(|w| w[1])
            .collect();
        repeated.sort_unstable();
        for i in repeated {
            let row = &lookup_rows[i];
            let raw = row.get_ref().raw.0;
            {
                self.err(
                    row.span(),
                    format!(
                        "{whose}: the lookup table lists raw score {} twice; keep one row for each raw score",
                        fmt_exact(raw)
                    ),
                );
            }
        }
        let (multiply, add) = rs
            .transform
            .as_ref()
            .map(|t| (t.multiply.0, t.add.0))
            .unwrap_or((1.0, 0.0));
        if multiply == 0.0 || !multiply.is_finite() || !add.is_finite() {
            self.err(
                rs.id.span(),
                format!("{whose}: `transform.multiply` must be a number other than 0"),
            );
        }
        if let Some(mc) = &rs.meaningful_change {
            if mc.get_ref().0 <= 0.0 {
                self.err(
                    mc.span(),
                    format!("{whose}: `meaningful_change` must be more than 0"),
                );
            }
        }

        let mut bands = Vec::new();
        for rb in &rs.bands {
            let b = rb.get_ref();
            let tone = Tone::parse(b.tone.get_ref());
            if tone.is_none() {
                self.err(
                    b.tone.span(),
                    format!(
                        "band \"{}\": tone \"{}\" is not known; use good, caution or alert",
                        b.label,
                        b.tone.get_ref()
                    ),
                );
            }
            if b.min > b.max {
                self.err(
                    rb.span(),
                    format!(
                        "band \"{}\": `min` ({}) is more than `max` ({})",
                        b.label,
                        fmt_exact(b.min.0),
                        fmt_exact(b.max.0)
                    ),
                );
            }
            if tone == Some(Tone::Alert) && b.signposting.is_none() && !has_file_signposting {
                self.err(
                    rb.span(),
                    format!(
                        "band \"{}\" is an alert band but there is no signposting to support: add `signposting` to the band or at the top of the file",
                        b.label
                    ),
                );
            }
            bands.push((
                rb.span(),
                Band {
                    min: b.min.0,
                    max: b.max.0,
                    label: b.label.clone(),
                    tone: tone.unwrap_or(Tone::Caution),
                    message: b.message.clone(),
                    signposting: b.signposting.clone(),
                },
            ));
        }
        // Overlaps: sorted by `min`, a band overlaps an earlier one exactly
        // when it starts at or below the furthest `max` so far (n log n, not
        // every pair). Reported at the band that comes later in the file.
        let mut by_min: Vec<usize> = (0..bands.len()).collect();
        by_min.sort_by(|a, b| bands[*a].1.min.total_cmp(&bands[*b].1.min).then(a.cmp(b)));
        let mut furthest: Option<usize> = None;
        for &j in &by_min {
            if let Some(i) = furthest {
                if bands[j].1.min <= bands[i].1.max {
                    let (first, second) = if i < j { (i, j) } else { (j, i) };
                    let (a, b) = (&bands[first].1, &bands[second].1);
                    let sp = bands[second].0.clone();
                    self.err(
                        sp,
                        format!(
                            "{whose}: bands \"{}\" ({} to {}) and \"{}\" ({} to {}) overlap; a score must fall in exactly one band",
                            a.label,
                            fmt_exact(a.min),
                            fmt_exact(a.max),
                            b.label,
                            fmt_exact(b.min),
                            fmt_exact(b.max)
                        ),
                    );
                }
            }
            if furthest.is_none_or(|i| bands[j].1.max > bands[i].1.max) {
                furthest = Some(j);
            }
        }

        let mut score = Score {
            id: rs.id.get_ref().clone(),
            label: rs.label.clone(),
            description: rs.description.clone(),
            questions: items.iter().map(|q| q.id.clone()).collect(),
            method: rs.method,
            // Sorted, so `reverse` is a binary search (see `range::is_reversed`).
            reverse: {
                let mut r: Vec<String> = rs.reverse.iter().map(|r| r.get_ref().clone()).collect();
                r.sort();
                r.dedup();
                r
            },
            remap,
            lookup,
            multiply,
            add,
            max_missing: rs.max_missing,
            prorate: rs.prorate,
            meaningful_change: rs.meaningful_change.as_ref().map(|m| m.get_ref().0),
            bands: bands.iter().map(|(_, b)| b.clone()).collect(),
            range: (0.0, 0.0),
        };
        if items.is_empty() || self.errors.len() > errors_before {
            return score;
        }
        // How many item values the checks below go through: bounded for the
        // whole file, so that validating any file stays fast.
        let count: usize = items.iter().map(|q| value_count(q)).sum();
        self.scored_values += count;
        if self.scored_values > MAX_SCORED_VALUES {
            self.err(
                rs.id.span(),
                format!(
                    "{whose}: the scores of this file have more than {MAX_SCORED_VALUES} possible answers to check in all \
                     (each number question counts every step, each other question every option, once for each score using it); \
                     use a larger `step`, or fewer questions per score"
                ),
            );
            return score;
        }
        // Exact arithmetic: the largest sum the items can reach must stay
        // within the limit (each value is scaled by 10^6 and added as a
        // whole number; below 2^53 that is exact).
        let reach: f64 = items
            .iter()
            .map(|q| {
                range::item_values(&score, q)
                    .into_iter()
                    .fold(0.0_f64, |m, v| m.max(v.abs()))
            })
            .sum();
        if reach > number::LIMIT {
            self.err(
                rs.questions.span(),
                format!(
                    "{whose}: its questions can add up to {}, more than the 1000000000 (one billion) a score may reach; \
                     use smaller values (a `transform` can scale the result)",
                    fmt_exact(reach)
                ),
            );
            return score;
        }
        // What raw and reported values can this score take?
        let possible = range::possible_raw(&score, &items);
        if !score.lookup.is_empty() {
            let lookup_keys: Vec<f64> = score.lookup.iter().map(|(k, _)| *k).collect();
            let mut outside = false;
            for row in lookup_rows {
                let raw = row.get_ref().raw.0;
                let possible_here = if possible.exact {
                    near(&possible.values, raw, 1e-6)
                } else {
                    raw >= possible.min - 1e-9 && raw <= possible.max + 1e-9
                };
                if !possible_here {
                    outside = true;
                    self.err(
                        row.span(),
                        format!(
                            "{whose}: the lookup table has a row for raw score {}, which this score can never have \
                             (its raw scores are {} to {}{}); remove the row or fix `raw`",
                            fmt_exact(raw),
                            fmt_exact(possible.min),
                            fmt_exact(possible.max),
                            if possible.exact && possible.values.len() <= 12 {
                                format!(": {}", join_numbers(&possible.values))
                            } else {
                                String::new()
                            }
                        ),
                    );
                }
            }
            let missing: Vec<f64> = possible
                .values
                .iter()
                .copied()
                .filter(|r| !near(&lookup_keys, *r, 1e-6))
                .collect();
            if !missing.is_empty() || !possible.exact {
                let span = rs.lookup.as_ref().map(|l| l.span()).unwrap_or(rs.id.span());
                let detail = if possible.exact {
                    format!(
                        "it has no entry for raw score(s) {}",
                        join_numbers(&missing)
                    )
                } else {
                    "this score's raw values cannot all be listed (too many); use a transform instead".to_string()
                };
                self.err(
                    span,
                    format!(
                        "{whose}: the lookup table must cover every possible raw score ({} to {}), but {detail}",
                        fmt_exact(possible.min),
                        fmt_exact(possible.max),
                    ),
                );
                return score;
            }
            if outside {
                return score;
            }
        }
        let reported: Vec<f64> = possible
            .values
            .iter()
            .map(|r| range::report(&score, *r))
            .collect();
        let (lo, hi) = reported
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
                (l.min(*x), h.max(*x))
            });
        let (lo, hi) = if possible.exact {
            (lo, hi)
        } else {
            (
                range::report(&score, possible.min),
                range::report(&score, possible.max),
            )
        };
        score.range = (lo.min(hi), lo.max(hi));
        if !(score.range.0.abs() <= number::LIMIT && score.range.1.abs() <= number::LIMIT) {
            // `transform` has no span of its own: point at the score's id.
            self.err(
                rs.id.span(),
                format!(
                    "{whose}: after its lookup and transform the score can reach {}, beyond the 1000000000 (one billion) \
                     a score may reach either way; use a smaller `transform.multiply` or `add`",
                    fmt_exact(if score.range.0.abs() > score.range.1.abs() { score.range.0 } else { score.range.1 })
                ),
            );
            return score;
        }
        if !score.bands.is_empty() {
            let uncovered: Vec<f64> = if possible.exact {
                // Bands do not overlap here (checked above): sorted by `min`,
                // the only band that can hold x is the last one starting at
                // or below it.
                let mut by_min: Vec<&Band> = score.bands.iter().collect();
                by_min.sort_by(|a, b| a.min.total_cmp(&b.min));
                let mut u: Vec<f64> = reported
                    .iter()
                    .copied()
                    .filter(|x| {
                        let i = by_min.partition_point(|b| b.min <= *x + 1e-9);
                        !(i > 0 && by_min[i - 1].contains(*x))
                    })
                    .collect();
                u.sort_by(f64::total_cmp);
                u.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
                u
            } else {
                range::interval_gaps(
                    &score.bands,
                    score.range,
                    possible.resolution * score.multiply.abs(),
                )
            };
            if !uncovered.is_empty() {
                // Point at the band just above the first gap (else the last band):
                // that is where a `min` or `max` needs to change.
                let gap = uncovered[0];
                let at = rs
                    .bands
                    .iter()
                    .filter(|b| b.get_ref().min.0 > gap)
                    .min_by(|a, b| a.get_ref().min.0.total_cmp(&b.get_ref().min.0))
                    .or(rs.bands.last())
                    .map(|b| b.span())
                    .unwrap_or(rs.id.span());
                self.err(
                    at,
                    format!(
                        "{whose}: the bands leave part of the possible range ({} to {}) uncovered: no band holds {}. \
                         Widen a band or add one",
                        fmt_exact(score.range.0),
                        fmt_exact(score.range.1),
                        join_numbers(&uncovered)
                    ),
                );
            }
        }
        score
    }
}
