//! `joy huddle --export md|csv`: the huddle's aggregates for the minutes,
//! written from [`Huddle`] values only, so an export holds exactly what the
//! screen may show, under the same rules (nothing here reads reflections).
//! Pure: text in, text out; files are written by
//! [`crate::store::export::write_export`].

use crate::anonymity::Hidden;
use crate::huddle::{Bar, Content, Huddle, TeamAction};
use crate::questionnaire::fmt_number;
use crate::store::export::{spreadsheet_cell, UTF8_BOM};
use crate::text;
use chrono::NaiveDate;

/// A markdown table cell or list item: one line, no raw HTML, no `|`, no
/// control or bidirectional character (each becomes a space), and the
/// characters markdown would act on (`\\`, `` ` ``, `*`, `_`, `[`, `]`, `~`)
/// escaped, so free text cannot break out of its cell, make a link or
/// reorder what a reader sees.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_control() || text::is_terminal_unsafe(c) => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

fn bars_md(out: &mut String, head: &str, bars: &[Bar]) {
    out.push_str(&format!(
        "| {} | {} |\n| --- | ---: |\n",
        md(head),
        text::HUDDLE_COUNT
    ));
    for b in bars {
        out.push_str(&format!("| {} | {} |\n", md(&b.label), b.count));
    }
    out.push('\n');
}

/// The huddles and the team's actions (already ordered, see
/// [`crate::huddle::order_actions`]) as a markdown document.
/// Lines a printed page holds.
pub const PAGE_LINES: usize = 60;

/// A one-page summary of every team's period, to print: per team and
/// questionnaire the count of reflections and, where the rules show them,
/// each score's average; never a text or a tally. At most [`PAGE_LINES`]
/// lines (a last line says how many teams were left off).
pub fn one_page(site: &str, teams: &[(String, Vec<Huddle>)], today: NaiveDate) -> String {
    let mut lines = vec![
        text::kiosk::page_heading(site, &today.format("%-d %b %Y").to_string()),
        String::new(),
    ];
    for (n, (team, huddles)) in teams.iter().enumerate() {
        let mut block = Vec::new();
        for h in huddles {
            block.push(format!(
                "{} · {} · {}: {}",
                team,
                h.title,
                h.period,
                text::huddle_count(h.reflections)
            ));
            if h.more_than_staff() {
                block.push(format!("  {}", text::MORE_THAN_STAFF));
            }
            match &h.content {
                Content::NotEnough { have, need } => block.push(format!(
                    "  {}",
                    text::not_enough(
                        *have,
                        *need,
                        h.released_on.is_some() || h.period.closed_by(today)
                    )
                )),
                Content::Open { have, release_day } => block.push(format!(
                    "  {}",
                    text::open_period(*have, *release_day, today)
                )),
                Content::Shown(p) => {
                    for s in &p.scores {
                        if let Ok(f) = &s.figures {
                            let band = f
                                .band
                                .as_ref()
                                .map(|(l, t)| format!(" ({l} {})", text::tone_word(*t)))
                                .unwrap_or_default();
                            block.push(format!("  {}: {}{band}", s.label, fmt_number(f.mean)));
                        }
                    }
                }
            }
        }
        if lines.len() + block.len() + 1 > PAGE_LINES {
            lines.push(text::kiosk::more_teams(teams.len() - n));
            break;
        }
        lines.extend(block);
    }
    lines.join("\n") + "\n"
}

/// The day a period's minutes show the actions as of: the day before the
/// next period's figures come out, when its huddle is over.
pub fn minutes_as_of(period: crate::period::Period) -> NaiveDate {
    period
        .next()
        .release_day()
        .pred_opt()
        .unwrap_or(period.last_day())
}

pub fn to_markdown(
    team: &str,
    huddles: &[Huddle],
    actions: &[TeamAction],
    today: NaiveDate,
) -> String {
    let mut out = String::new();
    let period = huddles.first().map(|h| h.period);
    out.push_str(&format!(
        "# {}\n\n",
        md(&text::huddle_heading(team, period.as_ref()))
    ));
    if let Some(h) = huddles.first() {
        out.push_str(&format!(
            "{}\n\n",
            text::huddle_rules(h.thresholds.k(), h.thresholds.text())
        ));
    }
    for h in huddles {
        out.push_str(&format!("## {}\n\n", md(&h.title)));
        out.push_str(&format!("{}\n\n", text::huddle_count(h.reflections)));
        if let Some(staff) = h.headcount.filter(|_| h.released_on.is_some()) {
            out.push_str(&format!(
                "{}\n\n",
                text::response_rate(h.reflections, staff)
            ));
        }
        if h.more_than_staff() {
            out.push_str(&format!("**{}**\n\n", text::MORE_THAN_STAFF));
        }
        let panels = match &h.content {
            Content::NotEnough { have, need } => {
                out.push_str(&format!(
                    "{}\n\n",
                    text::not_enough(
                        *have,
                        *need,
                        h.released_on.is_some() || h.period.closed_by(today)
                    )
                ));
                if let Some((label, points)) = &h.earlier {
                    out.push_str(&format!(
                        "{}\n\n",
                        md(&text::huddle_earlier(label, &text::earlier_words(points)))
                    ));
                }
                continue;
            }
            Content::Open { have, release_day } => {
                out.push_str(&format!(
                    "{}\n\n",
                    text::open_period(*have, *release_day, today)
                ));
                continue;
            }
            Content::Shown(p) => p,
        };
        if let Some(l) = &panels.lowest {
            out.push_str(&format!("{}\n\n", md(&text::huddle_lowest(l))));
        }
        for s in &panels.scores {
            out.push_str(&format!("### {}\n\n", md(&s.label)));
            match &s.figures {
                Ok(f) => {
                    // A plain word for the tone: markdown would show
                    // "[good]" escaped as "\[good\]".
                    let band = f
                        .band
                        .as_ref()
                        .map(|(l, t)| {
                            // Not twice: "Good team joy" needs no ", good".
                            let word = text::tone_plain(*t);
                            if l.to_lowercase().contains(word) {
                                format!(" ({l})")
                            } else {
                                format!(" ({l}, {word})")
                            }
                        })
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "{}\n\n",
                        md(&text::huddle_average(
                            &fmt_number(f.mean),
                            &band,
                            s.answered
                        ))
                    ));
                    bars_md(&mut out, text::HUDDLE_SCORE_COL, &f.bars);
                }
                Err(h) => out.push_str(&format!("{}\n\n", h.reason())),
            }
            out.push_str(&format!(
                "| {} | {} |\n| --- | --- |\n",
                text::HUDDLE_PERIOD_COL,
                text::HUDDLE_AVERAGE_COL
            ));
            for p in &s.trend {
                let v = match &p.mean {
                    Ok(m) => fmt_number(*m),
                    Err(h) => text::huddle_gap(&h.reason()),
                };
                out.push_str(&format!("| {} | {} |\n", p.period, md(&v)));
            }
            out.push('\n');
        }
        for t in &panels.tallies {
            out.push_str(&format!("### {}\n\n", md(&t.text)));
            match &t.bars {
                Ok(b) if b.is_empty() => out.push_str(&format!("{}\n\n", text::HUDDLE_NONE_TICKED)),
                Ok(b) => bars_md(&mut out, text::HUDDLE_ANSWER_COL, b),
                Err(h) => out.push_str(&format!("{}\n\n", h.reason())),
            }
        }
        for t in &panels.texts {
            out.push_str(&format!("### {}\n\n", md(&t.text)));
            match &t.texts {
                Ok(v) => {
                    out.push_str(&format!("{}\n\n", text::HUDDLE_SHUFFLED));
                    for s in v {
                        out.push_str(&format!("- {}\n", md(s)));
                    }
                    out.push('\n');
                }
                Err(h) => out.push_str(&format!("{}\n\n", h.reason())),
            }
        }
    }
    out.push_str(&format!("## {}\n\n", text::HUDDLE_ACTIONS));
    if let Some(p) = period {
        let as_of = minutes_as_of(p);
        if as_of < today {
            out.push_str(&format!("{}\n\n", text::actions_as_of(as_of)));
        }
    }
    if actions.is_empty() {
        out.push_str(&format!("{}\n", text::HUDDLE_NO_ACTIONS));
        return out;
    }
    out.push_str("| # | Status | Action | Owner | Review | Pebble | Who can remove it | Learned |\n| ---: | --- | --- | --- | --- | --- | --- | --- |\n");
    for a in actions {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            a.id,
            text::action_status(a, today),
            md(&a.action),
            md(&a.owner),
            a.review_on.map(|d| d.to_string()).unwrap_or_default(),
            md(&a.pebble),
            a.scope.map(text::action_scope).unwrap_or(""),
            md(&a.learned)
        ));
    }
    out
}

/// The CSV columns of `joy huddle --export csv`.
pub const CSV_HEADER: [&str; 15] = [
    "team",
    "period",
    "questionnaire",
    "section",
    "item",
    "label",
    "value",
    "count",
    "note",
    "trend_period",
    "owner",
    "review_on",
    "learned",
    "pebble",
    "scope",
];

/// Write one CSV row, padded with empty cells to the header's width.
fn put(w: &mut csv::Writer<Vec<u8>>, cells: &[&str]) -> Result<(), csv::Error> {
    let empty = CSV_HEADER.len().saturating_sub(cells.len());
    w.write_record(
        cells
            .iter()
            .chain(std::iter::repeat_n(&"", empty))
            .map(|c| spreadsheet_cell(c).into_owned()),
    )
}

/// The same content as [`to_markdown`], one row per figure, for a
/// spreadsheet: CRLF, a UTF-8 byte order mark, formula-like cells as text.
pub fn to_csv(
    team: &str,
    huddles: &[Huddle],
    actions: &[TeamAction],
    today: NaiveDate,
) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    put(&mut w, &CSV_HEADER)?;
    let reason = |h: &Hidden| h.reason();
    for h in huddles {
        let p = h.period.to_string();
        let q = h.questionnaire_id.as_str();
        let n = h.reflections.to_string();
        put(&mut w, &[team, &p, q, "reflections", "", "", "", &n, ""])?;
        if let Some(staff) = h.headcount.filter(|_| h.released_on.is_some()) {
            let note = if h.more_than_staff() {
                text::MORE_THAN_STAFF
            } else {
                ""
            };
            put(
                &mut w,
                &[team, &p, q, "staff", "", "", "", &staff.to_string(), note],
            )?;
        }
        let panels = match &h.content {
            Content::NotEnough { have, need } => {
                put(
                    &mut w,
                    &[
                        team,
                        &p,
                        q,
                        "hidden",
                        "",
                        "",
                        "",
                        "",
                        &text::not_enough(
                            *have,
                            *need,
                            h.released_on.is_some() || h.period.closed_by(today),
                        ),
                    ],
                )?;
                continue;
            }
            Content::Open { have, release_day } => {
                put(
                    &mut w,
                    &[
                        team,
                        &p,
                        q,
                        "open",
                        "",
                        "",
                        "",
                        "",
                        &text::open_period(*have, *release_day, today),
                    ],
                )?;
                continue;
            }
            Content::Shown(x) => x,
        };
        if let Some(l) = &panels.lowest {
            put(&mut w, &[team, &p, q, "lowest", "", l, "", "", ""])?;
        }
        for s in &panels.scores {
            let answered = s.answered.to_string();
            match &s.figures {
                Ok(f) => {
                    let band = f.band.as_ref().map(|b| b.0.as_str()).unwrap_or("");
                    put(
                        &mut w,
                        &[
                            team,
                            &p,
                            q,
                            "average",
                            &s.id,
                            &s.label,
                            &fmt_number(f.mean),
                            &answered,
                            band,
                        ],
                    )?;
                    for b in &f.bars {
                        put(
                            &mut w,
                            &[
                                team,
                                &p,
                                q,
                                "distribution",
                                &s.id,
                                &b.label,
                                "",
                                &b.count.to_string(),
                                "",
                            ],
                        )?;
                    }
                }
                Err(hd) => put(
                    &mut w,
                    &[team, &p, q, "average", &s.id, &s.label, "", "", &reason(hd)],
                )?,
            }
            for t in &s.trend {
                // The trend point's own period has its own column.
                let tp = t.period.to_string();
                let (value, note) = match &t.mean {
                    Ok(m) => (fmt_number(*m), String::new()),
                    Err(hd) => (String::new(), reason(hd)),
                };
                put(
                    &mut w,
                    &[
                        team, &p, q, "trend", &s.id, &s.label, &value, "", &note, &tp,
                    ],
                )?;
            }
        }
        for t in &panels.tallies {
            match &t.bars {
                Ok(bars) => {
                    for b in bars {
                        put(
                            &mut w,
                            &[
                                team,
                                &p,
                                q,
                                "tally",
                                &t.question_id,
                                &b.label,
                                "",
                                &b.count.to_string(),
                                "",
                            ],
                        )?;
                    }
                }
                Err(hd) => put(
                    &mut w,
                    &[
                        team,
                        &p,
                        q,
                        "tally",
                        &t.question_id,
                        &t.text,
                        "",
                        "",
                        &reason(hd),
                    ],
                )?,
            }
        }
        for t in &panels.texts {
            match &t.texts {
                Ok(v) => {
                    for s in v {
                        put(
                            &mut w,
                            &[team, &p, q, "text", &t.question_id, &t.text, s, "", ""],
                        )?;
                    }
                }
                Err(hd) => put(
                    &mut w,
                    &[
                        team,
                        &p,
                        q,
                        "text",
                        &t.question_id,
                        &t.text,
                        "",
                        "",
                        &reason(hd),
                    ],
                )?,
            }
        }
    }
    for a in actions {
        let review = a.review_on.map(|d| d.to_string()).unwrap_or_default();
        let status = text::action_status(a, today);
        put(
            &mut w,
            &[
                &a.team,
                "",
                "",
                "action",
                &a.id.to_string(),
                &a.action,
                &status,
                "",
                "",
                "",
                &a.owner,
                &review,
                &a.learned,
                &a.pebble,
                a.scope.map(crate::model::ActionScope::as_str).unwrap_or(""),
            ],
        )?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("{UTF8_BOM}{}", String::from_utf8_lossy(&bytes)))
}

/// The ward view as markdown: one table per questionnaire, each team's
/// count and score means (or why hidden) beside the ward total.
pub fn ward_markdown(views: &[crate::ward::WardView]) -> String {
    let mut out = String::new();
    for v in views {
        out.push_str(&format!(
            "# {}\n\n",
            md(&text::ward_heading(v.name.as_deref(), &v.title, &v.period))
        ));
        out.push_str(&format!("{}\n\n", text::ward_rules(v.thresholds.k())));
        out.push_str(&view_table(v, "Team", text::WARD_TOTAL_ROW));
    }
    out
}

/// The trust view as markdown: per questionnaire, each ward's total
/// beside the trust total, then each ward's teams beside its total.
pub fn trust_markdown(views: &[crate::trust::TrustView]) -> String {
    let mut out = String::new();
    for t in views {
        let v = &t.view;
        out.push_str(&format!(
            "# {}\n\n",
            md(&text::trust_heading(&v.title, &v.period))
        ));
        out.push_str(&format!("{}\n\n", text::trust_rules(v.thresholds.k())));
        out.push_str(&view_table(v, "Ward", text::TRUST_TOTAL_ROW));
        for (row, w) in v.teams.iter().zip(&t.wards) {
            // A ward that is one team has nothing more to show.
            if w.teams.len() < 2 {
                continue;
            }
            let name = row.team.as_deref().unwrap_or_default();
            out.push_str(&format!("## {}\n\n", md(name)));
            out.push_str(&view_table(w, "Team", text::WARD_TOTAL_ROW));
        }
    }
    out
}

/// One view's table: a row per part (`part` heads the first column) and
/// the total (`total_label`), counts and score means (or why hidden).
fn view_table(v: &crate::ward::WardView, part: &str, total_label: &str) -> String {
    let mut out = String::new();
    let mut head = vec![part.to_string(), "Reflections".to_string()];
    head.extend(v.scores.iter().map(|(_, l)| md(l)));
    out.push_str(&format!("| {} |\n", head.join(" | ")));
    out.push_str(&format!(
        "|{}\n",
        head.iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { " --- |" } else { " ---: |" })
            .collect::<String>()
    ));
    for r in v.teams.iter().chain(std::iter::once(&v.total)) {
        let name = r
            .team
            .as_deref()
            .map(md)
            .unwrap_or_else(|| format!("**{total_label}**"));
        let mut cells = vec![name, r.reflections.to_string()];
        cells.extend(r.means.iter().map(|m| match m {
            Ok(x) => fmt_number(*x),
            Err(h) => md(&h.reason()),
        }));
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
    out
}

/// The ward view as CSV: one row per team and score (and the total).
pub fn ward_csv(views: &[crate::ward::WardView]) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record([
        "period",
        "questionnaire",
        "team",
        "reflections",
        "score",
        "mean",
        "hidden",
    ])?;
    for v in views {
        let p = v.period.to_string();
        for r in v.teams.iter().chain(std::iter::once(&v.total)) {
            let team = r
                .team
                .clone()
                .unwrap_or_else(|| text::WARD_TOTAL_ROW.to_string());
            for ((id, _), m) in v.scores.iter().zip(&r.means) {
                let (mean, hidden) = match m {
                    Ok(x) => (fmt_number(*x), String::new()),
                    Err(h) => (String::new(), h.reason()),
                };
                let cells = [
                    p.as_str(),
                    v.questionnaire_id.as_str(),
                    team.as_str(),
                    &r.reflections.to_string(),
                    id.as_str(),
                    &mean,
                    &hidden,
                ];
                w.write_record(cells.iter().map(|c| spreadsheet_cell(c).into_owned()))?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("{UTF8_BOM}{}", String::from_utf8_lossy(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_stay_one_line_and_plain() {
        assert_eq!(md("a|b\n<script>"), "a\\|b &lt;script&gt;");
    }
}
