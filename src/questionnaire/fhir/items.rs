//! Items: groups (their words and conditions go to the items inside),
//! display and read-only items (their words go with the next question),
//! questions of each supported type, and calculated scores.

use super::*;

impl Reader<'_> {
    pub(super) fn items(&mut self, items: &[Value], ptr: &str, ctx: &Ctx) -> Vec<FhirItem> {
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let p = format!("{ptr}/{i}");
            if let Some(x) = self.item(item, &p, ctx) {
                out.push(x);
            }
        }
        out
    }

    pub(super) fn item(&mut self, item: &Value, p: &str, ctx: &Ctx) -> Option<FhirItem> {
        self.check_extensions(item, p);
        let Some(link) = str_at(item, "linkId").map(str::to_string) else {
            self.refuse(p, "this item has no \"linkId\": every FHIR item needs one");
            return None;
        };
        if self.ids.contains_key(&link) {
            self.refuse(
                &format!("{p}/linkId"),
                format!("linkId \"{link}\" is used twice: each item needs its own"),
            );
            return None;
        }
        let ty = str_at(item, "type").unwrap_or("").to_string();
        let text = str_at(item, "text").map(str::to_string);
        let calculated = extensions(item).iter().enumerate().find_map(|(i, e)| {
            (str_at(e, "url").and_then(short) == Some("sdc-questionnaire-calculatedExpression"))
                .then(|| {
                    (
                        i,
                        e.get("valueExpression")
                            .and_then(|x| str_at(x, "expression"))
                            .unwrap_or("")
                            .to_string(),
                    )
                })
        });
        let shown = self.enable_when(item, p);
        let mut ctx_here = ctx.clone();
        if let Some(s) = shown.clone() {
            ctx_here.shown.push(s);
        }
        // `initial` (a pre-filled answer) is not used: every question starts
        // empty (questionnaires/README.md says so).
        if let Some((i, expr)) = calculated {
            return self.score(
                ItemAt {
                    item,
                    p,
                    link: &link,
                    ty: &ty,
                    text,
                },
                &expr,
                i,
                shown.is_some(),
            );
        }
        match ty.as_str() {
            "group" => {
                if item.get("repeats").and_then(Value::as_bool) == Some(true) {
                    self.refuse(
                        &format!("{p}/repeats"),
                        "a repeating group is not supported: each question is asked once",
                    );
                    return None;
                }
                self.ids.insert(link.clone(), String::new());
                let mut inner = ctx_here;
                if let Some(t) = &text {
                    inner.stem.push(t.clone());
                }
                let children = match item.get("item") {
                    Some(Value::Array(xs)) => self.items(xs, &format!("{p}/item"), &inner),
                    _ => Vec::new(),
                };
                Some(FhirItem::Group {
                    link_id: link,
                    text,
                    items: children,
                })
            }
            "display" => {
                self.ids.insert(link, String::new());
                if let Some(t) = text {
                    if self.questions.is_empty() && ctx.stem.is_empty() {
                        self.instructions.push(t);
                    } else {
                        self.pending.push(t);
                    }
                }
                None
            }
            _ if item.get("readOnly").and_then(Value::as_bool) == Some(true) => {
                // Shown, never asked: its words go with the next question.
                self.ids.insert(link, String::new());
                if let Some(t) = text {
                    self.pending.push(t);
                }
                None
            }
            _ => self.question(
                ItemAt {
                    item,
                    p,
                    link: &link,
                    ty: &ty,
                    text,
                },
                &ctx_here,
            ),
        }
    }

    pub(super) fn question(&mut self, at: ItemAt<'_>, ctx: &Ctx) -> Option<FhirItem> {
        let ItemAt {
            item,
            p,
            link,
            ty,
            text,
        } = at;
        let repeats = item.get("repeats").and_then(Value::as_bool) == Some(true);
        let mut raw = RawQuestion {
            id: Spanned::new(0..0, String::new()),
            kind: Spanned::new(0..0, RawType::Text),
            text: text.unwrap_or_default(),
            help: None,
            required: item.get("required").and_then(Value::as_bool) == Some(true),
            scale: None,
            options: None,
            other: None,
            min: None,
            max: None,
            step: None,
            min_label: None,
            max_label: None,
            max_length: None,
            multiline: None,
            show_if: None,
            shown: ctx.shown.clone(),
        };
        let type_at = format!("{p}/type");
        let mut scored_here = false;
        let (kind, answer) = match ty {
            "choice" | "coding" => {
                let (opts, answer, all_scored) = self.answer_options(item, p)?;
                scored_here = all_scored && !repeats;
                self.options
                    .insert(link.to_string(), (opts.clone(), repeats));
                let at = if item.get("answerValueSet").is_some() {
                    format!("{p}/answerValueSet")
                } else {
                    format!("{p}/answerOption")
                };
                if scored_here {
                    // Scored options are a scale of their own: the number
                    // beside each option is its value and its key, as on
                    // paper (PHQ-9's 0 to 3), in the app and `joy score`.
                    // Named after its value set (shared by the questions
                    // using it) or its question.
                    let name = match str_at(item, "answerValueSet") {
                        Some(vs) => format!("valueset-{}", slug(vs)),
                        None => format!("options-{}", slug(link)),
                    };
                    let span = self.at(&at);
                    if !self.scales.keys().any(|k| k.get_ref() == &name) {
                        self.scales.insert(
                            Spanned::new(span.clone(), name.clone()),
                            Spanned::new(span.clone(), RawScale { options: opts }),
                        );
                    }
                    raw.scale = Some(Spanned::new(span, name));
                    (RawType::Scale, answer)
                } else {
                    raw.options = Some(self.spanned(&at, opts));
                    (
                        if repeats {
                            RawType::Multi
                        } else {
                            RawType::Choice
                        },
                        answer,
                    )
                }
            }
            "boolean" => {
                let span = self.at(p);
                let opts = vec![
                    RawOption {
                        label: crate::text::fhir::YES.to_string(),
                        value: Spanned::new(span.clone(), Scalar::Text("true".into())),
                        code: Some(Code::Boolean(true)),
                    },
                    RawOption {
                        label: crate::text::fhir::NO.to_string(),
                        value: Spanned::new(span.clone(), Scalar::Text("false".into())),
                        code: Some(Code::Boolean(false)),
                    },
                ];
                self.options.insert(link.to_string(), (opts.clone(), false));
                raw.options = Some(Spanned::new(span, opts));
                (RawType::Choice, FhirAnswer::Boolean)
            }
            "integer" | "decimal" => {
                let bound = |name: &str| {
                    extensions(item).iter().enumerate().find_map(|(i, e)| {
                        (str_at(e, "url") == Some(&format!("{SD}{name}")))
                            .then(|| (i, number_value(e)))
                    })
                };
                match (bound("minValue"), bound("maxValue")) {
                    (Some((i, Some(lo))), Some((j, Some(hi)))) => {
                        raw.min = Some(self.spanned(&format!("{p}/extension/{i}"), Num(lo)));
                        raw.max = Some(self.spanned(&format!("{p}/extension/{j}"), Num(hi)));
                    }
                    _ => {
                        self.refuse(
                            p,
                            format!(
                                "an {ty} item needs the extensions minValue and maxValue ({SD}minValue), \
                                 so the app can offer its range"
                            ),
                        );
                        return None;
                    }
                }
                let step = if ty == "integer" {
                    1.0
                } else {
                    let places = extensions(item)
                        .iter()
                        .find(|e| str_at(e, "url") == Some(&format!("{SD}maxDecimalPlaces")))
                        .and_then(|e| e.get("valueInteger"))
                        .and_then(Value::as_i64)
                        .unwrap_or(1)
                        .clamp(0, 6);
                    10f64.powi(-(places as i32))
                };
                raw.step = Some(self.spanned(p, Num(step)));
                (
                    RawType::Number,
                    if ty == "integer" {
                        FhirAnswer::Integer
                    } else {
                        FhirAnswer::Decimal
                    },
                )
            }
            "string" | "text" => {
                if let Some(n) = item.get("maxLength").and_then(Value::as_u64) {
                    raw.max_length = Some(self.spanned(&format!("{p}/maxLength"), n as usize));
                }
                if ty == "text" {
                    raw.multiline = Some(self.spanned(&type_at, true));
                }
                (RawType::Text, FhirAnswer::String)
            }
            "" => {
                self.refuse(p, "this item has no \"type\"");
                return None;
            }
            other => {
                self.refuse(
                    &type_at,
                    format!(
                        "items of type \"{other}\" are not supported; this app asks choice, coding, boolean, \
                         integer, decimal, string and text questions (and shows group and display items)"
                    ),
                );
                return None;
            }
        };
        if repeats && kind != RawType::Multi {
            self.refuse(
                &format!("{p}/repeats"),
                format!("a {ty} item that repeats is not supported: only choice questions may take several answers"),
            );
            return None;
        }
        let id = self.make_id(link);
        if scored_here {
            let span = self.at(&format!("{p}/linkId"));
            self.scored.push((id.clone(), span));
        }
        let mut help: Vec<String> = ctx.stem.clone();
        help.append(&mut self.pending);
        raw.help = (!help.is_empty()).then(|| help.join("\n"));
        raw.id = self.spanned(&format!("{p}/linkId"), id.clone());
        raw.kind = self.spanned(&type_at, kind);
        let span = self.at(p);
        self.questions.push(Spanned::new(span, raw));
        Some(FhirItem::Question {
            link_id: link.to_string(),
            id,
            answer,
        })
    }
}

/// What an item inherits from the groups around it.
#[derive(Clone, Default)]
pub(super) struct Ctx {
    /// The groups' words (the stem: "Over the last two weeks...").
    pub(super) stem: Vec<String>,
    /// The groups' conditions.
    pub(super) shown: Vec<RawShown>,
}

/// An item being read: its JSON, its pointer, `linkId`, type and words.
pub(super) struct ItemAt<'v> {
    pub(super) item: &'v Value,
    pub(super) p: &'v str,
    pub(super) link: &'v str,
    pub(super) ty: &'v str,
    pub(super) text: Option<String>,
}
