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
    let labels: Vec<u8> = (0..n).map(|i| (i % classes) as u8).collect();
    with_labels(&z, &labels, latent, classes)
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
