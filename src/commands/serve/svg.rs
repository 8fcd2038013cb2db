//! The dashboard's charts, drawn on the server as SVG (no script, no library): daily
//! counters per stage, and saturation (new vs already seen per day).

use std::fmt::Write;

use super::html::esc;

/// Width of one day's bar, and the charts' height.
const BAR: usize = 14;
const HEIGHT: f64 = 48.0;

/// Bars of one daily series, oldest first (a missing day draws nothing), with its title.
pub fn bars(title: &str, days: &[String], values: &[Option<i64>]) -> String {
    let max = values.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let width = BAR * values.len().max(1);
    let mut h = String::new();
    let total: i64 = values.iter().flatten().sum();
    let _ = write!(
        h,
        "<figure class=chart><svg width=\"{width}\" height=\"{HEIGHT}\" role=img \
         aria-label=\"{t}\" viewBox=\"0 0 {width} {HEIGHT}\">",
        t = esc(title)
    );
    for (i, (day, v)) in days.iter().zip(values).enumerate() {
        let Some(v) = v else { continue };
        let tall = (*v.max(&0) as f64 / max * (HEIGHT - 2.0)).max(if *v > 0 { 1.0 } else { 0.0 });
        let _ = write!(
            h,
            "<rect x=\"{}\" y=\"{:.1}\" width=\"{}\" height=\"{tall:.1}\" fill=\"#47a\"><title>{}: {v}</title></rect>",
            i * BAR + 1,
            HEIGHT - tall,
            BAR - 2,
            esc(day)
        );
    }
    let _ = write!(
        h,
        "</svg><figcaption>{} · {total} in {} days</figcaption></figure>",
        esc(title),
        values.len()
    );
    h
}

/// New (blue) under already-seen (grey) per day: saturation at a glance.
pub fn saturation(days: &[(String, i64, i64)]) -> String {
    let max = days.iter().map(|(_, n, s)| n + s).max().unwrap_or(0).max(1) as f64;
    let width = BAR * days.len().max(1);
    let mut h = String::new();
    let _ = write!(
        h,
        "<figure class=chart><svg width=\"{width}\" height=\"{HEIGHT}\" role=img \
         aria-label=\"saturation\" viewBox=\"0 0 {width} {HEIGHT}\">"
    );
    for (i, (day, new, seen)) in days.iter().enumerate() {
        let scale = |v: i64| v.max(0) as f64 / max * (HEIGHT - 2.0);
        let (n, s) = (scale(*new), scale(*seen));
        let x = i * BAR + 1;
        let _ = write!(
            h,
            "<rect x=\"{x}\" y=\"{:.1}\" width=\"{w}\" height=\"{n:.1}\" fill=\"#47a\"><title>{d}: {new} new</title></rect>\
             <rect x=\"{x}\" y=\"{:.1}\" width=\"{w}\" height=\"{s:.1}\" fill=\"#aaa\"><title>{d}: {seen} already seen</title></rect>",
            HEIGHT - n,
            HEIGHT - n - s,
            w = BAR - 2,
            d = esc(day)
        );
    }
    h.push_str("</svg><figcaption>new (blue) vs already seen (grey) per day</figcaption></figure>");
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn draws_escaped_bars() {
        let svg = super::bars("<x>", &["d1".into(), "d2".into()], &[Some(3), None]);
        assert!(svg.contains("&lt;x&gt;") && svg.matches("<rect").count() == 1);
        let svg = super::saturation(&[("d".into(), 1, 3)]);
        assert_eq!(svg.matches("<rect").count(), 2);
    }
}
