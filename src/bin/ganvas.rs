//! `ganvas`: train the GAN natively, and sample digits from weights.
//!
//! `ganvas sample` is a public contract (tutorials and outside checks rely on it): it writes
//! N digits as raw uint8, N×784 row-major, 0 = background, 255 = ink, like MNIST.

use clap::{Parser, Subcommand};
use ganvas::backend::Backend;
use ganvas::data::Mnist;
use ganvas::judge::{self, Judged};
use ganvas::judge_train::{self, JudgeTraining};
use ganvas::quality::Score;
use ganvas::train::{Recipe, StepStats, TrainConfig, Trainer};
use ganvas::{Error, GanConfig, Preset, Result, grid, latent, weights};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "ganvas",
    version,
    about = "A dense MNIST GAN on burn: train it, sample it"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a GAN on the 60k MNIST training digits.
    Train(TrainArgs),
    /// Write generated digits as raw uint8 (N×784) and optionally a PNG grid.
    Sample(SampleArgs),
    /// Write a generator-only file from a generator or checkpoint, optionally in f16.
    Export(ExportArgs),
    /// Train the digit classifier that scores generated digits (weights/judge.ganvas).
    TrainJudge(TrainJudgeArgs),
    /// Score a generator's digits with the judge: digit score, class shares, Fréchet distance.
    Eval(EvalArgs),
}

#[derive(clap::Args)]
struct ExportArgs {
    /// A .ganvas generator file or a .ckpt checkpoint (its moving average when it has one).
    #[arg(long)]
    weights: PathBuf,
    /// Output generator file.
    #[arg(long)]
    out: PathBuf,
    /// Store the weights as f16 (half the size; they load back as f32).
    #[arg(long)]
    f16: bool,
}

#[derive(clap::Args)]
struct TrainJudgeArgs {
    /// Passes over the 60k training digits.
    #[arg(long, default_value_t = 8)]
    epochs: usize,
    /// Seed for initial weights and shuffles.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Where to write the judge.
    #[arg(long, default_value = "weights/judge.ganvas")]
    out: PathBuf,
    /// Folder holding mnist-train.gz and mnist-test.gz (written by pkg-scripts/data).
    #[arg(long, default_value = "www/data")]
    data: PathBuf,
    /// Backend: cpu, ndarray, flex or wgpu.
    #[arg(long, default_value = "cpu")]
    backend: String,
}

#[derive(clap::Args)]
struct EvalArgs {
    /// A .ganvas generator file or a .ckpt checkpoint.
    #[arg(long)]
    weights: PathBuf,
    /// Number of generated digits to score.
    #[arg(long, default_value_t = 10_000)]
    n: usize,
    /// Seed of their latent vectors.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The judge (written by `ganvas train-judge`).
    #[arg(long, default_value = "weights/judge.ganvas")]
    judge: PathBuf,
    /// Folder holding mnist-train.gz and mnist-test.gz (written by pkg-scripts/data).
    #[arg(long, default_value = "www/data")]
    data: PathBuf,
    /// Also write the report as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Backend: cpu, ndarray, flex or wgpu.
    #[arg(long, default_value = "cpu")]
    backend: String,
}

#[derive(clap::Args)]
struct TrainArgs {
    /// Network preset: tiny, conditional (tiny told the digit) or standard.
    #[arg(long, default_value = "standard")]
    preset: String,
    /// Training iterations (one D step and one G step each).
    #[arg(long, default_value_t = 10_000)]
    iters: u64,
    /// Seed for initial weights, batches and latents.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Output folder for <preset>.ganvas (generator), <preset>.ckpt (resumable) and a grid PNG.
    #[arg(long, default_value = "weights")]
    out: PathBuf,
    /// Training data written by pkg-scripts/data.
    #[arg(long, default_value = "www/data/mnist-train.gz")]
    data: PathBuf,
    /// Training settings to start from: classic (Adam 2e-4, the live G) or fast (the page's
    /// "Train from scratch": Adam 3e-3, real label 0.9, moving average ramping up to 0.999).
    /// The flags below override single settings.
    #[arg(long, default_value = "classic")]
    recipe: String,
    /// Generator learning rate [default: the recipe's]. Given with --resume, it replaces the
    /// checkpoint's from here on (a second, slower phase of training).
    #[arg(long)]
    lr_g: Option<f64>,
    /// Discriminator learning rate [default: the recipe's]. Given with --resume, as --lr-g.
    #[arg(long)]
    lr_d: Option<f64>,
    /// Target for real digits in D's loss (0.9 = one-sided label smoothing) [default: the
    /// recipe's].
    #[arg(long)]
    real_label: Option<f32>,

    /// Digits D judges together (PacGAN; 2 fights mode collapse). Default: the preset's
    /// (tiny 1, standard 2). Fresh runs only.
    #[arg(long)]
    pack: Option<usize>,
    /// Sample from a moving average of G's weights with this decay (0 = off) [default: the
    /// recipe's].
    #[arg(long)]
    ema: Option<f32>,
    /// Batch size [default: the recipe's].
    #[arg(long)]
    batch: Option<usize>,
    /// Save a checkpoint every this many iterations (0 = only at the end).
    #[arg(long, default_value_t = 1000)]
    checkpoint_every: u64,
    /// Resume from a checkpoint (.ckpt); `--iters` counts the total, not the extra.
    #[arg(long)]
    resume: Option<PathBuf>,
    /// Score the samples at each checkpoint with this judge (weights/judge.ganvas), log the
    /// scores to <preset>-quality.jsonl and keep the generator with the lowest Fréchet
    /// distance as <preset>-best.ganvas.
    #[arg(long)]
    judge: Option<PathBuf>,
    /// Backend: cpu, ndarray, flex or wgpu.
    #[arg(long, default_value = "cpu")]
    backend: String,
    /// Steps between statistic readbacks (and progress bar updates).
    #[arg(long, default_value_t = 50)]
    log_every: u64,
}

#[derive(clap::Args)]
struct SampleArgs {
    /// A .ganvas generator file or a .ckpt checkpoint.
    #[arg(long)]
    weights: PathBuf,
    /// Number of digits.
    #[arg(long, default_value_t = 100)]
    n: usize,
    /// Seed of the latent vectors.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Output: raw uint8, N×784 row-major, 0 = background, 255 = ink.
    #[arg(long)]
    out: PathBuf,
    /// Also write the digits as a PNG grid (10 wide).
    #[arg(long)]
    png: Option<PathBuf>,
    /// Backend: cpu, ndarray, flex or wgpu.
    #[arg(long, default_value = "cpu")]
    backend: String,
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(args) => train(args),
        Command::Sample(args) => sample(args),
        Command::Export(args) => export(args),
        Command::TrainJudge(args) => train_judge(args),
        Command::Eval(args) => eval(args),
    };
    if let Err(e) = result {
        eprintln!("ganvas: {e}");
        std::process::exit(1);
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", path.display()),
        ))
    })
}

/// A checked weights file, errors naming the path.
fn read_weights(path: &Path) -> Result<weights::WeightsFile> {
    weights::WeightsFile::decode(&read(path)?)
        .map_err(|e| Error::Weights(format!("{}: {e}", path.display())))
}

/// The judge and its reference statistics, errors naming the path.
fn read_judge(
    path: &Path,
    device: &burn::prelude::Device,
) -> Result<(judge::Judge, ganvas::quality::Reference)> {
    judge::load_judge(&read(path)?, device)
        .map_err(|e| Error::Weights(format!("{}: {e}", path.display())))
}

/// The training and test splits written by pkg-scripts/data into `dir`.
fn read_splits(dir: &Path) -> Result<(Mnist, Mnist)> {
    Ok((
        Mnist::load_gz(dir.join("mnist-train.gz"))?,
        Mnist::load_gz(dir.join("mnist-test.gz"))?,
    ))
}

/// Runs `generator` on the `n` latent vectors of `seed` in chunks of 1,000 (memory stays
/// flat), handing each chunk's images to `each`. One latent stream for all `n`: the first 100
/// of 1,000 are the 100 of `n = 100`.
fn generate_chunks(
    generator: &ganvas::Generator,
    n: usize,
    seed: u64,
    mut each: impl FnMut(burn::prelude::Tensor<2>) -> Result<()>,
) -> Result<()> {
    let width = generator.input_width();
    let device = generator.device();
    let inputs = latent::inputs(n, generator.latent(), generator.classes(), seed);
    for chunk in inputs.chunks(1000 * width) {
        each(generator.forward(latent::latents_from(chunk, width, &device)))?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    // Write then rename, so an interrupted save never leaves a truncated file behind.
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", path.display()),
            ))
        })
}

fn train(args: TrainArgs) -> Result<()> {
    let device = Backend::parse(&args.backend)?.device()?;
    let preset: Preset = args.preset.parse()?;
    let data = Mnist::load_gz(&args.data)?;
    std::fs::create_dir_all(&args.out)?;
    let name = preset.name();
    let ckpt_path = args.out.join(format!("{name}.ckpt"));

    let mut trainer = match &args.resume {
        Some(path) => {
            let mut trainer = weights::load_checkpoint(&read(path)?, &device)?;
            if Preset::of(&trainer.gan) != Some(preset) {
                return Err(Error::Weights(format!(
                    "{} is a checkpoint of {}, not of the {name} preset",
                    path.display(),
                    trainer.gan.describe()
                )));
            }
            eprintln!("resuming {} at step {}", path.display(), trainer.step());
            let config = TrainConfig {
                lr_g: args.lr_g.unwrap_or(trainer.config.lr_g),
                lr_d: args.lr_d.unwrap_or(trainer.config.lr_d),
                ..trainer.config.clone()
            };
            config.validate(&trainer.gan)?;
            trainer.config = config;
            trainer
        }
        None => {
            let recipe = args.recipe.parse::<Recipe>()?.config();
            let config = TrainConfig {
                batch_size: args.batch.unwrap_or(recipe.batch_size),
                lr_g: args.lr_g.unwrap_or(recipe.lr_g),
                lr_d: args.lr_d.unwrap_or(recipe.lr_d),
                real_label: args.real_label.unwrap_or(recipe.real_label),
                ema: args.ema.unwrap_or(recipe.ema),
                ..recipe
            };
            let gan = preset.config();
            let pack = args.pack.unwrap_or(gan.pack);
            Trainer::new(gan.with_pack(pack), config, args.seed, &device)?
        }
    };
    eprintln!(
        "training {} on {} digits, backend {}, batch {}",
        trainer.gan.describe(),
        data.len(),
        args.backend,
        trainer.config.batch_size
    );

    let mut meter = match &args.judge {
        Some(path) => Some(Meter::load(path, &args.out, name, &device)?),
        None => None,
    };

    let bar = ProgressBar::new(args.iters);
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} {per_sec} ETA {eta} {msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_position(trainer.step());
    let start = Instant::now();
    let start_step = trainer.step();
    let mut pending = Vec::new();
    while trainer.step() < args.iters {
        pending.push(trainer.train_step(&data));
        let step = trainer.step();
        if step % args.log_every.max(1) == 0 || step == args.iters {
            let stats = StepStats::read_all(std::mem::take(&mut pending))?;
            let last = *stats.last().expect("at least one step");
            if let Some(bad) = stats.iter().find(|s| !s.is_finite()) {
                return Err(Error::Diverged {
                    step,
                    what: format!("{bad:?}"),
                });
            }
            let message = format!(
                "D {:.3} G {:.3} D(x) {:.2} D(G(z)) {:.2}",
                last.d_loss, last.g_loss, last.d_real, last.d_fake
            );
            bar.set_position(step);
            if bar.is_hidden() && step % 1000 == 0 {
                // No terminal (a log file, CI): a plain line every 1000 steps instead.
                let rate = (step - start_step) as f64 / start.elapsed().as_secs_f64().max(1e-9);
                eprintln!("step {step}/{} {rate:.1} it/s {message}", args.iters);
            }
            bar.set_message(message);
        }
        if args.checkpoint_every > 0 && step % args.checkpoint_every == 0 && step < args.iters {
            write(&ckpt_path, &weights::save_checkpoint(&trainer)?)?;
            write_grid(&trainer, &args.out.join(format!("{name}-samples.png")))?;
            if let Some(meter) = &mut meter {
                bar.suspend(|| meter.score(&trainer))?;
            }
        }
    }
    bar.finish();
    let secs = start.elapsed().as_secs_f64();
    let done = trainer.step() - start_step;
    eprintln!(
        "{done} iterations in {secs:.1} s: {:.1} it/s",
        done as f64 / secs.max(1e-9)
    );

    write(&ckpt_path, &weights::save_checkpoint(&trainer)?)?;
    let gen_path = args.out.join(format!("{name}.ganvas"));
    write(
        &gen_path,
        &weights::save_generator(
            &trainer.gan,
            trainer.sampler(),
            trainer.step(),
            trainer.seed(),
        )?,
    )?;
    let png_path = args.out.join(format!("{name}-samples.png"));
    write_grid(&trainer, &png_path)?;
    if let Some(meter) = &mut meter {
        meter.score(&trainer)?;
    }
    eprintln!(
        "wrote {}, {} and {}",
        gen_path.display(),
        ckpt_path.display(),
        png_path.display()
    );
    Ok(())
}

/// Digits judged at each checkpoint of `ganvas train --judge`.
const METER_N: usize = 2000;

/// Scores checkpoints as training goes: the quality curve of a run, and its best generator.
struct Meter {
    judge: judge::Judge,
    reference: ganvas::quality::Reference,
    log: PathBuf,
    best_path: PathBuf,
    best: f64,
}

impl Meter {
    fn load(path: &Path, out: &Path, name: &str, device: &burn::prelude::Device) -> Result<Self> {
        let (judge, reference) = read_judge(path, device)?;
        let log = out.join(format!("{name}-quality.jsonl"));
        // A resumed run goes on from the best of the log it appends to.
        let best = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["score"]["frechet"].as_f64())
            .fold(f64::INFINITY, f64::min);
        Ok(Self {
            judge,
            reference,
            log,
            best_path: out.join(format!("{name}-best.ganvas")),
            best,
        })
    }

    /// Judges 2,000 samples (latent seed 0), appends the scores to the log, and saves the
    /// generator when its Fréchet distance is the lowest so far (the score that sees both
    /// the look of the digits and their variety).
    fn score(&mut self, trainer: &Trainer) -> Result<()> {
        let sampler = trainer.sampler();
        let images = sampler.sample(METER_N, 0);
        let score = self.judge.judge(images)?.score(&self.reference.test);
        let baseline = self
            .reference
            .baseline(METER_N)
            .map_or(f64::NAN, |b| b.frechet);
        let shares: Vec<String> = score
            .class_shares
            .iter()
            .map(|v| format!("{:.0}", v * 100.0))
            .collect();
        eprintln!(
            "quality at step {}: digit score {:.3}, Fréchet {:.1} ({:.0}× real), shares % {}",
            trainer.step(),
            score.digit_score,
            score.frechet,
            score.frechet / baseline,
            shares.join(" ")
        );
        let line =
            serde_json::json!({"step": trainer.step(), "score": score, "real_frechet": baseline});
        use std::io::Write;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .and_then(|mut f| writeln!(f, "{line}"))?;
        if score.frechet < self.best {
            self.best = score.frechet;
            let bytes =
                weights::save_generator(&trainer.gan, sampler, trainer.step(), trainer.seed())?;
            write(&self.best_path, &bytes)?;
        }
        Ok(())
    }
}

/// The 100 digits of seed 0 as a 10×10 PNG: how training is going, at a glance.
fn write_grid(trainer: &Trainer, path: &Path) -> Result<()> {
    let digits = latent::images_to_u8(trainer.sampler().sample(100, 0))?;
    grid::write_png(path, &digits.chunks(784).collect::<Vec<_>>(), 10, 2)
}

fn sample(args: SampleArgs) -> Result<()> {
    let device = Backend::parse(&args.backend)?.device()?;
    let file = read_weights(&args.weights)?;
    let gan: GanConfig = file.gan()?.clone();
    gan.validate()?;
    let generator = file.sampler(&device)?;
    let mut bytes = Vec::with_capacity(args.n * ganvas::IMAGE_PIXELS);
    generate_chunks(&generator, args.n, args.seed, |images| {
        bytes.extend(latent::images_to_u8(images)?);
        Ok(())
    })?;
    write(&args.out, &bytes)?;
    if let Some(png) = &args.png {
        grid::write_png(png, &bytes.chunks(784).collect::<Vec<_>>(), 10, 2)?;
    }
    eprintln!("wrote {} digits to {}", args.n, args.out.display());
    Ok(())
}

fn export(args: ExportArgs) -> Result<()> {
    let device = Backend::CPU.device()?;
    let file = read_weights(&args.weights)?;
    let dtype = if args.f16 {
        burn::tensor::DType::F16
    } else {
        burn::tensor::DType::F32
    };
    let bytes = weights::save_generator_as(
        file.gan()?,
        &file.sampler(&device)?,
        file.header.step,
        file.header.seed,
        dtype,
    )?;
    write(&args.out, &bytes)?;
    eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
    Ok(())
}

fn train_judge(args: TrainJudgeArgs) -> Result<()> {
    let device = Backend::parse(&args.backend)?.device()?;
    let (train, test) = read_splits(&args.data)?;
    let config = JudgeTraining {
        epochs: args.epochs,
        seed: args.seed,
        ..JudgeTraining::default()
    };
    let start = Instant::now();
    let mut steps = 0;
    let judge = judge_train::train_judge(&train, &config, &device, |epoch, done, loss| {
        steps = done;
        eprintln!(
            "epoch {epoch}/{}: mean loss {loss:.4} ({:.0} s)",
            config.epochs,
            start.elapsed().as_secs_f64()
        );
    })?;
    let reference = judge_train::reference(&judge, &train, &test, &judge_train::BASELINE_SIZES)?;
    eprintln!(
        "test accuracy {:.2}% ({} test digits), digit score of the test set {:.3}, {:.0} s",
        reference.test_accuracy * 100.0,
        test.len(),
        reference.test_digit_score,
        start.elapsed().as_secs_f64()
    );
    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    write(
        &args.out,
        &judge::save_judge(&judge, &reference, steps, args.seed)?,
    )?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

/// What `ganvas eval` reports, as written to `--json`.
#[derive(serde::Serialize)]
struct EvalReport {
    weights: String,
    step: u64,
    seed: u64,
    judge_test_accuracy: f64,
    /// The generator's digits against the real test set.
    samples: Score,
    /// Real training digits at the same N against the real test set: the baseline.
    real_train: Score,
    /// The real test set itself: the ceiling for the digit score.
    real_test: Score,
}

fn eval(args: EvalArgs) -> Result<()> {
    if args.n < 2 {
        return Err(Error::Config("--n must be at least 2".into()));
    }
    let device = Backend::parse(&args.backend)?.device()?;
    let (judge, _) = read_judge(&args.judge, &device)?;
    let file = read_weights(&args.weights)?;
    let generator = file.sampler(&device)?;
    let (train, test) = read_splits(&args.data)?;
    // Fresh from the data (not the statistics stored with the judge), at this N.
    let reference = judge_train::reference(&judge, &train, &test, &[args.n])?;

    let mut judged = Judged::default();
    generate_chunks(&generator, args.n, args.seed, |images| {
        judged.extend(judge.judge(images)?);
        Ok(())
    })?;
    let report = EvalReport {
        weights: args.weights.display().to_string(),
        step: file.header.step,
        seed: args.seed,
        judge_test_accuracy: reference.test_accuracy,
        samples: judged.score(&reference.test),
        real_train: reference.baselines[0].clone(),
        real_test: Score {
            n: test.len(),
            digit_score: reference.test_digit_score,
            class_shares: reference.test_class_shares,
            frechet: 0.0,
            ink: reference.test_ink,
        },
    };
    print_report(&report);
    if let Some(path) = &args.json {
        let json = serde_json::to_vec_pretty(&report).expect("report serializes");
        write(path, &json)?;
    }
    Ok(())
}

fn print_report(r: &EvalReport) {
    println!(
        "{} (step {}), latent seed {}; judge accuracy {:.2}% on the MNIST test set",
        r.weights,
        r.step,
        r.seed,
        r.judge_test_accuracy * 100.0
    );
    println!(
        "{:<22} {:>6} {:>8} {:>6}   class shares % (0-9)",
        "", "digit", "Fréchet", "ink"
    );
    let row = |name: String, s: &Score| {
        let shares: Vec<String> = s
            .class_shares
            .iter()
            .map(|v| format!("{:4.1}", v * 100.0))
            .collect();
        println!(
            "{name:<22} {:>6.3} {:>8.3} {:>6.4}   {}",
            s.digit_score,
            s.frechet,
            s.ink,
            shares.join(" ")
        );
    };
    row(format!("samples (n={})", r.samples.n), &r.samples);
    row(format!("real train (n={})", r.real_train.n), &r.real_train);
    row(format!("real test (n={})", r.real_test.n), &r.real_test);
    println!(
        "Fréchet ratio to the real baseline: {:.2}×",
        r.samples.frechet / r.real_train.frechet.max(1e-12)
    );
}
