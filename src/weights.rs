//! The `.ganvas` file: burnpack sections (burn's own record format) behind a small header
//! that says which network they belong to.
//!
//! ```text
//! "\x89GANVAS\n"    8 bytes; the high byte and newline catch text-mode mangling, as in PNG
//! u32 LE            header length H
//! H bytes           header, JSON: kind, network shape, step, seed, section names and sizes
//! sections          burnpack bytes (or a generator in 8/4 bits, `quant`), in the header's order
//! u32 LE            CRC-32 of everything before it
//! ```
//!
//! Loading checks magic, sizes and checksum before any tensor is built, and the network
//! shape before any weight is applied; it builds a new module and never touches the caller's,
//! so a failed load leaves the model in memory as it was.

use crate::adam::Adam;
use crate::error::{Error, Result};
use crate::model::{Discriminator, GanConfig, Generator};
use crate::quant::{self, Storage};
use crate::train::{TrainConfig, Trainer, TrainerParts};
use burn::module::{Module, ModuleMapper, Param};
use burn::prelude::*;
use burn::store::ModuleRecord;
use burn::tensor::Bytes;
use burn::tensor::DType;
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"\x89GANVAS\n";
/// The section of a generator file stored in 8 or 4 bits ([`quant`]), instead of `generator`.
const QUANTIZED_GENERATOR: &str = "generator-q";
/// The format version of generator and judge files, unchanged since the first release.
pub(crate) const VERSION: u32 = 1;
/// The format version of checkpoints: 2 since Adam's state is ganvas's own ([`crate::adam`]),
/// four sections of moments shaped like the networks. Version 1 checkpoints held burn-optim's
/// record of it, which this build no longer reads.
pub(crate) const CHECKPOINT_VERSION: u32 = 2;
/// The sections of a checkpoint's Adam moments: G's first and second, D's first and second.
const MOMENTS: [&str; 4] = ["adam-g-m1", "adam-g-m2", "adam-d-m1", "adam-d-m2"];
/// Larger files are refused before parsing: the biggest real checkpoint is ~40 MB.
pub const MAX_FILE_BYTES: usize = 256 << 20;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The generator alone: enough to sample, and what `weights/` ships.
    Generator,
    /// Generator, discriminator and both optimizers' state: enough to resume training.
    Checkpoint,
    /// The digit classifier that scores samples, with real MNIST's statistics
    /// ([`crate::judge`]).
    Judge,
}

/// The JSON header.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// Format version.
    pub version: u32,
    /// What the file holds.
    pub kind: Kind,
    /// Shape of the networks the weights belong to (GAN files only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gan: Option<GanConfig>,
    /// Training iterations behind these weights.
    pub step: u64,
    /// Seed of the training run.
    pub seed: u64,
    /// Training settings (checkpoints only).
    #[serde(default)]
    pub train: Option<TrainConfig>,
    /// Updates behind the `ema` section (checkpoints with a moving average only).
    #[serde(default)]
    pub ema_updates: u64,
    /// Steps the generator still waits for the discriminator (checkpoints only).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hold: u64,
    /// Adam steps behind the moments of G and of D (version 2 checkpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adam_steps: Option<(u64, u64)>,
    /// Section names and byte sizes, in file order.
    pub sections: Vec<(String, u64)>,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

/// A decoded, checked file: header plus raw section bytes.
pub struct WeightsFile {
    /// The header.
    pub header: Header,
    sections: Vec<(String, Vec<u8>)>,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::Weights(msg.into())
}

impl WeightsFile {
    /// Checks and splits a file. Everything that can be wrong with the bytes is found here.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.is_empty() {
            return Err(bad("the file is empty"));
        }
        if bytes.len() > MAX_FILE_BYTES {
            return Err(bad(format!(
                "the file is {} MB; weights files are at most {} MB",
                bytes.len() >> 20,
                MAX_FILE_BYTES >> 20
            )));
        }
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(bad(
                "not a ganvas weights file (it does not start with the ganvas signature)",
            ));
        }
        if bytes.len() < MAGIC.len() + 8 {
            return Err(bad(format!(
                "the file is truncated: only {} bytes",
                bytes.len()
            )));
        }
        let header_len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
        let header_end = 12usize.saturating_add(header_len);
        let header_bytes = bytes.get(12..header_end).ok_or_else(|| {
            bad(format!(
                "the file is truncated: {} bytes, its header alone needs {header_end}",
                bytes.len()
            ))
        })?;
        let header: Header = serde_json::from_slice(header_bytes)
            .map_err(|e| bad(format!("the header is not valid: {e}")))?;
        if !(VERSION..=CHECKPOINT_VERSION).contains(&header.version) {
            return Err(bad(format!(
                "format version {} is not supported (this build reads versions \
                 {VERSION}-{CHECKPOINT_VERSION})",
                header.version
            )));
        }
        let body: u64 = header.sections.iter().map(|(_, n)| *n).sum();
        let expected = header_end as u64 + body + 4;
        if (bytes.len() as u64) < expected {
            return Err(bad(format!(
                "the file is truncated: {} bytes of the {expected} its header announces",
                bytes.len()
            )));
        }
        if (bytes.len() as u64) > expected {
            return Err(bad(format!(
                "{} unexpected bytes after the end of the weights",
                bytes.len() as u64 - expected
            )));
        }
        let (content, crc) = bytes.split_at(bytes.len() - 4);
        let stored = u32::from_le_bytes(crc.try_into().unwrap());
        if crc32fast::hash(content) != stored {
            return Err(bad("checksum mismatch: the file is corrupted"));
        }
        let mut at = header_end;
        let sections = header
            .sections
            .iter()
            .map(|(name, n)| {
                let part = bytes[at..at + *n as usize].to_vec();
                at += *n as usize;
                (name.clone(), part)
            })
            .collect();
        Ok(Self { header, sections })
    }

    /// Assembles a file from a header (its `sections` filled in here) and named sections.
    pub fn encode(mut header: Header, sections: Vec<(String, Vec<u8>)>) -> Vec<u8> {
        header.sections = sections
            .iter()
            .map(|(n, b)| (n.clone(), b.len() as u64))
            .collect();
        let json = serde_json::to_vec(&header).expect("header serializes");
        let mut out =
            Vec::with_capacity(json.len() + sections.iter().map(|s| s.1.len()).sum::<usize>() + 16);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        for (_, b) in &sections {
            out.extend_from_slice(b);
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// The bytes of section `name`, or an error naming it.
    pub fn section(&self, name: &str) -> Result<&[u8]> {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
            .ok_or_else(|| bad(format!("the file has no {name} section")))
    }

    /// The shape of the GAN the file's weights belong to.
    pub fn gan(&self) -> Result<&GanConfig> {
        let gan = self.header.gan.as_ref().ok_or_else(|| {
            bad("this file holds the digit judge (weights/judge.ganvas), not GAN weights")
        })?;
        gan.validate()
            .map_err(|e| bad(format!("the header describes an impossible network: {e}")))?;
        Ok(gan)
    }

    /// Fails unless the file's generator has the shape of `expected`'s.
    pub fn check_shape(&self, expected: &GanConfig) -> Result<()> {
        let gan = self.gan()?;
        if !gan.same_generator(expected) {
            return Err(bad(format!(
                "these weights are for {}, but the model is {}",
                gan.describe(),
                expected.describe()
            )));
        }
        Ok(())
    }

    /// A new generator on `device` holding the file's weights (f32, f16 or quantized).
    pub fn generator(&self, device: &Device) -> Result<Generator> {
        let fresh = self.gan()?.init_generator(0, device);
        if self.has(QUANTIZED_GENERATOR) {
            return quant::decode(fresh, self.section(QUANTIZED_GENERATOR)?);
        }
        load_module(fresh, self.section("generator")?, "generator")
    }

    fn has(&self, name: &str) -> bool {
        self.sections.iter().any(|(n, _)| n == name)
    }

    /// The generator to sample from: the moving average of G when the file has one (a
    /// checkpoint trained with `--ema`), else G itself.
    pub fn sampler(&self, device: &Device) -> Result<Generator> {
        match self.average(device)? {
            Some(average) => Ok(average),
            None => self.generator(device),
        }
    }

    /// The moving average of G, if the file holds one.
    pub fn average(&self, device: &Device) -> Result<Option<Generator>> {
        if !self.has("ema") {
            return Ok(None);
        }
        let fresh = self.gan()?.init_generator(0, device);
        load_module(fresh, self.section("ema")?, "average generator").map(Some)
    }

    /// A new discriminator on `device` holding the file's weights.
    pub fn discriminator(&self, device: &Device) -> Result<Discriminator> {
        let fresh = self.gan()?.init_discriminator(0, device);
        load_module(fresh, self.section("discriminator")?, "discriminator")
    }
}

pub(crate) fn load_module<M: Module>(fresh: M, bytes: &[u8], what: &str) -> Result<M> {
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| bad(format!("{what}: {e}")))?
        .cast_to_module_dtype();
    fresh
        .try_load_record(record)
        .map_err(|e| bad(format!("{what}: {e}")))
}

pub(crate) fn module_bytes<M: Module>(module: M, what: &str) -> Result<Vec<u8>> {
    let bytes = module
        .into_record()
        .into_bytes()
        .map_err(|e| bad(format!("cannot encode the {what}: {e}")))?;
    Ok(bytes.to_vec())
}

/// Encodes a generator alone (synchronous readback: native, or the CPU backend in wasm).
pub fn save_generator(
    gan: &GanConfig,
    generator: &Generator,
    step: u64,
    seed: u64,
) -> Result<Vec<u8>> {
    save_generator_as(gan, generator, step, seed, Storage::F32)
}

/// Encodes a generator alone with its weights stored as `storage`: the shipped file is the
/// largest thing the page downloads before its first grid. f16 and f32 are burnpack (loading
/// casts back to f32, [`load_module`]); 8 and 4 bits are [`quant`]'s section.
pub fn save_generator_as(
    gan: &GanConfig,
    generator: &Generator,
    step: u64,
    seed: u64,
    storage: Storage,
) -> Result<Vec<u8>> {
    struct Cast(DType);
    impl ModuleMapper for Cast {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let dtype = self.0;
            param.map(|t| t.cast(dtype))
        }
    }
    let section = match storage {
        Storage::F32 => ("generator", module_bytes(generator.clone(), "generator")?),
        Storage::F16 => (
            "generator",
            module_bytes(generator.clone().map(&mut Cast(DType::F16)), "generator")?,
        ),
        Storage::Int8 | Storage::Int4 => (QUANTIZED_GENERATOR, quant::encode(generator, storage)?),
    };
    let header = Header {
        version: VERSION,
        kind: Kind::Generator,
        gan: Some(gan.clone()),
        step,
        seed,
        train: None,
        ema_updates: 0,
        hold: 0,
        adam_steps: None,
        sections: vec![],
    };
    Ok(WeightsFile::encode(
        header,
        vec![(section.0.into(), section.1)],
    ))
}

/// Loads a generator of shape `expected` to sample from (a generator file, or a checkpoint's
/// moving average if it has one).
pub fn load_generator(bytes: &[u8], expected: &GanConfig, device: &Device) -> Result<Generator> {
    let file = WeightsFile::decode(bytes)?;
    file.check_shape(expected)?;
    file.sampler(device)
}

/// What a checkpoint holds, borrowed. A caller that had to copy the networks to the CPU first
/// (WebGPU in the browser, where burn's record writer cannot read the GPU) builds one itself.
pub struct CheckpointParts<'a> {
    /// Shape of both networks.
    pub gan: &'a GanConfig,
    /// Training settings.
    pub config: &'a TrainConfig,
    /// The generator.
    pub generator: &'a Generator,
    /// The discriminator.
    pub discriminator: &'a Discriminator,
    /// Adam's state for G and for D.
    pub optimizers: (&'a Adam<Generator>, &'a Adam<Discriminator>),
    /// The moving average of G and its update count, if kept.
    pub ema: Option<(&'a Generator, u64)>,
    /// The run's seed.
    pub seed: u64,
    /// Iterations done.
    pub step: u64,
    /// Steps G still waits for D.
    pub hold: u64,
}

/// Encodes everything needed to resume training.
pub fn save_checkpoint(trainer: &Trainer) -> Result<Vec<u8>> {
    encode_checkpoint(CheckpointParts {
        gan: &trainer.gan,
        config: &trainer.config,
        generator: trainer.generator(),
        discriminator: trainer.discriminator(),
        optimizers: trainer.optimizers(),
        ema: trainer.ema().map(|e| (e.generator(), e.updates())),
        seed: trainer.seed(),
        step: trainer.step(),
        hold: trainer.generator_hold(),
    })
}

/// Encodes a checkpoint from its parts (reads them synchronously: CPU tensors only in wasm).
pub fn encode_checkpoint(parts: CheckpointParts) -> Result<Vec<u8>> {
    let (opt_g, opt_d) = parts.optimizers;
    let (g_m1, g_m2) = opt_g.moments(parts.generator);
    let (d_m1, d_m2) = opt_d.moments(parts.discriminator);
    let mut sections = vec![
        (
            "generator".to_string(),
            module_bytes(parts.generator.clone(), "generator")?,
        ),
        (
            "discriminator".to_string(),
            module_bytes(parts.discriminator.clone(), "discriminator")?,
        ),
        (MOMENTS[0].into(), module_bytes(g_m1, MOMENTS[0])?),
        (MOMENTS[1].into(), module_bytes(g_m2, MOMENTS[1])?),
        (MOMENTS[2].into(), module_bytes(d_m1, MOMENTS[2])?),
        (MOMENTS[3].into(), module_bytes(d_m2, MOMENTS[3])?),
    ];
    let mut ema_updates = 0;
    if let Some((average, updates)) = parts.ema {
        sections.push((
            "ema".to_string(),
            module_bytes(average.clone(), "average generator")?,
        ));
        ema_updates = updates;
    }
    let header = Header {
        version: CHECKPOINT_VERSION,
        kind: Kind::Checkpoint,
        gan: Some(parts.gan.clone()),
        step: parts.step,
        seed: parts.seed,
        train: Some(parts.config.clone()),
        ema_updates,
        hold: parts.hold,
        adam_steps: Some((opt_g.time(), opt_d.time())),
        sections: vec![],
    };
    Ok(WeightsFile::encode(header, sections))
}

/// Rebuilds a trainer from a checkpoint, ready to continue on `device`.
pub fn load_checkpoint(bytes: &[u8], device: &Device) -> Result<Trainer> {
    let file = WeightsFile::decode(bytes)?;
    if file.header.kind != Kind::Checkpoint {
        return Err(bad(
            "this is a generator-only file; resuming needs a checkpoint (D and optimizer state too)",
        ));
    }
    if file.header.version < CHECKPOINT_VERSION {
        return Err(bad(format!(
            "this checkpoint is format version {}, whose optimizer state this build (version \
             {CHECKPOINT_VERSION}) no longer reads; load it as weights to train on from its \
             generator, or start again",
            file.header.version
        )));
    }
    let config = file
        .header
        .train
        .clone()
        .ok_or_else(|| bad("the checkpoint has no training settings"))?;
    let (steps_g, steps_d) = file
        .header
        .adam_steps
        .ok_or_else(|| bad("the checkpoint has no Adam step counts"))?;
    let gan = file.gan()?.clone();
    let train_device = device.clone().autodiff(); // a no-op on an autodiff device
    // Adam's moments live off the autodiff graph, on the plain device.
    let plain = device.clone().inner();
    let device = &plain;
    let moment = |i: usize| file.section(MOMENTS[i]);
    let opt_g = Adam::restore(
        load_module(gan.init_generator(0, device), moment(0)?, MOMENTS[0])?,
        load_module(gan.init_generator(0, device), moment(1)?, MOMENTS[1])?,
        steps_g,
    );
    let opt_d = Adam::restore(
        load_module(gan.init_discriminator(0, device), moment(2)?, MOMENTS[2])?,
        load_module(gan.init_discriminator(0, device), moment(3)?, MOMENTS[3])?,
        steps_d,
    );
    let parts = TrainerParts {
        generator: file.generator(&train_device)?,
        discriminator: file.discriminator(&train_device)?,
        opt_g,
        opt_d,
        ema: file
            .average(&train_device)?
            .map(|average| (average, file.header.ema_updates)),
        gan,
        config,
        seed: file.header.seed,
        step: file.header.step,
        hold: file.header.hold,
    };
    Trainer::from_parts(parts, &train_device)
}
