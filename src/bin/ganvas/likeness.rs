//! `ganvas eval --data PATH` on own images: the digit judge knows only MNIST, so the report is
//! what [`ganvas::likeness`] measures, beside the data's own images (the page's meter says the
//! same on the same data).

use crate::args::EvalArgs;
use crate::{device, read_weights, write};
use ganvas::dataset::{self, Dataset};
use ganvas::likeness::{DataLikeness, FEATURE_SPACE, LIKENESS_N, Likeness, NEAREST_N};
use ganvas::{Error, Result, latent};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OwnReport {
    weights: String,
    step: u64,
    seed: u64,
    data: String,
    feature_space: &'static str,
    samples: Likeness,
    data_own: Likeness,
}

pub fn eval(args: EvalArgs) -> Result<()> {
    let data = dataset::load(&args.data)?;
    let (_, device) = device(args.backend)?;
    let file = read_weights(&args.weights)?;
    let generator = file.sampler(&device)?;
    let Dataset {
        data: images,
        classes,
        ..
    } = &data;
    let conditional = generator.classes() > 0;
    if conditional && classes.is_empty() {
        return Err(Error::Config(format!(
            "{}: {}; a conditional generator is measured per class, and this data has none",
            args.data.display(),
            data.describe()
        )));
    }
    let reference = DataLikeness::new(images, classes.len())?;
    // As the page's meter: LIKENESS_N images, a conditional net asked for the data's classes
    // in turn.
    let n = LIKENESS_N;
    let labels = latent::labels_in_turn(n, classes.len().min(generator.classes()));
    let z = latent::normal_latents(n, generator.latent(), args.seed);
    let input = latent::compose(&z, &labels, generator.latent(), generator.classes())?;
    let out = generator.forward(latent::latents_from(
        &input,
        generator.input_width(),
        &device,
    ));
    let pixels = latent::images_to_u8(out)?;
    let report = OwnReport {
        weights: args.weights.display().to_string(),
        step: file.header.step,
        seed: args.seed,
        data: format!("{}: {}", args.data.display(), data.describe()),
        feature_space: FEATURE_SPACE,
        samples: reference.measure(&pixels, conditional.then_some(&labels[..])),
        data_own: reference.baseline.clone(),
    };
    print(&report);
    if let Some(path) = &args.json {
        write(
            path,
            &serde_json::to_vec_pretty(&report).expect("report serializes"),
        )?;
    }
    Ok(())
}

fn print(r: &OwnReport) {
    println!("{} at step {} on {}", r.weights, r.step, r.data);
    println!(
        "no classifier of these images exists (the digit judge knows only MNIST): measured in \
         {}, beside the data's own images",
        r.feature_space
    );
    println!("{:<40} {:>10} {:>14}", "", "generated", "the data's own");
    let (s, d) = (&r.samples, &r.data_own);
    println!("{:<40} {:>10} {:>14}", "images", s.n, d.n);
    println!(
        "{:<40} {:>10.3} {:>14.3}",
        "Fréchet distance (7×7 pixels), lower is nearer", s.frechet, d.frechet
    );
    println!("{:<40} {:>10.3} {:>14.3}", "mean ink", s.ink, d.ink);
    println!(
        "{:<40} {:>10.2} {:>14.2}",
        format!("median distance to the nearest training image ({NEAREST_N})"),
        s.nearest,
        d.nearest
    );
    if let (Some(a), Some(b)) = (s.class_match, d.class_match) {
        println!(
            "{:<40} {:>9.0}% {:>13.0}%",
            "nearest its class's mean (7×7 pixels)",
            a * 100.0,
            b * 100.0
        );
    }
}
