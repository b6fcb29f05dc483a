//! Test pictures carrying every kind of metadata a phone or an editor writes, and parsers that
//! look for any of it in what the server stores.

/// A noisy RGB picture (so encoders cannot make it trivially small).
pub fn pixels(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            // Left half red, right half blue: tells a rotation from its mirror image.
            let noise = ((x * 7 + y * 13) % 17) as u8;
            if x < w / 2 {
                out.extend_from_slice(&[220 + noise % 30, 20 + noise, 30]);
            } else {
                out.extend_from_slice(&[20, 40 + noise, 210 + noise % 40]);
            }
        }
    }
    out
}

pub fn plain_jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(
            &pixels(w, h),
            w as u16,
            h as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    out
}

fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(data);
    s
}

/// A TIFF/EXIF block: Orientation, Make, and a GPS IFD with a latitude.
pub fn exif(orientation: u16) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"II*\0");
    t.extend_from_slice(&8u32.to_le_bytes());
    // IFD0 at 8: 3 entries.
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    };
    let ifd0_len = 2 + 3 * 12 + 4;
    let make_at = 8 + ifd0_len as u32;
    let make = b"SpyPhone\0";
    let gps_at = make_at + make.len() as u32;
    t.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut t, 0x010F, 2, make.len() as u32, make_at);
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation));
    entry(&mut t, 0x8825, 4, 1, gps_at);
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(make);
    // GPS IFD: LatitudeRef "N", Latitude 3 rationals.
    let gps_len = 2 + 2 * 12 + 4;
    let lat_at = gps_at + gps_len as u32;
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut t, 0x0002, 5, 3, lat_at);
    t.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in [(52u32, 1u32), (11, 1), (4321, 100)] {
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&d.to_le_bytes());
    }
    let mut data = b"Exif\0\0".to_vec();
    data.extend_from_slice(&t);
    data
}

/// A JPEG with an EXIF block (GPS, orientation), an XMP packet, an IPTC block and a comment.
pub fn jpeg_with_metadata(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let plain = plain_jpeg(w, h);
    let mut out = plain[..2].to_vec();
    out.extend(segment(0xE1, &exif(orientation)));
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(
        b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>\
          <dc:creator>Jane Secret</dc:creator></x:xmpmeta><?xpacket end='w'?>",
    );
    out.extend(segment(0xE1, &xmp));
    out.extend(segment(
        0xED,
        b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x50\0\x08JaneDoe!",
    ));
    out.extend(segment(0xFE, b"secret comment: 12 Home Street"));
    out.extend_from_slice(&plain[2..]);
    out
}

/// A PNG with `tEXt` and `eXIf` chunks (GPS and an orientation).
pub fn png_with_metadata(w: u32, h: u32) -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::png::PngEncoder::new(&mut plain)
        .write_image_bytes(&pixels(w, h), w, h)
        .unwrap();
    // After the 8-byte signature and the IHDR chunk (8 + 13 + 4 bytes).
    let at = 8 + 25;
    let mut out = plain[..at].to_vec();
    out.extend(chunk(b"tEXt", b"Author\0Jane Secret, 12 Home Street"));
    out.extend(chunk(b"eXIf", &exif(1)[6..]));
    out.extend_from_slice(&plain[at..]);
    out
}

trait WriteBytes {
    fn write_image_bytes(self, bytes: &[u8], w: u32, h: u32) -> image::ImageResult<()>;
}

impl<W: std::io::Write> WriteBytes for image::codecs::png::PngEncoder<W> {
    fn write_image_bytes(self, bytes: &[u8], w: u32, h: u32) -> image::ImageResult<()> {
        use image::ImageEncoder;
        self.write_image(bytes, w, h, image::ExtendedColorType::Rgb8)
    }
}

pub fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    c.extend_from_slice(&crc.sum().to_be_bytes());
    c
}

/// A PNG whose header declares `w` × `h` pixels, with a few bytes of compressed data: a
/// decompression bomb when the numbers are large.
pub fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", b""));
    out
}

/// The markers of a JPEG's segments before the image data.
pub fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], &[0xFF, 0xD8], "a JPEG");
    let mut markers = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() {
        assert_eq!(bytes[i], 0xFF, "a marker at {i}");
        let marker = bytes[i + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        i += 2 + len;
    }
    markers
}

/// The chunk names of a WebP (RIFF) file.
pub fn webp_chunks(bytes: &[u8]) -> Vec<String> {
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WEBP");
    let mut chunks = Vec::new();
    let mut i = 12;
    while i + 8 <= bytes.len() {
        chunks.push(String::from_utf8_lossy(&bytes[i..i + 4]).to_string());
        let len = u32::from_le_bytes(bytes[i + 4..i + 8].try_into().unwrap()) as usize;
        i += 8 + len + (len & 1);
    }
    chunks
}

/// Asserts a stored file carries no metadata at all: a JPEG has only its JFIF header, quantisation
/// and Huffman tables and frame header; a WebP only its image data.
pub fn assert_bare(bytes: &[u8]) {
    for needle in [
        &b"Exif"[..],
        b"GPS",
        b"xpacket",
        b"Photoshop",
        b"Jane",
        b"Home Street",
        b"SpyPhone",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "found {:?}",
            String::from_utf8_lossy(needle)
        );
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        for marker in jpeg_markers(bytes) {
            assert!(
                matches!(marker, 0xE0 | 0xDB | 0xC4 | 0xC0 | 0xC2 | 0xDD | 0xDA),
                "segment {marker:#x} in a stored JPEG"
            );
        }
    } else {
        for chunk in webp_chunks(bytes) {
            assert!(
                matches!(chunk.as_str(), "VP8 " | "VP8L"),
                "chunk {chunk} in a stored WebP"
            );
        }
    }
}

/// The metadata groups ExifTool (Debian `libimage-exiftool-perl`) finds in a file, read from the
/// outside: `EXIF`, `GPS`, `XMP`, `IPTC`, `ICC_Profile`, `Comment`… (`File` and the image's own
/// headers, `JFIF`, `RIFF`, `PNG`, are left out: every image has them).
pub fn exiftool_groups(bytes: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("image");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("exiftool")
        .args(["-j", "-a", "-G0", "-u"])
        .arg(&path)
        .output()
        .expect("exiftool (Debian libimage-exiftool-perl) is needed");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("exiftool's JSON");
    let mut groups: Vec<String> = json[0]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|k| {
            k.split_once(':')
                .map(|(g, t)| (g.to_string(), t.to_string()))
        })
        .filter(|(g, t)| {
            let plain = ["ExifTool", "File", "JFIF", "RIFF", "PNG", "Composite"];
            !plain.contains(&g.as_str()) || t == "Comment"
        })
        .map(|(g, t)| if t == "Comment" { "Comment".into() } else { g })
        .collect();
    groups.sort();
    groups.dedup();
    groups
}
