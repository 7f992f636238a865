//! How like their training data are the images a GAN draws, when no classifier of that data
//! exists? The digit judge ([`crate::judge`]) knows only MNIST: on a visitor's own images the
//! page's meter and `ganvas eval --data` show these measures instead, each beside the same
//! measure of the data's own images, so that a reader sees what "as good as the data" reads:
//!
//! - **Fréchet distance on 7×7 pixels**: each image average-pooled to 7×7 (49 values in
//!   [0, 1]), Gaussians fitted, FID's formula. No learned features, so no classifier is
//!   pretended: it compares where the ink lies, coarsely, not style.
//! - **Mean ink**, against the data's.
//! - **Nearest training image** (pixel distance, as [`crate::nearest`]): a median far above
//!   the data's own is blur or noise; far below it, copying.
//! - **Class match** (conditional nets): the share of images nearer (7×7 pixels) to the mean
//!   of the class they were asked for than to any other class's mean.

use crate::data::{Mnist, mean_ink};
use crate::nearest::nearest;
use crate::quality::Gaussian;
use crate::{IMAGE_PIXELS, IMAGE_SIDE};
use serde::Serialize;

/// Pooling window: 28×28 → 7×7.
const POOL: usize = 4;
/// Values per pooled image.
pub const FEATURES: usize = (IMAGE_SIDE / POOL) * (IMAGE_SIDE / POOL);
/// Images each measure takes (generated, and the data's own for the baseline).
pub const LIKENESS_N: usize = 500;
/// Of those, how many are looked up among the training images (a scan each).
pub const NEAREST_N: usize = 64;
/// At most this many training images stand for the data (the Gaussian, the scans), so that a
/// measure stays a fraction of a second on a 60,000-image set.
pub const REFERENCE_MAX: usize = 10_000;
/// Seed of the data's images the baseline measures, and of the reference subset.
const SEED: u64 = 0x11e_1e55;

/// The feature space, in words, for the page and the CLI to name.
pub const FEATURE_SPACE: &str = "7×7 average-pooled pixels";

/// Row-major `n × 49` features: each image's mean pixel (in [0, 1]) over 4×4 blocks.
pub fn pooled(images: &[u8]) -> Vec<f32> {
    let side = IMAGE_SIDE / POOL;
    let mut out = Vec::with_capacity(images.len() / IMAGE_PIXELS * FEATURES);
    for image in images.chunks_exact(IMAGE_PIXELS) {
        for by in 0..side {
            for bx in 0..side {
                let mut sum = 0u32;
                for y in by * POOL..(by + 1) * POOL {
                    let row = &image[y * IMAGE_SIDE + bx * POOL..][..POOL];
                    sum += row.iter().map(|&p| p as u32).sum::<u32>();
                }
                out.push(sum as f32 / (POOL * POOL * 255) as f32);
            }
        }
    }
    out
}

/// The measures of one set of images.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Likeness {
    /// Images measured.
    pub n: usize,
    /// Fréchet distance of their 7×7 features to the data's.
    pub frechet: f64,
    /// Mean pixel value in [0, 1].
    pub ink: f64,
    /// Median pixel distance of [`NEAREST_N`] of them to their nearest training image (for the
    /// data's own images: the nearest *other* one).
    pub nearest: f64,
    /// Share nearer to the mean of their class than of any other (None without classes).
    pub class_match: Option<f64>,
}

/// The data, summarised once for every measure: its reference images, their Gaussian and class
/// means, and the data's own [`Likeness`] (the baseline).
#[derive(Debug, Clone)]
pub struct DataLikeness {
    reference: Mnist,
    gaussian: Gaussian,
    /// Per class, the mean 7×7 features (only when there are two or more classes).
    means: Vec<Vec<f32>>,
    /// What the data's own images measure.
    pub baseline: Likeness,
}

impl DataLikeness {
    /// Summarises `data`; `classes`: how many it has (0 or 1: none to match).
    pub fn new(data: &Mnist, classes: usize) -> crate::Result<Self> {
        let reference = if data.len() > REFERENCE_MAX {
            let (pixels, labels) = data.gather(&data.pick(REFERENCE_MAX, SEED));
            Mnist::from_parts(pixels, labels)?
        } else {
            data.clone()
        };
        let features = pooled(reference.images());
        let gaussian = Gaussian::fit(&features, FEATURES);
        let means = if classes >= 2 {
            class_means(&features, reference.labels(), classes)
        } else {
            Vec::new()
        };
        let mut this = Self {
            reference,
            gaussian,
            means,
            baseline: Likeness {
                n: 0,
                frechet: 0.0,
                ink: 0.0,
                nearest: 0.0,
                class_match: None,
            },
        };
        this.baseline = this.own();
        Ok(this)
    }

    /// The data's own images measured as generated ones are: [`LIKENESS_N`] of the reference
    /// images drawn at random with replacement (so that a small set too measures the spread
    /// of a sample, not 0), each one's nearest neighbour being another image.
    fn own(&self) -> Likeness {
        let picked = self.reference.pick(LIKENESS_N, SEED ^ 1);
        let (pixels, labels) = self.reference.gather(&picked);
        let mut measured = self.measure(&pixels, Some(&labels));
        let mut distances: Vec<f64> = picked
            .iter()
            .take(NEAREST_N)
            .map(|&i| {
                nearest(self.reference.image(i), &self.reference, 2)
                    .into_iter()
                    .find(|m| m.index != i)
                    .map_or(0.0, |m| m.distance as f64)
            })
            .collect();
        measured.nearest = median(&mut distances);
        measured
    }

    /// Measures `images` (n × 784 bytes, n ≥ 2), asked for `labels` when the net is
    /// conditional.
    pub fn measure(&self, images: &[u8], labels: Option<&[u8]>) -> Likeness {
        let features = pooled(images);
        let n = images.len() / IMAGE_PIXELS;
        let frechet = Gaussian::fit(&features, FEATURES).frechet(&self.gaussian);
        let mut distances: Vec<f64> = images
            .chunks_exact(IMAGE_PIXELS)
            .take(NEAREST_N)
            .map(|image| nearest(image, &self.reference, 1)[0].distance as f64)
            .collect();
        let class_match = match labels {
            Some(labels) if !self.means.is_empty() => {
                let hits = features
                    .chunks_exact(FEATURES)
                    .zip(labels)
                    .filter(|(f, l)| nearest_mean(f, &self.means) == **l as usize)
                    .count();
                Some(hits as f64 / n as f64)
            }
            _ => None,
        };
        Likeness {
            n,
            frechet,
            ink: mean_ink(images),
            nearest: median(&mut distances),
            class_match,
        }
    }
}

fn class_means(features: &[f32], labels: &[u8], classes: usize) -> Vec<Vec<f32>> {
    let mut sums = vec![vec![0f64; FEATURES]; classes];
    let mut counts = vec![0usize; classes];
    for (f, &l) in features.chunks_exact(FEATURES).zip(labels) {
        counts[l as usize] += 1;
        for (s, &v) in sums[l as usize].iter_mut().zip(f) {
            *s += v as f64;
        }
    }
    sums.into_iter()
        .zip(counts)
        .map(|(s, c)| s.iter().map(|v| (v / c.max(1) as f64) as f32).collect())
        .collect()
}

/// Index of the mean nearest to `f` (squared Euclidean distance).
fn nearest_mean(f: &[f32], means: &[Vec<f32>]) -> usize {
    let d2 = |m: &Vec<f32>| -> f32 { m.iter().zip(f).map(|(a, b)| (a - b) * (a - b)).sum() };
    (0..means.len())
        .min_by(|&a, &b| d2(&means[a]).total_cmp(&d2(&means[b])))
        .unwrap_or(0)
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
