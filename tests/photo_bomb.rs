//! A decompression bomb (a small file whose header declares 60,000 × 60,000 pixels: 10.8 GB of
//! RGB) is refused from its header, without the process's memory rising: the pixel cap is read
//! before anything is decoded. Alone in its test binary, so no other story's allocations move
//! the peak it measures.

mod common;

use common::TestApp;
use serde_json::{Value, json};
use writeathon::accounts::Role;

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    c.extend_from_slice(&crc.sum().to_be_bytes());
    c
}

fn png_bomb() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 60_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &ihdr));
    // 35 kB of zeros, deflated: would inflate into the first rows of the image.
    let mut deflated = Vec::new();
    {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(&mut deflated, flate2::Compression::best());
        z.write_all(&vec![0u8; 30 * 1024 * 1024]).unwrap();
        z.finish().unwrap();
    }
    out.extend(chunk(b"IDAT", &deflated));
    out.extend(chunk(b"IEND", b""));
    out
}

/// A JPEG whose frame header says 60,000 × 60,000.
fn jpeg_bomb() -> Vec<u8> {
    let mut small = Vec::new();
    let pixels = vec![128u8; 16 * 16 * 3];
    jpeg_encoder::Encoder::new(&mut small, 80)
        .encode(&pixels, 16, 16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    // Rewrite the SOF0 segment's height and width.
    let at = small.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    small[at + 5..at + 7].copy_from_slice(&60_000u16.to_be_bytes());
    small[at + 7..at + 9].copy_from_slice(&60_000u16.to_be_bytes());
    small
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn multipart(file: &[u8]) -> (String, Vec<u8>) {
    let b = "bomb-boundary";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"consent\"\r\n\r\ntrue\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.png\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

async fn story(app: TestApp) {
    let host = app.token_for("bomb-host@example.org", Role::Host).await;
    let now = app.now();
    let event: Value = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", app.current_slug())))
        .bearer_auth(&host)
        .json(
            &json!({"title": "Letters", "kind": "school", "visibility": "public",
            "starts_at": (now + chrono::Duration::hours(1)).to_rfc3339(),
            "ends_at": (now + chrono::Duration::hours(2)).to_rfc3339(),
            "timezone": "UTC", "city": "Stratford", "country": "CA", "address": "1 Road"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = event["id"].as_i64().unwrap();
    let send = async |file: &[u8]| {
        let (ct, body) = multipart(file);
        reqwest::Client::new()
            .post(app.url(&format!("/api/v1/events/{id}/photos")))
            .bearer_auth(&host)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap()
    };
    let (png, jpeg) = (png_bomb(), jpeg_bomb());
    assert!(png.len() < 100 * 1024, "{}", png.len());
    // Once first, so the upload path's own buffers are in the peak already.
    send(&jpeg).await;
    let before = peak_rss_kb();
    for bomb in [&png, &jpeg] {
        let r = send(bomb).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        let message = body["errors"]["file"][0].as_str().unwrap();
        assert!(message.contains("too many pixels"), "{message}");
    }
    let risen = peak_rss_kb().saturating_sub(before);
    assert!(risen < 8 * 1024, "peak RSS rose by {risen} kB");
    assert_eq!(app.count("photos").await, 0);
}

// One test, both databases in turn: nothing else runs in this process meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decompression_bomb_is_refused_from_its_header() {
    story(TestApp::spawn(writeathon::db::Backend::Sqlite).await).await;
    if let Some(app) = TestApp::spawn_postgres().await {
        story(app).await;
    }
}
