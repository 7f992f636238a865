//! `ganvas`: train the GAN natively, sample digits from weights, score them.
//!
//! `ganvas sample` is a public contract (tutorials and outside checks rely on it): it writes
//! N digits as raw uint8, N×784 row-major, 0 = background, 255 = ink, like MNIST.

mod args;
mod judge;
mod likeness;
mod sample;
mod train;

use args::{Cli, Command};
use clap::Parser;
use ganvas::backend::{Backend, Choice};
use ganvas::{Error, Result};
use std::path::Path;

fn main() {
    let cli = Cli::parse();
    // The command runs on one of the CPU backend's own worker threads (RAYON_NUM_THREADS of
    // them), not beside them: a main thread outside the pool made three busy threads on two
    // cores, and the workers spinning between matrix products slowed the element-wise work
    // in between as much as the parallel products gained (BENCHMARKS.md, two threads).
    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .expect("a thread pool for the CPU backend");
    let result = pool.install(|| match cli.command {
        Command::Train(args) => train::train(args),
        Command::Sample(args) => sample::sample(args),
        Command::Export(args) => sample::export(args),
        Command::TrainJudge(args) => judge::train_judge(args),
        // MNIST's folder (pkg-scripts/data) is scored by the judge; own images cannot be.
        Command::Eval(args) if args.data.join("mnist-train.gz").is_file() => judge::eval(args),
        Command::Eval(args) => likeness::eval(args),
    });
    if let Err(e) = result {
        eprintln!("ganvas: {e}");
        std::process::exit(1);
    }
}

/// The backend `--backend` names (the command line offers no "auto") and its device.
fn device(choice: Choice) -> Result<(Backend, burn::prelude::Device)> {
    let backend = choice.backend().unwrap_or(Backend::CPU);
    Ok((backend, backend.device()?))
}

/// An I/O error that names its file.
fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io(std::io::Error::new(
        e.kind(),
        format!("{}: {e}", path.display()),
    ))
}

/// What went wrong with a weights, checkpoint or judge file, naming it.
fn in_file(path: &Path) -> impl FnOnce(Error) -> Error + '_ {
    move |e| Error::Weights(format!("{}: {e}", path.display()))
}

/// A file's bytes, errors naming the path.
fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| io_error(path, e))
}

/// A checked weights file, errors naming the path.
fn read_weights(path: &Path) -> Result<ganvas::weights::WeightsFile> {
    ganvas::weights::WeightsFile::decode(&read(path)?).map_err(in_file(path))
}

/// Writes then renames, so an interrupted save never leaves a truncated file behind.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| io_error(path, e))
}
