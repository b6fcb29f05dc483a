//! Photos for the finished demo campaign, so its gallery is not empty: pictures drawn here
//! (a sky, a table, envelopes, a banner with block letters; no people), taken through the same
//! pipeline, store and rows as an upload, and approved.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::campaigns::store as campaigns;
use crate::db::Db;
use crate::events::{EventKind, Visibility, store as events};
use crate::i18n::Lang;
use crate::photos::store::{self as photos, NewPhoto};
use crate::photos::{PhotoStore, Status, pipeline};

use super::PAST_SLUG;

/// Demo photos, one an event, on the first events of the finished campaign.
const PHOTOS: usize = 12;
const WIDTH: u32 = 960;
const HEIGHT: u32 = 640;

/// Captions, in turn.
const CAPTIONS: [&str; 6] = [
    "Letters ready to post at the end of the evening",
    "Cards for every case on the table",
    "Our banner went up before anyone arrived",
    "Envelopes, stamps and a lot of tea",
    "The last letter of the night",
    "Writing together for the people in the cases",
];

/// The events of the finished campaign that get a photo: its first public events that have
/// started, not at home. The demo's featured stories favour them (`reports::feature_stories`).
pub async fn pictured_events(
    db: &Db,
    campaign_id: i64,
) -> anyhow::Result<Vec<crate::events::Event>> {
    let started = events::started_in_campaign(db, campaign_id, db.now_ms()).await?;
    Ok(started
        .into_iter()
        .filter(|e| e.visibility == Visibility::Public && e.kind != EventKind::Home)
        .take(PHOTOS)
        .collect())
}

/// Adds approved photos to the finished demo campaign when it has none; returns how many.
pub async fn seed(db: &Db, store: &PhotoStore) -> anyhow::Result<usize> {
    let Some(campaign) = campaigns::by_slug(db, PAST_SLUG, Lang::FALLBACK).await? else {
        return Ok(0);
    };
    let filter = photos::GalleryFilter::default();
    if !photos::gallery(db, campaign.id, &filter, 1)
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let chosen = pictured_events(db, campaign.id).await?;
    let mut rng = StdRng::seed_from_u64(20_171_210);
    let mut added = 0;
    for (n, event) in chosen.iter().enumerate() {
        let Some(facts) = photos::event_facts(db, event.id).await? else {
            continue;
        };
        let seed: u64 = rng.r#gen();
        let processed = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let file = tempfile::NamedTempFile::new()?;
            draw(seed).save_with_format(file.path(), image::ImageFormat::Png)?;
            pipeline::process(file.path()).map_err(|r| anyhow::anyhow!("{r:?}"))
        })
        .await??;
        let mut keys = std::collections::HashMap::new();
        let mut thumb = (0, 0);
        for r in processed.renditions {
            let key = PhotoStore::key_for(&r.bytes, r.format.ext());
            if r.size == pipeline::Size::Thumb {
                thumb = (i64::from(r.width), i64::from(r.height));
            }
            store.put(&key, r.bytes).await?;
            keys.insert((r.size.as_str(), r.format.ext()), key);
        }
        let key = |size: &str, ext: &str| keys[&(size, ext)].clone();
        let (large_jpeg, large_webp) = (key("large", "jpg"), key("large", "webp"));
        let (thumb_jpeg, thumb_webp) = (key("thumb", "jpg"), key("thumb", "webp"));
        let mut tx = db.begin_write().await?;
        let id = photos::insert(
            &mut tx,
            event.ends_at.timestamp_millis(),
            &NewPhoto {
                event: &facts,
                uploader_id: event.host_id,
                caption: CAPTIONS[n % CAPTIONS.len()],
                minors: false,
                width: i64::from(processed.width),
                height: i64::from(processed.height),
                thumb_width: thumb.0,
                thumb_height: thumb.1,
                large_jpeg: &large_jpeg,
                large_webp: &large_webp,
                thumb_jpeg: &thumb_jpeg,
                thumb_webp: &thumb_webp,
            },
        )
        .await?;
        photos::decide(
            &mut tx,
            id,
            Status::Approved,
            None,
            None,
            event.ends_at.timestamp_millis(),
        )
        .await?;
        tx.commit().await?;
        added += 1;
    }
    Ok(added)
}

/// A picture of an evening of letters: sky, a table, envelopes, a banner reading "WRITE".
fn draw(seed: u64) -> image::RgbImage {
    let mut rng = StdRng::seed_from_u64(seed);
    let sky = [rng.gen_range(120..200), rng.gen_range(150..220), 230u8];
    let table = [rng.gen_range(120..170), rng.gen_range(80..110), 50u8];
    let mut img = image::RgbImage::from_fn(WIDTH, HEIGHT, |_, y| {
        if y < HEIGHT * 3 / 5 {
            image::Rgb(sky)
        } else {
            image::Rgb(table)
        }
    });
    let rect = |img: &mut image::RgbImage, x: u32, y: u32, w: u32, h: u32, c: [u8; 3]| {
        for yy in y..(y + h).min(HEIGHT) {
            for xx in x..(x + w).min(WIDTH) {
                img.put_pixel(xx, yy, image::Rgb(c));
            }
        }
    };
    // Envelopes on the table, each with its stamp.
    for _ in 0..rng.gen_range(6..14) {
        let (x, y) = (
            rng.gen_range(0..WIDTH - 140),
            rng.gen_range(HEIGHT * 3 / 5..HEIGHT - 80),
        );
        rect(&mut img, x, y, 140, 80, [245, 240, 225]);
        rect(&mut img, x + 110, y + 8, 22, 26, [200, 40, 40]);
    }
    // The banner, with block letters.
    let banner = [250, 220, 40];
    rect(&mut img, 120, 60, 720, 170, banner);
    const GLYPHS: [[&str; 7]; 5] = [
        [
            "#...#", "#...#", "#...#", "#.#.#", "#.#.#", "##.##", "#...#",
        ],
        [
            "####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#",
        ],
        [
            "#####", "..#..", "..#..", "..#..", "..#..", "..#..", "#####",
        ],
        [
            "#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#..",
        ],
        [
            "#####", "#....", "#....", "####.", "#....", "#....", "#####",
        ],
    ];
    for (i, glyph) in GLYPHS.iter().enumerate() {
        for (row, line) in glyph.iter().enumerate() {
            for (col, c) in line.chars().enumerate() {
                if c == '#' {
                    let x = 170 + i as u32 * 130 + col as u32 * 20;
                    let y = 75 + row as u32 * 20;
                    rect(&mut img, x, y, 20, 20, [30, 30, 30]);
                }
            }
        }
    }
    img
}
