//! Every Rust test, in one test binary: each binary links all of burn, so sixteen of them
//! spent minutes of CI linking (docs/architecture.md, "Where CI's time goes"), and the MNIST
//! they share is now read once. A file per part of the crate, each a module here.

mod common;

mod adam;
mod cli;
mod conv;
mod conv_kernels;
mod data;
mod dataset;
mod fuzz;
mod judge;
mod model;
mod nearest;
mod normalise;
mod quality;
mod scratch;
mod session;
mod shipped;
mod train;
mod weights;
