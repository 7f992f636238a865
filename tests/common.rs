//! Helpers shared by the integration tests.
#![allow(dead_code)]

use burn::prelude::*;
use ganvas::data::Mnist;
use std::path::PathBuf;
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

/// The CPU device the tests run on.
pub fn cpu() -> Device {
    ganvas::backend::Backend::CPU.cpu_device().unwrap()
}
