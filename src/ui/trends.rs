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

    let legend = draw_chart(frame.buffer_mut(), chart_area, state, score, &points);
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

    // Y labels: the ends of the range and every band boundary.
    let mut y_values: Vec<f64> = vec![lo, hi];
    y_values.extend(lines.iter().map(|(v, _)| *v));
    let y_w = y_values
        .iter()
        .map(|v| fmt_number(*v).chars().count())
        .max()
        .unwrap_or(1) as u16
        + 1;
    if area.height < 4 || area.width < y_w + 10 {
        return String::new();
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
    let grid = Grid {
        area: plot,
        x: xb,
        y: [lo, hi],
    };

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
    }

    // Band names on their lines (each band named at its upper edge, with an
    // arrow to the region it names), drawn last so they stay readable.
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
        let name = fit(
            // The tone word first, so a cut label still says it.
            &format!("↓ {} {}", text::tone_word(band.tone), band.label),
            (plot.width as usize * 2 / 5).max(8),
        );
        let st = style(super::theme::tone(Some(band.tone.as_str())), nc);
        let x = plot.x + 1;
        buf.set_stringn(
            x,
            row,
            format!(" {name} "),
            plot.right().saturating_sub(x) as usize,
            Style::default().patch(st),
        );
    }
    legend.join("   ")
}
