//! Bar charts drawn on the server as SVG: readable without JavaScript, a picture with a title
//! and a description for screen readers, always shown beside a table of the same numbers.

use std::fmt::Write;

/// One day's value, with the running total to that day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    pub value: i64,
    pub running: i64,
}

/// At most this many days are drawn (the most recent ones).
const MAX_DAYS: i64 = 120;

/// Every day from the first to the last of `rows` (`(day number since 1970, value)`, oldest
/// first), days without a row at zero.
pub fn days(rows: &[(i64, i64)]) -> Vec<Day> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Vec::new();
    };
    let start = first.0.max(last.0 - MAX_DAYS + 1);
    let mut running: i64 = rows
        .iter()
        .filter(|(d, _)| *d < start)
        .map(|(_, v)| v)
        .sum();
    let mut out = Vec::new();
    let mut rows = rows.iter().filter(|(d, _)| *d >= start).peekable();
    for day in start..=last.0 {
        let value = match rows.peek() {
            Some((d, v)) if *d == day => {
                rows.next();
                *v
            }
            _ => 0,
        };
        running += value;
        let date = chrono::DateTime::from_timestamp(day * 86_400, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        out.push(Day {
            date,
            value,
            running,
        });
    }
    out
}

/// Text for inside SVG: `&`, `<`, `>` and quotes escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar per day, the largest value marked on the axis; `id` names the title and description.
pub fn bars(id: &str, title: &str, description: &str, days: &[Day]) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 200.0;
    const LEFT: f64 = 48.0;
    const BOTTOM: f64 = 24.0;
    let id = escape(id);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
    let max = days.iter().map(|d| d.value).max().unwrap_or(0).max(1);
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - BOTTOM - 8.0;
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"currentColor\"/>\
         <text x=\"{tx}\" y=\"14\" text-anchor=\"end\" font-size=\"12\" fill=\"currentColor\">{max}</text>\
         <text x=\"{tx}\" y=\"{y}\" text-anchor=\"end\" font-size=\"12\" fill=\"currentColor\">0</text>",
        y = 8.0 + plot_h,
        x2 = WIDTH - 8.0,
        tx = LEFT - 6.0,
    );
    if !days.is_empty() {
        let step = plot_w / days.len() as f64;
        let bar = (step * 0.8).max(1.0);
        for (i, d) in days.iter().enumerate() {
            let h = plot_h * d.value as f64 / max as f64;
            let _ = write!(
                svg,
                "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" \
                 fill=\"#1f6feb\"><title>{}: {}</title></rect>",
                LEFT + step * i as f64 + (step - bar) / 2.0,
                8.0 + plot_h - h,
                escape(&d.date),
                d.value
            );
        }
        let label_y = HEIGHT - 6.0;
        let _ = write!(
            svg,
            "<text x=\"{LEFT}\" y=\"{label_y}\" font-size=\"12\" fill=\"currentColor\">{}</text>\
             <text x=\"{}\" y=\"{label_y}\" text-anchor=\"end\" font-size=\"12\" fill=\"currentColor\">{}</text>",
            escape(&days[0].date),
            WIDTH - 8.0,
            escape(&days[days.len() - 1].date)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_days_are_zero_and_totals_run() {
        let d = days(&[(20_000, 2), (20_002, 3)]);
        let values: Vec<(i64, i64)> = d.iter().map(|d| (d.value, d.running)).collect();
        assert_eq!(values, [(2, 2), (0, 2), (3, 5)]);
        assert_eq!(d[0].date, "2024-10-04");
        assert!(days(&[]).is_empty());
    }

    #[test]
    fn a_chart_has_a_bar_per_day_and_says_what_it_shows() {
        let d = days(&[(20_000, 2), (20_002, 3)]);
        let svg = bars("c", "Letters <by> day", "Most: 3", &d);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("<title id=\"c-title\">Letters &lt;by&gt; day</title>"));
        assert!(svg.contains("aria-labelledby=\"c-title c-desc\""));
    }
}
