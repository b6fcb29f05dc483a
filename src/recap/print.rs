//! The recap on paper: the same numbers, maps (as SVG files the template reads), places and
//! stories, typeset by the kits' template (`kind: "recap"` in `kit.typ`). Photos stay on the web
//! page: the paper version is for handing out and pinning up.

use serde_json::{Value, json};

use super::view::{Recap, number};
use crate::i18n::{Lang, Msg, Tr};
use crate::kits::Paper;
use crate::kits::cache::Key;
use crate::kits::documents::{Document, Kit};
use crate::kits::markup::from_markdown;
use crate::kits::typeset::Attachment;

/// The document and its key (also the strong ETag): made from everything printed.
pub fn document(
    recap: &Recap,
    lang: Lang,
    today: chrono::NaiveDate,
    site: &str,
) -> (Document, String) {
    let tr = Tr::new(lang);
    let n = |v: i64| number(v, lang);
    let campaign = &recap.campaign;
    let mut attachments = Vec::new();
    let legend = |map: &super::map::Map| -> Value {
        map.legend
            .iter()
            .map(|(fill, from)| json!([fill, tr.t1("recap-legend-from", "count", n(*from))]))
            .collect()
    };
    let world = recap.world.as_ref().map(|m| {
        attachments.push(Attachment {
            name: "recap-world.svg".into(),
            bytes: m.svg.clone().into_bytes(),
        });
        json!({"file": "recap-world.svg", "legend": legend(m), "title": tr.t("recap-map-world")})
    });
    let regions = recap.regions.as_ref().map(|r| {
        attachments.push(Attachment {
            name: "recap-regions.svg".into(),
            bytes: r.map.svg.clone().into_bytes(),
        });
        json!({
            "file": "recap-regions.svg",
            "legend": legend(&r.map),
            "title": tr.t1("recap-map-regions", "country", r.name.as_str()),
            "line": tr.msg(&Msg::new("recap-regions-line").arg("country", r.name.as_str())
                .arg("with", r.rows.len()).arg("all", r.rows.len() + r.none_yet.len())),
            "rows": r.rows.iter().map(|row| json!([row.name, n(row.letters), n(row.events)])).collect::<Vec<_>>(),
            "none-yet": (!r.none_yet.is_empty()).then(|| tr.t1("recap-none-yet", "regions", r.none_yet.join(", "))),
        })
    });
    let t = &recap.totals;
    let part = json!({
        "kind": "recap",
        "heading": tr.t1("recap-title", "campaign", campaign.title.as_str()),
        "intro": recap.intro_markdown.as_deref().map(|md| from_markdown(md, 1)),
        "totals": [
            [n(t.letters), tr.t("recap-total-letters")],
            [n(t.solidarity), tr.t("recap-total-solidarity")],
            [n(t.participants), tr.t("recap-total-participants")],
            [n(t.events_registered), tr.t("recap-total-events")],
            [n(t.countries), tr.t("recap-total-countries")],
        ],
        "unreported": recap.unreported.map(|u| tr.msg(&Msg::new("recap-unreported").arg("count", u))),
        "world": world,
        "regions": regions,
        "col-place": tr.t("recap-col-place"),
        "col-letters": tr.t("recap-col-letters"),
        "col-events": tr.t("recap-col-events"),
        "countries-heading": tr.t("recap-countries"),
        "countries": recap.countries.iter().map(|c| json!([
            c.name, n(c.letters), n(c.events),
            (c.regions_of > 0).then(|| tr.msg(&Msg::new("recap-country-regions")
                .arg("with", c.regions_with.len()).arg("all", c.regions_of))),
        ])).collect::<Vec<_>>(),
        "kinds-heading": tr.t("recap-kinds"),
        "col-kind": tr.t("recap-col-kind"),
        "kinds": recap.kinds.iter().map(|k| json!([
            tr.t(format!("kind-{}", k.kind.replace('_', "-"))), n(k.events), n(k.letters),
        ])).collect::<Vec<_>>(),
        "cities-heading": tr.t("recap-cities"),
        "cities": recap.cities.iter().map(|c| json!([c.name, n(c.letters), n(c.events)])).collect::<Vec<_>>(),
        "stories-heading": tr.t("recap-stories"),
        "stories": recap.stories.iter().map(|s| json!([
            format!("{}, {} · {}", s.city, crate::geo::country_name(&s.country, lang).unwrap_or(&s.country),
                tr.t(format!("kind-{}", s.kind.replace('_', "-")))),
            s.highlights,
        ])).collect::<Vec<_>>(),
        "credit": tr.t("recap-map-credit"),
        "url": format!("{site}/campaigns/{}/recap", campaign.slug),
    });
    // The host country's paper, if one is mapped; else A4.
    let paper = Paper::for_country(&recap.row.map_country);
    let title = tr.t1("recap-title", "campaign", campaign.title.as_str());
    let mut kit = Kit::new(lang, paper, today, campaign, title);
    let key = attachments
        .iter()
        .fold(Key::new().part("recap").part(part.to_string()), |k, a| {
            k.part(&a.bytes)
        })
        .part(lang.code())
        .part(paper.as_str())
        .part(today.to_string());
    kit.composed(part, attachments);
    (kit.finish(), key.etag())
}
