//! An item's options: `answerOption`, or a `ValueSet` contained in the file,
//! with each option's ordinal value or weight.

use super::*;

impl Reader<'_> {
    /// An item's options, from `answerOption` or a contained value set;
    /// true when every one carries an ordinal value or weight.
    pub(super) fn answer_options(
        &mut self,
        item: &Value,
        p: &str,
    ) -> Option<(Vec<RawOption>, FhirAnswer, bool)> {
        // (pointer of the option, the value, its label, its code, ordinal and where)
        let mut found: Vec<Found> = Vec::new();
        match (item.get("answerOption"), str_at(item, "answerValueSet")) {
            (Some(Value::Array(opts)), None) => {
                for (i, o) in opts.iter().enumerate() {
                    let op = format!("{p}/answerOption/{i}");
                    self.check_extensions(o, &op);
                    let (code, label) = if let Some(c) = o.get("valueCoding") {
                        let Some(code) = str_at(c, "code") else {
                            self.refuse(
                                &format!("{op}/valueCoding"),
                                "this coding has no \"code\"",
                            );
                            continue;
                        };
                        (
                            Code::Coding {
                                system: str_at(c, "system")
                                    .map(str::to_string)
                                    .or_else(|| loinc_answer(code).then(|| LOINC.to_string())),
                                code: code.to_string(),
                            },
                            str_at(c, "display").unwrap_or(code).to_string(),
                        )
                    } else if let Some(s) = str_at(o, "valueString") {
                        (Code::Text(s.to_string()), s.to_string())
                    } else if let Some(n) = o.get("valueInteger").and_then(Value::as_i64) {
                        (Code::Integer(n), n.to_string())
                    } else {
                        self.refuse(
                            &op,
                            "only valueCoding, valueString and valueInteger options are supported",
                        );
                        continue;
                    };
                    let ordinal = match self.ordinal(o, &op) {
                        Some(x) => Some(x),
                        None => match o.get("valueCoding") {
                            Some(c) => self.ordinal(c, &format!("{op}/valueCoding")),
                            None => None,
                        },
                    };
                    found.push((op, code, label, ordinal));
                }
            }
            (None, Some(vs)) => {
                let Some(cp) = self.contained.get(vs).cloned() else {
                    self.refuse(
                        &format!("{p}/answerValueSet"),
                        format!(
                            "the value set \"{vs}\" is not in this file; only a ValueSet in \"contained\" \
                             (answerValueSet \"#its-id\") can be read, as there is no terminology server here"
                        ),
                    );
                    return None;
                };
                return self.value_set(&cp);
            }
            (Some(_), Some(_)) => {
                self.refuse(
                    p,
                    "this item has both answerOption and answerValueSet: keep one",
                );
                return None;
            }
            _ => {
                self.refuse(p, "a choice item needs answerOption or answerValueSet");
                return None;
            }
        }
        self.finish_options(found)
    }

    /// The options of a contained `ValueSet` (at `cp`): every
    /// `compose.include[].concept[]`, in order.
    pub(super) fn value_set(&mut self, cp: &str) -> Option<(Vec<RawOption>, FhirAnswer, bool)> {
        let root = self.root;
        let vs = root.pointer(cp)?;
        if str_at(vs, "resourceType") != Some("ValueSet") {
            self.refuse(
                cp,
                "answerValueSet names a contained resource that is not a ValueSet",
            );
            return None;
        }
        let mut found = Vec::new();
        let includes = vs
            .pointer("/compose/include")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (j, inc) in includes.iter().enumerate() {
            let ip = format!("{cp}/compose/include/{j}");
            if inc.get("filter").is_some() || inc.get("valueSet").is_some() {
                self.refuse(
                    &ip,
                    "a value set made by a filter or from other value sets cannot be read here: list its concepts",
                );
                continue;
            }
            let system = str_at(inc, "system").map(str::to_string);
            let concepts = inc
                .get("concept")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for (k, c) in concepts.iter().enumerate() {
                let op = format!("{ip}/concept/{k}");
                let Some(code) = str_at(c, "code") else {
                    self.refuse(&op, "this concept has no \"code\"");
                    continue;
                };
                let label = str_at(c, "display").unwrap_or(code).to_string();
                let ordinal = self.ordinal(c, &op);
                found.push((
                    op,
                    Code::Coding {
                        system: system.clone(),
                        code: code.to_string(),
                    },
                    label,
                    ordinal,
                ));
            }
        }
        if found.is_empty() {
            self.refuse(
                &format!("{cp}/compose"),
                "this value set lists no concepts (compose.include.concept)",
            );
            return None;
        }
        self.finish_options(found)
    }

    pub(super) fn finish_options(
        &mut self,
        found: Vec<Found>,
    ) -> Option<(Vec<RawOption>, FhirAnswer, bool)> {
        let with = found.iter().filter(|f| f.3.is_some()).count();
        if with > 0 && with < found.len() {
            let missing = found
                .iter()
                .find(|f| f.3.is_none())
                .map(|f| f.0.clone())
                .unwrap_or_default();
            self.refuse(
                &missing,
                "this option has no ordinalValue or itemWeight while others of the question have one: \
                 give every option its score, or none",
            );
            return None;
        }
        let scored = with > 0 && with == found.len();
        let answer = match found.first().map(|f| &f.1) {
            Some(Code::Text(_)) => FhirAnswer::String,
            Some(Code::Integer(_)) => FhirAnswer::Integer,
            _ => FhirAnswer::Coding,
        };
        let opts = found
            .into_iter()
            .map(|(op, code, label, ordinal)| {
                let (value, at) = match (ordinal, &code) {
                    (Some((n, at)), _) => (Scalar::Number(n), at),
                    (None, Code::Integer(n)) => (Scalar::Number(*n as f64), op),
                    (None, c) => (Scalar::Text(c.typed()), op),
                };
                RawOption {
                    label,
                    value: self.spanned(&at, value),
                    code: Some(code),
                }
            })
            .collect();
        Some((opts, answer, scored))
    }
}

/// A LOINC answer code (`LA6568-5`): LHC-Forms files leave out the system
/// of their options' codings, which are LOINC's.
pub(super) fn loinc_answer(code: &str) -> bool {
    code.strip_prefix("LA").is_some_and(|rest| {
        rest.split_once('-').is_some_and(|(n, check)| {
            !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
                && check.len() == 1
                && check.chars().all(|c| c.is_ascii_digit())
        })
    })
}

/// An ordinal value or weight on `v` (an option, a coding or a concept),
/// with the pointer of its extension.
fn ordinal_of(v: &Value, p: &str) -> Option<(Option<f64>, String)> {
    extensions(v).iter().enumerate().find_map(|(i, e)| {
        let url = str_at(e, "url")?;
        let name = short(url)?;
        (name == "ordinalValue" || name == "itemWeight")
            .then(|| (number_value(e), format!("{p}/extension/{i}")))
    })
}

impl Reader<'_> {
    /// The ordinal value or weight on `v`, with its place; one that is not
    /// a number is refused (and stands as 0, so it is said once).
    pub(super) fn ordinal(&mut self, v: &Value, p: &str) -> Option<(f64, String)> {
        let (n, at) = ordinal_of(v, p)?;
        if n.is_none() {
            self.refuse(
                &at,
                "this ordinalValue or itemWeight is not a number: give it as valueDecimal (or valueInteger), e.g. \"valueDecimal\": 2",
            );
        }
        Some((n.unwrap_or(0.0), at))
    }
}

/// An option as read: its pointer, code, label, and ordinal value or
/// weight with the pointer of its extension.
pub(super) type Found = (String, Code, String, Option<(f64, String)>);
