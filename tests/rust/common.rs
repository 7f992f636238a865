//! Helpers shared by the integration tests.
#![allow(dead_code)]
use burn::prelude::*;
use ganvas::data::Mnist;
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real MNIST training set, loaded once. The test command runs `pkg-scripts/data` first;
/// a missing file is a failure, not a skip, so CI cannot pass without real data.
pub fn mnist_train() -> &'static Mnist {
    static DATA: OnceLock<Mnist> = OnceLock::new();
    DATA.get_or_init(|| {
        Mnist::load_gz(root().join("www/data/mnist-train.gz"))
            .expect("MNIST missing: run pkg-scripts/data")
    })
}

/// The mean difference of two images' pixels, in grey levels of 255.
pub fn mean_difference(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| x.abs_diff(*y) as f64)
        .sum::<f64>()
        / a.len() as f64
}

/// The CPU device the tests run on.
pub fn cpu() -> Device {
    ganvas::backend::Backend::CPU.cpu_device().unwrap()
}

// Own training data the tests make themselves (tests/dataset.rs, tests/cli.rs): outlines of
// circles, squares and triangles in dark ink on white, at random sizes and places.

pub const SHAPES: [&str; 3] = ["circle", "square", "triangle"];

/// The distance from `p` to the segment `a`–`b`.
fn segment(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (ab, ap) = ((b.0 - a.0, b.1 - a.1), (p.0 - a.0, p.1 - a.1));
    let t = ((ap.0 * ab.0 + ap.1 * ab.1) / (ab.0 * ab.0 + ab.1 * ab.1)).clamp(0.0, 1.0);
    let (x, y) = (a.0 + t * ab.0 - p.0, a.1 + t * ab.1 - p.1);
    (x * x + y * y).sqrt()
}

/// A `side × side` white image with shape `kind` outlined in black, of random size and place.
pub fn shape(kind: usize, side: usize, rng: &mut StdRng) -> Vec<u8> {
    let mut img = vec![255u8; side * side];
    let s = side as f32;
    let r = rng.random_range(0.2..0.4) * s;
    let (cx, cy) = (rng.random_range(r..s - r), rng.random_range(r..s - r));
    let stroke = rng.random_range(0.04..0.08) * s;
    for y in 0..side {
        for x in 0..side {
            let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            // Distance to the outline, per shape.
            let d = match kind {
                0 => ((dx * dx + dy * dy).sqrt() - r).abs(),
                1 => (dx.abs().max(dy.abs()) - r).abs(),
                _ => {
                    // An upright triangle: its three sides.
                    let (h, w) = (r * 0.5, r * 0.87);
                    let corners = [(0.0, -r), (-w, h), (w, h)];
                    (0..3)
                        .map(|i| segment((dx, dy), corners[i], corners[(i + 1) % 3]))
                        .fold(f32::MAX, f32::min)
                }
            };
            if d < stroke {
                img[y * side + x] = 0;
            }
        }
    }
    img
}

/// `per_class` images of each shape, `side` pixels square, with their classes.
pub fn shapes(per_class: usize, side: usize, seed: u64) -> Vec<(usize, Vec<u8>)> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..per_class * SHAPES.len())
        .map(|i| (i % SHAPES.len(), shape(i % SHAPES.len(), side, &mut rng)))
        .collect()
}

pub fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ganvas-data-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The shapes as PNG files, a subfolder per class.
pub fn write_folder(dir: &Path, images: &[(usize, Vec<u8>)], side: usize) {
    for (i, (class, pixels)) in images.iter().enumerate() {
        let sub = dir.join(SHAPES[*class]);
        std::fs::create_dir_all(&sub).unwrap();
        save_png(&sub.join(format!("{i:04}.png")), side, pixels);
    }
}

/// A `side × side` greyscale image as a PNG file.
pub fn save_png(path: &Path, side: usize, pixels: &[u8]) {
    image::GrayImage::from_raw(side as u32, side as u32, pixels.to_vec())
        .unwrap()
        .save(path)
        .unwrap();
}
