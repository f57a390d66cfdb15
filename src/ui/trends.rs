//! Trends: a line chart of one score over the chosen period, with the band
//! boundaries as reference lines, meaningful changes marked, and a
//! plain-text summary underneath.

use super::theme::{style, Meaning};
use super::wrapped_height;
use crate::app::{visible_points, State};
use crate::questionnaire::fmt_number;
use crate::text;
use crate::trends::{chart_points, meaningful_changes, summary, x_bounds};
use chrono::Duration;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let nc = state.no_color;
    let t = &state.trends;
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
    let head = Line::from(vec![
        Span::styled(
            format!("{} › {}", q.title, score.label),
            style(Meaning::Title, nc),
        ),
        Span::raw(format!("  ·  {}", text::period_label(t.period))),
    ]);
    frame.render_widget(
        Paragraph::new(head),
        Rect::new(area.x, area.y, area.width, 1),
    );

    let now = state.now;
    let points = visible_points(state, now);
    let summary_text = if t.loaded {
        summary(&score.label, &points, score.meaningful_change)
    } else {
        text::LOADING.into()
    };
    let summary_h = wrapped_height(&summary_text, area.width).min(3);
    let legend_h = 1;
    let chart_h = area.height.saturating_sub(1 + summary_h + legend_h);
    let chart_area = Rect::new(area.x, area.y + 1, area.width, chart_h);

    let data = chart_points(&points, now);
    let marks: Vec<(f64, f64)> = meaningful_changes(&points, score.meaningful_change)
        .into_iter()
        .map(|i| data[i])
        .collect();
    let since = t.period.since(now);
    let xb = x_bounds(&data, since, now);
    let (lo, hi) = score.range;
    let boundaries: Vec<f64> = {
        let mut b: Vec<f64> = score
            .bands
            .iter()
            .map(|b| b.max)
            .filter(|m| *m < hi - 1e-9)
            .collect();
        b.sort_by(f64::total_cmp);
        b
    };
    let band_lines: Vec<Vec<(f64, f64)>> = boundaries
        .iter()
        .map(|y| vec![(xb[0], *y), (xb[1], *y)])
        .collect();

    let mut datasets = Vec::new();
    for line in &band_lines {
        datasets.push(
            Dataset::default()
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(style(Meaning::Muted, nc))
                .data(line),
        );
    }
    datasets.push(
        Dataset::default()
            .name(score.label.clone())
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(style(Meaning::Accent, nc))
            .data(&data),
    );
    if !marks.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(style(Meaning::Caution, nc))
                .data(&marks),
        );
    }
    let start = now + Duration::seconds((xb[0] * 86_400.0) as i64);
    let mid = now + Duration::seconds((xb[0] * 43_200.0) as i64);
    let x_labels: Vec<Span> = vec![
        Span::raw(
            start
                .with_timezone(&chrono::Local)
                .format("%-d %b")
                .to_string(),
        ),
        Span::raw(
            mid.with_timezone(&chrono::Local)
                .format("%-d %b")
                .to_string(),
        ),
        Span::raw(text::TODAY),
    ];
    // Axis labels are spread evenly by ratatui, so they must be evenly spaced
    // values; the band boundaries are named in the legend instead.
    let y_labels: Vec<f64> = (0..=4).map(|i| lo + (hi - lo) * i as f64 / 4.0).collect();
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds(xb)
                .labels(x_labels)
                .style(style(Meaning::Muted, nc)),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels(
                    y_labels
                        .iter()
                        .map(|v| Span::raw(fmt_number(*v)))
                        .collect::<Vec<_>>(),
                )
                .style(style(Meaning::Muted, nc)),
        )
        .legend_position(None);
    frame.render_widget(chart, chart_area);

    let bounds_text: Vec<String> = boundaries.iter().map(|b| fmt_number(*b)).collect();
    let legend = text::trend_legend(&bounds_text, score.meaningful_change);
    frame.render_widget(
        Paragraph::new(Line::styled(legend, style(Meaning::Muted, nc))),
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
