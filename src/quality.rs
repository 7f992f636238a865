//! How good are the digits? Scores computed on the host from what the judge
//! ([`crate::judge`]) says about a set of images: its class probabilities and its
//! penultimate-layer features.
//!
//! - Digit score: `exp(E[KL(p(y|x) ‖ p(y))])`, the MNIST analogue of the Inception score.
//!   High when each digit is clearly one class *and* the classes are spread evenly; 10 at most.
//! - Class shares: how often each digit is the judge's top class. Mode collapse shows here
//!   first.
//! - Fréchet distance between Gaussians fitted to the features of two image sets (FID's
//!   formula with the judge's features instead of Inception's): low when the sets look alike.
//!
//! Everything is f64 and plain loops: the matrices are 64×64, and the same code then gives the
//! same numbers natively and in the page.

use serde::{Deserialize, Serialize};

/// Latent seed of the digits the page's quality meter judges (and the tests that stand for
/// it): the same digits every time, so that scores over training steps compare like with like.
pub const SCORE_SEED: u64 = 0x5c07e;

/// Digits the page's quality meter judges each time: the judge file stores real MNIST's
/// baseline at this size.
pub const SCORE_N: usize = 500;

/// Digit classes.
pub const CLASSES: usize = 10;

/// `exp(mean over x of KL(p(y|x) ‖ p(y)))` for row-major `n × 10` probabilities.
pub fn digit_score(probs: &[f32]) -> f64 {
    let n = probs.len() / CLASSES;
    if n == 0 {
        return f64::NAN;
    }
    let mut marginal = [0f64; CLASSES];
    for row in probs.chunks_exact(CLASSES) {
        for (m, &p) in marginal.iter_mut().zip(row) {
            *m += p as f64 / n as f64;
        }
    }
    let kl_sum: f64 = probs
        .chunks_exact(CLASSES)
        .map(|row| {
            row.iter()
                .zip(&marginal)
                .filter(|(p, _)| **p > 0.0)
                .map(|(&p, &m)| p as f64 * ((p as f64).ln() - m.ln()))
                .sum::<f64>()
        })
        .sum();
    (kl_sum / n as f64).exp()
}

/// Share of the images whose most probable class is each digit (sums to 1).
pub fn class_shares(probs: &[f32]) -> [f64; CLASSES] {
    let n = probs.len() / CLASSES;
    let mut shares = [0f64; CLASSES];
    for row in probs.chunks_exact(CLASSES) {
        shares[argmax(row)] += 1.0 / n as f64;
    }
    shares
}

/// Index of the largest value (the first, on ties).
pub fn argmax(row: &[f32]) -> usize {
    row.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, &v)| {
            if v > best.1 { (i, v) } else { best }
        })
        .0
}

/// A Gaussian fitted to feature vectors: mean and covariance (n − 1 denominator).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gaussian {
    /// Feature dimension.
    pub dim: usize,
    /// Mean, `dim` values.
    pub mean: Vec<f64>,
    /// Covariance, `dim × dim`, row-major.
    pub cov: Vec<f64>,
}

impl Gaussian {
    /// Fits row-major `n × dim` features (n ≥ 2).
    pub fn fit(features: &[f32], dim: usize) -> Self {
        let n = features.len() / dim;
        let mut mean = vec![0f64; dim];
        for row in features.chunks_exact(dim) {
            for (m, &v) in mean.iter_mut().zip(row) {
                *m += v as f64;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n as f64);
        let mut cov = vec![0f64; dim * dim];
        let mut centred = vec![0f64; dim];
        for row in features.chunks_exact(dim) {
            for ((c, &v), m) in centred.iter_mut().zip(row).zip(&mean) {
                *c = v as f64 - m;
            }
            for i in 0..dim {
                let ci = centred[i];
                if ci != 0.0 {
                    for j in i..dim {
                        cov[i * dim + j] += ci * centred[j];
                    }
                }
            }
        }
        let denom = (n.max(2) - 1) as f64;
        for i in 0..dim {
            for j in i..dim {
                let v = cov[i * dim + j] / denom;
                cov[i * dim + j] = v;
                cov[j * dim + i] = v;
            }
        }
        Self { dim, mean, cov }
    }

    /// Fréchet distance to `other`:
    /// `‖μ₁ − μ₂‖² + tr(Σ₁) + tr(Σ₂) − 2·tr((Σ₁^½ Σ₂ Σ₁^½)^½)`.
    ///
    /// The last trace is taken through a symmetric matrix (rather than `sqrtm(Σ₁Σ₂)` as in
    /// most FID code), so it needs only symmetric eigendecompositions, which are stable even
    /// when a covariance is singular (ReLU features often are).
    pub fn frechet(&self, other: &Gaussian) -> f64 {
        assert_eq!(self.dim, other.dim, "feature dimensions differ");
        let d = self.dim;
        let mean_term: f64 = self
            .mean
            .iter()
            .zip(&other.mean)
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        let trace = |m: &[f64]| (0..d).map(|i| m[i * d + i]).sum::<f64>();
        let root = sym_sqrt(&self.cov, d);
        let inner = matmul(&matmul(&root, &other.cov, d), &root, d);
        let (values, _) = sym_eigen(&inner, d);
        let cross: f64 = values.iter().map(|v| v.max(0.0).sqrt()).sum();
        (mean_term + trace(&self.cov) + trace(&other.cov) - 2.0 * cross).max(0.0)
    }
}

/// Product of two `d × d` row-major matrices.
fn matmul(a: &[f64], b: &[f64], d: usize) -> Vec<f64> {
    let mut out = vec![0f64; d * d];
    for i in 0..d {
        for k in 0..d {
            let aik = a[i * d + k];
            if aik != 0.0 {
                for j in 0..d {
                    out[i * d + j] += aik * b[k * d + j];
                }
            }
        }
    }
    out
}

/// Square root of a symmetric positive semi-definite matrix (negative eigenvalues, which are
/// rounding noise, are taken as 0).
fn sym_sqrt(m: &[f64], d: usize) -> Vec<f64> {
    let (values, vectors) = sym_eigen(m, d);
    let mut out = vec![0f64; d * d];
    for (k, v) in values.iter().enumerate() {
        let s = v.max(0.0).sqrt();
        if s == 0.0 {
            continue;
        }
        for i in 0..d {
            let vik = vectors[i * d + k] * s;
            for j in 0..d {
                out[i * d + j] += vik * vectors[j * d + k];
            }
        }
    }
    out
}

/// Eigenvalues and eigenvectors (as columns, row-major `d × d`) of a symmetric matrix, by
/// cyclic Jacobi rotations: slow for big matrices, exact to rounding and simple for 64×64.
pub fn sym_eigen(m: &[f64], d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = m.to_vec();
    let mut v = vec![0f64; d * d];
    (0..d).for_each(|i| v[i * d + i] = 1.0);
    let scale: f64 = a
        .iter()
        .map(|x| x * x)
        .sum::<f64>()
        .sqrt()
        .max(f64::MIN_POSITIVE);
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * d + j] * a[i * d + j])
            .sum::<f64>()
            .sqrt();
        if off <= 1e-15 * scale {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = a[p * d + q];
                if apq.abs() <= 1e-300 {
                    continue;
                }
                let theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let akp = a[k * d + p];
                    let akq = a[k * d + q];
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let apk = a[p * d + k];
                    let aqk = a[q * d + k];
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let vkp = v[k * d + p];
                    let vkq = v[k * d + q];
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..d).map(|i| a[i * d + i]).collect(), v)
}

/// The scores of one set of images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Images scored.
    pub n: usize,
    /// [`digit_score`], 1 to 10.
    pub digit_score: f64,
    /// [`class_shares`].
    pub class_shares: [f64; CLASSES],
    /// Fréchet distance of the images' features to the real test set's.
    pub frechet: f64,
    /// Mean pixel value in [0, 1].
    pub ink: f64,
}

/// What real MNIST scores, stored with the judge so that the page can draw the ceilings
/// without downloading the test set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The judge's accuracy on the 10,000 official test digits.
    pub test_accuracy: f64,
    /// Features of the whole test set: the Gaussian every Fréchet distance is measured to.
    pub test: Gaussian,
    /// Digit score of the test set: the ceiling for generated digits.
    pub test_digit_score: f64,
    /// Class shares of the test set as the judge sees them.
    pub test_class_shares: [f64; CLASSES],
    /// Mean ink of the test set.
    pub test_ink: f64,
    /// Scores of `n` real training digits against the test set, for several `n`: the
    /// baseline a generator's scores at the same `n` compare with (small samples score a
    /// larger Fréchet distance even when they are real).
    pub baselines: Vec<Score>,
}

impl Reference {
    /// The baseline measured at `n` images, or the nearest one above it.
    pub fn baseline(&self, n: usize) -> Option<&Score> {
        self.baselines
            .iter()
            .filter(|b| b.n >= n)
            .min_by_key(|b| b.n)
            .or_else(|| self.baselines.iter().max_by_key(|b| b.n))
    }
}
