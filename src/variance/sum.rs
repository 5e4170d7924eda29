//! Compensated summation: the exact quantities are sums over up to a million outcomes whose
//! terms differ by many orders of magnitude, so a plain running sum would lose digits.

/// A Neumaier (improved Kahan–Babuška) running sum: the rounding error of every addition is
/// carried separately, so the result is as if computed in about twice the precision.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    /// Add `x`.
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// The sum so far.
    pub fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// `Σ xs`, compensated.
pub fn sum(xs: impl IntoIterator<Item = f64>) -> f64 {
    let mut s = Sum::default();
    xs.into_iter().for_each(|x| s.add(x));
    s.value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_a_plain_sum_loses() {
        assert_eq!(sum([1.0, 1e100, 1.0, -1e100]), 2.0);
        assert_eq!(sum(std::iter::repeat_n(0.1, 10)), 1.0);
        assert_eq!(sum([]), 0.0);
    }
}
