//! Typst as a library: one template (`kit.typ`, embedded), the data of one document as a JSON
//! file beside it, the fonts embedded in the binary (Noto Sans for Latin, Greek and Cyrillic;
//! Noto Naskh Arabic) plus any fonts found in the configured directory (CJK), and typst-pdf
//! writing a tagged PDF with every font subset. The tally's share card (`share.typ`) is laid out
//! by the same world and rasterised to PNG by typst-render.

use std::path::Path;
use std::sync::{LazyLock, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

/// The template every kit document is laid out by.
pub const TEMPLATE: &str = include_str!("kit.typ");
/// The template of the tally's share card.
pub const SHARE_TEMPLATE: &str = include_str!("share.typ");

const EMBEDDED_FONTS: [&[u8]; 6] = [
    include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoSans-Italic.ttf"),
    include_bytes!("../../assets/fonts/NotoSans-BoldItalic.ttf"),
    include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoNaskhArabic-Bold.ttf"),
];

/// The font families the template asks for, in fallback order; the CJK families come from the
/// font directory when it has them.
pub const FAMILIES: [&str; 6] = [
    "Noto Sans",
    "Noto Naskh Arabic",
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Noto Sans SC",
    "Droid Sans Fallback",
];

/// What never changes between documents: the standard library, the fonts and their book.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    kit: Source,
    share: Source,
    data: FileId,
}

static FONT_DIR: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();

/// Sets the directory whose fonts are added to the embedded ones (CJK fonts, say). Only the first
/// call counts, and only if it comes before the first document is made.
pub fn set_font_dir(dir: Option<&Path>) {
    let _ = FONT_DIR.set(dir.map(Path::to_path_buf));
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a plain file name is a valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// Fonts (`.ttf`, `.otf`, `.ttc`, `.otc`) in `dir`, not descending into subdirectories.
fn fonts_in(dir: &Path) -> Vec<Font> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        tracing::warn!("the kit font directory cannot be read");
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "ttf" | "otf" | "ttc" | "otc"
                )
            })
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .flat_map(|bytes| Font::iter(Bytes::new(bytes)))
        .collect()
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let mut fonts: Vec<Font> = EMBEDDED_FONTS
        .iter()
        .flat_map(|bytes| Font::iter(Bytes::new(*bytes)))
        .collect();
    if let Some(Some(dir)) = FONT_DIR.get() {
        fonts.extend(fonts_in(dir));
    }
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        kit: Source::new(file_id("/kit.typ"), TEMPLATE.to_string()),
        share: Source::new(file_id("/share.typ"), SHARE_TEMPLATE.to_string()),
        data: file_id("/data.json"),
    }
});

/// Loads the fonts and the standard library now rather than on the first download.
pub fn warm_up() {
    LazyLock::force(&SHARED);
}

/// The world of one document: the shared parts and this document's data.
struct KitWorld {
    shared: &'static Shared,
    /// The template this document is laid out by (`kit.typ` or `share.typ`).
    main: &'static Source,
    data: Bytes,
    files: Vec<(FileId, Bytes)>,
    today: Datetime,
}

impl World for KitWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data {
            return Ok(self.data.clone());
        }
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// A file the template reads besides its data, e.g. a QR code as SVG.
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Lays out the template with `data` (read by the template as `json("data.json")`) and writes
/// the PDF. An error here is ours (a template that does not compile), never the visitor's.
pub fn pdf(
    data: &serde_json::Value,
    attachments: Vec<Attachment>,
    today: chrono::NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    let shared: &'static Shared = &SHARED;
    let result = layout(&shared.kit, data, attachments, today).and_then(|doc| {
        typst_pdf::pdf(&doc, &PdfOptions::default())
            .map_err(|errors| anyhow::anyhow!("writing the PDF failed: {}", messages(&errors)))
    });
    // Typst memoises layouts in a process-wide cache; documents differ every time, so keep it
    // from growing with the number made.
    typst::comemo::evict(2);
    result
}

/// Lays out the share card (`share.typ`) with `data` and draws its one page as a PNG, two
/// pixels per point.
pub fn share_png(data: &serde_json::Value, today: chrono::NaiveDate) -> anyhow::Result<Vec<u8>> {
    let shared: &'static Shared = &SHARED;
    let result = layout(&shared.share, data, Vec::new(), today).and_then(|doc| {
        let page = doc
            .pages()
            .first()
            .ok_or_else(|| anyhow::anyhow!("the share card has no page"))?;
        typst_render::render(page, &typst_render::RenderOptions::default())
            .encode_png()
            .map_err(|e| anyhow::anyhow!("encoding the share card failed: {e}"))
    });
    typst::comemo::evict(2);
    result
}

fn layout(
    main: &'static Source,
    data: &serde_json::Value,
    attachments: Vec<Attachment>,
    today: chrono::NaiveDate,
) -> anyhow::Result<PagedDocument> {
    use chrono::Datelike;
    let world = KitWorld {
        shared: &SHARED,
        main,
        data: Bytes::new(serde_json::to_vec(data)?),
        files: attachments
            .into_iter()
            .map(|a| (file_id(&format!("/{}", a.name)), Bytes::new(a.bytes)))
            .collect(),
        today: Datetime::from_ymd(today.year(), today.month() as u8, today.day() as u8)
            .ok_or_else(|| anyhow::anyhow!("date out of range"))?,
    };
    typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| anyhow::anyhow!("the template failed: {}", messages(&errors)))
}

fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
