//! Medians, percentiles and the formatting of the report.
use std::time::Duration;

/// The `q` quantile (0.0 to 1.0) of `samples`, by nearest rank.
pub(crate) fn quantile(samples: &[Duration], q: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub(crate) fn median(samples: &[Duration]) -> Duration {
    quantile(samples, 0.5)
}

/// `ours / floor`, to two decimals.
pub(crate) fn ratio(ours: f64, floor: f64) -> String {
    if floor == 0.0 {
        return "n/a".to_owned();
    }
    format!("{:.3}", ours / floor)
}

pub(crate) fn micros(duration: Duration) -> String {
    format!("{:.1} µs", duration.as_secs_f64() * 1e6)
}

pub(crate) fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        let samples: Vec<_> = (1..=5).map(Duration::from_millis).collect();
        assert_eq!(median(&samples), Duration::from_millis(3));
        assert_eq!(quantile(&samples, 0.9), Duration::from_millis(5));
        assert_eq!(median(&[]), Duration::ZERO);
        assert_eq!(ratio(1.0, 0.0), "n/a");
        assert_eq!(ratio(105.0, 100.0), "1.050");
    }
}
