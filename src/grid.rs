//! Digits as a PNG grid, for people to look at (native only).

use crate::error::Result;
use crate::model::IMAGE_SIDE;

/// Writes `digits` (each 784 bytes, 0 = background) as a grid `cols` wide, 2-pixel gutters,
/// scaled `scale`× with white ink on black like the MNIST papers.
pub fn write_png(
    path: &std::path::Path,
    digits: &[&[u8]],
    cols: usize,
    scale: usize,
) -> Result<()> {
    let cols = cols.max(1);
    let rows = digits.len().div_ceil(cols).max(1);
    let gap = 2;
    let cell = IMAGE_SIDE * scale;
    let (w, h) = (cols * (cell + gap) + gap, rows * (cell + gap) + gap);
    let mut pixels = vec![40u8; w * h];
    for (i, digit) in digits.iter().enumerate() {
        let (ox, oy) = (
            gap + (i % cols) * (cell + gap),
            gap + (i / cols) * (cell + gap),
        );
        for y in 0..cell {
            for x in 0..cell {
                pixels[(oy + y) * w + ox + x] = digit[(y / scale) * IMAGE_SIDE + x / scale];
            }
        }
    }
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut encoder = png::Encoder::new(file, w as u32, h as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    writer
        .write_image_data(&pixels)
        .map_err(std::io::Error::other)?;
    writer.finish().map_err(std::io::Error::other)?;
    Ok(())
}
