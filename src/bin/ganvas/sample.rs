//! `ganvas sample` and `ganvas export`: digits and generator files from weights.

use crate::args::{ExportArgs, SampleArgs};
use crate::{device, read_weights, write};
use ganvas::backend::Backend;
use ganvas::{Error, GanConfig, Generator, Result, grid, latent, weights};

/// Runs `generator` on the `n` latent vectors of `seed` in chunks of 1,000 (memory stays
/// flat), handing each chunk's images to `each`. One latent stream for all `n`: the first 100
/// of 1,000 are the 100 of `n = 100`. `digit`: every row asks a conditional generator for that
/// digit (else rows ask for 0–9 in turn).
pub fn generate_chunks(
    generator: &Generator,
    n: usize,
    seed: u64,
    digit: Option<u8>,
    mut each: impl FnMut(burn::prelude::Tensor<2>) -> Result<()>,
) -> Result<()> {
    let width = generator.input_width();
    let device = generator.device();
    let (z, classes) = (generator.latent(), generator.classes());
    let inputs = match digit {
        None => latent::inputs(n, z, classes, seed),
        Some(_) if classes == 0 => {
            return Err(Error::Config(
                "--digit needs a conditional generator (presets conditional, tiny-conditional, conv-conditional); this one draws \
                 whatever digit its latent vector gives"
                    .into(),
            ));
        }
        Some(d) => {
            latent::with_labels(&latent::normal_latents(n, z, seed), &vec![d; n], z, classes)
        }
    };
    for chunk in inputs.chunks(1000 * width) {
        each(generator.forward(latent::latents_from(chunk, width, &device)))?;
    }
    Ok(())
}

pub fn sample(args: SampleArgs) -> Result<()> {
    let (_, device) = device(args.backend)?;
    let file = read_weights(&args.weights)?;
    let gan: GanConfig = file.gan()?.clone();
    gan.validate()?;
    let generator = file.sampler(&device)?;
    let mut bytes = Vec::with_capacity(args.n * ganvas::IMAGE_PIXELS);
    generate_chunks(&generator, args.n, args.seed, args.digit, |images| {
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

pub fn export(args: ExportArgs) -> Result<()> {
    let device = Backend::CPU.device()?;
    let file = read_weights(&args.weights)?;
    let bytes = weights::save_generator_as(
        file.gan()?,
        &file.sampler(&device)?,
        file.header.step,
        file.header.seed,
        args.store,
    )?;
    write(&args.out, &bytes)?;
    eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
    Ok(())
}
