//! The command line: subcommands and their flags. Defaults come from `ganvas::defaults`;
//! presets, recipes and backends are enums, so `--help` lists their values.

use clap::{Parser, Subcommand};
use ganvas::Preset;
use ganvas::backend::Choice;
use ganvas::defaults;
use ganvas::quant::Storage;
use ganvas::train::{Overrides, Recipe};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "ganvas",
    version,
    about = "An MNIST GAN on burn (dense or convolutional): train it, sample it"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Train a GAN on the 60k MNIST training digits.
    Train(TrainArgs),
    /// Write generated digits as raw uint8 (N×784) and optionally a PNG grid.
    Sample(SampleArgs),
    /// Write a generator-only file from a generator or checkpoint, optionally in f16, 8 or 4 bits.
    Export(ExportArgs),
    /// Train the digit classifier that scores generated digits (weights/judge.ganvas).
    TrainJudge(TrainJudgeArgs),
    /// Score a generator's digits with the judge: digit score, class shares, Fréchet distance.
    Eval(EvalArgs),
}

#[derive(clap::Args)]
pub struct TrainArgs {
    /// Network preset.
    #[arg(long, value_enum, default_value_t = defaults::PRESET)]
    pub preset: Preset,
    /// Training iterations (one D step and one G step each).
    #[arg(long, default_value_t = defaults::CLI_ITERS)]
    pub iters: u64,
    /// Seed for initial weights, batches and latents.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output folder for <preset>.ganvas (generator), <preset>.ckpt (resumable) and a grid PNG.
    #[arg(long, default_value = defaults::WEIGHTS_DIR)]
    pub out: PathBuf,
    /// Training images: MNIST as pkg-scripts/data writes it (the default); an IDX images
    /// file (`*-images-idx3-ubyte[.gz]`, e.g. Fashion-MNIST, KMNIST, EMNIST; its labels file
    /// beside it gives the classes); or a folder of PNG/JPEG/WebP/GIF images, each subfolder a
    /// class (sorted by name), or without subfolders one set without classes. Images are made
    /// 28×28 the way MNIST was (ink fitted into 20×20, centred by its centre of mass, dark ink
    /// on a light background inverted).
    #[arg(long, default_value = defaults::TRAIN_DATA)]
    pub data: PathBuf,
    /// Training settings to start from; the flags below override single settings.
    #[arg(long, value_enum, default_value_t = defaults::RECIPE)]
    pub recipe: Recipe,
    /// Generator learning rate [default: the recipe's]. Given with --resume, it replaces the
    /// checkpoint's from here on (a second, slower phase of training), as do --lr-d, --batch,
    /// --real-label and --ema.
    #[arg(long)]
    pub lr_g: Option<f64>,
    /// Discriminator learning rate [default: the recipe's]. Given with --resume, as --lr-g.
    #[arg(long)]
    pub lr_d: Option<f64>,
    /// Target for real digits in D's loss (0.9 = one-sided label smoothing) [default: the
    /// recipe's].
    #[arg(long)]
    pub real_label: Option<f32>,
    /// Digits D judges together (PacGAN; 2 fights mode collapse). Default: the preset's
    /// (tiny 1, standard 2). Fresh runs only.
    #[arg(long)]
    pub pack: Option<usize>,
    /// Sample from a moving average of G's weights with this decay (0 = off) [default: the
    /// recipe's].
    #[arg(long)]
    pub ema: Option<f32>,
    /// Batch size [default: the recipe's].
    #[arg(long)]
    pub batch: Option<usize>,
    /// Save a checkpoint every this many iterations (0 = only at the end).
    #[arg(long, default_value_t = defaults::CLI_CHECKPOINT_EVERY)]
    pub checkpoint_every: u64,
    /// Resume from a checkpoint (.ckpt); `--iters` counts the total, not the extra.
    #[arg(long, conflicts_with = "from")]
    pub resume: Option<PathBuf>,
    /// Train on from pretrained generator weights (a .ganvas file of the preset), as the
    /// page does from its opening weights: a fresh D learns alone for a while, and samples
    /// come from a moving average that starts at the loaded weights.
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// Score the samples at each checkpoint with this judge (weights/judge.ganvas), log the
    /// scores to <preset>-quality.jsonl and keep the generator with the lowest Fréchet
    /// distance as <preset>-best.ganvas.
    #[arg(long)]
    pub judge: Option<PathBuf>,
    /// Write a timelapse here: the page's grid (the same latent vectors, rows and columns) as
    /// step-NNNNNNN.png every `--timelapse-every` steps, from the first step on.
    #[arg(long)]
    pub timelapse: Option<PathBuf>,
    /// Steps between timelapse frames (the page's first interval).
    #[arg(long, default_value_t = defaults::TIMELAPSE_EVERY)]
    pub timelapse_every: u64,
    /// Also write every step's losses here, one JSON object a line ({step, dLoss, gLoss,
    /// dReal, dFake}, as the page's `step` events).
    #[arg(long)]
    pub stats: Option<PathBuf>,
    /// Backend.
    #[arg(long, value_enum, default_value_t = Choice::Cpu)]
    pub backend: Choice,
    /// Steps between statistic readbacks (and progress bar updates).
    #[arg(long, default_value_t = defaults::CLI_LOG_EVERY)]
    pub log_every: u64,
}

#[derive(clap::Args)]
pub struct SampleArgs {
    /// A .ganvas generator file or a .ckpt checkpoint.
    #[arg(long)]
    pub weights: PathBuf,
    /// Number of digits.
    #[arg(long, default_value_t = defaults::SAMPLE_N)]
    pub n: usize,
    /// Seed of the latent vectors.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output: raw uint8, N×784 row-major, 0 = background, 255 = ink.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the digits as a PNG grid (10 wide).
    #[arg(long)]
    pub png: Option<PathBuf>,
    /// Only this digit (0–9), from a conditional generator; without it a conditional generator
    /// draws 0, 1, …, 9 in turn. `--class` is the same: on own data, the class's index (its
    /// place among the sorted class names `ganvas train` printed).
    #[arg(long, alias = "class", value_parser = clap::value_parser!(u8).range(0..=9))]
    pub digit: Option<u8>,
    /// Backend.
    #[arg(long, value_enum, default_value_t = Choice::Cpu)]
    pub backend: Choice,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// A .ganvas generator file or a .ckpt checkpoint (its moving average when it has one).
    #[arg(long)]
    pub weights: PathBuf,
    /// Output generator file.
    #[arg(long)]
    pub out: PathBuf,
    /// How the weights are stored: f16 halves the file, int8 quarters it, int4 (a scale per 24
    /// rows of a column) takes about a seventh; all load back as f32.
    #[arg(long, value_enum, default_value_t = Storage::F32)]
    pub store: Storage,
}

#[derive(clap::Args)]
pub struct TrainJudgeArgs {
    /// Passes over the 60k training digits.
    #[arg(long, default_value_t = defaults::JUDGE_EPOCHS)]
    pub epochs: usize,
    /// Seed for initial weights and shuffles.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where to write the judge.
    #[arg(long, default_value = defaults::JUDGE)]
    pub out: PathBuf,
    /// Folder holding mnist-train.gz and mnist-test.gz (written by pkg-scripts/data).
    #[arg(long, default_value = defaults::DATA_DIR)]
    pub data: PathBuf,
    /// Backend.
    #[arg(long, value_enum, default_value_t = Choice::Cpu)]
    pub backend: Choice,
}

#[derive(clap::Args)]
pub struct EvalArgs {
    /// A .ganvas generator file or a .ckpt checkpoint.
    #[arg(long)]
    pub weights: PathBuf,
    /// Number of generated digits to score.
    #[arg(long, default_value_t = defaults::EVAL_N)]
    pub n: usize,
    /// Seed of their latent vectors.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The judge (written by `ganvas train-judge`).
    #[arg(long, default_value = defaults::JUDGE)]
    pub judge: PathBuf,
    /// Folder holding mnist-train.gz and mnist-test.gz (written by pkg-scripts/data); or own
    /// images as `train --data` takes them, measured without the digit judge (which knows
    /// only MNIST) beside the data's own images.
    #[arg(long, default_value = defaults::DATA_DIR)]
    pub data: PathBuf,
    /// Also write the report as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Backend.
    #[arg(long, value_enum, default_value_t = Choice::Cpu)]
    pub backend: Choice,
}

impl TrainArgs {
    /// The settings given on top of the recipe (or, with `--resume`, of the checkpoint's).
    pub fn overrides(&self) -> Overrides {
        Overrides {
            batch_size: self.batch,
            lr_g: self.lr_g,
            lr_d: self.lr_d,
            real_label: self.real_label,
            ema: self.ema,
        }
    }
}
