//! A questionnaire written in the project's own TOML format (`joy convert`):
//! for people who want to edit a FHIR questionnaire as a file of their
//! own. What the TOML format cannot hold (the options' FHIR codes, a
//! condition of several parts) is said in a comment and returned as a
//! warning, never dropped in silence.

use super::load::NOTE_ID;
use super::model::*;

/// A TOML string (quoted and escaped as TOML needs).
fn s(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn n(x: f64) -> String {
    fmt_exact(x)
}

fn scalar(v: &Scalar) -> String {
    match v {
        Scalar::Number(x) => n(*x),
        Scalar::Text(t) => s(t),
    }
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| s(i)).collect();
    format!("[{}]", quoted.join(", "))
}

fn test(t: &Test) -> String {
    match t {
        Test::Equals(v) => format!("equals = {}", scalar(v)),
        Test::NotEquals(v) => format!("not_equals = {}", scalar(v)),
        Test::AtLeast(x) => format!("at_least = {}", n(*x)),
        Test::AtMost(x) => format!("at_most = {}", n(*x)),
        Test::Above(x) => format!("above = {}", n(*x)),
        Test::Below(x) => format!("below = {}", n(*x)),
        Test::AnyOf(vs) => {
            let v: Vec<String> = vs.iter().map(scalar).collect();
            format!("any_of = [{}]", v.join(", "))
        }
        Test::Includes(v) => format!("includes = {}", scalar(v)),
        Test::Answered(b) => format!("answered = {b}"),
    }
}

/// The text of the TOML file, and what it could not hold.
pub fn to_toml(q: &Questionnaire, from: &str) -> (String, Vec<String>) {
    let mut warnings = Vec::new();
    let mut o = String::new();
    o.push_str(&format!(
        "# Converted by `joy convert` from {from}.\n# Check it with `joy validate` after any edit.\n"
    ));
    if q.fhir.is_some() {
        o.push_str(
            "# The options' FHIR codes (LOINC and others) are not kept in this format: an export of\n\
             # check-ins on this file writes codes of its own (urn:joy-kiosk:questionnaire:...).\n",
        );
    }
    o.push('\n');
    if q.fhir.as_ref().is_some_and(|f| f.support_with_every_score) {
        warnings.push(
            "its scores have no bands (the FHIR file had no companion): in this format a score without bands \
             shows no support, so add bands, with an alert band for a low score, before using it"
                .to_string(),
        );
    }
    o.push_str(&format!("id = {}\n", s(&q.id)));
    o.push_str(&format!("version = {}\n", s(&q.version)));
    o.push_str(&format!("title = {}\n", s(&q.title)));
    o.push_str(&format!("description = {}\n", s(&q.description)));
    o.push_str(&format!("kind = {}\n", s(q.kind.as_str())));
    o.push_str(&format!("minutes = {}\n", q.minutes));
    if let Some(d) = q.remind_every_days {
        o.push_str(&format!("remind_every_days = {d}\n"));
    }
    if let Some(i) = &q.instructions {
        o.push_str(&format!("instructions = {}\n", s(i)));
    }
    if let Some(sp) = &q.signposting {
        o.push_str(&format!("signposting = {}\n", s(sp)));
    }
    let note = q.questions.iter().find(|x| x.on_review && x.id == NOTE_ID);
    match note {
        None if q.kind == Kind::Personal => o.push_str("note = false\n"),
        Some(x) if x.text != crate::text::NOTE_PROMPT => {
            o.push_str(&format!("note = {}\n", s(&x.text)))
        }
        _ => {}
    }
    o.push_str("\n[licence]\n");
    o.push_str(&format!("text = {}\n", s(&q.licence.text)));
    o.push_str(&format!("source = {}\n", s(&q.licence.source)));
    if let Some(c) = &q.licence.conditions {
        o.push_str(&format!("conditions = {}\n", s(c)));
    }
    for x in q.questions.iter().filter(|x| !x.on_review) {
        o.push_str("\n[[questions]]\n");
        o.push_str(&format!("id = {}\n", s(&x.id)));
        let ty = match &x.kind {
            QuestionKind::Scale { .. } | QuestionKind::Choice { .. } => "choice",
            k => k.type_name(),
        };
        o.push_str(&format!("type = {}\n", s(ty)));
        o.push_str(&format!("text = {}\n", s(&x.text)));
        if let Some(h) = &x.help {
            o.push_str(&format!("help = {}\n", s(h)));
        }
        o.push_str(&format!("required = {}\n", x.required));
        match &x.kind {
            QuestionKind::Scale { options, .. } | QuestionKind::Choice { options } => {
                options_toml(&mut o, options);
            }
            QuestionKind::Multi {
                options,
                other,
                other_max_length,
            } => {
                options_toml(&mut o, options);
                if *other {
                    o.push_str("other = true\n");
                    o.push_str(&format!("max_length = {other_max_length}\n"));
                }
            }
            QuestionKind::Number {
                min,
                max,
                step,
                min_label,
                max_label,
            } => {
                o.push_str(&format!(
                    "min = {}\nmax = {}\nstep = {}\n",
                    n(*min),
                    n(*max),
                    n(*step)
                ));
                if let Some(l) = min_label {
                    o.push_str(&format!("min_label = {}\n", s(l)));
                }
                if let Some(l) = max_label {
                    o.push_str(&format!("max_label = {}\n", s(l)));
                }
            }
            QuestionKind::Text {
                max_length,
                multiline,
            } => {
                o.push_str(&format!("max_length = {max_length}\n"));
                if *multiline {
                    o.push_str("multiline = true\n");
                }
            }
        }
        match &x.show_if {
            None => {}
            Some(Shown::When(c)) => o.push_str(&format!(
                "show_if = {{ question = {}, {} }}\n",
                s(&c.question),
                test(&c.test)
            )),
            Some(_) => {
                warnings.push(format!(
                    "question \"{}\" is shown on a condition of several parts, which this format cannot hold: \
                     it is written as a comment; keep the question or remove it by hand",
                    x.id
                ));
                o.push_str(&format!(
                    "# shown only when: {:?}\n# (a condition of several parts: this format holds one; edit by hand)\n",
                    x.show_if
                ));
            }
        }
    }
    for sc in &q.scores {
        o.push_str("\n[[scores]]\n");
        o.push_str(&format!("id = {}\n", s(&sc.id)));
        o.push_str(&format!("label = {}\n", s(&sc.label)));
        if let Some(d) = &sc.description {
            o.push_str(&format!("description = {}\n", s(d)));
        }
        o.push_str(&format!("questions = {}\n", list(&sc.questions)));
        let method = match sc.method {
            Method::Sum => "sum",
            Method::Mean => "mean",
        };
        o.push_str(&format!("method = {}\n", s(method)));
        if !sc.reverse.is_empty() {
            o.push_str(&format!("reverse = {}\n", list(&sc.reverse)));
        }
        if !sc.remap.is_empty() {
            let r: Vec<String> = sc
                .remap
                .iter()
                .map(|(f, t)| format!("{{ from = {}, to = {} }}", n(*f), n(*t)))
                .collect();
            o.push_str(&format!("remap = [{}]\n", r.join(", ")));
        }
        if !sc.lookup.is_empty() {
            let r: Vec<String> = sc
                .lookup
                .iter()
                .map(|(f, t)| format!("{{ raw = {}, score = {} }}", n(*f), n(*t)))
                .collect();
            o.push_str(&format!("lookup = [{}]\n", r.join(", ")));
        }
        if sc.multiply != 1.0 || sc.add != 0.0 {
            o.push_str(&format!(
                "transform = {{ multiply = {}, add = {} }}\n",
                n(sc.multiply),
                n(sc.add)
            ));
        }
        o.push_str(&format!("max_missing = {}\n", sc.max_missing));
        if sc.prorate {
            o.push_str("prorate = true\n");
        }
        if let Some(m) = sc.meaningful_change {
            o.push_str(&format!("meaningful_change = {}\n", n(m)));
        }
        if !sc.bands.is_empty() {
            o.push_str("bands = [\n");
            for b in &sc.bands {
                o.push_str(&format!(
                    "  {{ min = {}, max = {}, label = {}, tone = {}, message = {}{} }},\n",
                    n(b.min),
                    n(b.max),
                    s(&b.label),
                    s(b.tone.as_str()),
                    s(&b.message),
                    b.signposting
                        .as_ref()
                        .map(|x| format!(", signposting = {}", s(x)))
                        .unwrap_or_default()
                ));
            }
            o.push_str("]\n");
        }
    }
    for f in &q.flags {
        o.push_str("\n[[flags]]\n");
        o.push_str(&format!("questions = {}\n", list(&f.questions)));
        o.push_str(&format!("when = {{ {} }}\n", test(&f.test)));
        o.push_str(&format!("message = {}\n", s(&f.message)));
        o.push_str(&format!("tone = {}\n", s(f.tone.as_str())));
        if let Some(x) = &f.signposting {
            o.push_str(&format!("signposting = {}\n", s(x)));
        }
    }
    if let Some(f) = &q.focus {
        o.push_str("\n[focus]\n");
        o.push_str(&format!("heading = {}\n", s(&f.heading)));
        let ids: Vec<String> = f.scores.iter().map(|(id, _)| id.clone()).collect();
        o.push_str(&format!("scores = {}\n", list(&ids)));
        o.push_str("\n[focus.messages]\n");
        for (id, m) in &f.scores {
            o.push_str(&format!("{} = {}\n", s(id), s(m)));
        }
    }
    (o, warnings)
}

fn options_toml(o: &mut String, options: &[Choice]) {
    o.push_str("options = [\n");
    for c in options {
        o.push_str(&format!(
            "  {{ label = {}, value = {} }},\n",
            s(&c.label),
            scalar(&c.value)
        ));
    }
    o.push_str("]\n");
}
