//! From an uploaded file to the sizes we store: the type from the bytes, the pixel count from the
//! header before anything is decoded, then decode, apply the EXIF orientation and encode fresh.
//!
//! Every photo goes the whole way, however small: the encoders are handed a bare pixel buffer, so
//! nothing of the uploaded file (EXIF, GPS, XMP, IPTC, ICC, PNG text chunks, comments) can reach
//! what we store, and there is no path that keeps the uploaded bytes — a failure anywhere is a
//! refusal (fail closed). These functions block: callers run them off the request threads.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage};

/// The file types we take, told from their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
}

/// Why an upload is not taken; each is one message the uploader reads (`message_id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    NotAnImage,
    /// HEIC/HEIF (iPhones): no maintained pure-Rust decoder; the message says how to send JPEG.
    Heic,
    /// SVG can carry scripts.
    Svg,
    /// Animated GIF and WebP are refused rather than cut to their first frame: the uploader
    /// would not know which picture we kept.
    Animated,
    Gif,
    TooManyPixels,
    TooSmall,
    /// Truncated or corrupt: the decoder gave up.
    Corrupt,
}

impl Refusal {
    pub fn message_id(self) -> &'static str {
        match self {
            Refusal::Empty => "photo-error-empty",
            Refusal::TooLarge => "photo-error-too-large",
            Refusal::NotAnImage => "photo-error-type",
            Refusal::Heic => "photo-error-heic",
            Refusal::Svg => "photo-error-svg",
            Refusal::Animated => "photo-error-animated",
            Refusal::Gif => "photo-error-gif",
            Refusal::TooManyPixels => "photo-error-pixels",
            Refusal::TooSmall => "photo-error-small",
            Refusal::Corrupt => "photo-error-corrupt",
        }
    }
}

/// Largest number of pixels we decode: 50 MP, read from the header (a 12 MP phone photo is far
/// below; a 60,000 × 60,000 "bomb" is refused before a byte of it is allocated).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Longest side we decode, whatever the pixel count.
pub const MAX_SIDE: u32 = 12_000;
/// Shortest side we take: a 1 × 1 image is a tracking pixel, not a photo.
pub const MIN_SIDE: u32 = 8;

/// The stored sizes, by their long side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    Thumb,
    Large,
}

impl Size {
    pub const ALL: [Size; 2] = [Size::Thumb, Size::Large];

    pub fn long_side(self) -> u32 {
        match self {
            Size::Thumb => 480,
            Size::Large => 1600,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Size::Thumb => "thumb",
            Size::Large => "large",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Webp,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Webp => "webp",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
        }
    }
}

/// One encoded file of one size.
pub struct Rendition {
    pub size: Size,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// What the pipeline made of one upload: the large size's dimensions and every rendition.
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub renditions: Vec<Rendition>,
}

/// The type of a file from its first bytes (at least 32 of them when the file is that long).
pub fn sniff(head: &[u8]) -> Result<Kind, Refusal> {
    if head.is_empty() {
        return Err(Refusal::Empty);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Kind::Jpeg);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Kind::Png);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        // An extended WebP's VP8X chunk carries the animation flag (bit 1 of its first byte).
        if head.len() >= 21 && &head[12..16] == b"VP8X" && head[20] & 0x02 != 0 {
            return Err(Refusal::Animated);
        }
        return Ok(Kind::Webp);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Err(Refusal::Gif);
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        if [
            b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif",
        ]
        .iter()
        .any(|b| brand == *b)
        {
            return Err(Refusal::Heic);
        }
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(256)]).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("<svg") || (text.starts_with("<?xml") || text.starts_with("<!--")) {
        return Err(Refusal::Svg);
    }
    Err(Refusal::NotAnImage)
}

fn image_format(kind: Kind) -> ImageFormat {
    match kind {
        Kind::Jpeg => ImageFormat::Jpeg,
        Kind::Png => ImageFormat::Png,
        Kind::Webp => ImageFormat::WebP,
    }
}

/// Reads the first bytes of a file and tells its type.
pub fn sniff_file(path: &Path) -> Result<Kind, Refusal> {
    let mut head = [0u8; 64];
    let mut file = File::open(path).map_err(|_| Refusal::Corrupt)?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return Err(Refusal::Corrupt),
        }
    }
    sniff(&head[..n])
}

fn reader(path: &Path, kind: Kind) -> Result<ImageReader<BufReader<File>>, Refusal> {
    let mut file = File::open(path).map_err(|_| Refusal::Corrupt)?;
    file.seek(SeekFrom::Start(0))
        .map_err(|_| Refusal::Corrupt)?;
    let mut reader = ImageReader::new(BufReader::new(file));
    reader.set_format(image_format(kind));
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // 50 MP of RGBA and the decoder's own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    Ok(reader)
}

/// Width and height from the header alone, checked against the caps before any decoding.
pub fn check_dimensions(path: &Path, kind: Kind) -> Result<(u32, u32), Refusal> {
    let (w, h) = reader(path, kind)?.into_dimensions().map_err(|e| match e {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::Corrupt,
    })?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS || w > MAX_SIDE || h > MAX_SIDE {
        return Err(Refusal::TooManyPixels);
    }
    if w < MIN_SIDE || h < MIN_SIDE {
        return Err(Refusal::TooSmall);
    }
    Ok((w, h))
}

/// Whether a JPEG file is whole: its segments lead to the image data, and the end-of-image marker
/// follows it. A truncated JPEG decodes "successfully" (the decoder fills the missing rows with
/// grey), so this is the only way to tell.
pub fn jpeg_is_complete(path: &Path) -> Result<bool, Refusal> {
    let file = File::open(path).map_err(|_| Refusal::Corrupt)?;
    let mut reader = BufReader::new(file);
    let mut two = [0u8; 2];
    let read = |r: &mut BufReader<File>, buf: &mut [u8]| r.read_exact(buf).is_ok();
    if !read(&mut reader, &mut two) || two != [0xFF, 0xD8] {
        return Ok(false);
    }
    // The segments before the first scan, by their lengths (their contents may hold anything,
    // an embedded thumbnail with its own end marker included).
    loop {
        if !read(&mut reader, &mut two) || two[0] != 0xFF {
            return Ok(false);
        }
        let marker = two[1];
        if marker == 0xFF {
            // Fill bytes before a marker.
            reader.seek_relative(-1).map_err(|_| Refusal::Corrupt)?;
            continue;
        }
        if !read(&mut reader, &mut two) {
            return Ok(false);
        }
        let len = i64::from(u16::from_be_bytes(two));
        if len < 2 {
            return Ok(false);
        }
        reader
            .seek_relative(len - 2)
            .map_err(|_| Refusal::Corrupt)?;
        if marker == 0xDA {
            break;
        }
    }
    // In the entropy-coded data a 0xFF byte is always followed by 0x00 or a restart or another
    // scan's marker: 0xFF 0xD9 is the end of the image.
    let mut previous = 0u8;
    let mut buf = [0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).map_err(|_| Refusal::Corrupt)?;
        if n == 0 {
            return Ok(false);
        }
        for &b in &buf[..n] {
            if previous == 0xFF && b == 0xD9 {
                return Ok(true);
            }
            previous = b;
        }
    }
}

/// The whole pipeline for one uploaded file.
pub fn process(path: &Path) -> Result<Processed, Refusal> {
    let kind = sniff_file(path)?;
    check_dimensions(path, kind)?;
    if kind == Kind::Jpeg && !jpeg_is_complete(path)? {
        return Err(Refusal::Corrupt);
    }
    let mut decoder = reader(path, kind)?
        .into_decoder()
        .map_err(|_| Refusal::Corrupt)?;
    let orientation = decoder.orientation().map_err(|_| Refusal::Corrupt)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::Corrupt,
    })?;
    image.apply_orientation(orientation);
    let rgb = flatten(image);
    let mut renditions = Vec::with_capacity(4);
    // Large first, then the thumbnail from the large: a tenth of the work of going from the
    // full size twice, and as sharp.
    let large = resize(rgb, Size::Large.long_side()).ok_or(Refusal::Corrupt)?;
    let thumb = resize(large.clone(), Size::Thumb.long_side()).ok_or(Refusal::Corrupt)?;
    for (size, pixels) in [(Size::Large, &large), (Size::Thumb, &thumb)] {
        for format in [Format::Jpeg, Format::Webp] {
            renditions.push(Rendition {
                size,
                format,
                width: pixels.width(),
                height: pixels.height(),
                bytes: encode(pixels, format).ok_or(Refusal::Corrupt)?,
            });
        }
    }
    Ok(Processed {
        width: large.width(),
        height: large.height(),
        renditions,
    })
}

/// RGB pixels; transparent parts are laid on white (dropping alpha would show whatever colour
/// the transparent pixels happen to hold, often black).
fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    for px in rgba.pixels() {
        let [r, g, b, a] = px.0;
        let a = u32::from(a);
        for c in [r, g, b] {
            out.push(((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8);
        }
    }
    RgbImage::from_raw(w, h, out).expect("buffer of the right size")
}

/// The image with its long side at most `long_side` (never enlarged; a smaller image is still
/// copied into a fresh buffer, like every other).
fn resize(image: RgbImage, long_side: u32) -> Option<RgbImage> {
    let (w, h) = image.dimensions();
    let scale = f64::from(long_side) / f64::from(w.max(h));
    if scale >= 1.0 {
        return Some(image);
    }
    let nw = ((f64::from(w) * scale).round() as u32).max(1);
    let nh = ((f64::from(h) * scale).round() as u32).max(1);
    let src = Image::from_vec_u8(w, h, image.into_raw(), PixelType::U8x3).ok()?;
    let mut dst = Image::new(nw, nh, PixelType::U8x3);
    Resizer::new()
        .resize(
            &src,
            &mut dst,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
        )
        .ok()?;
    RgbImage::from_raw(nw, nh, dst.into_vec())
}

fn encode(pixels: &RgbImage, format: Format) -> Option<Vec<u8>> {
    let (w, h) = pixels.dimensions();
    match format {
        Format::Jpeg => {
            let mut out = Vec::new();
            jpeg_encoder::Encoder::new(&mut out, 85)
                .encode(
                    pixels.as_raw(),
                    u16::try_from(w).ok()?,
                    u16::try_from(h).ok()?,
                    jpeg_encoder::ColorType::Rgb,
                )
                .ok()?;
            Some(out)
        }
        Format::Webp => webp::Encoder::from_rgb(pixels.as_raw(), w, h)
            .encode_simple(false, 80.0)
            .ok()
            .map(|m| m.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b""), Err(Refusal::Empty));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(Kind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Ok(Kind::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(Kind::Webp));
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x02\0\0\0"),
            Err(Refusal::Animated)
        );
        assert_eq!(sniff(b"GIF89a...."), Err(Refusal::Gif));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Err(Refusal::Heic));
        assert_eq!(sniff(b"  <svg onload=alert(1)>"), Err(Refusal::Svg));
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><svg/>"), Err(Refusal::Svg));
        assert_eq!(sniff(b"hello"), Err(Refusal::NotAnImage));
    }
}
