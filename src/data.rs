//! MNIST in the IDX format (the format of the official files), checked on the way in.
//!
//! `pkg-scripts/data` writes each split as one gzip file holding the images IDX followed by
//! the labels IDX; [`Mnist::from_bundle`] reads the decompressed bytes. Natively
//! [`Mnist::load_gz`] also does the decompression; in the browser the page does it with
//! `DecompressionStream` and hands the bytes over.

use crate::error::{Error, Result};
use crate::latent::u8_to_pixels;
use crate::model::{IMAGE_PIXELS, IMAGE_SIDE};
use burn::prelude::*;
use rand::{Rng, rngs::StdRng};

/// IDX magic for unsigned bytes in 3 dimensions (images) and 1 dimension (labels).
pub(crate) const IMAGES_MAGIC: u32 = 0x0000_0803;
pub(crate) const LABELS_MAGIC: u32 = 0x0000_0801;

/// MNIST digits: `len() × 784` bytes (0 = background, 255 = ink) and their labels.
#[derive(Clone)]
pub struct Mnist {
    images: Vec<u8>,
    labels: Vec<u8>,
    /// One more than the highest label (see [`Mnist::classes`]).
    classes: usize,
}

impl std::fmt::Debug for Mnist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mnist({} digits)", self.len())
    }
}

/// The big-endian `u32` of an IDX header at byte `at`, if the bytes reach that far.
pub(crate) fn idx_u32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn read_u32(bytes: &[u8], at: usize, what: &str) -> Result<u32> {
    idx_u32(bytes, at)
        .ok_or_else(|| Error::Data(format!("{what}: file ends inside the IDX header")))
}

/// Parses an IDX images file. Returns the pixels and the number of bytes it took.
fn parse_images(bytes: &[u8]) -> Result<(Vec<u8>, usize)> {
    let magic = read_u32(bytes, 0, "images")?;
    if magic != IMAGES_MAGIC {
        return Err(Error::Data(format!(
            "images: magic number is 0x{magic:08x}, expected 0x{IMAGES_MAGIC:08x} \
             (not an IDX file of 28×28 unsigned-byte images)"
        )));
    }
    let n = read_u32(bytes, 4, "images")? as usize;
    let rows = read_u32(bytes, 8, "images")? as usize;
    let cols = read_u32(bytes, 12, "images")? as usize;
    if rows != IMAGE_SIDE || cols != IMAGE_SIDE {
        return Err(Error::Data(format!(
            "images are {rows}×{cols} pixels, expected {IMAGE_SIDE}×{IMAGE_SIDE}"
        )));
    }
    let len = n
        .checked_mul(IMAGE_PIXELS)
        .ok_or_else(|| Error::Data(format!("images: count {n} is too large")))?;
    let body = bytes.get(16..len.saturating_add(16)).ok_or_else(|| {
        Error::Data(format!(
            "images: header says {n} images ({len} bytes) but the file holds {} bytes of pixels \
             (truncated?)",
            bytes.len().saturating_sub(16)
        ))
    })?;
    Ok((body.to_vec(), 16 + len))
}

/// Parses an IDX labels file. Returns the labels and the number of bytes it took.
fn parse_labels(bytes: &[u8]) -> Result<(Vec<u8>, usize)> {
    let magic = read_u32(bytes, 0, "labels")?;
    if magic != LABELS_MAGIC {
        return Err(Error::Data(format!(
            "labels: magic number is 0x{magic:08x}, expected 0x{LABELS_MAGIC:08x} \
             (not an IDX file of unsigned-byte labels)"
        )));
    }
    let n = read_u32(bytes, 4, "labels")? as usize;
    let body = bytes.get(8..n.saturating_add(8)).ok_or_else(|| {
        Error::Data(format!(
            "labels: header says {n} labels but the file holds {} (truncated?)",
            bytes.len().saturating_sub(8)
        ))
    })?;
    Ok((body.to_vec(), 8 + n))
}

impl Mnist {
    /// From the two official IDX files' bytes (uncompressed).
    pub fn from_idx(images: &[u8], labels: &[u8]) -> Result<Self> {
        let (images, _) = parse_images(images)?;
        let (labels, _) = parse_labels(labels)?;
        Self::new(images, labels)
    }

    /// From a bundle: the images IDX immediately followed by the labels IDX, nothing after.
    pub fn from_bundle(bytes: &[u8]) -> Result<Self> {
        let (images, used) = parse_images(bytes)?;
        let (labels, used_l) = parse_labels(&bytes[used..])?;
        if used + used_l != bytes.len() {
            return Err(Error::Data(format!(
                "{} unexpected bytes after the labels",
                bytes.len() - used - used_l
            )));
        }
        Self::new(images, labels)
    }

    /// `n` blank digits (all background) labelled 0–9 in turn, for timing training steps,
    /// whose cost does not depend on the pixels ([`crate::speed`]); never shown or scored.
    pub fn blank(n: usize) -> Result<Self> {
        let labels = (0..n).map(|i| (i % 10) as u8).collect();
        Self::new(vec![0; n * IMAGE_PIXELS], labels)
    }

    /// From 28×28 images (`n × 784` bytes) and a label (0–9) each.
    pub fn from_parts(images: Vec<u8>, labels: Vec<u8>) -> Result<Self> {
        Self::new(images, labels)
    }

    fn new(images: Vec<u8>, labels: Vec<u8>) -> Result<Self> {
        if !images.len().is_multiple_of(IMAGE_PIXELS) {
            return Err(Error::Data(format!(
                "{} bytes of pixels is not a whole number of {IMAGE_SIDE}×{IMAGE_SIDE} images",
                images.len()
            )));
        }
        if let Some(bad) = labels.iter().find(|&&l| l > 9) {
            return Err(Error::Data(format!(
                "labels: found label {bad}, expected 0–9"
            )));
        }
        let n = images.len() / IMAGE_PIXELS;
        if n != labels.len() {
            return Err(Error::Data(format!(
                "{n} images but {} labels",
                labels.len()
            )));
        }
        if n == 0 {
            return Err(Error::Data("the dataset holds no images".into()));
        }
        let classes = labels.iter().max().map_or(1, |&l| l as usize + 1);
        Ok(Self {
            images,
            labels,
            classes,
        })
    }

    /// Reads a gzip bundle written by `pkg-scripts/data`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load_gz(path: impl AsRef<std::path::Path>) -> Result<Self> {
        use std::io::Read;
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| {
            Error::Data(format!(
                "cannot open {}: {e} (run pkg-scripts/data to fetch MNIST)",
                path.display()
            ))
        })?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Data(format!("{}: not a valid gzip file: {e}", path.display())))?;
        Self::from_bundle(&bytes)
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Never true: an empty dataset is rejected on load.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The 784 bytes of digit `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.images[i * IMAGE_PIXELS..(i + 1) * IMAGE_PIXELS]
    }

    /// The label (0–9) of digit `i`.
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }

    /// All pixels, row-major, `len() × 784`.
    pub fn images(&self) -> &[u8] {
        &self.images
    }

    /// All labels.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// Classes the labels use: one more than the highest (10 for MNIST). A conditional net
    /// asks for these only, so that it is not trained to draw classes the data lacks.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The bundle [`Mnist::from_bundle`] reads: the images IDX then the labels IDX. The page
    /// keeps own data this way (to hand it to a new module, to store it for a reload).
    pub fn to_bundle(&self) -> Vec<u8> {
        let n = self.len() as u32;
        let side = IMAGE_SIDE as u32;
        let mut out = Vec::with_capacity(24 + self.images.len() + self.labels.len());
        for word in [IMAGES_MAGIC, n, side, side] {
            out.extend_from_slice(&word.to_be_bytes());
        }
        out.extend_from_slice(&self.images);
        for word in [LABELS_MAGIC, n] {
            out.extend_from_slice(&word.to_be_bytes());
        }
        out.extend_from_slice(&self.labels);
        out
    }

    /// Mean pixel value in [0, 1] over the whole set ("mean ink").
    pub fn mean_ink(&self) -> f64 {
        mean_ink(&self.images)
    }

    /// A `[batch, 784]` tensor of digits drawn uniformly (with replacement), pixels in [-1, 1],
    /// and their labels.
    pub fn random_batch(
        &self,
        batch: usize,
        rng: &mut StdRng,
        device: &Device,
    ) -> (Tensor<2>, Vec<u8>) {
        let mut bytes = Vec::with_capacity(batch * IMAGE_PIXELS);
        let mut labels = Vec::with_capacity(batch);
        for _ in 0..batch {
            let i = rng.random_range(0..self.len());
            bytes.extend_from_slice(self.image(i));
            labels.push(self.label(i));
        }
        let images = Tensor::from_data(
            TensorData::new(u8_to_pixels(&bytes), [batch, IMAGE_PIXELS]),
            device,
        );
        (images, labels)
    }

    /// The pixels (784 bytes each) and labels of the digits at `indices`, in that order.
    pub fn gather(&self, indices: &[usize]) -> (Vec<u8>, Vec<u8>) {
        let pixels = indices
            .iter()
            .flat_map(|&i| self.image(i))
            .copied()
            .collect();
        (pixels, indices.iter().map(|&i| self.label(i)).collect())
    }

    /// Indices of `n` digits drawn at random with `seed` (the same seed, the same digits).
    pub fn pick(&self, n: usize, seed: u64) -> Vec<usize> {
        let mut rng = <StdRng as rand::SeedableRng>::seed_from_u64(seed);
        (0..n).map(|_| rng.random_range(0..self.len())).collect()
    }
}

/// Mean of bytes, scaled to [0, 1].
pub fn mean_ink(bytes: &[u8]) -> f64 {
    bytes.iter().map(|&b| b as u64).sum::<u64>() as f64 / (bytes.len().max(1) as f64 * 255.0)
}
