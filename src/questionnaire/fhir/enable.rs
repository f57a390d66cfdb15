//! `enableWhen` and `enableBehavior`: conditions on earlier answers, as
//! the draft's levels of tests (every operator; `any` or `all`).

use super::options::loinc_answer;
use super::*;

impl Reader<'_> {
    /// `enableWhen` and `enableBehavior` of an item, as one level.
    pub(super) fn enable_when(&mut self, item: &Value, p: &str) -> Option<RawShown> {
        let list = item.get("enableWhen").and_then(Value::as_array)?;
        let any = match str_at(item, "enableBehavior") {
            Some("any") => true,
            Some("all") => false,
            None if list.len() <= 1 => false,
            None => {
                self.refuse(
                    p,
                    "this item has several enableWhen conditions but no enableBehavior: say \"all\" or \"any\"",
                );
                false
            }
            Some(other) => {
                self.refuse(
                    &format!("{p}/enableBehavior"),
                    format!("enableBehavior must be \"all\" or \"any\", not \"{other}\""),
                );
                false
            }
        };
        let mut tests = Vec::new();
        for (i, ew) in list.iter().enumerate() {
            let ep = format!("{p}/enableWhen/{i}");
            if let Some(t) = self.test(ew, &ep) {
                tests.push(t);
            }
        }
        Some(RawShown { any, tests })
    }

    pub(super) fn test(&mut self, ew: &Value, ep: &str) -> Option<Spanned<RawTest>> {
        let target = str_at(ew, "question").unwrap_or("").to_string();
        let (answer_key, answer) = match ew
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.starts_with("answer")))
        {
            Some((k, v)) => (k.clone(), v.clone()),
            None => {
                self.refuse(ep, "this enableWhen has no answer[x] to compare with");
                return None;
            }
        };
        let ap = format!("{ep}/{answer_key}");
        let (opts, multi) = self.options.get(&target).cloned().unwrap_or_default();
        let value: Option<Scalar> = match answer_key.as_str() {
            "answerBoolean" => answer.as_bool().map(|b| Scalar::Text(b.to_string())),
            "answerInteger" | "answerDecimal" => answer.as_f64().map(Scalar::Number),
            "answerString" => answer.as_str().map(|s| Scalar::Text(s.to_string())),
            "answerCoding" => {
                let code = str_at(&answer, "code").unwrap_or("");
                let system =
                    str_at(&answer, "system").or_else(|| loinc_answer(code).then_some(LOINC));
                let hit = opts.iter().find(|o| match &o.code {
                    Some(Code::Coding { system: s, code: c }) => {
                        c == code && (system.is_none() || s.is_none() || s.as_deref() == system)
                    }
                    _ => false,
                });
                match hit {
                    Some(o) => Some(o.value.get_ref().clone()),
                    None => {
                        self.refuse(
                            &ap,
                            format!("question \"{target}\" has no option with the code \"{code}\" (or it is not an earlier question)"),
                        );
                        return None;
                    }
                }
            }
            other => {
                self.refuse(&ap, format!("{other} is not supported in enableWhen"));
                return None;
            }
        };
        let Some(value) = value else {
            self.refuse(&ap, format!("{answer_key} has a value of the wrong kind"));
            return None;
        };
        let number = || value.as_number().map(Num);
        let op = str_at(ew, "operator").unwrap_or("");
        let mut t = RawTest {
            question: Some(
                self.spanned(
                    &format!("{ep}/question"),
                    self.ids
                        .get(&target)
                        .cloned()
                        .filter(|s| !s.is_empty())
                        .unwrap_or(target.clone()),
                ),
            ),
            ..RawTest::default()
        };
        let numeric = |s: &mut Self, what: &str| {
            s.refuse(
                &ap,
                format!(
                    "the operator {what} compares numbers: give answerInteger or answerDecimal"
                ),
            );
        };
        match op {
            "exists" => match &value {
                Scalar::Text(b) if answer_key == "answerBoolean" => t.answered = Some(b == "true"),
                _ => {
                    self.refuse(&ap, "the operator exists takes answerBoolean");
                    return None;
                }
            },
            "=" if multi => t.includes = Some(value),
            "=" => t.equals = Some(value),
            "!=" if multi => {
                self.refuse(
                    &format!("{ep}/operator"),
                    format!("!= on question \"{target}\", which takes several answers, is not supported"),
                );
                return None;
            }
            "!=" => t.not_equals = Some(value),
            ">" | "<" | ">=" | "<=" if answer_key == "answerCoding" => {
                self.refuse(
                    &format!("{ep}/operator"),
                    format!("the operator {op} compares numbers; a coding has no order in FHIR: use = or != with answerCoding"),
                );
                return None;
            }
            ">" | "<" | ">=" | "<=" => {
                let Some(n) = number() else {
                    numeric(self, op);
                    return None;
                };
                match op {
                    ">" => t.above = Some(n),
                    "<" => t.below = Some(n),
                    ">=" => t.at_least = Some(n),
                    _ => t.at_most = Some(n),
                }
            }
            other => {
                self.refuse(
                    &format!("{ep}/operator"),
                    format!("the operator \"{other}\" is not known; FHIR's are exists, =, !=, >, <, >= and <="),
                );
                return None;
            }
        }
        Some(self.spanned(ep, t))
    }
}
