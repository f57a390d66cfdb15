//! Trends: a chart of one score over the chosen period, with each band's
//! boundary drawn as a named line, meaningful changes marked, long periods
//! drawn as weekly or monthly means, and a plain-text summary underneath
//! that agrees with the chart.

use super::theme::{style, Meaning};
use super::{fit, wrapped_height};
use crate::app::{visible_points, State};
use crate::questionnaire::{fmt_number, Score};
use crate::text;
use crate::trends::{
    bucket_means, chart_points, choose_bucket, date_labels, meaningful_changes, summary, x_bounds,
    Bucket, Scale,
};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let nc = state.no_color;
    let t = &state.session.trends;
    let Some(q) = state.questionnaires.get(t.questionnaire) else {
        return;
    };
    let Some(score) = q.scores.get(t.score) else {
        frame.render_widget(
            Paragraph::new(text::NO_SCORES).wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    let now = state.now;
    let points = visible_points(state, now);
    let demo = points.iter().filter(|p| p.is_demo).count();

    let title = format!("{} › {}", q.title, score.label);
    let mut facts = Vec::new();
    if q.scores.len() > 1 {
        facts.push(text::score_of(t.score + 1, q.scores.len()));
    }
    facts.push(text::period_label(t.period));
    let facts = facts.join("  ·  ");
    let one_line = title.chars().count() + 5 + facts.chars().count();
    let mut rows = if one_line <= area.width as usize {
        vec![Line::from(vec![
            Span::styled(title, style(Meaning::Title, nc)),
            Span::raw(format!("  ·  {facts}")),
        ])]
    } else {
        // Too narrow for one line: which score and which period go below,
        // never cut off.
        vec![
            Line::styled(fit(&title, area.width as usize), style(Meaning::Title, nc)),
            Line::raw(fit(&facts, area.width as usize)),
        ]
    };
    if demo > 0 {
        rows.push(Line::styled(
            fit(&text::trends_demo(demo, points.len()), area.width as usize),
            style(Meaning::Caution, nc),
        ));
    }
    let head_h = rows.len() as u16;
    frame.render_widget(
        Paragraph::new(rows),
        Rect::new(area.x, area.y, area.width, head_h.min(area.height)),
    );

    let summary_text = if t.loaded {
        let mut s = summary(&Scale::of(score), &points, now, &chrono::Local);
        if crate::app::support::alert_on_screen(state) {
            s = format!("{}\n{s}", text::SUPPORT_NUDGE);
        }
        s
    } else {
        text::LOADING.into()
    };
    let legend_h = 1;
    let room = area.height.saturating_sub(head_h + legend_h);
    // The chart keeps at least 8 rows; the summary takes what is left, up to 6.
    let summary_h = wrapped_height(&summary_text, area.width)
        .min(6)
        .min(room.saturating_sub(8).max(1));
    let chart_h = room.saturating_sub(summary_h);
    let chart_area = Rect::new(area.x, area.y + head_h, area.width, chart_h);

    let legend = if t.table {
        draw_table(frame, chart_area, state, score, &points);
        text::TRENDS_TABLE_LEGEND.to_string()
    } else {
        draw_chart(frame.buffer_mut(), chart_area, state, score, &points)
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(&legend, area.width as usize),
            style(Meaning::Muted, nc),
        )),
        Rect::new(area.x, chart_area.bottom(), area.width, legend_h),
    );
    frame.render_widget(
        Paragraph::new(summary_text).wrap(Wrap { trim: true }),
        Rect::new(
            area.x,
            chart_area.bottom() + legend_h,
            area.width,
            summary_h,
        ),
    );
}

/// The dated values behind the chart, newest first: local date and time,
/// the value, and its band with the tone in words. What a screen reader
/// reads, and where several check-ins on one day stand one per row.
fn draw_table(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    score: &Score,
    points: &[crate::model::Point],
) {
    let nc = state.no_color;
    let muted = style(Meaning::Muted, nc);
    let (when_h, value_h, band_h) = text::TRENDS_TABLE_HEAD;
    let mut lines = vec![Line::styled(
        fit(
            &format!("{when_h:<22} {value_h:>6}  {band_h}"),
            area.width as usize,
        ),
        muted,
    )];
    if points.is_empty() {
        lines.push(Line::raw(text::TRENDS_TABLE_EMPTY));
    }
    let body = area.height.saturating_sub(1) as usize;
    let newest_first: Vec<&crate::model::Point> = points.iter().rev().collect();
    let from = state
        .session
        .trends
        .table_scroll
        .min(newest_first.len().saturating_sub(body.max(1)));
    for p in newest_first.iter().skip(from).take(body) {
        let (row, band) = table_row(score, p);
        let st = band.map_or(Style::default(), |b| {
            style(super::theme::tone(Some(b.tone.as_str())), nc)
        });
        lines.push(Line::styled(fit(&row, area.width as usize), st));
    }
    let left = newest_first.len().saturating_sub(from + body);
    if left > 0 {
        if let Some(last) = lines.last_mut() {
            *last = Line::styled(
                fit(&text::trends_table_more(left), area.width as usize),
                muted,
            );
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// One row of the table: the local date and time, the value, the tone in
/// words and the band; and the band (for its colour).
pub(super) fn table_row<'a>(
    score: &'a Score,
    p: &crate::model::Point,
) -> (String, Option<&'a crate::questionnaire::Band>) {
    let when = p.at.with_timezone(&chrono::Local);
    let band = score.band_for(p.value);
    let row = format!(
        "{:<22} {:>6}  {}{}",
        when.format("%a %-d %b %Y %H:%M").to_string(),
        fmt_number(p.value),
        band.map(|b| format!("{} {}", text::tone_word(b.tone), b.label))
            .unwrap_or_default(),
        if p.is_demo { "  (demo)" } else { "" }
    );
    (row, band)
}

/// Maps chart values to cells the way the Braille canvas does, so lines,
/// marks and labels drawn beside it land on the same rows and columns.
struct Grid {
    area: Rect,
    x: [f64; 2],
    y: [f64; 2],
}

impl Grid {
    fn col(&self, x: f64) -> u16 {
        let w = self.area.width.max(1) as f64;
        let span = (self.x[1] - self.x[0]).max(1e-9);
        let dot = ((x - self.x[0]).clamp(0.0, span) * (w * 2.0 - 1.0) / span).round();
        self.area.x + (dot as u16 / 2).min(self.area.width.saturating_sub(1))
    }
    fn row(&self, y: f64) -> u16 {
        let h = self.area.height.max(1) as f64;
        let span = (self.y[1] - self.y[0]).max(1e-9);
        let dot = ((self.y[1] - y).clamp(0.0, span) * (h * 4.0 - 1.0) / span).round();
        self.area.y + (dot as u16 / 4).min(self.area.height.saturating_sub(1))
    }
}

/// Band boundaries inside the range, lowest first, with the band below each.
fn boundaries(score: &Score) -> Vec<(f64, &crate::questionnaire::Band)> {
    let (_, hi) = score.range;
    let mut b: Vec<_> = score
        .bands
        .iter()
        .filter(|b| b.max < hi - 1e-9)
        .map(|b| (b.max, b))
        .collect();
    b.sort_by(|a, b| a.0.total_cmp(&b.0));
    b
}

/// Where the chart goes in `area`: the y labels' width, the axis, the
/// plot and its value-to-cell map.
struct Geometry {
    y_values: Vec<f64>,
    y_w: u16,
    axis_x: u16,
    plot: Rect,
    xb: [f64; 2],
    grid: Grid,
}

fn geometry(
    area: Rect,
    state: &State,
    score: &Score,
    points: &[crate::model::Point],
) -> Option<Geometry> {
    let now = state.now;
    let (lo, hi) = score.range;
    // Y labels: the ends of the range and every band boundary.
    let mut y_values: Vec<f64> = vec![lo, hi];
    y_values.extend(boundaries(score).iter().map(|(v, _)| *v));
    let y_w = y_values
        .iter()
        .map(|v| fmt_number(*v).chars().count())
        .max()
        .unwrap_or(1) as u16
        + 1;
    if area.height < 4 || area.width < y_w + 10 {
        return None;
    }
    let axis_x = area.x + y_w;
    let plot = Rect::new(
        axis_x + 1,
        area.y,
        area.width.saturating_sub(y_w + 1),
        area.height - 2,
    );
    let all = chart_points(points, now);
    let xb = x_bounds(&all, state.session.trends.period.since(now), now);
    Some(Geometry {
        y_values,
        y_w,
        axis_x,
        plot,
        xb,
        grid: Grid {
            area: plot,
            x: xb,
            y: [lo, hi],
        },
    })
}

/// The first run of `len` cells on `row` between `left` and `right` with
/// no data drawn in them (blank, or a band's dashed line); failing that,
/// the longest such run of at least `min`. Returns (start, length).
fn free_run(
    buf: &Buffer,
    row: u16,
    left: u16,
    right: u16,
    len: u16,
    min: u16,
) -> Option<(u16, u16)> {
    let free = |x: u16| matches!(buf[(x, row)].symbol(), " " | "┄");
    let mut best: Option<(u16, u16)> = None;
    let mut x = left;
    while x < right {
        if !free(x) {
            x += 1;
            continue;
        }
        let start = x;
        while x < right && free(x) {
            x += 1;
        }
        let run = x - start;
        if run >= len {
            return Some((start, len));
        }
        if run >= min && best.is_none_or(|(_, b)| run > b) {
            best = Some((start, run));
        }
    }
    best
}

/// Draw the chart into `area` and return its legend.
fn draw_chart(
    buf: &mut Buffer,
    area: Rect,
    state: &State,
    score: &Score,
    points: &[crate::model::Point],
) -> String {
    let nc = state.no_color;
    let now = state.now;
    let muted = style(Meaning::Muted, nc);
    let (lo, hi) = score.range;
    let lines = boundaries(score);
    let Some(Geometry {
        y_values,
        y_w,
        axis_x,
        plot,
        xb,
        grid,
    }) = geometry(area, state, score, points)
    else {
        return String::new();
    };
    let all = chart_points(points, now);

    // Axes.
    for y in plot.top()..plot.bottom() {
        buf[(axis_x, y)].set_symbol("│").set_style(muted);
    }
    buf[(axis_x, plot.bottom())]
        .set_symbol("└")
        .set_style(muted);
    for x in plot.left()..plot.right() {
        buf[(x, plot.bottom())].set_symbol("─").set_style(muted);
    }
    let mut used_rows: Vec<u16> = Vec::new();
    for v in &y_values {
        let row = grid.row(*v);
        if used_rows.contains(&row) {
            continue;
        }
        used_rows.push(row);
        buf.set_stringn(area.x, row, fmt_number(*v), y_w as usize - 1, muted);
    }
    // Dates: more of them as the chart gets wider; the year when the range spans years.
    let probe = date_labels(xb[0], now, 2, &chrono::Local);
    let label_w = probe[0].chars().count() as u16;
    let count = (plot.width / (label_w + 6)).clamp(2, 12) as usize;
    let labels = date_labels(xb[0], now, count, &chrono::Local);
    let date_row = plot.bottom() + 1;
    let mut free_from = area.x;
    for (i, label) in labels.iter().enumerate() {
        let len = label.chars().count() as u16;
        let centre = plot.x + ((plot.width.saturating_sub(1)) as usize * i / (count - 1)) as u16;
        let x = if i == 0 {
            plot.x
        } else if i == count - 1 {
            plot.right().saturating_sub(len)
        } else {
            centre.saturating_sub(len / 2)
        };
        if x < free_from || x + len > area.right() {
            continue;
        }
        buf.set_string(x, date_row, label, muted);
        free_from = x + len + 1;
    }

    // Band lines under the data.
    for (v, _) in &lines {
        let row = grid.row(*v);
        for x in plot.left()..plot.right() {
            buf[(x, row)].set_symbol("┄").set_style(muted);
        }
    }

    // The data: every check-in, or weekly or monthly means of a long series.
    let bucket = choose_bucket(points.len(), -xb[0], plot.width);
    let data = bucket_means(points, bucket, now, &chrono::Local);
    let accent = style(Meaning::Accent, nc).fg.unwrap_or(Color::Reset);
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds(xb)
        .y_bounds([lo, hi])
        .paint(|ctx| {
            for w in data.windows(2) {
                ctx.draw(&CanvasLine {
                    x1: w[0].0,
                    y1: w[0].1,
                    x2: w[1].0,
                    y2: w[1].1,
                    color: accent,
                });
            }
        });
    ratatui::widgets::Widget::render(canvas, plot, buf);

    // Marks: each check-in that changed by a meaningful amount, or the
    // only check-in, drawn as a block so it cannot be missed.
    let mark_style = style(Meaning::Caution, nc);
    let mut legend = vec![match bucket {
        Bucket::Each if data.len() == 1 => text::LEGEND_ONE.to_string(),
        Bucket::Each => text::LEGEND_EACH.to_string(),
        Bucket::Week => text::LEGEND_WEEK.to_string(),
        Bucket::Month => text::LEGEND_MONTH.to_string(),
    }];
    if data.len() == 1 {
        let (x, y) = data[0];
        buf[(grid.col(x), grid.row(y))]
            .set_symbol("█")
            .set_style(style(Meaning::Accent, nc));
    } else if bucket == Bucket::Each {
        let marks = meaningful_changes(points, score.meaningful_change);
        for i in &marks {
            let (x, y) = all[*i];
            buf[(grid.col(x), grid.row(y))]
                .set_symbol("█")
                .set_style(mark_style);
        }
        if let Some(m) = score.meaningful_change {
            legend.push(text::legend_marks(&fmt_number(m)));
        }
        // Several check-ins on one day share a column: said, with their
        // values in order (the table lists each).
        let day = |p: &crate::model::Point| p.at.with_timezone(&chrono::Local).date_naive();
        if let Some(last) = points.last() {
            let same: Vec<String> = points
                .iter()
                .filter(|p| day(p) == day(last))
                .map(|p| fmt_number(p.value))
                .collect();
            if same.len() > 1 {
                legend.insert(
                    0,
                    text::legend_same_day(
                        same.len(),
                        &day(last).format("%-d %b").to_string(),
                        &same,
                    ),
                );
            }
        }
    }

    // Band names on their lines (each band named at its upper edge, with an
    // arrow to the region it names), drawn last, where no data is: data
    // always wins over a label (a label with no room on its line is left
    // to the legend's words).
    if !score.bands.is_empty() {
        legend.push(text::LEGEND_BANDS.to_string());
    }
    let mut named: Vec<u16> = Vec::new();
    let mut bands: Vec<_> = score.bands.iter().collect();
    bands.sort_by(|a, b| b.max.total_cmp(&a.max));
    for band in bands {
        let row = grid.row(band.max.min(hi));
        if named.contains(&row) {
            continue;
        }
        named.push(row);
        let full = format!("↓ {} {}", text::tone_word(band.tone), band.label);
        let want = (full.chars().count() as u16).min((plot.width * 2 / 5).max(8)) + 2;
        // On its line, else a row or two below it (inside the band it
        // names, which the arrow points into), wherever the whole name fits;
        // else the widest room found.
        let rows: Vec<u16> = (0..3)
            .map(|d| row + d)
            .filter(|r| *r < plot.bottom() && (*r == row || !named.contains(r)))
            .collect();
        let whole = rows.iter().find_map(|r| {
            free_run(buf, *r, plot.x + 1, plot.right(), want, want).map(|run| (*r, run))
        });
        let best = || {
            rows.iter()
                .filter_map(|r| {
                    free_run(buf, *r, plot.x + 1, plot.right(), want, 10).map(|run| (*r, run))
                })
                .max_by_key(|(_, (_, len))| *len)
        };
        let Some((row, (x, room))) = whole.or_else(best) else {
            continue;
        };
        // The tone word first, so a cut label still says it.
        let name = fit(&full, room.saturating_sub(2) as usize);
        let st = style(super::theme::tone(Some(band.tone.as_str())), nc);
        buf.set_stringn(
            x,
            row,
            format!(" {name} "),
            room as usize,
            Style::default().patch(st),
        );
    }
    legend.join("   ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Point;
    use crate::questionnaire::Catalog;
    use chrono::{Duration, TimeZone, Utc};

    /// The cell each check-in is drawn in, as `draw_chart` maps it.
    fn cells(area: Rect, state: &State, score: &Score, points: &[Point]) -> Vec<(u16, u16)> {
        let g = geometry(area, state, score, points).expect("room for a chart");
        chart_points(points, state.now)
            .iter()
            .map(|&(x, y)| (g.grid.col(x), g.grid.row(y)))
            .collect()
    }

    fn is_data(symbol: &str) -> bool {
        symbol == "█"
            || symbol
                .chars()
                .all(|c| ('\u{2801}'..='\u{28ff}').contains(&c))
    }

    /// Lows at and under the alert line (WHO-5: 28 and below), at 80x24
    /// and 120x40: every check-in's cell shows data, never a band label's
    /// letter; and the labels are still there, moved where no data is.
    #[test]
    fn band_labels_never_hide_a_check_in() {
        let cat = Catalog::bundled();
        let q = cat.get("who5").expect("bundled").clone();
        let score = q.scores[0].clone();
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap();
        let values = [
            64.0, 28.0, 24.0, 28.0, 52.0, 72.0, 50.0, 28.0, 44.0, 80.0, 24.0, 60.0,
        ];
        let points: Vec<Point> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Point {
                at: now - Duration::days(2 * (values.len() - i) as i64),
                value: *v,
                is_demo: false,
            })
            .collect();
        let mut state = State::personal(vec![q], Some(1), now);
        state.session.trends.period = crate::trends::Period::Weeks4;
        for (w, h) in [(80u16, 14u16), (120, 30)] {
            let area = Rect::new(0, 0, w, h);
            let mut buf = Buffer::empty(area);
            draw_chart(&mut buf, area, &state, &score, &points);
            for (i, (x, y)) in cells(area, &state, &score, &points).into_iter().enumerate() {
                let s = buf[(x, y)].symbol().to_string();
                assert!(
                    is_data(&s),
                    "{w}x{h}: check-in {i} ({}) at ({x},{y}) shows {s:?}",
                    values[i]
                );
            }
            let all: String = buf.content().iter().map(|c| c.symbol()).collect();
            assert!(
                all.contains("Low wellbeing"),
                "{w}x{h}: the label moved, not lost"
            );
        }
    }

    /// Issue 18: three check-ins in one day (20, 92, 72) share a column
    /// on the chart: the legend says so with their values, and `v` shows
    /// the table, each on its own row, newest first, band in words; `v`
    /// again, the chart. At 80x24.
    #[test]
    fn several_check_ins_on_one_day_are_shown_truthfully() {
        use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
        let cat = Catalog::bundled();
        let q = cat.get("who5").expect("bundled").clone();
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 15, 0, 0).unwrap();
        let mut points: Vec<Point> = (1..6)
            .map(|d| Point {
                at: now - Duration::days(7 * d),
                value: 60.0,
                is_demo: false,
            })
            .rev()
            .collect();
        for (h, v) in [(8, 20.0), (7, 92.0), (6, 72.0)] {
            points.push(Point {
                at: now - Duration::hours(h),
                value: v,
                is_demo: false,
            });
        }
        let mut state = State::personal(vec![q], Some(1), now);
        state.screen = crate::app::Screen::Trends;
        state.session.trends.points = points;
        state.session.trends.loaded = true;
        let shown = |state: &State| {
            let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
            t.draw(|f| crate::ui::draw(f, state)).unwrap();
            let b = t.backend().buffer().clone();
            (0..24)
                .map(|y| {
                    (0..80)
                        .map(|x| b[(x, y)].symbol().to_string())
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
        };
        let chart = shown(&state).join("\n");
        assert!(chart.contains("3 check-ins on"), "{chart}");
        assert!(chart.contains("20, 92, 72"), "{chart}");
        assert!(chart.contains("v table"), "{chart}");
        let v = Event::Key(KeyEvent::new(KeyCode::Char('v'), KeyModifiers::NONE));
        let action = crate::keymap::map(&v, &state).expect("v is a key here");
        crate::app::update(&mut state, action.clone(), now);
        let table = shown(&state);
        let row = |v: &str| {
            table
                .iter()
                .position(|l| l.split_whitespace().any(|w| w == v) && l.contains(':'))
                .unwrap_or_else(|| panic!("no row of {v}: {table:#?}"))
        };
        assert!(row("72") < row("92") && row("92") < row("20"), "{table:#?}");
        assert!(
            table[row("20")].contains("[alert] Low wellbeing"),
            "{table:#?}"
        );
        assert!(table.join("\n").contains("v chart"), "{table:#?}");
        crate::app::update(&mut state, action, now);
        assert!(!state.session.trends.table);
    }
}
