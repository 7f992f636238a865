//! The three kernels, on plain `f32` slices in NCHW order: a convolution's forward, its input
//! gradient and its weight gradient. A transposed convolution is the same three read the other
//! way round (see [`super`]), so these are all the arithmetic there is.
//!
//! Each is a matrix product around one data movement, with the batch folded into the product's
//! N in chunks whose columns stay in cache:
//! - forward: `Y[O, P] = W[O, K] · cols[K, P]`, `cols = im2col(X)`;
//! - input gradient: `dX = col2im(Wᵀ[K, O] · dY[O, P])`;
//! - weight gradient: `dW[O, K] = Σ_chunks dY[O, P] · cols[K, P]ᵀ`;
//!
//! where K = input channels × kernel taps and P = the chunk's images × output pixels. Transposes
//! are `gemm`'s strides, never copies; the im2col/col2im loops compute each tap's valid output
//! range once, so no tap is bounds-checked.

/// How many column-buffer elements a chunk of images may take (1 MiB of `f32`): the columns
/// and their product stay in L2 while the batch still gives the products a wide N.
const CHUNK_ELEMS: usize = 1 << 18;

/// Products with at least this many multiply-adds are split over rayon's threads natively
/// (burn-flex's own threshold for its matmul: below it, threads cost more than they give).
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_FLOPS: usize = 192 * 192 * 192;

/// A 2-D convolution's shapes: NCHW input, `[out, in, kh, kw]` weight, one group, no dilation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    pub batch: usize,
    pub in_channels: usize,
    /// Input height and width.
    pub in_size: [usize; 2],
    pub out_channels: usize,
    /// Kernel height and width.
    pub kernel: [usize; 2],
    pub stride: [usize; 2],
    /// `(before, after)` padding of height and width.
    pub padding: [(usize, usize); 2],
}

impl Geometry {
    /// Output height and width: `(in + pads - kernel) / stride + 1`, or `None` where the
    /// kernel does not fit in the padded input or a stride is 0.
    pub fn out_size(&self) -> Option<[usize; 2]> {
        let side = |d: usize| {
            let padded = self.in_size[d] + self.padding[d].0 + self.padding[d].1;
            (self.stride[d] > 0 && padded >= self.kernel[d])
                .then(|| (padded - self.kernel[d]) / self.stride[d] + 1)
        };
        Some([side(0)?, side(1)?])
    }

    /// Rows of the column matrix: input channels × kernel taps.
    fn k(&self) -> usize {
        self.in_channels * self.kernel[0] * self.kernel[1]
    }

    fn in_pixels(&self) -> usize {
        self.in_size[0] * self.in_size[1]
    }

    fn out_pixels(&self) -> usize {
        self.out_size().map_or(0, |[h, w]| h * w)
    }

    pub fn input_len(&self) -> usize {
        self.batch * self.in_channels * self.in_pixels()
    }

    pub fn weight_len(&self) -> usize {
        self.out_channels * self.k()
    }

    pub fn output_len(&self) -> usize {
        self.batch * self.out_channels * self.out_pixels()
    }

    /// Images per chunk: as many as keep the columns within [`CHUNK_ELEMS`], at least one.
    fn chunk(&self) -> usize {
        (CHUNK_ELEMS / (self.k() * self.out_pixels()).max(1)).clamp(1, self.batch.max(1))
    }

    fn check(&self, x: usize, w: usize, y: usize) {
        assert!(
            self.out_size().is_some(),
            "kernel larger than the padded input: {self:?}"
        );
        assert_eq!(x, self.input_len(), "input length for {self:?}");
        assert_eq!(w, self.weight_len(), "weight length for {self:?}");
        assert_eq!(y, self.output_len(), "output length for {self:?}");
    }
}

/// `y = conv(x, w)`, no bias.
pub fn forward(g: &Geometry, x: &[f32], w: &[f32], y: &mut [f32]) {
    g.check(x.len(), w.len(), y.len());
    let (k, o, q) = (g.k(), g.out_channels, g.out_pixels());
    let threads = chunk_count(g) == 1;
    let buffers = || (Columns::new(g), vec![0.0; o * g.chunk() * q]);
    pieces(y, g.chunk() * o * q, buffers, |(cols, prod), i, y| {
        let (first, images) = chunk_at(g, i);
        let p = images * q;
        im2col(g, &x[first * g.in_channels * g.in_pixels()..], images, cols);
        // prod[O, P] = W[O, K] · cols[K, P]
        matmul((o, p, k), prod, (w, k, 1), (cols.filled(), p, 1), threads);
        scatter_rows(&prod[..o * p], y, o, q);
    });
}

/// `dx = ∂L/∂x` of `y = conv(x, w)` given `dy = ∂L/∂y` (overwrites `dx`).
pub fn input_grad(g: &Geometry, w: &[f32], dy: &[f32], dx: &mut [f32]) {
    g.check(dx.len(), w.len(), dy.len());
    let (k, o, q) = (g.k(), g.out_channels, g.out_pixels());
    let threads = chunk_count(g) == 1;
    let buffers = || (vec![0.0; k * g.chunk() * q], vec![0.0; o * g.chunk() * q]);
    let per_image = g.in_channels * g.in_pixels();
    pieces(dx, g.chunk() * per_image, buffers, |(cols, grad), i, dx| {
        let (first, images) = chunk_at(g, i);
        let p = images * q;
        gather_rows(
            &dy[first * o * q..(first + images) * o * q],
            &mut grad[..o * p],
            o,
            q,
        );
        // cols[K, P] = Wᵀ[K, O] · dY[O, P]: W read down its columns.
        matmul((k, p, o), cols, (w, 1, k), (grad, p, 1), threads);
        dx.fill(0.0);
        col2im(g, &cols[..k * p], images, dx);
    });
}

/// `dw = ∂L/∂w` of `y = conv(x, w)` given `dy = ∂L/∂y` (overwrites `dw`). Each chunk's
/// product goes to a buffer of its own and they are added up in chunk order, so the result
/// does not depend on how many threads ran the chunks.
pub fn weight_grad(g: &Geometry, x: &[f32], dy: &[f32], dw: &mut [f32]) {
    g.check(x.len(), dw.len(), dy.len());
    let (k, o, q) = (g.k(), g.out_channels, g.out_pixels());
    let chunks = chunk_count(g);
    let mut partial = match chunks {
        1 => Vec::new(),
        n => vec![0.0; n * o * k],
    };
    let out = if chunks == 1 {
        &mut *dw
    } else {
        &mut partial[..]
    };
    let buffers = || (Columns::new(g), vec![0.0; o * g.chunk() * q]);
    pieces(out, o * k, buffers, |(cols, grad), i, dw| {
        let (first, images) = chunk_at(g, i);
        let p = images * q;
        im2col(g, &x[first * g.in_channels * g.in_pixels()..], images, cols);
        gather_rows(
            &dy[first * o * q..(first + images) * o * q],
            &mut grad[..o * p],
            o,
            q,
        );
        // dW[O, K] = dY[O, P] · cols[K, P]ᵀ: the columns read across, as rows of colsᵀ.
        matmul(
            (o, k, p),
            dw,
            (grad, p, 1),
            (cols.filled(), 1, p),
            chunks == 1,
        );
    });
    if chunks > 1 {
        dw.copy_from_slice(&partial[..o * k]);
        for part in partial.chunks_exact(o * k).skip(1) {
            for (d, v) in dw.iter_mut().zip(part) {
                *d += *v;
            }
        }
    } else if g.batch == 0 {
        dw.fill(0.0);
    }
}

/// How many chunks the batch is cut into.
fn chunk_count(g: &Geometry) -> usize {
    g.batch.div_ceil(g.chunk()).max(1)
}

/// Chunk `i`'s first image and image count.
fn chunk_at(g: &Geometry, i: usize) -> (usize, usize) {
    let first = i * g.chunk();
    (first, g.chunk().min(g.batch.saturating_sub(first)))
}

/// Calls `f(buffers, i, piece)` for each `piece`-long piece `i` of `out` (the last may be
/// shorter), with scratch buffers made by `init`: natively on rayon's threads, one set of
/// buffers per thread; in the browser in order (the wasm has one thread).
#[cfg(not(target_arch = "wasm32"))]
fn pieces<S>(
    out: &mut [f32],
    piece: usize,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, usize, &mut [f32]) + Sync + Send,
) {
    use rayon::prelude::*;
    out.par_chunks_mut(piece.max(1))
        .enumerate()
        .for_each_init(init, |buffers, (i, out)| f(buffers, i, out));
}

#[cfg(target_arch = "wasm32")]
fn pieces<S>(
    out: &mut [f32],
    piece: usize,
    init: impl Fn() -> S,
    f: impl Fn(&mut S, usize, &mut [f32]),
) {
    let mut buffers = init();
    for (i, out) in out.chunks_mut(piece.max(1)).enumerate() {
        f(&mut buffers, i, out);
    }
}

/// `dst[m, n] = lhs[m, k] · rhs[k, n]`, row-major `dst`; each operand given as
/// `(data, row stride, column stride)`, so a transpose is a swap of strides.
/// `threads`: whether gemm may split the product over rayon's threads (not when the chunks
/// already run on them).
fn matmul(
    (m, n, k): (usize, usize, usize),
    dst: &mut [f32],
    (lhs, lhs_rs, lhs_cs): (&[f32], usize, usize),
    (rhs, rhs_rs, rhs_cs): (&[f32], usize, usize),
    threads: bool,
) {
    if m == 0 || n == 0 {
        return;
    }
    let last = |rows: usize, cols: usize, rs: usize, cs: usize| (rows - 1) * rs + (cols - 1) * cs;
    assert!(dst.len() > last(m, n, n, 1));
    if k > 0 {
        assert!(lhs.len() > last(m, k, lhs_rs, lhs_cs) && rhs.len() > last(k, n, rhs_rs, rhs_cs));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let parallelism = if threads && m * n * k >= PARALLEL_FLOPS {
        gemm::Parallelism::Rayon(0)
    } else {
        gemm::Parallelism::None
    };
    #[cfg(target_arch = "wasm32")]
    let parallelism = {
        let _ = threads;
        gemm::Parallelism::None
    };
    // SAFETY: every index gemm touches, `(rows - 1) * row stride + (cols - 1) * column
    // stride` at most, was checked against its slice's length above; `dst` is borrowed
    // mutably, so it aliases neither operand.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            false,
            lhs.as_ptr(),
            lhs_cs as isize,
            lhs_rs as isize,
            rhs.as_ptr(),
            rhs_cs as isize,
            rhs_rs as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}

/// `[O, images·Q]` (a product's rows) into `[images, O, Q]` (NCHW): one copy per image and
/// channel of `Q` contiguous pixels.
fn scatter_rows(rows: &[f32], nchw: &mut [f32], o: usize, q: usize) {
    let p = rows.len() / o;
    for (n, image) in nchw.chunks_exact_mut(o * q).enumerate() {
        for (c, plane) in image.chunks_exact_mut(q).enumerate() {
            plane.copy_from_slice(&rows[c * p + n * q..][..q]);
        }
    }
}

/// The reverse of [`scatter_rows`]: `[images, O, Q]` into `[O, images·Q]`.
fn gather_rows(nchw: &[f32], rows: &mut [f32], o: usize, q: usize) {
    let p = rows.len() / o;
    for (n, image) in nchw.chunks_exact(o * q).enumerate() {
        for (c, plane) in image.chunks_exact(q).enumerate() {
            rows[c * p + n * q..][..q].copy_from_slice(plane);
        }
    }
}

/// The outputs `o` along one side whose tap `t` lands inside the input:
/// `0 ≤ o·stride + t − pad < size`, as a range within `0..out`.
fn valid(t: usize, pad: usize, stride: usize, size: usize, out: usize) -> (usize, usize) {
    let lo = pad.saturating_sub(t).div_ceil(stride);
    let hi = if size + pad > t {
        ((size + pad - t - 1) / stride + 1).min(out)
    } else {
        0
    };
    (lo.min(hi), hi)
}

/// One kernel tap's output pixels that read inside the input (the rest read padding): the
/// valid output rows and columns, and the input offset the first of them reads.
struct Tap {
    rows: (usize, usize),
    cols: (usize, usize),
    /// Input offset of output pixel (rows.0, cols.0).
    first: usize,
}

impl Geometry {
    /// Tap `(ki, kj)`'s valid output ranges and first input offset.
    fn tap(&self, ki: usize, kj: usize) -> Tap {
        let [oh, ow] = self.out_size().expect("checked");
        let rows = valid(ki, self.padding[0].0, self.stride[0], self.in_size[0], oh);
        let cols = valid(kj, self.padding[1].0, self.stride[1], self.in_size[1], ow);
        let first = if rows.0 < rows.1 && cols.0 < cols.1 {
            (rows.0 * self.stride[0] + ki - self.padding[0].0) * self.in_size[1]
                + cols.0 * self.stride[1]
                + kj
                - self.padding[1].0
        } else {
            0
        };
        Tap { rows, cols, first }
    }
}

/// Columns `[K, images·Q]` of `images` NCHW images: row `(c, ki, kj)`, column `(n, oh, ow)`
/// holds input pixel `(n, c, oh·s − pad + ki, ow·s − pad + kj)`, or 0 in the padding.
///
/// Only the pixels inside the input are written: which entries are padding depends on the
/// tap alone, so a buffer that was zeroed for this many images keeps its zeros chunk after
/// chunk (see [`Columns`]), and no tap row is filled twice.
fn im2col(g: &Geometry, x: &[f32], images: usize, cols: &mut Columns) {
    let [oh, ow] = g.out_size().expect("checked");
    let (q, plane, width) = (oh * ow, g.in_pixels(), g.in_size[1]);
    let [sh, sw] = g.stride;
    let taps: Vec<Tap> = (0..g.kernel[0] * g.kernel[1])
        .map(|t| g.tap(t / g.kernel[1], t % g.kernel[1]))
        .collect();
    if images == 0 {
        return;
    }
    let cols = cols.zeroed_for(images);
    for (row, dst_row) in cols.chunks_exact_mut(images * q).enumerate() {
        let (c, tap) = (row / taps.len(), &taps[row % taps.len()]);
        let ((r0, r1), (lo, hi)) = (tap.rows, tap.cols);
        if lo == hi {
            continue;
        }
        let len = hi - lo;
        for (n, dst) in dst_row.chunks_exact_mut(q).enumerate() {
            let src = &x[(n * g.in_channels + c) * plane..][..plane];
            for (i, out) in dst[r0 * ow..r1 * ow].chunks_exact_mut(ow).enumerate() {
                let out = &mut out[lo..hi];
                let src = &src[tap.first + i * sh * width..];
                if sw == 1 {
                    out.copy_from_slice(&src[..len]);
                } else {
                    for (v, s) in out.iter_mut().zip(src.chunks(sw)) {
                        *v = s[0];
                    }
                }
            }
        }
    }
}

/// A column buffer for [`im2col`], and the image count whose layout its zeros are in.
struct Columns {
    data: Vec<f32>,
    rows: usize,
    /// Columns per image (output pixels).
    q: usize,
    /// `None` while every entry is zero, which suits any count.
    images: Option<usize>,
}

impl Columns {
    fn new(g: &Geometry) -> Self {
        let (rows, q) = (g.k(), g.out_pixels());
        Columns {
            data: vec![0.0; rows * g.chunk() * q],
            rows,
            q,
            images: None,
        }
    }

    /// The buffer for `images` images, zeroed again if it was laid out for another count.
    fn zeroed_for(&mut self, images: usize) -> &mut [f32] {
        let len = self.rows * images * self.q;
        if self.images.is_some_and(|n| n != images) {
            self.data[..len].fill(0.0);
        }
        self.images = Some(images);
        &mut self.data[..len]
    }

    /// The columns [`im2col`] wrote last.
    fn filled(&self) -> &[f32] {
        &self.data[..self.rows * self.images.unwrap_or(0) * self.q]
    }
}

/// The adjoint of [`im2col`]: adds each column entry back onto the input pixel it was read
/// from (padding entries are dropped). `x` must start zeroed or hold what is accumulated.
fn col2im(g: &Geometry, cols: &[f32], images: usize, x: &mut [f32]) {
    let [oh, ow] = g.out_size().expect("checked");
    let (q, plane, width) = (oh * ow, g.in_pixels(), g.in_size[1]);
    let [sh, sw] = g.stride;
    let p = images * q;
    let taps = g.kernel[0] * g.kernel[1];
    for (row, src_row) in cols.chunks_exact(p).enumerate() {
        let (c, t) = (row / taps, row % taps);
        let tap = g.tap(t / g.kernel[1], t % g.kernel[1]);
        let (lo, hi) = tap.cols;
        if lo == hi {
            continue;
        }
        for (n, src) in src_row.chunks_exact(q).enumerate() {
            let dst = &mut x[(n * g.in_channels + c) * plane..][..plane];
            for (i, r) in (tap.rows.0..tap.rows.1).enumerate() {
                let from = &src[r * ow + lo..r * ow + hi];
                let start = tap.first + i * sh * width;
                if sw == 1 {
                    for (d, s) in dst[start..][..hi - lo].iter_mut().zip(from) {
                        *d += *s;
                    }
                } else {
                    let dst = &mut dst[start..][..(hi - lo - 1) * sw + 1];
                    for (d, s) in dst.iter_mut().step_by(sw).zip(from) {
                        *d += *s;
                    }
                }
            }
        }
    }
}
