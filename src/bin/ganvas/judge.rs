//! `ganvas train-judge` and `ganvas eval`: the digit classifier, and what it says of a
//! generator's digits.

use crate::args::{EvalArgs, TrainJudgeArgs};
use crate::sample::generate_chunks;
use crate::{device, in_file, read, read_weights, write};
use ganvas::data::Mnist;
use ganvas::judge::{self, Judged};
use ganvas::judge_train::{self, JudgeTraining};
use ganvas::nearest::{self, CopyReport};
use ganvas::quality::Score;
use ganvas::{Error, IMAGE_PIXELS, Result, latent};
use std::path::Path;
use std::time::Instant;

/// The training and test splits written by pkg-scripts/data into `dir`.
fn read_splits(dir: &Path) -> Result<(Mnist, Mnist)> {
    Ok((
        Mnist::load_gz(dir.join("mnist-train.gz"))?,
        Mnist::load_gz(dir.join("mnist-test.gz"))?,
    ))
}

pub fn train_judge(args: TrainJudgeArgs) -> Result<()> {
    let (_, device) = device(args.backend)?;
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
    /// A conditional generator only: for each digit 0–9, the share of `n / 10` digits drawn
    /// on request for it that the judge reads as that digit.
    asked_digit_read: Option<Vec<f64>>,
    /// How near the first [`COPY_N`] digits come to training digits, against as many real
    /// test digits: is the generator copying?
    copying: CopyReport,
}

/// Digits the copy check measures (each a scan of the 60,000 training digits): enough for a
/// 1% share to mean 10 digits, few enough to take seconds.
const COPY_N: usize = 1000;

/// For each class of a conditional `generator`, the share of `per_class` digits asked for it
/// that `judge` reads as it (the same latent vectors of `seed` for every class).
fn read_as_asked(
    generator: &ganvas::Generator,
    judge: &judge::Judge,
    per_class: usize,
    seed: u64,
) -> Result<Vec<f64>> {
    (0..generator.classes() as u8)
        .map(|digit| {
            let mut read = Vec::new();
            generate_chunks(generator, per_class, seed, Some(digit), |images| {
                read.extend(judge.judge(images)?.predictions());
                Ok(())
            })?;
            let hits = read.iter().filter(|&&p| p == digit as usize).count();
            Ok(hits as f64 / read.len() as f64)
        })
        .collect()
}

pub fn eval(args: EvalArgs) -> Result<()> {
    if args.n < 2 {
        return Err(Error::Config("--n must be at least 2".into()));
    }
    let (_, device) = device(args.backend)?;
    let (judge, _) =
        judge::load_judge(&read(&args.judge)?, &device).map_err(in_file(&args.judge))?;
    let file = read_weights(&args.weights)?;
    let generator = file.sampler(&device)?;
    let (train, test) = read_splits(&args.data)?;
    // Fresh from the data (not the statistics stored with the judge), at this N.
    let reference = judge_train::reference(&judge, &train, &test, &[args.n])?;

    let mut judged = Judged::default();
    let mut first = Vec::new();
    generate_chunks(&generator, args.n, args.seed, None, |images| {
        if first.len() < COPY_N * IMAGE_PIXELS {
            first.extend(latent::images_to_u8(images.clone())?);
        }
        judged.extend(judge.judge(images)?);
        Ok(())
    })?;
    first.truncate(COPY_N * IMAGE_PIXELS);
    let real = &test.images()[..COPY_N.min(test.len()) * IMAGE_PIXELS];
    let copying = nearest::copy_report(&first, real, &train)?;
    let asked_digit_read = match generator.classes() {
        0 => None,
        classes => Some(read_as_asked(
            &generator,
            &judge,
            args.n.div_ceil(classes),
            args.seed,
        )?),
    };
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
        asked_digit_read,
        copying,
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
    let c = &r.copying;
    println!(
        "copying ({} samples vs {} real test digits, pixel distance to the nearest training \
         digit): {:.1}% nearer than the median real digit ({:.2}; real: 50%), {:.1}% nearer than \
         the closest 1% of real ones ({:.2}; real: 1%), closest {:.2}",
        c.samples,
        c.real,
        c.copy_rate * 100.0,
        c.real_median,
        c.memorised * 100.0,
        c.real_p1,
        c.closest
    );
    if let Some(read) = &r.asked_digit_read {
        let shares: Vec<String> = read.iter().map(|v| format!("{:5.1}", v * 100.0)).collect();
        let (worst, low) = read
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .expect("ten classes");
        println!(
            "read as the asked digit % (0-9): {}   lowest: {worst} at {:.1}%",
            shares.join(" "),
            low * 100.0
        );
    }
}
