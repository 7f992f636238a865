//! Weights stored in 8 or 4 bits: the pretrained generator is the largest thing the page
//! downloads before its first grid, and a dense layer's weights survive a few bits per value
//! when each small block of a column has its own scale.
//!
//! A quantized section lists the module's float parameters in the order burn visits them
//! (the order of the fields in `model.rs`), each as
//!
//! ```text
//! u8       bits: 32 (raw f32), 8 or 4
//! u8       rank R, then R × u32 LE dimensions
//! bits 32: f32 LE values
//! else:    u32 LE block B (rows per scale), f16 LE column scales [cols],
//!          u8 block steps [⌈rows/B⌉ × cols] (a block's scale = its column's × step / 255),
//!          values: i8 (bits 8) or two 4-bit values per byte, low nibble first, each stored
//!          as value + 8 (bits 4), row-major
//! ```
//!
//! Matrices (`[inputs, outputs]` in burn's `Linear`) are quantized symmetrically per block of
//! `B` rows of one column: `w ≈ q · scale`, `scale ≥ max|w| / (2^(bits-1) - 1)`. A convolution's
//! kernel (`[in, out, k, k]` transposed, `[out, in, k, k]` plain) is read as a matrix of its first
//! dimension's rows by the product of the rest: one column per output channel and kernel tap of a
//! transposed convolution, so its blocks span input channels as a dense layer's span inputs. The block
//! scales are themselves stored in 8 bits against their column's largest one (as QLoRA's
//! "double quantization" does): an f16 per block would be a fifth of a 4-bit file. Biases and other
//! vectors stay f32: they are a few kilobytes. Loading dequantizes on the host and uploads f32
//! tensors, so the network computes exactly as it does from an f32 file of those values.

use crate::error::{Error, Result};
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;
use burn::tensor::{TensorData, f16};

/// How a generator's weights are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
pub enum Storage {
    /// 32-bit floats, as trained.
    F32,
    /// 16-bit floats: half the bytes, the same digits to within a grey level.
    F16,
    /// 8 bits per weight, one scale per column (a quarter of f32).
    Int8,
    /// 4 bits per weight, one scale per block of 24 rows of a column (a seventh of f32).
    Int4,
}

impl Storage {
    /// Bits per weight and rows per scale, for the quantized kinds.
    fn scheme(self) -> Option<(u8, usize)> {
        match self {
            Storage::Int8 => Some((8, usize::MAX)),
            Storage::Int4 => Some((4, 24)),
            Storage::F32 | Storage::F16 => None,
        }
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::Weights(msg.into())
}

/// Encodes `module`'s float parameters (read synchronously: the CLI's CPU device).
pub fn encode<M: Module>(module: &M, storage: Storage) -> Result<Vec<u8>> {
    struct Writer {
        out: Vec<u8>,
        scheme: (u8, usize),
        fits: bool,
    }
    impl ModuleVisitor for Writer {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let data = param.val().into_data().convert::<f32>();
            let values = data.as_slice::<f32>().expect("f32 after convert");
            self.fits &= write_entry(&mut self.out, data.shape().as_slice(), values, self.scheme);
        }
    }
    let scheme = storage
        .scheme()
        .ok_or_else(|| bad(format!("{storage:?} is not a quantized storage")))?;
    let mut writer = Writer {
        out: Vec::new(),
        scheme,
        fits: true,
    };
    module.visit(&mut writer);
    if !writer.fits {
        return Err(bad(
            "a weight is too large or not a number: it cannot be stored in 8 or 4 bits",
        ));
    }
    Ok(writer.out)
}

/// Appends one parameter; false when a scale does not fit in f16.
fn write_entry(
    out: &mut Vec<u8>,
    shape: &[usize],
    values: &[f32],
    (bits, block): (u8, usize),
) -> bool {
    let bits = if shape.len() >= 2 { bits } else { 32 };
    out.push(bits);
    out.push(shape.len() as u8);
    for &d in shape {
        out.extend_from_slice(&(d as u32).to_le_bytes());
    }
    if bits == 32 {
        values
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        return true;
    }
    let (rows, cols) = (shape[0], shape[1..].iter().product());
    let block = block.min(rows);
    let top = ((1u32 << (bits - 1)) - 1) as f32;
    let blocks = rows.div_ceil(block);
    let mut largest = vec![0f32; blocks * cols];
    for (i, v) in values.iter().enumerate() {
        let s = &mut largest[block_of(i, cols, block)];
        *s = s.max(v.abs());
    }
    // A column's scale in f16, rounded up so that no block step exceeds 255. The weights are
    // quantized with the scales as decoded, so decoding multiplies by exactly these values.
    let column: Vec<f16> = (0..cols)
        .map(|c| {
            let m = (0..blocks)
                .map(|b| largest[b * cols + c])
                .fold(0f32, f32::max)
                / top;
            let mut h = f16::from_f32(m);
            if h.to_f32() < m {
                h = f16::from_bits(h.to_bits() + 1); // the next f16 up (m ≥ 0)
            }
            h
        })
        .collect();
    if column.iter().any(|s| !s.is_finite()) {
        return false;
    }
    // Each block's step rounded up, so that its largest weight fits. (Choosing the step with
    // the least squared error over the block instead, clipping the largest weight a little,
    // made the 4-bit standard generator's Fréchet distance 11% worse: its large weights matter.)
    let steps: Vec<u8> = largest
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let c = column[i % cols].to_f32();
            if c == 0.0 {
                0
            } else {
                (m / top / c * 255.0).ceil().min(255.0) as u8
            }
        })
        .collect();
    out.extend_from_slice(&(block as u32).to_le_bytes());
    column
        .iter()
        .for_each(|s| out.extend_from_slice(&s.to_le_bytes()));
    out.extend_from_slice(&steps);
    let scales: Vec<f32> = block_scales(
        &column.iter().map(|c| c.to_f32()).collect::<Vec<_>>(),
        &steps,
    );
    let q = values.iter().enumerate().map(|(i, v)| {
        let s = scales[block_of(i, cols, block)];
        if s == 0.0 {
            0
        } else {
            (v / s).round().clamp(-top, top) as i8
        }
    });
    if bits == 8 {
        out.extend(q.map(|v| v as u8));
    } else {
        let q: Vec<u8> = q.map(|v| (v + 8) as u8).collect();
        out.extend(q.chunks(2).map(|p| p[0] | p.get(1).map_or(0, |h| h << 4)));
    }
    true
}

/// The block of value `i` (row-major, `cols` per row) when a block spans `block` rows of one
/// column: blocks are row-major too, `cols` per row of blocks. One formula for the encoder's
/// maxima and quantization and the decoder's scales.
fn block_of(i: usize, cols: usize, block: usize) -> usize {
    (i / cols / block) * cols + i % cols
}

/// Each block's scale: its column's scale (blocks are row-major, `column.len()` per row of
/// blocks) times its step / 255. Written once for the encoder and the decoder.
fn block_scales(column: &[f32], steps: &[u8]) -> Vec<f32> {
    steps
        .iter()
        .enumerate()
        .map(|(i, &k)| column[i % column.len()] * k as f32 / 255.0)
        .collect()
}

/// A reader over a quantized section that refuses anything out of bounds.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| bad("the quantized weights are truncated"))?;
        let part = &self.bytes[self.at..end];
        self.at = end;
        Ok(part)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<usize> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()) as usize)
    }
    fn f32s(&mut self, n: usize) -> Result<Vec<f32>> {
        let bytes = self.take(n.checked_mul(4).ok_or_else(|| bad("impossible size"))?)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect())
    }
    fn f16s(&mut self, n: usize) -> Result<Vec<f32>> {
        let bytes = self.take(n.checked_mul(2).ok_or_else(|| bad("impossible size"))?)?;
        Ok(bytes
            .chunks_exact(2)
            .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect())
    }

    /// One parameter, dequantized, which must have the shape `expected`.
    fn entry(&mut self, expected: &[usize]) -> Result<Vec<f32>> {
        let bits = self.u8()?;
        let rank = self.u8()? as usize;
        let shape = (0..rank).map(|_| self.u32()).collect::<Result<Vec<_>>>()?;
        if shape != expected {
            return Err(bad(format!(
                "a quantized tensor has shape {shape:?}, the network needs {expected:?}"
            )));
        }
        let n: usize = shape.iter().product();
        match (bits, rank) {
            (32, _) => self.f32s(n),
            (8 | 4, 2..) => {
                let (rows, cols) = (shape[0], shape[1..].iter().product());
                let block = self.u32()?;
                if block == 0 {
                    return Err(bad("a quantized tensor has blocks of 0 rows"));
                }
                let column = self.f16s(cols)?;
                if column.iter().any(|s| !s.is_finite()) {
                    return Err(bad("a quantized tensor has a scale that is not a number"));
                }
                let steps = self.take(rows.div_ceil(block) * cols)?;
                let scales = block_scales(&column, steps);
                let q: Vec<i8> = if bits == 8 {
                    self.take(n)?.iter().map(|&b| b as i8).collect()
                } else {
                    let packed = self.take(n.div_ceil(2))?;
                    packed
                        .iter()
                        .flat_map(|b| [(b & 15) as i8 - 8, (b >> 4) as i8 - 8])
                        .take(n)
                        .collect()
                };
                Ok(q.iter()
                    .enumerate()
                    .map(|(i, &v)| v as f32 * scales[block_of(i, cols, block)])
                    .collect())
            }
            _ => Err(bad(format!(
                "unknown quantized storage: {bits} bits for a rank-{rank} tensor"
            ))),
        }
    }
}

/// `fresh` with every float parameter replaced by the section's values, on `fresh`'s device
/// and with its gradient settings (nothing is read back, so this works on WebGPU too).
pub fn decode<M: Module>(fresh: M, bytes: &[u8]) -> Result<M> {
    struct Reader<'a> {
        cursor: Cursor<'a>,
        error: Option<Error>,
    }
    impl ModuleMapper for Reader<'_> {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            if self.error.is_some() {
                return param;
            }
            param.map(|t| {
                let shape = t.dims().to_vec();
                match self.cursor.entry(&shape) {
                    Ok(values) => Tensor::from_data(TensorData::new(values, shape), &t.device())
                        .set_require_grad(t.is_require_grad()),
                    Err(e) => {
                        self.error = Some(e);
                        t
                    }
                }
            })
        }
    }
    let mut reader = Reader {
        cursor: Cursor { bytes, at: 0 },
        error: None,
    };
    let module = fresh.map(&mut reader);
    if let Some(e) = reader.error {
        return Err(e);
    }
    if reader.cursor.at != bytes.len() {
        return Err(bad(format!(
            "{} unexpected bytes after the quantized weights",
            bytes.len() - reader.cursor.at
        )));
    }
    Ok(module)
}
