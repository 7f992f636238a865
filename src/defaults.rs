//! Every default in one place. The CLI's flags, the wasm API and, through `Ganvas.defaults()`,
//! the page start from these values; none of them is written anywhere else.

use crate::model::Preset;
use crate::quality;
use crate::train::Recipe;
use serde::Serialize;

/// Network the page's "Train from scratch" trains unless the visitor picked another: the
/// small conditional conv net, which the page's meter rates above the dense tiny-conditional
/// from 15 s after the click on (7.71 against 6.84 at 20 s, 9.32 against 8.72 at 60 s, with
/// ganvas's own conv kernels; BENCHMARKS.md, "ganvas's own conv kernels").
pub const SCRATCH_PRESET: Preset = Preset::ConvConditional;
/// Training settings of "Train from scratch".
pub const SCRATCH_RECIPE: Recipe = Recipe::Fast;
/// Network the page opens with (it has shipped weights) and the CLI trains without `--preset`.
pub const PRESET: Preset = Preset::Standard;
/// Training settings of the CLI without `--recipe`: the shipped weights' recipe.
pub const RECIPE: Recipe = Recipe::Classic;

/// Digits the quality meter judges in the page: the judge file stores real MNIST's scores at
/// this size, so the two compare.
pub const SCORE_N: usize = quality::SCORE_N;
/// Digits `ganvas train --judge` judges at each checkpoint: more than the page can afford,
/// so that picking the best checkpoint is not decided by sampling noise.
pub const CLI_SCORE_N: usize = 2000;
/// Steps between the page's quality scores (0 turns the meter off).
pub const SCORE_EVERY: u64 = 500;
/// Most of the page's training time scoring may take: past it, scores come less often.
pub const MAX_SCORE_SHARE: f64 = 0.1;

/// Steps between the page's checkpoints (in memory and IndexedDB; 0 = none).
pub const CHECKPOINT_EVERY: u64 = 500;
/// Steps between `ganvas train`'s checkpoint files (each also scores and draws a PNG).
pub const CLI_CHECKPOINT_EVERY: u64 = 1000;
/// Steps between in-memory snapshots of the last good state, restored after a divergence. A
/// snapshot shares its tensors with the live trainer until training replaces them, so it
/// costs one copy of the weights and Adam's moments.
pub const SNAPSHOT_EVERY: u64 = 100;

/// Seed of the page's grid latents: `ganvas sample --seed 20240` draws the same digits.
pub const GRID_SEED: u64 = 20240;
/// Rows of the page's grid; a conditional net's grid reads its classes in turn along each row
/// (0–9 for MNIST; see [`grid_cols`]), an unconditional one is [`GRID_COLS`] wide.
pub const GRID_ROWS: usize = 8;
/// Columns of an unconditional net's grid.
pub const GRID_COLS: usize = 8;

/// Digits in each row of the page's "D's view" (real ones, generated ones).
pub const DVIEW_N: usize = 8;
/// Seed of D's view's digits: the same real digits and generator inputs every time.
pub const DVIEW_SEED: u64 = 8;

/// Training digits the page shows beside an explored digit (the nearest in pixel space).
pub const NEAREST_K: usize = 3;

/// Steps between frames of the training timelapse, at first: the page keeps at most
/// [`TIMELAPSE_FRAMES`] and doubles the interval when full, so the timelapse always spans the
/// whole run; `ganvas train --timelapse` writes every frame at this interval.
pub const TIMELAPSE_EVERY: u64 = 50;
/// Most frames the page's timelapse holds.
pub const TIMELAPSE_FRAMES: usize = 120;

/// How far a real digit the GAN never saw lies from its nearest training digit: the median
/// over the MNIST test digits of the Euclidean distance (pixels in [0, 1]) to the nearest
/// training digit, as `ganvas eval` measures it (weights/README.md). The page gives it as the
/// scale of the explored digit's nearest distances: much nearer is a near copy.
pub const TYPICAL_NEAREST: f64 = 4.40;

/// `ganvas train`'s iterations without `--iters`.
pub const CLI_ITERS: u64 = 10_000;
/// `ganvas train`'s steps between statistics readbacks (and progress bar updates).
pub const CLI_LOG_EVERY: u64 = 50;
/// Digits `ganvas sample` draws without `--n`.
pub const SAMPLE_N: usize = 100;
/// Digits `ganvas eval` judges without `--n`.
pub const EVAL_N: usize = 10_000;
/// Passes over the training digits `ganvas train-judge` makes.
pub const JUDGE_EPOCHS: usize = 8;
/// Where the CLI reads and writes, from the repository's root (pkg-scripts/data writes the
/// MNIST files there).
pub const DATA_DIR: &str = "www/data";
/// The training digits `ganvas train` reads.
pub const TRAIN_DATA: &str = "www/data/mnist-train.gz";
/// Where `ganvas train` writes without `--out`.
pub const WEIGHTS_DIR: &str = "weights";
/// The judge the CLI scores with.
pub const JUDGE: &str = "weights/judge.ganvas";

/// Own training data (`ganvas train --data`, the page's "Your images"): at least this many
/// images (fewer cannot make a GAN: the page's drawing pad asks for as many drawings) …
pub const MIN_IMAGES: usize = 16;
/// … and at most this many (MNIST's 60,000 and Fashion-MNIST's, with room to spare) …
pub const MAX_IMAGES: usize = 100_000;
/// … in at most this many bytes of files, checked before anything is decoded.
pub const MAX_DATA_BYTES: u64 = 200 << 20;
/// Classes a conditional net draws on request: a data set with more trains unconditionally.
pub const MAX_CLASSES: usize = crate::quality::CLASSES;
/// The page shrinks a larger decoded image to this side before the crate normalises it: the
/// ink ends 20×20, so 14 source pixels per final one lose nothing, and a folder of photos
/// does not cost their full size in memory.
pub const DECODE_SIDE: usize = 280;
/// The page's drawing pad: each drawing goes into the training data as this many variants
/// (itself, then small rotations, stroke widths and shifts), so that 16 drawings make a set a
/// GAN can learn from without repeating the same 16 images.
pub const DRAW_VARIANTS: usize = 8;

/// Moving-average decay when training goes on from loaded weights: samples come from an
/// average that starts at them and moves slowly (see `Trainer::set_generator`).
pub const LOADED_EMA: f32 = 0.999;

/// Columns of a grid of `classes`-conditional digits (the classes in turn, whole times: about
/// [`GRID_COLS`] wide, so that own data of 3 classes is not a tall strip 3 wide), or of
/// unconditional ones.
pub fn grid_cols(classes: usize) -> usize {
    match classes {
        0 => GRID_COLS,
        k if k >= GRID_COLS => k,
        k => k * (GRID_COLS as f64 / k as f64).round() as usize,
    }
}

/// The defaults the page reads, as `Ganvas.defaults()` returns them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageDefaults {
    /// Preset the page opens with.
    pub preset: &'static str,
    /// Preset of "Train from scratch".
    pub scratch_preset: &'static str,
    /// Recipe of "Train from scratch".
    pub recipe: &'static str,
    /// Every recipe's name and its settings in words.
    pub recipes: Vec<RecipeInfo>,
    /// See [`SCORE_EVERY`].
    pub score_every: u64,
    /// See [`SCORE_N`].
    pub score_n: usize,
    /// See [`MAX_SCORE_SHARE`].
    pub max_score_share: f64,
    /// See [`CHECKPOINT_EVERY`].
    pub checkpoint_every: u64,
    /// See [`GRID_SEED`].
    pub grid_seed: u64,
    /// See [`GRID_ROWS`].
    pub grid_rows: usize,
    /// See [`TIMELAPSE_EVERY`].
    pub timelapse_every: u64,
    /// See [`TIMELAPSE_FRAMES`].
    pub timelapse_frames: usize,
    /// See [`NEAREST_K`].
    pub nearest_k: usize,
    /// See [`TYPICAL_NEAREST`].
    pub typical_nearest: f64,
    /// See [`MIN_IMAGES`].
    pub min_images: usize,
    /// See [`MAX_IMAGES`].
    pub max_images: usize,
    /// See [`MAX_DATA_BYTES`].
    pub max_data_bytes: u64,
    /// See [`MAX_CLASSES`].
    pub max_classes: usize,
    /// See [`DECODE_SIDE`].
    pub decode_side: usize,
    /// See [`DRAW_VARIANTS`].
    pub draw_variants: usize,
}

/// A recipe as the page lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecipeInfo {
    /// "fast", "classic".
    pub name: &'static str,
    /// Its settings in words.
    pub description: String,
    /// Its batch size.
    pub batch_size: usize,
    /// Its generator learning rate.
    pub lr_g: f64,
    /// Its discriminator learning rate.
    pub lr_d: f64,
}

impl PageDefaults {
    /// The defaults above.
    pub fn get() -> Self {
        Self {
            preset: PRESET.name(),
            scratch_preset: SCRATCH_PRESET.name(),
            recipe: SCRATCH_RECIPE.name(),
            recipes: Recipe::ALL
                .iter()
                .map(|r| {
                    let c = r.config();
                    RecipeInfo {
                        name: r.name(),
                        description: r.describe(),
                        batch_size: c.batch_size,
                        lr_g: c.lr_g,
                        lr_d: c.lr_d,
                    }
                })
                .collect(),
            score_every: SCORE_EVERY,
            score_n: SCORE_N,
            max_score_share: MAX_SCORE_SHARE,
            checkpoint_every: CHECKPOINT_EVERY,
            grid_seed: GRID_SEED,
            grid_rows: GRID_ROWS,
            timelapse_every: TIMELAPSE_EVERY,
            timelapse_frames: TIMELAPSE_FRAMES,
            nearest_k: NEAREST_K,
            typical_nearest: TYPICAL_NEAREST,
            min_images: MIN_IMAGES,
            max_images: MAX_IMAGES,
            max_data_bytes: MAX_DATA_BYTES,
            max_classes: MAX_CLASSES,
            decode_side: DECODE_SIDE,
            draw_variants: DRAW_VARIANTS,
        }
    }
}
