//! Own training images: an IDX file (what Fashion-MNIST, KMNIST and EMNIST distribute) or a set
//! of images, each with a class or none, made into the 28×28 form of MNIST's digits
//! ([`normalise`](crate::normalise)) and checked. The browser decodes image files and reads
//! IDX bytes itself; natively [`load`] reads a path. Either way the data ends as [`Mnist`], which
//! training takes, with the class names and what was done to the images said in a [`Report`].

use crate::data::{IMAGES_MAGIC, LABELS_MAGIC, Mnist, idx_u32};
use crate::defaults::{MAX_CLASSES, MAX_IMAGES, MIN_IMAGES};
use crate::error::{Error, Result};
use crate::model::{IMAGE_PIXELS, IMAGE_SIDE};
use crate::normalise::{Grey, Polarity, normalise};

/// IDX magic for unsigned bytes in 4 dimensions: images with colour channels (MNIST's own
/// magics, for labels and greyscale images, are `data`'s).
const IDX_CHANNELS: u32 = 0x0000_0804;

/// Training images with their classes, and what was done to them.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The images (28×28) and each one's class index (0 for all when unlabelled).
    pub data: Mnist,
    /// Class names by index: folder names, or IDX label values. Empty when the images have no
    /// classes (or more than a conditional net draws): then only unconditional nets train.
    pub classes: Vec<String>,
    pub report: Report,
    /// Whether these are MNIST's training digits (the bundle `pkg-scripts/data` writes): the
    /// only data the digit judge can score.
    pub mnist: bool,
}

/// What the conversion did, for the page and the CLI to say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Images inverted: dark ink on a light background.
    pub inverted: usize,
    /// The size of the images before they were fitted to 28×28, when they were not 28×28 IDX.
    pub resized_from: Option<(usize, usize)>,
    /// Images per class (one entry, all of them, when unlabelled).
    pub per_class: Vec<usize>,
    /// Why the labels were not used, when there were labels but they cannot be classes.
    pub unlabelled_because: Option<String>,
}

impl Dataset {
    /// `data` with its classes, the report's count per class filled in.
    fn counted(data: Mnist, classes: Vec<String>, mut report: Report, mnist: bool) -> Self {
        let mut per_class = vec![0; classes.len().max(1)];
        for &l in data.labels() {
            per_class[l as usize] += 1;
        }
        report.per_class = per_class;
        Self {
            data,
            classes,
            report,
            mnist,
        }
    }

    /// MNIST's training digits (the bundle `pkg-scripts/data` writes), classes "0"–"9".
    pub fn mnist(data: Mnist) -> Self {
        let digits = (0..10).map(|d: u8| d.to_string()).collect();
        Self::counted(data, digits, Report::default(), true)
    }

    /// Own data from its bundle's images and labels and its class names (the page keeps own
    /// data as a bundle): each label must name a class (all 0 when there are none).
    pub fn own(data: Mnist, classes: Vec<String>) -> Result<Self> {
        if classes.len() > MAX_CLASSES {
            return Err(Error::Images(too_many(classes.len(), "class names")));
        }
        let limit = classes.len().max(1);
        if let Some(&bad) = data.labels().iter().find(|&&l| l as usize >= limit) {
            return Err(Error::Images(format!(
                "label {bad}, but there are {} classes",
                classes.len()
            )));
        }
        Ok(Self::counted(data, classes, Report::default(), false))
    }

    /// Whether a conditional net can train on it (it has 1–10 classes).
    pub fn has_classes(&self) -> bool {
        !self.classes.is_empty()
    }

    /// One line for a person: "600 images in 3 classes (circle 200, square 200, triangle 200);
    /// 600 inverted (dark ink on a light background)".
    pub fn describe(&self) -> String {
        let n = self.data.len();
        let mut line = if self.has_classes() {
            let each: Vec<String> = self
                .classes
                .iter()
                .zip(&self.report.per_class)
                .map(|(c, k)| format!("{c} {k}"))
                .collect();
            let k = self.classes.len();
            let plural = if k == 1 { "" } else { "es" };
            format!("{n} images in {k} class{plural} ({})", each.join(", "))
        } else {
            format!("{n} images without classes")
        };
        if let Some(why) = &self.report.unlabelled_because {
            line += &format!(" ({why})");
        }
        if let Some((w, h)) = self.report.resized_from {
            line += &format!("; fitted from {w}×{h} to {IMAGE_SIDE}×{IMAGE_SIDE} as MNIST was");
        }
        if self.report.inverted > 0 {
            line += &format!(
                "; {} inverted (dark ink on a light background)",
                self.report.inverted
            );
        }
        line
    }
}

/// `e`'s words, for a message that names where it happened.
pub(crate) fn words(e: Error) -> String {
    match e {
        Error::Images(m) => m,
        other => other.to_string(),
    }
}

fn read_u32(bytes: &[u8], at: usize, what: &str) -> Result<u32> {
    idx_u32(bytes, at)
        .ok_or_else(|| Error::Images(format!("{what}: the file ends inside its IDX header")))
}

/// Whether `bytes` start like an IDX images file.
pub fn is_idx_images(bytes: &[u8]) -> bool {
    matches!(read_u32(bytes, 0, ""), Ok(IMAGES_MAGIC | IDX_CHANNELS))
}

/// From an IDX images file and, if given, its labels file (uncompressed bytes). 28×28 images
/// are taken as they are (these sets are made MNIST's way); other sizes are fitted like any
/// image, which the report says. Images with channels are refused.
pub fn from_idx(images: &[u8], labels: Option<&[u8]>) -> Result<Dataset> {
    let magic = read_u32(images, 0, "images")?;
    if magic == IDX_CHANNELS {
        return Err(Error::Images(
            "images: this IDX file has a 4th dimension (colour channels); only greyscale IDX \
             (magic 0x00000803, n × rows × columns bytes) is read: convert it to greyscale"
                .into(),
        ));
    }
    if magic != IMAGES_MAGIC {
        return Err(Error::Images(format!(
            "images: magic number 0x{magic:08x} is not an IDX images file's (0x{IMAGES_MAGIC:08x})"
        )));
    }
    let n = read_u32(images, 4, "images")? as usize;
    let rows = read_u32(images, 8, "images")? as usize;
    let cols = read_u32(images, 12, "images")? as usize;
    check_count(n)?;
    let size = rows
        .checked_mul(cols)
        .filter(|&s| s > 0 && s <= 4096 * 4096)
        .ok_or_else(|| Error::Images(format!("images: {rows}×{cols} is not an image size")))?;
    let body = images.get(16..16 + n * size).ok_or_else(|| {
        Error::Images(format!(
            "images: the header says {n} images of {rows}×{cols} but the file holds {} bytes of \
             pixels (truncated?)",
            images.len().saturating_sub(16)
        ))
    })?;
    let labels = labels.map(|l| idx_labels(l, n)).transpose()?;
    let mut report = Report::default();
    let pixels = if (rows, cols) == (IMAGE_SIDE, IMAGE_SIDE) {
        body.to_vec()
    } else {
        report.resized_from = Some((cols, rows));
        let mut out = Vec::with_capacity(n * IMAGE_PIXELS);
        for (i, image) in body.chunks_exact(size).enumerate() {
            let grey = Grey::new(cols, rows, image.to_vec())?;
            let done =
                normalise(&grey).map_err(|e| Error::Images(format!("image {i}: {}", words(e))))?;
            report.inverted += usize::from(done.polarity == Polarity::DarkOnLight);
            out.extend_from_slice(&done.pixels);
        }
        out
    };
    let (classes, indices) = match labels {
        None => (Vec::new(), vec![0; n]),
        Some(values) => {
            let mut distinct: Vec<u8> = values.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() > MAX_CLASSES {
                report.unlabelled_because = Some(too_many(distinct.len(), "label values"));
                (Vec::new(), vec![0; n])
            } else {
                let index = |v: &u8| distinct.binary_search(v).expect("a label seen") as u8;
                let names = distinct.iter().map(u8::to_string).collect();
                (names, values.iter().map(index).collect())
            }
        }
    };
    finish(pixels, indices, classes, report)
}

/// An IDX labels file of `n` labels.
fn idx_labels(bytes: &[u8], n: usize) -> Result<Vec<u8>> {
    let magic = read_u32(bytes, 0, "labels")?;
    if magic != LABELS_MAGIC {
        return Err(Error::Images(format!(
            "labels: magic number 0x{magic:08x} is not an IDX labels file's (0x{LABELS_MAGIC:08x})"
        )));
    }
    let count = read_u32(bytes, 4, "labels")? as usize;
    if count != n {
        return Err(Error::Images(format!(
            "the labels file holds {count} labels for {n} images: they are not each other's"
        )));
    }
    bytes.get(8..8 + n).map(<[u8]>::to_vec).ok_or_else(|| {
        Error::Images(format!(
            "labels: the header says {n} labels but the file holds {} (truncated?)",
            bytes.len().saturating_sub(8)
        ))
    })
}

/// From decoded images, each with its class index into `classes` (`classes` empty: none has a
/// class). Each is normalised; one without ink is refused, named by `names[i]`.
pub fn from_images(
    images: &[Grey],
    class_of: &[usize],
    classes: Vec<String>,
    names: &[String],
) -> Result<Dataset> {
    check_count(images.len())?;
    let mut set = ImageSet::new(classes);
    for (i, image) in images.iter().enumerate() {
        let name = names
            .get(i)
            .map_or_else(|| format!("image {i}"), String::clone);
        set.add(image, class_of.get(i).copied().unwrap_or(0), &name)?;
    }
    set.finish()
}

/// Own images made into a data set one at a time, keeping only their 28×28 forms: the page
/// hands over each image as the browser decodes it, so that thousands of large photos never
/// sit in memory together.
#[derive(Debug, Default)]
pub struct ImageSet {
    classes: Vec<String>,
    /// Whether the classes are used (at most [`MAX_CLASSES`]; else all images go in as one).
    labelled: bool,
    pixels: Vec<u8>,
    labels: Vec<u8>,
    report: Report,
}

impl ImageSet {
    /// An empty set of images in `classes` (sorted names; empty: the images have none).
    pub fn new(classes: Vec<String>) -> Self {
        let mut report = Report::default();
        if classes.len() > MAX_CLASSES {
            report.unlabelled_because = Some(too_many(classes.len(), "classes"));
        }
        Self {
            labelled: classes.len() <= MAX_CLASSES,
            classes,
            report,
            ..Self::default()
        }
    }

    /// Images added so far.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether none was added yet.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Normalises `image` (its class: an index into the classes, ignored when there are none)
    /// and adds it; one without ink, a class out of range or one image too many is refused,
    /// named by `name`, and the set is as it was.
    pub fn add(&mut self, image: &Grey, class: usize, name: &str) -> Result<()> {
        if self.len() >= MAX_IMAGES {
            check_count(self.len() + 1)?;
        }
        if !self.classes.is_empty() && class >= self.classes.len() {
            return Err(Error::Images(format!(
                "{name}: class {class}, but there are {} classes",
                self.classes.len()
            )));
        }
        let done = normalise(image).map_err(|e| Error::Images(format!("{name}: {}", words(e))))?;
        self.report.inverted += usize::from(done.polarity == Polarity::DarkOnLight);
        self.pixels.extend_from_slice(&done.pixels);
        self.labels
            .push(if self.labelled && !self.classes.is_empty() {
                class as u8
            } else {
                0
            });
        Ok(())
    }

    /// The data set, once there are enough images.
    pub fn finish(self) -> Result<Dataset> {
        check_count(self.len())?;
        let classes = if self.labelled {
            self.classes
        } else {
            Vec::new()
        };
        finish(self.pixels, self.labels, classes, self.report)
    }
}

/// Why `n` classes are not used as classes.
fn too_many(n: usize, what: &str) -> String {
    format!(
        "{n} {what}: more classes than the {MAX_CLASSES} a conditional net draws, so they are \
         not used: only unconditional presets train on them"
    )
}

fn check_count(n: usize) -> Result<()> {
    if n < MIN_IMAGES {
        return Err(Error::Images(format!(
            "{n} image{}: a GAN needs at least {MIN_IMAGES} to learn from",
            if n == 1 { "" } else { "s" }
        )));
    }
    if n > MAX_IMAGES {
        return Err(Error::Images(format!(
            "{n} images: at most {MAX_IMAGES} are read (MNIST has 60,000)"
        )));
    }
    Ok(())
}

fn finish(
    pixels: Vec<u8>,
    labels: Vec<u8>,
    classes: Vec<String>,
    report: Report,
) -> Result<Dataset> {
    let data = Mnist::from_parts(pixels, labels)?;
    Ok(Dataset::counted(data, classes, report, false))
}

/// Reads own training data from `path` (natively; the page hands over bytes and pixels):
/// - a folder of images: each subfolder a class (sorted by name), or, without subfolders, its
///   files one set without classes; PNG, JPEG, WebP and GIF (the first frame);
/// - an IDX images file (`*-images-idx3-ubyte`, or `.gz`) with its labels beside it
///   (`*-labels-idx1-ubyte[.gz]`) when there is one;
/// - the bundle `pkg-scripts/data` writes (MNIST: images IDX then labels IDX, gzip).
///
/// More than [`MAX_DATA_BYTES`](crate::defaults::MAX_DATA_BYTES) of files is refused before
/// anything is decoded.
#[cfg(not(target_arch = "wasm32"))]
pub fn load(path: &std::path::Path) -> Result<Dataset> {
    native::load(path)
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;
    use crate::defaults::MAX_DATA_BYTES;
    use std::path::{Path, PathBuf};

    const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "webp", "gif"];

    pub fn load(path: &Path) -> Result<Dataset> {
        let meta = std::fs::metadata(path).map_err(|e| {
            Error::Images(format!(
                "cannot open {}: {e} (for MNIST, pkg-scripts/data fetches it)",
                path.display()
            ))
        })?;
        if meta.is_dir() {
            return folder(path);
        }
        check_bytes(meta.len(), path)?;
        let bytes = read(path)?;
        if !is_idx_images(&bytes) {
            return Err(Error::Images(format!(
                "{}: neither an IDX images file nor a folder of images",
                path.display()
            )));
        }
        if let Some(labels) = labels_beside(path) {
            return from_idx(&bytes, Some(&read(&labels)?));
        }
        // MNIST's bundle (pkg-scripts/data): the labels IDX follows the images in one file.
        let bundle_error = match Mnist::from_bundle(&bytes) {
            Ok(mnist) => return Ok(Dataset::mnist(mnist)),
            Err(e) => e,
        };
        // An images file alone, without classes; a broken one is reported as what its name
        // says it is: `*images-idx3*` an IDX images file, anything else MNIST's bundle.
        match from_idx(&bytes, None) {
            Err(_) if !path.to_string_lossy().contains("images-idx3") => Err(bundle_error),
            done => done,
        }
    }

    fn check_bytes(bytes: u64, path: &Path) -> Result<()> {
        if bytes > MAX_DATA_BYTES {
            return Err(Error::Images(format!(
                "{}: {} MB of files; at most {} MB are read",
                path.display(),
                bytes >> 20,
                MAX_DATA_BYTES >> 20
            )));
        }
        Ok(())
    }

    /// A file's bytes, gunzipped when its name ends in `.gz`.
    fn read(path: &Path) -> Result<Vec<u8>> {
        use std::io::Read;
        let raw =
            std::fs::read(path).map_err(|e| Error::Images(format!("{}: {e}", path.display())))?;
        if path.extension().is_some_and(|e| e == "gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .map_err(|e| {
                    Error::Images(format!("{}: not a valid gzip file: {e}", path.display()))
                })?;
            return Ok(out);
        }
        Ok(raw)
    }

    /// `train-images-idx3-ubyte[.gz]` → `train-labels-idx1-ubyte[.gz]`, if that file exists.
    fn labels_beside(images: &Path) -> Option<PathBuf> {
        let name = images.file_name()?.to_str()?;
        let labels = name.replace("images-idx3", "labels-idx1");
        (labels != name)
            .then(|| {
                let stem = labels.trim_end_matches(".gz");
                [stem.to_string(), format!("{stem}.gz")]
            })?
            .into_iter()
            .map(|n| images.with_file_name(n))
            .find(|p| p.is_file())
    }

    /// Image files directly in `dir`, sorted; other files (a `.DS_Store`, a README) are not
    /// images and are passed over.
    fn images_in(dir: &Path) -> Result<Vec<PathBuf>> {
        let mut files: Vec<PathBuf> = entries(dir)?
            .into_iter()
            .filter(|p| p.is_file())
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        files.sort();
        Ok(files)
    }

    fn entries(dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::read_dir(dir)
            .and_then(|it| it.map(|e| e.map(|e| e.path())).collect())
            .map_err(|e| Error::Images(format!("{}: {e}", dir.display())))
    }

    fn folder(dir: &Path) -> Result<Dataset> {
        let mut subfolders: Vec<PathBuf> = entries(dir)?
            .into_iter()
            .filter(|p| p.is_dir() && !hidden(p))
            .collect();
        subfolders.sort();
        let (classes, groups) = if subfolders.is_empty() {
            (Vec::new(), vec![images_in(dir)?])
        } else {
            let names = subfolders
                .iter()
                .map(|p| {
                    p.file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            (
                names,
                subfolders
                    .iter()
                    .map(|p| images_in(p))
                    .collect::<Result<_>>()?,
            )
        };
        let files: Vec<(usize, &PathBuf)> = groups
            .iter()
            .enumerate()
            .flat_map(|(c, files)| files.iter().map(move |f| (c, f)))
            .collect();
        if files.is_empty() {
            return Err(Error::Images(format!(
                "{}: no images (PNG, JPEG, WebP, GIF){}",
                dir.display(),
                if classes.is_empty() {
                    ""
                } else {
                    " in its subfolders"
                }
            )));
        }
        check_count(files.len())?;
        let bytes = files
            .iter()
            .map(|(_, f)| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
            .sum();
        check_bytes(bytes, dir)?;
        let mut images = Vec::with_capacity(files.len());
        for (_, file) in &files {
            images.push(decode(file)?);
        }
        let class_of: Vec<usize> = files.iter().map(|(c, _)| *c).collect();
        let names: Vec<String> = files.iter().map(|(_, f)| f.display().to_string()).collect();
        from_images(&images, &class_of, classes, &names)
    }

    fn hidden(p: &Path) -> bool {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
    }

    /// An image file as greyscale (a GIF's first frame), transparency read as a white page.
    fn decode(file: &Path) -> Result<Grey> {
        let image = image::ImageReader::open(file)
            .and_then(|r| r.with_guessed_format())
            .map_err(|e| Error::Images(format!("{}: {e}", file.display())))?
            .decode()
            .map_err(|e| {
                Error::Images(format!("{}: not an image this reads ({e})", file.display()))
            })?;
        let rgba = image.to_rgba8();
        Grey::from_rgba(rgba.width() as usize, rgba.height() as usize, rgba.as_raw())
    }
}
