//! Latent vectors from a seed, and generated pixels as bytes.
//!
//! Latents are drawn on the host from a portable RNG (ChaCha, Box–Muller), never from a
//! backend's RNG: `ganvas sample --seed 7` then gives the same digits natively, on WebGPU and
//! in the page, and a saved-then-loaded model can be checked sample for sample.

use burn::prelude::*;
use rand::{Rng, SeedableRng, rngs::StdRng};

/// `n × latent` standard-normal values, row-major, determined by `seed` alone.
pub fn normal_latents(n: usize, latent: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    normal_vec(&mut rng, n * latent)
}

/// Generator inputs for `n` samples of `seed`: each row is z (`latent` values, the same as
/// [`normal_latents`]) and, for a conditional generator (`classes` > 0), the one-hot label of
/// digit `i % classes` — rows of ten show 0 to 9. Unconditional inputs are z alone.
pub fn inputs(n: usize, latent: usize, classes: usize, seed: u64) -> Vec<f32> {
    let z = normal_latents(n, latent, seed);
    if classes == 0 {
        return z;
    }
    with_labels(&z, &labels_in_turn(n, classes), latent, classes)
}

/// Labels 0, 1, …, `classes` − 1, 0, 1, … for `n` rows (all 0 for an unconditional net): a
/// conditional generator's rows of ten read 0 to 9.
pub fn labels_in_turn(n: usize, classes: usize) -> Vec<u8> {
    (0..n).map(|i| (i % classes.max(1)) as u8).collect()
}

/// Rows of z (`latent` values each) followed by the one-hot of each row's label.
pub fn with_labels(z: &[f32], labels: &[u8], latent: usize, classes: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(labels.len() * (latent + classes));
    for (row, &label) in z.chunks_exact(latent).zip(labels) {
        out.extend_from_slice(row);
        out.extend((0..classes).map(|c| if c == label as usize { 1.0 } else { 0.0 }));
    }
    out
}

/// One-hot rows for `labels`: a `[labels.len(), classes]` tensor on `device`.
pub fn one_hot(labels: &[u8], classes: usize, device: &Device) -> Tensor<2> {
    let mut values = vec![0f32; labels.len() * classes];
    for (row, &label) in labels.iter().enumerate() {
        values[row * classes + label as usize] = 1.0;
    }
    Tensor::from_data(TensorData::new(values, [labels.len(), classes]), device)
}

/// `len` standard-normal values from `rng` (Box–Muller; portable across platforms).
pub fn normal_vec(rng: &mut StdRng, len: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(len + 1);
    while out.len() < len {
        // u1 in (0, 1] so that ln(u1) is finite.
        let u1: f64 = 1.0 - rng.random::<f64>();
        let u2: f64 = rng.random::<f64>();
        let r = (-2.0 * u1.ln()).sqrt();
        let theta = std::f64::consts::TAU * u2;
        out.push((r * theta.cos()) as f32);
        out.push((r * theta.sin()) as f32);
    }
    out.truncate(len);
    out
}

/// Row-major generator inputs (`len` a multiple of `width`) as a `[len / width, width]` tensor.
pub fn latents_from(values: &[f32], width: usize, device: &Device) -> Tensor<2> {
    let n = values.len() / width;
    Tensor::from_data(
        TensorData::new(values[..n * width].to_vec(), [n, width]),
        device,
    )
}

/// Generated pixels in [-1, 1] to MNIST bytes: 0 = background, 255 = ink.
pub fn pixels_to_u8(pixels: &[f32]) -> Vec<u8> {
    pixels
        .iter()
        .map(|&p| {
            // NaN maps to 0 through the saturating cast; callers check finiteness first.
            (((p + 1.0) * 0.5 * 255.0).round()).clamp(0.0, 255.0) as u8
        })
        .collect()
}

/// MNIST bytes to network input in [-1, 1], the inverse of [`pixels_to_u8`].
pub fn u8_to_pixels(bytes: &[u8]) -> Vec<f32> {
    bytes.iter().map(|&b| b as f32 / 127.5 - 1.0).collect()
}

/// Reads generated images back as MNIST bytes, refusing non-finite pixels rather than
/// drawing them as black (native: synchronous readback).
#[cfg(not(target_arch = "wasm32"))]
pub fn images_to_u8(images: Tensor<2>) -> crate::Result<Vec<u8>> {
    let data = images
        .try_into_data()
        .map_err(|e| crate::Error::Device(e.to_string()))?;
    data_to_u8(data)
}

/// Like [`images_to_u8`], with an asynchronous readback (required on WebGPU).
pub async fn images_to_u8_async(images: Tensor<2>) -> crate::Result<Vec<u8>> {
    let data = images
        .into_data_async()
        .await
        .map_err(|e| crate::Error::Device(e.to_string()))?;
    data_to_u8(data)
}

fn data_to_u8(data: TensorData) -> crate::Result<Vec<u8>> {
    let pixels = data
        .try_into_vec::<f32>()
        .map_err(|e| crate::Error::Device(format!("{e:?}")))?;
    if pixels.iter().any(|p| !p.is_finite()) {
        return Err(crate::Error::Weights(
            "the generator produced non-finite pixels (NaN/∞ weights?)".into(),
        ));
    }
    Ok(pixels_to_u8(&pixels))
}

/// Generator inputs from z rows (`latent` values each) and, for a conditional generator
/// (`classes` > 0), one label per row: what the page's `generate(z, labels)` takes, checked
/// so that a wrong length or label is refused with the reason rather than drawn wrong.
pub fn compose(z: &[f32], labels: &[u8], latent: usize, classes: usize) -> crate::Result<Vec<f32>> {
    let n = z.len() / latent.max(1);
    if n == 0 || z.len() != n * latent {
        return Err(crate::Error::Config(format!(
            "{} z values are not a whole number of latent vectors of {latent}",
            z.len()
        )));
    }
    if classes == 0 {
        return Ok(z.to_vec());
    }
    if labels.len() != n || labels.iter().any(|&l| l as usize >= classes) {
        return Err(crate::Error::Config(format!(
            "a conditional generator needs one label 0–{} per latent vector: {n} vectors, labels {labels:?}",
            classes - 1
        )));
    }
    Ok(with_labels(z, labels, latent, classes))
}

/// Spherical interpolation between two latent vectors at `t` ∈ [0, 1]: it stays on the shell
/// where z ~ N(0, I) lives, so the digits along it look like samples (a straight line through
/// the origin passes digits of too little norm); nearly parallel vectors go in a straight line.
pub fn slerp(a: &[f32], b: &[f32], t: f32) -> Vec<f32> {
    // The ends exactly: a morph's first and last digits are the two digits themselves.
    if t <= 0.0 {
        return a.to_vec();
    }
    if t >= 1.0 {
        return b.to_vec();
    }
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    let omega = (dot / (norm(a) * norm(b))).clamp(-1.0, 1.0).acos();
    // NaN (a zero vector) goes the straight way too.
    if omega.is_nan() || omega < 1e-4 {
        return a.iter().zip(b).map(|(x, y)| x + (y - x) * t).collect();
    }
    let (wa, wb) = (
        ((1.0 - t) * omega).sin() / omega.sin(),
        (t * omega).sin() / omega.sin(),
    );
    a.iter().zip(b).map(|(x, y)| wa * x + wb * y).collect()
}

/// One end of a morph: a latent vector and, for a conditional generator, the label it asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// `latent` values.
    pub z: Vec<f32>,
    /// The class asked for (None for an unconditional generator).
    pub label: Option<u8>,
}

/// Generator inputs along a morph from `from` to `to`, one row per `at` ∈ [0, 1]: z along the
/// sphere ([`slerp`]), and a conditional generator's one-hot labels blended linearly (halfway
/// between a 3 and an 8 asks for half of each).
pub fn morph(
    from: &Point,
    to: &Point,
    at: &[f32],
    latent: usize,
    classes: usize,
) -> crate::Result<Vec<f32>> {
    if [from, to].iter().any(|p| p.z.len() != latent) {
        return Err(crate::Error::Config(format!(
            "a morph's ends are one latent vector of {latent} values each"
        )));
    }
    // Each end's one-hot label (nothing for an unconditional generator).
    let one_hot = |p: &Point| -> crate::Result<Vec<f32>> {
        let labels: Vec<u8> = p.label.into_iter().collect();
        Ok(compose(&p.z, &labels, latent, classes)?[latent..].to_vec())
    };
    let (a, b) = (one_hot(from)?, one_hot(to)?);
    let mut out = Vec::with_capacity(at.len() * (latent + classes));
    for &t in at {
        let t = t.clamp(0.0, 1.0);
        out.extend(slerp(&from.z, &to.z, t));
        out.extend(a.iter().zip(&b).map(|(x, y)| x + (y - x) * t));
    }
    Ok(out)
}

/// The page's grid of digits (and `ganvas train --timelapse`'s frames): `rows × cols` latent
/// vectors of [`crate::defaults::GRID_SEED`], and for a conditional generator the label of
/// each cell: rows that read 0, 1, … (`digit` None), or every cell asking for `digit`, each
/// from its own z. The same z whatever the digit, so a picked digit keeps each cell's style.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Digits across.
    pub cols: usize,
    /// Digits down.
    pub rows: usize,
    /// `cols × rows` latent vectors, row-major.
    pub z: Vec<f32>,
    /// Each cell's label (empty for an unconditional generator).
    pub labels: Vec<u8>,
    /// The digit every cell asks for, if one was picked.
    pub digit: Option<u8>,
}

impl Grid {
    /// The grid of a generator with `latent` z values and `classes` (0: unconditional); a
    /// `digit` it cannot draw is refused with the reason.
    pub fn new(latent: usize, classes: usize, digit: Option<u8>) -> crate::Result<Self> {
        use crate::defaults::{GRID_ROWS, GRID_SEED, grid_cols};
        let cols = grid_cols(classes);
        let n = cols * GRID_ROWS;
        let digit = match digit {
            Some(d) if classes == 0 || d as usize >= classes => {
                return Err(crate::Error::Config(format!(
                    "digit {d}: this generator draws {}",
                    if classes == 0 {
                        "no digit on request (it is unconditional)".to_string()
                    } else {
                        format!("classes 0–{}", classes - 1)
                    }
                )));
            }
            d => d,
        };
        let labels = match (classes, digit) {
            (0, _) => Vec::new(),
            (_, Some(d)) => vec![d; n],
            (c, None) => labels_in_turn(n, c),
        };
        Ok(Self {
            cols,
            rows: GRID_ROWS,
            z: normal_latents(n, latent, GRID_SEED),
            labels,
            digit,
        })
    }
}
