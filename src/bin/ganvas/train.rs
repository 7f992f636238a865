//! `ganvas train`: drives a [`Session`] (the core the page drives too) over the MNIST digits,
//! writing checkpoints, sample grids, quality scores and the final weights.

use crate::args::TrainArgs;
use crate::{device, in_file, io_error, read, write};
use futures_lite::future::block_on;
use ganvas::dataset;
use ganvas::defaults;
use ganvas::session::Session;
use ganvas::train::{Stats, Trainer};
use ganvas::{Error, Result, grid, latent, weights};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn train(args: TrainArgs) -> Result<()> {
    let (backend, device) = device(args.backend)?;
    let name = args.preset.name();
    let mut session = match &args.resume {
        Some(path) => resumed(&args, path, backend, &device)?,
        None => {
            let config = args.recipe.config().with(&args.overrides());
            let gan = args.preset.config();
            let pack = args.pack.unwrap_or(gan.pack);
            let trainer = Trainer::new(gan.with_pack(pack), config, args.seed, &device)?;
            Session::from_trainer(trainer, backend, &device)
        }
    };
    if let Some(path) = &args.from {
        session.load_weights(&read(path)?).map_err(in_file(path))?;
        eprintln!(
            "training on from {} (step {})",
            path.display(),
            session.trainer().step()
        );
    }
    let data = dataset::load(&args.data)?;
    if session.trainer().gan.classes > 0 && !data.has_classes() {
        return Err(Error::Config(format!(
            "{}: {}; the conditional preset {name} draws a class on request, so it needs \
             classes (subfolders, or an IDX labels file beside the images): train an \
             unconditional preset (tiny, standard, conv) instead",
            args.data.display(),
            data.describe()
        )));
    }
    if args.judge.is_some() && !data.mnist {
        return Err(Error::Config(format!(
            "--judge scores MNIST digits, and {} holds other images: a digit score of them \
             would mean nothing; train without --judge",
            args.data.display()
        )));
    }
    eprintln!("data: {}: {}", args.data.display(), data.describe());
    eprintln!(
        "training {} on {} images, backend {}, batch {}",
        session.trainer().gan.describe(),
        data.data.len(),
        backend.name(),
        session.trainer().config.batch_size
    );
    session.set_dataset(data)?;
    std::fs::create_dir_all(&args.out)?;
    let out = Outputs::new(&args.out, name);
    let mut meter = match &args.judge {
        Some(path) => Some(Meter::load(&mut session, path, &out)?),
        None => None,
    };
    let mut stats_log = match &args.stats {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| io_error(path, e))?,
        )),
        None => None,
    };

    let timelapse = match &args.timelapse {
        Some(dir) if args.timelapse_every > 0 => Some(Timelapse::new(dir, &session)?),
        Some(_) => return Err(Error::Config("--timelapse-every must be at least 1".into())),
        None => None,
    };
    if let Some(t) = &timelapse {
        t.frame(&session)?;
    }
    let bar = progress(args.iters, session.trainer().step());
    let start = Instant::now();
    let start_step = session.trainer().step();
    // The next multiple of `n` after `step` (never, for 0).
    let every = |n: u64, step: u64| step.checked_div(n).map_or(u64::MAX, |k| (k + 1) * n);
    while session.trainer().step() < args.iters {
        let step = session.trainer().step();
        // Up to the next readback, checkpoint or the end, whichever comes first.
        let until = every(args.log_every.max(1), step)
            .min(every(args.checkpoint_every, step))
            .min(match timelapse {
                Some(_) => every(args.timelapse_every, step),
                None => u64::MAX,
            })
            .min(args.iters);
        let steps = block_on(session.run((until - step) as u32))?;
        if let Some(log) = &mut stats_log {
            for s in &steps {
                writeln!(
                    log,
                    "{}",
                    serde_json::to_string(s).expect("stats serialize")
                )?;
            }
        }
        if let Some(step) = session.diverged_at() {
            let what = steps
                .iter()
                .find(|s| s.step == step)
                .map_or_else(|| "a loss".into(), |s| format!("{:?}", s.stats));
            return Err(Error::Diverged { step, what });
        }
        let step = session.trainer().step();
        report(
            &bar,
            &steps.last().expect("at least one step").stats,
            step,
            start,
            start_step,
            args.iters,
        );
        if let Some(t) = &timelapse
            && step.is_multiple_of(args.timelapse_every)
        {
            t.frame(&session)?;
        }
        if args.checkpoint_every > 0 && step % args.checkpoint_every == 0 && step < args.iters {
            out.checkpoint(&session)?;
            if let Some(meter) = &mut meter {
                bar.suspend(|| meter.score(&session))?;
            }
        }
    }
    bar.finish();
    if let Some(log) = &mut stats_log {
        log.flush()?;
    }
    let secs = start.elapsed().as_secs_f64();
    let done = session.trainer().step() - start_step;
    eprintln!(
        "{done} iterations in {secs:.1} s: {:.1} it/s",
        done as f64 / secs.max(1e-9)
    );

    out.checkpoint(&session)?;
    write(&out.generator, &block_on(session.save_weights())?)?;
    if let Some(meter) = &mut meter {
        meter.score(&session)?;
    }
    eprintln!(
        "wrote {}, {} and {}",
        out.generator.display(),
        out.checkpoint.display(),
        out.grid.display()
    );
    Ok(())
}

/// A session resumed from the checkpoint at `path`, with the settings flags given applied on
/// top of the checkpoint's (`--lr-g`, `--lr-d`, `--batch`, `--real-label`, `--ema`).
fn resumed(
    args: &TrainArgs,
    path: &Path,
    backend: ganvas::backend::Backend,
    device: &burn::prelude::Device,
) -> Result<Session> {
    let trainer = weights::load_checkpoint(&read(path)?, device)?;
    if ganvas::Preset::of(&trainer.gan) != Some(args.preset) {
        return Err(Error::Weights(format!(
            "{} is a checkpoint of {}, not of the {} preset",
            path.display(),
            trainer.gan.describe(),
            args.preset.name()
        )));
    }
    eprintln!("resuming {} at step {}", path.display(), trainer.step());
    let config = trainer.config.with(&args.overrides());
    let mut session = Session::from_trainer(trainer, backend, device);
    session.set_config(config)?;
    Ok(session)
}

fn progress(iters: u64, at: u64) -> ProgressBar {
    let bar = ProgressBar::new(iters);
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} {per_sec} ETA {eta} {msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_position(at);
    bar
}

fn report(bar: &ProgressBar, last: &Stats, step: u64, start: Instant, start_step: u64, iters: u64) {
    let message = format!(
        "D {:.3} G {:.3} D(x) {:.2} D(G(z)) {:.2}",
        last.d_loss, last.g_loss, last.d_real, last.d_fake
    );
    bar.set_position(step);
    if bar.is_hidden() && step.is_multiple_of(1000) {
        // No terminal (a log file, CI): a plain line every 1000 steps instead.
        let rate = (step - start_step) as f64 / start.elapsed().as_secs_f64().max(1e-9);
        eprintln!("step {step}/{iters} {rate:.1} it/s {message}");
    }
    bar.set_message(message);
}

/// The files a run writes into `--out`.
struct Outputs {
    checkpoint: PathBuf,
    generator: PathBuf,
    grid: PathBuf,
    quality: PathBuf,
    best: PathBuf,
}

impl Outputs {
    fn new(dir: &Path, name: &str) -> Self {
        Self {
            checkpoint: dir.join(format!("{name}.ckpt")),
            generator: dir.join(format!("{name}.ganvas")),
            grid: dir.join(format!("{name}-samples.png")),
            quality: dir.join(format!("{name}-quality.jsonl")),
            best: dir.join(format!("{name}-best.ganvas")),
        }
    }

    /// The resumable checkpoint and the 100 digits of seed 0 as a 10×10 PNG: how training is
    /// going, at a glance.
    fn checkpoint(&self, session: &Session) -> Result<()> {
        write(&self.checkpoint, &block_on(session.checkpoint())?)?;
        let digits = latent::images_to_u8(session.trainer().sampler().sample(100, 0))?;
        grid::write_png(&self.grid, &digits.chunks(784).collect::<Vec<_>>(), 10, 2)
    }
}

/// The page's timelapse, natively: its grid (the same latent vectors, rows and columns) as a
/// PNG per frame, so that a tutorial can show the frames a visitor's page would capture.
struct Timelapse {
    dir: PathBuf,
    grid: latent::Grid,
}

impl Timelapse {
    fn new(dir: &Path, session: &Session) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            grid: session.grid(None)?,
        })
    }

    /// Writes the grid of the generator the page would show (the average, when kept).
    fn frame(&self, session: &Session) -> Result<()> {
        let digits = block_on(session.generate_labelled(&self.grid.z, &self.grid.labels))?;
        let path = self
            .dir
            .join(format!("step-{:07}.png", session.trainer().step()));
        grid::write_png(
            &path,
            &digits.chunks(784).collect::<Vec<_>>(),
            self.grid.cols,
            1,
        )
    }
}

/// Scores checkpoints as training goes: the quality curve of a run, and its best generator.
struct Meter {
    log: PathBuf,
    best_path: PathBuf,
    best: f64,
    /// Real training digits' Fréchet distance at the meter's size: the baseline.
    baseline: f64,
}

impl Meter {
    fn load(session: &mut Session, path: &Path, out: &Outputs) -> Result<Self> {
        let reference = session.load_judge(&read(path)?).map_err(in_file(path))?;
        let baseline = reference
            .baseline(defaults::CLI_SCORE_N)
            .map_or(f64::NAN, |b| b.frechet);
        // A resumed run goes on from the best of the log it appends to.
        let best = std::fs::read_to_string(&out.quality)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["score"]["frechet"].as_f64())
            .fold(f64::INFINITY, f64::min);
        Ok(Self {
            log: out.quality.clone(),
            best_path: out.best.clone(),
            best,
            baseline,
        })
    }

    /// Judges [`defaults::CLI_SCORE_N`] samples (the page's latent seed), appends the scores
    /// to the log, and saves the generator when its Fréchet distance is the lowest so far (the
    /// score that sees both the look of the digits and their variety).
    fn score(&mut self, session: &Session) -> Result<()> {
        let scored = block_on(session.score(defaults::CLI_SCORE_N))?;
        let score = &scored.score;
        let shares: Vec<String> = score
            .class_shares
            .iter()
            .map(|v| format!("{:.0}", v * 100.0))
            .collect();
        eprintln!(
            "quality at step {}: digit score {:.3}, Fréchet {:.1} ({:.0}× real), shares % {}",
            scored.step,
            score.digit_score,
            score.frechet,
            score.frechet / self.baseline,
            shares.join(" ")
        );
        let line =
            serde_json::json!({"step": scored.step, "score": score, "real_frechet": self.baseline});
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .and_then(|mut f| writeln!(f, "{line}"))?;
        if score.frechet < self.best {
            self.best = score.frechet;
            write(&self.best_path, &block_on(session.save_weights())?)?;
        }
        Ok(())
    }
}
