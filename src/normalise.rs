//! Any greyscale image → a 28×28 training image, the way MNIST's digits were made (LeCun et
//! al.): the ink's bounding box scaled to fit 20×20 keeping its aspect ratio, with grey levels
//! from the scaling (anti-aliasing), then placed in the 28×28 field so that its centre of mass
//! is the field's centre. Dark ink on a light background (a scan, a photo of paper, a black pen
//! on a white canvas) is inverted first: MNIST's ink is light on black.
//!
//! One function for the page and the CLI: the browser decodes the files (`createImageBitmap`),
//! the CLI with the `image` crate, and both hand greyscale pixels to [`normalise`].

use crate::error::{Error, Result};
use crate::model::{IMAGE_PIXELS, IMAGE_SIDE};

/// The side of the box MNIST fitted each digit's ink into, inside the 28×28 field.
pub const INK_BOX: usize = 20;

/// A pixel counts as ink (for the bounding box) above this share of the image's strongest ink:
/// faint specks and compression noise do not stretch the box.
const INK_SHARE: f32 = 0.1;

/// A greyscale image as decoded: `width × height` bytes, row by row, 0 = black, 255 = white.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Grey {
    /// Checks that the pixels fill `width × height`.
    pub fn new(width: usize, height: usize, pixels: Vec<u8>) -> Result<Self> {
        if width == 0 || height == 0 {
            return Err(Error::Images(format!(
                "an image of {width}×{height} pixels is empty"
            )));
        }
        if width.checked_mul(height) != Some(pixels.len()) {
            return Err(Error::Images(format!(
                "{} bytes of pixels for a {width}×{height} image",
                pixels.len()
            )));
        }
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// From RGBA bytes (what a canvas gives): luma (ITU-R BT.601), transparent pixels read as
    /// the background (so that a drawing on a transparent canvas is ink on a white page).
    pub fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Result<Self> {
        if width.checked_mul(height).and_then(|n| n.checked_mul(4)) != Some(rgba.len()) {
            return Err(Error::Images(format!(
                "{} bytes of RGBA for a {width}×{height} image",
                rgba.len()
            )));
        }
        let pixels = rgba
            .chunks_exact(4)
            .map(|p| {
                let luma = 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32;
                let alpha = p[3] as f32 / 255.0;
                (luma * alpha + 255.0 * (1.0 - alpha)).round() as u8
            })
            .collect();
        Self::new(width, height, pixels)
    }
}

/// How an image's ink was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    /// Light ink on a dark background, as MNIST: kept.
    LightOnDark,
    /// Dark ink on a light background: inverted.
    DarkOnLight,
}

/// The image's background, from its border: light when the border's median is above mid-grey.
pub fn polarity(image: &Grey) -> Polarity {
    let (w, h) = (image.width, image.height);
    let mut border: Vec<u8> = (0..w)
        .flat_map(|x| [image.pixels[x], image.pixels[(h - 1) * w + x]])
        .chain((0..h).flat_map(|y| [image.pixels[y * w], image.pixels[y * w + w - 1]]))
        .collect();
    border.sort_unstable();
    if border[border.len() / 2] > 127 {
        Polarity::DarkOnLight
    } else {
        Polarity::LightOnDark
    }
}

/// A 28×28 training image (0 = background, 255 = ink) and how its ink was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalised {
    pub pixels: Vec<u8>,
    pub polarity: Polarity,
}

/// MNIST's normalisation of one image (see the module's doc). An image without ink (every
/// pixel the background's tone) is refused with the reason.
pub fn normalise(image: &Grey) -> Result<Normalised> {
    let polarity = polarity(image);
    // Ink as 0..=1 above the background's level (the border's darkest tone after inversion).
    let ink: Vec<f32> = image
        .pixels
        .iter()
        .map(|&v| match polarity {
            Polarity::LightOnDark => v,
            Polarity::DarkOnLight => 255 - v,
        } as f32)
        .collect();
    let background = border_min(&ink, image.width, image.height);
    let span = 255.0 - background;
    let ink: Vec<f32> = ink
        .iter()
        .map(|&v| {
            if span > 0.0 {
                ((v - background) / span).max(0.0)
            } else {
                0.0
            }
        })
        .collect();
    let strongest = ink.iter().copied().fold(0.0, f32::max);
    if strongest <= 0.0 {
        return Err(Error::Images(
            "the image has no ink: every pixel is the background's tone".into(),
        ));
    }
    let (x0, y0, x1, y1) = bounding_box(&ink, image.width, strongest * INK_SHARE);
    let (bw, bh) = (x1 - x0, y1 - y0);
    // The longer side becomes 20 pixels; the other keeps the aspect ratio (at least 1 pixel).
    let scale = INK_BOX as f32 / bw.max(bh) as f32;
    let (tw, th) = (
        ((bw as f32 * scale).round() as usize).clamp(1, INK_BOX),
        ((bh as f32 * scale).round() as usize).clamp(1, INK_BOX),
    );
    let fitted = resample(&ink, image.width, (x0, y0, bw, bh), tw, th);
    Ok(Normalised {
        pixels: centre(&fitted, tw),
        polarity,
    })
}

/// The lowest value on the image's border: the background's level.
fn border_min(v: &[f32], w: usize, h: usize) -> f32 {
    let at = |x: usize, y: usize| v[y * w + x];
    (0..w)
        .flat_map(|x| [at(x, 0), at(x, h - 1)])
        .chain((0..h).flat_map(|y| [at(0, y), at(w - 1, y)]))
        .fold(f32::INFINITY, f32::min)
}

/// The smallest box `[x0, x1) × [y0, y1)` holding every pixel above `threshold`.
fn bounding_box(v: &[f32], w: usize, threshold: f32) -> (usize, usize, usize, usize) {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for (i, _) in v.iter().enumerate().filter(|(_, p)| **p > threshold) {
        let (x, y) = (i % w, i / w);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
    }
    (x0, y0, x1, y1)
}

/// The box `(x0, y0, bw, bh)` of `v` (rows of `w`) resampled to `tw × th` by area: each target
/// pixel is the mean of the source area it covers, pixels cut by its edges weighted by the part
/// inside. Shrinking averages (MNIST's anti-aliasing); enlarging repeats and blends edges.
fn resample(
    v: &[f32],
    w: usize,
    (x0, y0, bw, bh): (usize, usize, usize, usize),
    tw: usize,
    th: usize,
) -> Vec<f32> {
    let (sx, sy) = (bw as f32 / tw as f32, bh as f32 / th as f32);
    // Source pixels overlapping [a, b) along one axis, with the overlap of each.
    let spans = |a: f32, b: f32| {
        let first = a.floor() as usize;
        let last = (b.ceil() as usize).max(first + 1);
        (first..last).map(move |i| (i, (b.min(i as f32 + 1.0) - a.max(i as f32)).max(0.0)))
    };
    let mut out = vec![0.0; tw * th];
    for ty in 0..th {
        for tx in 0..tw {
            let (mut sum, mut area) = (0.0, 0.0);
            for (yi, wy) in spans(ty as f32 * sy, (ty + 1) as f32 * sy) {
                for (xi, wx) in spans(tx as f32 * sx, (tx + 1) as f32 * sx) {
                    let (x, y) = ((x0 + xi).min(x0 + bw - 1), (y0 + yi).min(y0 + bh - 1));
                    sum += v[y * w + x] * wx * wy;
                    area += wx * wy;
                }
            }
            out[ty * tw + tx] = if area > 0.0 { sum / area } else { 0.0 };
        }
    }
    out
}

/// `fitted` (`tw × th`, ink 0..=1) placed in the 28×28 field with its centre of mass at the
/// field's centre (a whole-pixel shift, as MNIST), as bytes.
fn centre(fitted: &[f32], tw: usize) -> Vec<u8> {
    let (mut mass, mut mx, mut my) = (0.0f64, 0.0f64, 0.0f64);
    for (i, &p) in fitted.iter().enumerate() {
        let p = p as f64;
        mass += p;
        mx += p * ((i % tw) as f64 + 0.5);
        my += p * ((i / tw) as f64 + 0.5);
    }
    let half = IMAGE_SIDE as f64 / 2.0;
    let (dx, dy) = (
        (half - mx / mass).round() as isize,
        (half - my / mass).round() as isize,
    );
    let mut out = vec![0u8; IMAGE_PIXELS];
    for (i, &p) in fitted.iter().enumerate() {
        let (x, y) = ((i % tw) as isize + dx, (i / tw) as isize + dy);
        if (0..IMAGE_SIDE as isize).contains(&x) && (0..IMAGE_SIDE as isize).contains(&y) {
            out[y as usize * IMAGE_SIDE + x as usize] = (p * 255.0).round().clamp(0.0, 255.0) as u8;
        }
    }
    out
}
