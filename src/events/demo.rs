//! Demo events for the demo campaigns, and the benchmark fixture behind `writeathon seed-bench`.
//!
//! Everything is drawn from a seeded RNG, so a seed always gives the same events: about 300 for
//! the finished 2017 campaign (every Canadian province and territory, more where more people live,
//! and 16 other countries), 20 for the current one around its global day. Towns come from the
//! gazetteer, weighted towards bigger ones; times are on each town's clock; titles, descriptions and
//! venues are in the event's language (French in Quebec and France, and some in New Brunswick and
//! Ontario). Venues, street addresses, hosts and attendees are fictional: hosts are
//! `demo-host-N@example.org` accounts without a password, so nobody can sign in as them.
//!
//! Events go in through `store::insert` and `EventDraft::check`, like a host's, so the checks,
//! public points and coarsening are those of real events.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Weekday};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::Row;

use super::checks::{EventDraft, EventInput, When};
use super::store;
use crate::campaigns::Campaign;
use crate::db::{Db, Tx};
use crate::geo::{self, Place};

/// Which set of demo events a campaign gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edition {
    /// The finished "w4r-2017": about 300 events the world over.
    Past,
    /// The current campaign: about 20 events in a few countries around its global day.
    Current,
}

/// Demo host accounts, `demo-host-1@example.org` …; the first `FRENCH_HOSTS` host in French.
pub const DEMO_HOSTS: usize = 40;
const FRENCH_HOSTS: usize = 10;
const BENCH_HOSTS: usize = 500;

/// Where events are: a country or a Canadian province, how many, how many in French, and its
/// towns (names as the gazetteer spells them).
struct Area {
    country: &'static str,
    region: Option<&'static str>,
    events: usize,
    french: f64,
    towns: &'static [&'static str],
}

const fn area(
    country: &'static str,
    region: Option<&'static str>,
    events: usize,
    french: f64,
    towns: &'static [&'static str],
) -> Area {
    Area {
        country,
        region,
        events,
        french,
        towns,
    }
}

const PAST_AREAS: &[Area] = &[
    area(
        "CA",
        Some("CA-ON"),
        44,
        0.08,
        &[
            "Toronto",
            "Ottawa",
            "Mississauga",
            "Hamilton",
            "Brampton",
            "London",
            "Kitchener",
            "Waterloo",
            "Windsor",
            "Kingston",
            "Guelph",
            "Barrie",
            "Greater Sudbury",
            "Thunder Bay",
            "Peterborough",
            "St. Catharines",
            "Sault Ste. Marie",
            "Oakville",
        ],
    ),
    area(
        "CA",
        Some("CA-QC"),
        32,
        0.9,
        &[
            "Montréal",
            "Québec",
            "Laval",
            "Gatineau",
            "Longueuil",
            "Sherbrooke",
            "Trois-Rivières",
            "Saguenay",
            "Lévis",
            "Rimouski",
            "Drummondville",
            "Saint-Jérôme",
            "Rouyn-Noranda",
        ],
    ),
    area(
        "CA",
        Some("CA-BC"),
        20,
        0.0,
        &[
            "Vancouver",
            "Surrey",
            "Victoria",
            "Burnaby",
            "Kelowna",
            "Nanaimo",
            "Kamloops",
            "Prince George",
            "Abbotsford",
        ],
    ),
    area(
        "CA",
        Some("CA-AB"),
        14,
        0.0,
        &[
            "Calgary",
            "Edmonton",
            "Red Deer",
            "Lethbridge",
            "Medicine Hat",
            "Grande Prairie",
            "St. Albert",
        ],
    ),
    area(
        "CA",
        Some("CA-MB"),
        7,
        0.0,
        &["Winnipeg", "Brandon", "Steinbach", "Thompson"],
    ),
    area(
        "CA",
        Some("CA-SK"),
        6,
        0.0,
        &["Saskatoon", "Regina", "Prince Albert", "Moose Jaw"],
    ),
    area(
        "CA",
        Some("CA-NS"),
        7,
        0.0,
        &[
            "Halifax",
            "Dartmouth",
            "Sydney",
            "Truro",
            "Wolfville",
            "Antigonish",
        ],
    ),
    area(
        "CA",
        Some("CA-NB"),
        6,
        0.4,
        &[
            "Moncton",
            "Saint John",
            "Fredericton",
            "Dieppe",
            "Edmundston",
            "Bathurst",
        ],
    ),
    area(
        "CA",
        Some("CA-NL"),
        5,
        0.0,
        &[
            "St. John's",
            "Mount Pearl",
            "Corner Brook",
            "Grand Falls-Windsor",
        ],
    ),
    area(
        "CA",
        Some("CA-PE"),
        3,
        0.0,
        &["Charlottetown", "Summerside"],
    ),
    area("CA", Some("CA-YT"), 2, 0.0, &["Whitehorse", "Dawson City"]),
    area("CA", Some("CA-NT"), 2, 0.0, &["Yellowknife", "Inuvik"]),
    area("CA", Some("CA-NU"), 2, 0.0, &["Iqaluit", "Rankin Inlet"]),
    area(
        "US",
        None,
        26,
        0.0,
        &[
            "New York City",
            "Chicago",
            "Los Angeles",
            "Seattle",
            "Boston",
            "Minneapolis",
            "Portland",
            "Washington, D.C.",
            "Philadelphia",
            "Atlanta",
            "Denver",
            "San Francisco",
            "Austin",
        ],
    ),
    area(
        "FR",
        None,
        20,
        1.0,
        &[
            "Paris",
            "Lyon",
            "Marseille",
            "Toulouse",
            "Lille",
            "Nantes",
            "Strasbourg",
            "Bordeaux",
            "Rennes",
            "Montpellier",
            "Grenoble",
            "Dijon",
        ],
    ),
    area(
        "GB",
        None,
        20,
        0.0,
        &[
            "London",
            "Manchester",
            "Birmingham",
            "Glasgow",
            "Edinburgh",
            "Cardiff",
            "Bristol",
            "Leeds",
            "Belfast",
            "Sheffield",
            "Oxford",
        ],
    ),
    area(
        "MX",
        None,
        8,
        0.0,
        &[
            "Mexico City",
            "Guadalajara",
            "Monterrey",
            "Puebla",
            "Oaxaca",
            "Mérida",
        ],
    ),
    area(
        "BR",
        None,
        8,
        0.0,
        &[
            "São Paulo",
            "Rio de Janeiro",
            "Belo Horizonte",
            "Porto Alegre",
            "Recife",
            "Salvador",
        ],
    ),
    area(
        "KE",
        None,
        8,
        0.0,
        &["Nairobi", "Mombasa", "Kisumu", "Nakuru", "Eldoret"],
    ),
    area(
        "GH",
        None,
        6,
        0.0,
        &["Accra", "Kumasi", "Tamale", "Cape Coast"],
    ),
    area(
        "ZA",
        None,
        6,
        0.0,
        &["Johannesburg", "Cape Town", "Durban", "Pretoria"],
    ),
    area(
        "IN",
        None,
        8,
        0.0,
        &["Mumbai", "Delhi", "Bengaluru", "Chennai", "Kolkata", "Pune"],
    ),
    area(
        "AU",
        None,
        11,
        0.0,
        &[
            "Sydney",
            "Melbourne",
            "Brisbane",
            "Perth",
            "Adelaide",
            "Hobart",
            "Canberra",
        ],
    ),
    area(
        "DE",
        None,
        8,
        0.0,
        &[
            "Berlin",
            "Hamburg",
            "Munich",
            "Köln",
            "Frankfurt am Main",
            "Leipzig",
        ],
    ),
    area(
        "ES",
        None,
        6,
        0.0,
        &["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao"],
    ),
    area(
        "PH",
        None,
        5,
        0.0,
        &["Quezon City", "Manila", "Cebu City", "Davao"],
    ),
    area("JP", None, 4, 0.0, &["Tokyo", "Osaka", "Kyoto", "Sapporo"]),
    area(
        "NZ",
        None,
        3,
        0.0,
        &["Auckland", "Wellington", "Christchurch"],
    ),
    area("IE", None, 3, 0.0, &["Dublin", "Cork", "Waterford"]),
];

const CURRENT_AREAS: &[Area] = &[
    area("CA", Some("CA-ON"), 4, 0.0, &["Toronto", "Ottawa"]),
    area("CA", Some("CA-QC"), 3, 1.0, &["Montréal", "Québec"]),
    area("CA", Some("CA-BC"), 2, 0.0, &["Vancouver", "Victoria"]),
    area("CA", Some("CA-NS"), 1, 0.0, &["Halifax"]),
    area("US", None, 2, 0.0, &["New York City", "Chicago"]),
    area("GB", None, 2, 0.0, &["London", "Manchester"]),
    area("FR", None, 2, 1.0, &["Paris", "Lyon"]),
    area("KE", None, 2, 0.0, &["Nairobi", "Kisumu"]),
    area("AU", None, 2, 0.0, &["Sydney", "Melbourne"]),
];

/// Kinds with their weight and how likely such an event is private (≈ 15% over all).
const KIND_MIX: [(&str, u32, f64); 12] = [
    ("school", 18, 0.25),
    ("community_centre", 12, 0.05),
    ("faith", 10, 0.05),
    ("library", 10, 0.03),
    ("cafe", 10, 0.05),
    ("home", 10, 0.4),
    ("university", 8, 0.1),
    ("pub", 6, 0.05),
    ("workplace", 6, 0.5),
    ("outdoor", 4, 0.0),
    ("online", 4, 0.1),
    ("other", 2, 0.05),
];

const FR_FIRST: &[&str] = &[
    "Amélie",
    "Benoît",
    "Chloé",
    "Étienne",
    "Geneviève",
    "Hugo",
    "Isabelle",
    "Julien",
    "Léa",
    "Mathieu",
    "Nathalie",
    "Olivier",
    "Sophie",
    "Thierry",
    "Valérie",
    "Yannick",
    "Maude",
    "Gabriel",
];
const FR_LAST: &[&str] = &[
    "Beaulieu",
    "Bergeron",
    "Caron",
    "Desjardins",
    "Dufresne",
    "Fortier",
    "Gauthier",
    "Lachance",
    "Lemieux",
    "Pelletier",
    "Rousseau",
    "Thibault",
    "Vachon",
    "Girard",
    "Leblanc",
    "Morin",
];
const EN_FIRST: &[&str] = &[
    "Aisha", "Ben", "Chidi", "Daniela", "Emeka", "Fatima", "Grace", "Hiro", "Imani", "Jonah",
    "Kavya", "Liam", "Maya", "Nikhil", "Olivia", "Priya", "Quinn", "Rosa", "Samir", "Tessa", "Uma",
    "Victor", "Wanjiru", "Xavier", "Yuki", "Zoe",
];
const EN_LAST: &[&str] = &[
    "Abara",
    "Bennett",
    "Castillo",
    "Dlamini",
    "Evans",
    "Fernandes",
    "Gupta",
    "Hughes",
    "Ito",
    "Johansson",
    "Kamau",
    "Lopez",
    "Mensah",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quinlan",
    "Reyes",
    "Singh",
    "Thompson",
    "Usman",
    "Varga",
    "Walsh",
    "Yilmaz",
    "Zhou",
];

/// Made-up neighbourhood-ish names for venues.
const EN_PLACES: &[&str] = &[
    "Riverside",
    "Maplewood",
    "Northview",
    "Cedar Hill",
    "Lakeshore",
    "Westdale",
    "Pinecrest",
    "Hillcrest",
    "Elmwood",
    "Brookfield",
    "Oakridge",
    "Willow Park",
    "Sunnyside",
    "Birchmount",
    "Harbourview",
    "Greenfield",
];
const EN_SAINTS: &[&str] = &[
    "St. Brigid's",
    "St. Columba's",
    "St. Aidan's",
    "St. Hilda's",
    "St. Cuthbert's",
    "St. Margaret's",
];
const FR_PLACES: &[&str] = &[
    "des Érables",
    "du Boisé",
    "de la Rivière",
    "des Pins",
    "du Vieux-Moulin",
    "de la Colline",
    "des Lilas",
    "du Ruisseau",
    "Bellevue",
    "Beauséjour",
    "des Quatre-Vents",
    "du Parc",
];
const FR_SAINTS: &[&str] = &[
    "Saint-Joseph",
    "Sainte-Marie",
    "Saint-Luc",
    "Sainte-Anne",
    "Saint-Michel",
    "Sainte-Thérèse",
];

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

fn venue_name(rng: &mut StdRng, kind: &str, french: bool, host_first: &str) -> String {
    if french {
        let p = pick(rng, FR_PLACES);
        let s = pick(rng, FR_SAINTS);
        match kind {
            "school" => match rng.gen_range(0..3) {
                0 => format!("École secondaire {p}"),
                1 => format!("École primaire {s}"),
                _ => format!("Collège {s}"),
            },
            "university" => format!("Pavillon étudiant, campus {p}"),
            "faith" => match rng.gen_range(0..2) {
                0 => format!("Salle paroissiale {s}"),
                _ => format!("Temple protestant {p}"),
            },
            "community_centre" => match rng.gen_range(0..2) {
                0 => format!("Centre communautaire {p}"),
                _ => format!("Maison de quartier {p}"),
            },
            "cafe" => format!(
                "Café {}",
                pick(
                    rng,
                    &[
                        "L'Encrier",
                        "La Plume",
                        "Le Buvard",
                        "Le Papier bleu",
                        "La Tasse ronde"
                    ]
                )
            ),
            "pub" => format!(
                "Brasserie {}",
                pick(
                    rng,
                    &["du Coin", "La Lanterne", "Le Houblon", "Les Deux Ponts"]
                )
            ),
            "workplace" => format!("Coopérative {p}, salle de pause"),
            "library" => match rng.gen_range(0..2) {
                0 => format!("Bibliothèque {p}"),
                _ => format!("Médiathèque {p}"),
            },
            "home" => format!("Chez {host_first}"),
            "outdoor" => format!("Parc {p}, près du kiosque"),
            "online" => "En ligne (visioconférence)".to_string(),
            _ => format!("Salle des fêtes {p}"),
        }
    } else {
        let p = pick(rng, EN_PLACES);
        let s = pick(rng, EN_SAINTS);
        match kind {
            "school" => match rng.gen_range(0..4) {
                0 => format!("{p} Secondary School"),
                1 => format!("{s} Catholic School"),
                2 => format!("{p} Collegiate Institute"),
                _ => format!("{p} Public School"),
            },
            "university" => format!("Student Centre, {p} College"),
            "faith" => match rng.gen_range(0..3) {
                0 => format!("{s} Church Hall"),
                1 => format!("{p} United Church"),
                _ => format!("{p} Friends Meeting House"),
            },
            "community_centre" => match rng.gen_range(0..3) {
                0 => format!("{p} Community Centre"),
                1 => format!("{p} Neighbourhood House"),
                _ => format!("{p} Recreation Centre"),
            },
            "cafe" => format!(
                "{} Café",
                pick(
                    rng,
                    &[
                        "The Inkwell",
                        "Blue Kettle",
                        "Paper Crane",
                        "Good Neighbour",
                        "Two Spoons"
                    ]
                )
            ),
            "pub" => format!(
                "The {}",
                pick(
                    rng,
                    &[
                        "Quill and Anchor",
                        "Red Fox",
                        "Lantern and Key",
                        "Owl and Pen",
                        "Old Post"
                    ]
                )
            ),
            "workplace" => format!(
                "{} {}, staff room",
                pick(rng, EN_LAST),
                pick(
                    rng,
                    &["& Partners", "Engineering", "Credit Union", "Design Studio"]
                )
            ),
            "library" => match rng.gen_range(0..2) {
                0 => format!("{p} Branch Library"),
                _ => format!("{p} Public Library"),
            },
            "home" => format!("{host_first}'s place"),
            "outdoor" => format!("{p} Park bandstand"),
            "online" => "Online (video call)".to_string(),
            _ => format!("{p} Legion Hall"),
        }
    }
}

/// A plausible, fictional street address in the country's usual style.
fn street_address(rng: &mut StdRng, country: &str, french: bool) -> String {
    match country {
        "FR" => format!(
            "{} {}",
            rng.gen_range(1..120),
            pick(
                rng,
                &[
                    "rue des Lilas",
                    "rue de la Gare",
                    "avenue des Tilleuls",
                    "rue du Moulin",
                    "place de l'Église",
                    "boulevard des Platanes",
                    "rue des Écoles"
                ]
            )
        ),
        "CA" if french => format!(
            "{}, {}",
            rng.gen_range(100..4999),
            pick(
                rng,
                &[
                    "rue des Érables",
                    "rue Principale",
                    "boulevard des Pins",
                    "rue du Moulin",
                    "avenue de l'Église",
                    "rue des Pionniers",
                    "chemin du Lac"
                ]
            )
        ),
        "DE" => format!(
            "{} {}",
            pick(
                rng,
                &[
                    "Lindenstraße",
                    "Gartenweg",
                    "Schulstraße",
                    "Am Mühlbach",
                    "Rosenweg",
                    "Kastanienallee"
                ]
            ),
            rng.gen_range(1..90)
        ),
        "ES" => format!(
            "{}, {}",
            pick(
                rng,
                &[
                    "Calle del Olmo",
                    "Calle de la Paz",
                    "Avenida de los Pinos",
                    "Calle de las Flores",
                    "Plaza del Sol"
                ]
            ),
            rng.gen_range(1..150)
        ),
        "MX" => format!(
            "{} {}, Col. {}",
            pick(
                rng,
                &[
                    "Calle Jacarandas",
                    "Calle Fresno",
                    "Avenida Las Palmas",
                    "Calle Magnolia"
                ]
            ),
            rng.gen_range(1..400),
            pick(rng, &["Centro", "Jardines", "Las Lomas", "San Rafael"])
        ),
        "BR" => format!(
            "{}, {}",
            pick(
                rng,
                &[
                    "Rua das Acácias",
                    "Rua dos Ipês",
                    "Avenida das Palmeiras",
                    "Rua da Esperança"
                ]
            ),
            rng.gen_range(10..2000)
        ),
        "JP" => format!(
            "{}-{}-{} {}",
            rng.gen_range(1..6),
            rng.gen_range(1..20),
            rng.gen_range(1..30),
            pick(
                rng,
                &["Sakuragaoka", "Midorigaoka", "Aoba-chō", "Kotobuki-chō"]
            )
        ),
        _ => format!(
            "{} {}",
            rng.gen_range(2..2400),
            pick(
                rng,
                &[
                    "Maple Street",
                    "Elm Street",
                    "Birch Crescent",
                    "Station Road",
                    "Victoria Avenue",
                    "Park Road",
                    "Lakeview Drive",
                    "Mill Lane",
                    "Hillside Road",
                    "Cedar Avenue",
                    "Orchard Way",
                    "Chapel Street"
                ]
            )
        ),
    }
}

fn title(rng: &mut StdRng, kind: &str, french: bool, venue: &str, city: &str) -> String {
    let special = rng.gen_bool(0.5);
    let t = if french {
        match kind {
            "school" if special => "Les élèves écrivent pour les droits".to_string(),
            "pub" if special => "Bières et lettres pour les droits".to_string(),
            "faith" if special => "Lettres après l'office".to_string(),
            "online" => "Marathon d'écriture en ligne (participez d'où vous voulez)".to_string(),
            "home" => pick(
                rng,
                &["Lettres et soupe chez moi", "Marathon d'écriture au salon"],
            )
            .to_string(),
            "library" if special => "Lettres à la bibliothèque".to_string(),
            "outdoor" => "Lettres au parc".to_string(),
            "workplace" => "Lettres à la pause du midi".to_string(),
            "university" if special => "Marathon d'écriture sur le campus".to_string(),
            "cafe" if special => "Café-lettres pour les droits humains".to_string(),
            _ => match rng.gen_range(0..7) {
                0 => format!("Écrire pour les droits : {venue}"),
                1 => "Marathon d'écriture de lettres".to_string(),
                2 => format!("{city} écrit pour les droits"),
                3 => "Lettres et chocolat chaud".to_string(),
                4 => "Journée des droits humains : on écrit !".to_string(),
                5 => "Cartes de solidarité et lettres".to_string(),
                _ => "Atelier de lettres pour les droits".to_string(),
            },
        }
    } else {
        match kind {
            "school" if special => "Students write for rights".to_string(),
            "pub" if special => "Pints and letters".to_string(),
            "faith" if special => "Letters after the service".to_string(),
            "online" => "Online write-a-thon (join from anywhere)".to_string(),
            "home" => pick(
                rng,
                &["Letters and soup at my place", "Living-room write-a-thon"],
            )
            .to_string(),
            "library" if special => "Letters at the library".to_string(),
            "outdoor" => "Letters in the park".to_string(),
            "workplace" => "Lunch-hour letters for rights".to_string(),
            "university" if special => "Campus write-a-thon".to_string(),
            "cafe" if special => "Letters and lattes".to_string(),
            _ => match rng.gen_range(0..7) {
                0 => format!("Write for Rights at {venue}"),
                1 => "Letter-writing marathon".to_string(),
                2 => format!("{city} writes for rights"),
                3 => "Letters and cocoa for Human Rights Day".to_string(),
                4 => "Human Rights Day write-in".to_string(),
                5 => "Cards of solidarity and letters".to_string(),
                _ => "Write for Rights drop-in".to_string(),
            },
        }
    };
    // Titles stay within the form's 120 characters whatever the venue's name.
    t.chars().take(120).collect()
}

fn description(rng: &mut StdRng, kind: &str, french: bool) -> String {
    let (opening, middle, practical) = if french {
        let opening = match kind {
            "school" => {
                "Nos élèves écrivent aux autorités pour les personnes des cas de cette année, avec l'aide des enseignants et des parents."
            }
            "university" => {
                "Le groupe étudiant pour les droits humains vous invite entre deux cours."
            }
            "faith" => "Notre communauté se retrouve après l'office pour écrire ensemble.",
            "home" => "J'ouvre mon salon à mes voisins et amis : soupe, thé et beaucoup de papier.",
            "online" => {
                "Un marathon d'écriture en visioconférence : on écrit chacun chez soi, mais ensemble."
            }
            "workplace" => "Une heure à la pause du midi pour écrire entre collègues.",
            "outdoor" => {
                "Des tables au parc, des stylos et des lettres : passez nous voir en promenade."
            }
            "pub" => "Un verre, une plume et quelques lettres qui peuvent changer des vies.",
            _ => "Venez écrire avec nous pour la Journée des droits humains.",
        };
        let middle = pick(
            rng,
            &[
                "Nous écrirons aux autorités au sujet des cas de la campagne et préparerons des cartes de solidarité pour les personnes elles-mêmes.",
                "Restez dix minutes ou tout l'après-midi : chaque lettre compte.",
                "Aucune expérience nécessaire : des modèles de lettres vous guideront.",
            ],
        );
        let practical = pick(
            rng,
            &[
                "Papier, enveloppes, modèles de lettres et timbres fournis.",
                "Boissons chaudes et collations offertes.",
                "Les enfants sont les bienvenus.",
                "Apportez votre stylo préféré; nous fournissons le reste.",
            ],
        );
        (opening, middle, practical)
    } else {
        let opening = match kind {
            "school" => {
                "Our students are writing to the authorities for the people in this year's cases, with help from teachers and parents."
            }
            "university" => "The campus human rights club invites you between classes.",
            "faith" => "Our congregation gathers after the service to write together.",
            "home" => {
                "I'm opening my living room to neighbours and friends: soup, tea and plenty of paper."
            }
            "online" => "A write-a-thon on a video call: everyone writes at home, but together.",
            "workplace" => "An hour over lunch to write letters with colleagues.",
            "outdoor" => "Tables in the park, pens and letters: drop by on your walk.",
            "pub" => "A drink, a pen and a few letters that can change lives.",
            _ => "Come and write with us for Human Rights Day.",
        };
        let middle = pick(
            rng,
            &[
                "We'll write to the authorities about this year's cases and make solidarity cards for the people themselves.",
                "Come for ten minutes or stay all afternoon: every letter counts.",
                "No experience needed: sample letters will guide you.",
            ],
        );
        let practical = pick(
            rng,
            &[
                "Paper, envelopes, sample letters and stamps provided.",
                "Hot drinks and snacks provided.",
                "Children are welcome.",
                "Bring your favourite pen; we provide the rest.",
            ],
        );
        (opening, middle, practical)
    };
    format!("{opening} {middle}\n\n**{practical}**")
}

fn accessibility(rng: &mut StdRng, kind: &str, french: bool, step_free: bool) -> String {
    let text: &str = match (kind, french, step_free) {
        ("online", false, _) => "Live captions; sample letters shared as accessible documents.",
        ("online", true, _) => {
            "Sous-titres en direct; modèles de lettres en documents accessibles."
        }
        (_, false, true) => pick(
            rng,
            &[
                "Step-free entrance and accessible washroom.",
                "Ground floor, step-free from the street; accessible toilets.",
                "Ramp at the side door; large-print sample letters.",
            ],
        ),
        (_, true, true) => pick(
            rng,
            &[
                "Entrée de plain-pied et toilettes accessibles.",
                "Rez-de-chaussée sans marche; toilettes adaptées.",
                "Rampe à l'entrée latérale; modèles de lettres en gros caractères.",
            ],
        ),
        (_, false, false) => pick(
            rng,
            &[
                "",
                "Three steps at the entrance; we're happy to help.",
                "Upstairs room, no lift.",
            ],
        ),
        (_, true, false) => pick(
            rng,
            &[
                "",
                "Trois marches à l'entrée; nous pouvons vous aider.",
                "Salle à l'étage, sans ascenseur.",
            ],
        ),
    };
    text.to_string()
}

/// Weekdays a kind of event happens on.
fn fits_day(kind: &str, day: Weekday) -> bool {
    use Weekday::*;
    match kind {
        "school" | "university" | "workplace" => !matches!(day, Sat | Sun),
        "faith" => matches!(day, Sat | Sun),
        "pub" => matches!(day, Thu | Fri | Sat),
        "library" => day != Sun,
        _ => true,
    }
}

/// A day near the global day that suits the kind, the global day itself most often.
fn event_day(rng: &mut StdRng, kind: &str, campaign: &Campaign) -> NaiveDate {
    let days: Vec<(NaiveDate, u32)> = (-9..=6)
        .map(|offset| campaign.global_day + chrono::Duration::days(offset))
        .filter(|d| *d >= campaign.starts_on && *d <= campaign.ends_on)
        .filter(|d| fits_day(kind, d.weekday()))
        .map(|d| (d, if d == campaign.global_day { 24 } else { 1 }))
        .collect();
    if days.is_empty() {
        return campaign.global_day;
    }
    let weights = WeightedIndex::new(days.iter().map(|(_, w)| *w)).expect("positive weights");
    days[weights.sample(rng)].0
}

/// Start and end on the local clock, as "HH:MM".
fn event_hours(rng: &mut StdRng, kind: &str, day: Weekday) -> (String, String) {
    let weekend = matches!(day, Weekday::Sat | Weekday::Sun);
    // (earliest start, latest start, shortest, longest), in half hours.
    let (from, to, short, long) = match kind {
        "school" => (18, 27, 2, 4),
        "university" => (22, 30, 4, 6),
        "workplace" => (24, 25, 2, 3),
        "faith" => (23, 26, 3, 4),
        "pub" => (37, 39, 5, 6),
        "cafe" => (20, 30, 4, 6),
        "library" if weekend => (20, 28, 3, 4),
        "library" => (36, 37, 3, 4),
        "home" => (26, 38, 4, 6),
        "outdoor" => (24, 28, 2, 4),
        "online" => (38, 40, 3, 3),
        "community_centre" => (20, 28, 6, 8),
        _ => (20, 36, 3, 5),
    };
    let start = rng.gen_range(from..=to);
    let end = (start + rng.gen_range(short..=long)).min(47);
    let hhmm = |h: u32| format!("{:02}:{:02}", h / 2, (h % 2) * 30);
    (hhmm(start), hhmm(end))
}

/// A point up to `max_km` from (lat, lon), so that a town's events are not all on one spot.
fn jitter(rng: &mut StdRng, lat: f64, lon: f64, max_km: f64) -> (f64, f64) {
    let r = max_km * rng.r#gen::<f64>().sqrt();
    let a = rng.r#gen::<f64>() * std::f64::consts::TAU;
    let dlat = r / 111.32 * a.cos();
    let dlon = r / (111.32 * lat.to_radians().cos().max(0.05)) * a.sin();
    let round = |v: f64| (v * 100_000.0).round() / 100_000.0;
    (
        round((lat + dlat).clamp(-89.9, 89.9)),
        round(((lon + dlon + 540.0) % 360.0) - 180.0),
    )
}

/// How far from the town centre a venue may be: a few hundred metres in a village, a few km in a city.
fn spread_km(population: u32) -> f64 {
    (0.4 + f64::from(population).sqrt() / 700.0).min(2.5)
}

fn host_first_name(french: bool, n: usize) -> &'static str {
    if french {
        FR_FIRST[(n * 5) % FR_FIRST.len()]
    } else {
        EN_FIRST[(n * 7) % EN_FIRST.len()]
    }
}

fn host_name(n: usize) -> (String, bool) {
    let french = n <= FRENCH_HOSTS;
    let last = if french {
        FR_LAST[(n * 7) % FR_LAST.len()]
    } else {
        EN_LAST[(n * 11) % EN_LAST.len()]
    };
    (format!("{} {last}", host_first_name(french, n)), french)
}

/// Someone who RSVPed, with how many days before the event they did.
#[derive(Clone, Debug, PartialEq)]
struct Attendee {
    name: String,
    email: String,
    consent: bool,
    days_before: i64,
}

fn attendees(rng: &mut StdRng, french: bool, capacity: Option<i64>) -> Vec<Attendee> {
    // A full event now and then, so the waitlist shows too.
    let n = match capacity {
        Some(c) if c <= 12 && rng.gen_bool(0.3) => c as usize + rng.gen_range(1..3),
        _ => rng.gen_range(1..=6),
    };
    let (firsts, lasts) = if french {
        (FR_FIRST, FR_LAST)
    } else {
        (EN_FIRST, EN_LAST)
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for _ in 0..n {
        let (first, last) = (pick(rng, firsts), pick(rng, lasts));
        let email = format!(
            "{}.{}{}@example.org",
            geo::fold(first).replace(' ', "-"),
            geo::fold(last).replace(' ', "-"),
            rng.gen_range(1..100)
        );
        if seen.insert(email.clone()) {
            out.push(Attendee {
                name: format!("{first} {last}"),
                email,
                consent: rng.gen_bool(0.4),
                days_before: rng.gen_range(1..20),
            });
        }
    }
    out
}

/// One event to add: what a host would have typed, in which language, and its RSVPs.
#[derive(Clone, Debug)]
struct Planned {
    draft: EventDraft,
    french: bool,
    attendees: Vec<Attendee>,
}

/// Makes up an event at `place`. `host_first` names the host in home venues.
fn make_draft(
    rng: &mut StdRng,
    campaign: &Campaign,
    place: &Place,
    french: bool,
    host_first: &str,
) -> EventDraft {
    let kinds = WeightedIndex::new(KIND_MIX.iter().map(|k| k.1)).expect("positive weights");
    let (kind, _, private_share) = KIND_MIX[kinds.sample(rng)];
    let private = rng.gen_bool(private_share);
    let day = event_day(rng, kind, campaign);
    let (start, end) = event_hours(rng, kind, day.weekday());
    let (lat, lon) = if kind == "online" {
        (place.lat, place.lon)
    } else {
        jitter(rng, place.lat, place.lon, spread_km(place.population))
    };
    let venue = venue_name(rng, kind, french, host_first);
    let address = if kind == "online" {
        String::new()
    } else {
        street_address(rng, place.country, french)
    };
    let capacity = rng.gen_bool(0.35).then(|| match kind {
        "home" => rng.gen_range(6..=14),
        "cafe" | "pub" => rng.gen_range(10..=40),
        "school" | "university" => rng.gen_range(20..=120),
        _ => rng.gen_range(10..=60),
    });
    let step_free = kind != "online"
        && rng.gen_bool(match kind {
            "home" => 0.25,
            "outdoor" => 0.8,
            _ => 0.55,
        });
    EventDraft {
        title: title(rng, kind, french, &venue, place.name),
        kind: kind.to_string(),
        visibility: if private { "private" } else { "public" }.to_string(),
        when: When::Local {
            date: day.to_string(),
            start,
            end,
        },
        // The town's zone: what the form offers a host there.
        timezone: geo::zones::default_timezone(place.country, Some(place.lat), Some(place.lon))
            .unwrap_or("UTC")
            .to_string(),
        venue_name: venue,
        address,
        city: place.name.to_string(),
        region: place.region.unwrap_or_default().to_string(),
        country: place.country.to_string(),
        latitude: Some(lat),
        longitude: Some(lon),
        capacity,
        accessibility: accessibility(rng, kind, french, step_free),
        step_free,
        description: description(rng, kind, french),
        language: if french { "fr" } else { "en" }.to_string(),
    }
}

/// The demo events of an edition, in a fixed order (area by area).
fn plan(edition: Edition, campaign: &Campaign) -> Vec<Planned> {
    let (areas, seed) = match edition {
        Edition::Past => (PAST_AREAS, 2017),
        Edition::Current => (CURRENT_AREAS, 1210),
    };
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::new();
    for area in areas {
        let towns: Vec<Place> = area
            .towns
            .iter()
            .filter_map(|name| geo::find(name, area.country, area.region))
            .collect();
        if towns.is_empty() {
            continue;
        }
        // Bigger towns get more events, but not all of them.
        let weights = WeightedIndex::new(
            towns
                .iter()
                .map(|t| f64::from(t.population.max(1000)).powf(0.6)),
        )
        .expect("positive weights");
        for _ in 0..area.events {
            let place = towns[weights.sample(&mut rng)];
            let french = rng.gen_bool(area.french);
            let host_first = pick(&mut rng, if french { FR_FIRST } else { EN_FIRST });
            let draft = make_draft(&mut rng, campaign, &place, french, host_first);
            let public = draft.visibility == "public";
            let attendees = if public && rng.gen_bool(0.3) {
                attendees(&mut rng, french, draft.capacity)
            } else {
                Vec::new()
            };
            out.push(Planned {
                draft,
                french,
                attendees,
            });
        }
    }
    out
}

/// Hosts (1-based demo host numbers) for the planned events: French events go to the French
/// hosts, the others to the rest, each host taking a run of neighbouring events.
fn assign_hosts(planned: &[Planned]) -> Vec<usize> {
    let french_total = planned.iter().filter(|p| p.french).count().max(1);
    let other_total = planned.len().saturating_sub(french_total).max(1);
    let (mut french_seen, mut other_seen) = (0, 0);
    planned
        .iter()
        .map(|p| {
            if p.french {
                french_seen += 1;
                1 + (french_seen - 1) * FRENCH_HOSTS / french_total
            } else {
                other_seen += 1;
                FRENCH_HOSTS + 1 + (other_seen - 1) * (DEMO_HOSTS - FRENCH_HOSTS) / other_total
            }
        })
        .map(|h| h.min(DEMO_HOSTS))
        .collect()
}

/// Creates the accounts `{prefix}-1@example.org` … `{prefix}-{count}@example.org` that are missing
/// (no password: nobody can sign in as them) and returns their ids, in order.
async fn ensure_hosts(
    tx: &mut Tx,
    now: i64,
    prefix: &str,
    count: usize,
) -> anyhow::Result<Vec<i64>> {
    for n in 1..=count {
        let (name, french) = host_name(n);
        let name = if prefix == "demo-host" {
            name
        } else {
            format!("{name} ({n})")
        };
        sqlx::query(
            "INSERT INTO accounts (email, display_name, password_hash, role, language, created_at) \
             VALUES ($1, $2, NULL, 'host', $3, $4) ON CONFLICT (email) DO NOTHING",
        )
        .bind(format!("{prefix}-{n}@example.org"))
        .bind(name)
        .bind(if french { "fr" } else { "en" })
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    let rows = sqlx::query("SELECT id, email FROM accounts WHERE email LIKE $1")
        .bind(format!("{prefix}-%@example.org"))
        .fetch_all(&mut **tx)
        .await?;
    let mut by_email = HashMap::new();
    for row in rows {
        by_email.insert(
            row.try_get::<String, _>("email")?,
            row.try_get::<i64, _>("id")?,
        );
    }
    (1..=count)
        .map(|n| {
            by_email
                .get(&format!("{prefix}-{n}@example.org"))
                .copied()
                .ok_or_else(|| anyhow::anyhow!("host account {prefix}-{n} missing"))
        })
        .collect()
}

/// Countries in safety mode, whose public points are only the town.
async fn safety_countries(tx: &mut Tx) -> Result<HashSet<String>, sqlx::Error> {
    let rows = sqlx::query("SELECT country FROM country_settings WHERE safety_mode = 1")
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

async fn add_attendees(
    tx: &mut Tx,
    now: i64,
    event_id: i64,
    input: &EventInput,
    attendees: &[Attendee],
) -> Result<(), sqlx::Error> {
    let mut confirmed: i64 = 0;
    for a in attendees {
        let status = if input.capacity.is_none_or(|c| confirmed < c) {
            confirmed += 1;
            "confirmed"
        } else {
            "waitlisted"
        };
        let at = (input.starts_at - chrono::Duration::days(a.days_before))
            .timestamp_millis()
            .min(now);
        // The cancel link's secret is thrown away: nobody needs to cancel a demo RSVP.
        sqlx::query(
            "INSERT INTO rsvps (event_id, name, email, consent_contact, language, status, cancel_token_hash, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(event_id)
        .bind(&a.name)
        .bind(&a.email)
        .bind(i32::from(a.consent))
        .bind(&input.language)
        .bind(status)
        .bind(crate::accounts::secret_hash(&crate::accounts::random_token()))
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Adds the edition's demo events (and their hosts and RSVPs) to `campaign` in the caller's
/// transaction; nothing when the campaign already has events. Returns how many were added.
pub async fn seed(
    tx: &mut Tx,
    now: i64,
    campaign: &Campaign,
    edition: Edition,
) -> anyhow::Result<usize> {
    let existing: i64 = sqlx::query("SELECT COUNT(*) FROM events WHERE campaign_id = $1")
        .bind(campaign.id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    if existing > 0 {
        return Ok(0);
    }
    let planned = plan(edition, campaign);
    let hosts = ensure_hosts(tx, now, "demo-host", DEMO_HOSTS).await?;
    let safety = safety_countries(tx).await?;
    for (p, host) in planned.iter().zip(assign_hosts(&planned)) {
        let input = p.draft.check(campaign).map_err(|e| {
            anyhow::anyhow!(
                "demo event {:?}: {}",
                p.draft.title,
                e.describe_in_english()
            )
        })?;
        let id = store::insert(
            tx,
            now,
            campaign.id,
            hosts[host - 1],
            &input,
            safety.contains(&input.country),
        )
        .await?;
        add_attendees(tx, now, id, &input, &p.attendees).await?;
    }
    Ok(planned.len())
}

/// Every place in the gazetteer whose folded name starts with a letter or digit (all but a few
/// hundred of them), found through `geo::search` one two-character prefix at a time.
pub fn world_towns() -> Vec<Place> {
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = Vec::new();
    for &a in ALNUM {
        for &b in ALNUM {
            let (a, b) = (a as char, b as char);
            out.extend(geo::search(&format!("{a}{b}"), None, usize::MAX));
            out.extend(geo::search(&format!("{a} {b}"), None, usize::MAX));
        }
    }
    out
}

/// Countries whose events are mostly in French, for the benchmark's titles.
const FRENCH_COUNTRIES: &[&str] = &[
    "FR", "MC", "SN", "CI", "ML", "BF", "NE", "GN", "BJ", "TG", "CD", "CG", "GA", "HT", "MG",
];

/// `writeathon seed-bench`'s options.
#[derive(clap::Args, Debug)]
pub struct SeedBenchArgs {
    /// How many events to add.
    #[arg(long)]
    pub events: usize,
    /// The campaign to add them to (it must exist: run seed-demo first).
    #[arg(long, default_value = "w4r-2017")]
    pub campaign: String,
    /// Events per transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch: usize,
    /// The RNG seed: the same seed gives the same events.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub db: crate::config::DbArgs,
}

/// What `seed_bench` did.
#[derive(Debug)]
pub struct BenchReport {
    pub inserted: usize,
    pub towns: usize,
    pub elapsed: Duration,
}

/// Adds `count` generated events to `campaign`, spread over the world's towns by population,
/// `batch` per transaction, hosted by `bench-host-N@example.org` accounts (no password).
pub async fn seed_bench(
    db: &Db,
    campaign: &Campaign,
    count: usize,
    batch: usize,
    seed: u64,
) -> anyhow::Result<BenchReport> {
    let started = Instant::now();
    let towns = world_towns();
    let weights = WeightedIndex::new(towns.iter().map(|t| f64::from(t.population.max(1))))?;
    let mut rng = StdRng::seed_from_u64(seed);
    let hosts = {
        let mut tx = db.begin_write().await?;
        let hosts = ensure_hosts(&mut tx, db.now_ms(), "bench-host", BENCH_HOSTS).await?;
        tx.commit().await?;
        hosts
    };
    let mut inserted = 0;
    let mut refused = 0;
    while inserted < count {
        let mut tx = db.begin_write().await?;
        let safety = safety_countries(&mut tx).await?;
        let end = (inserted + batch.max(1)).min(count);
        while inserted < end {
            let place = towns[weights.sample(&mut rng)];
            let french = FRENCH_COUNTRIES.contains(&place.country)
                || place.region == Some("CA-QC")
                || (matches!(place.country, "BE" | "CH" | "LU") && rng.gen_bool(0.4))
                || (place.region == Some("CA-NB") && rng.gen_bool(0.3));
            let host_first = pick(&mut rng, if french { FR_FIRST } else { EN_FIRST });
            let draft = make_draft(&mut rng, campaign, &place, french, host_first);
            // A few gazetteer places are in territories the country list does not know.
            let Ok(input) = draft.check(campaign) else {
                refused += 1;
                if refused > count + 1000 {
                    anyhow::bail!("the generator's events keep failing the checks");
                }
                continue;
            };
            let host = hosts[rng.gen_range(0..hosts.len())];
            store::insert(
                &mut tx,
                db.now_ms(),
                campaign.id,
                host,
                &input,
                safety.contains(&input.country),
            )
            .await?;
            inserted += 1;
        }
        tx.commit().await?;
    }
    Ok(BenchReport {
        inserted,
        towns: towns.len(),
        elapsed: started.elapsed(),
    })
}

/// `writeathon seed-bench`, on an open and migrated database.
pub async fn seed_bench_command(db: &Db, args: &SeedBenchArgs) -> anyhow::Result<()> {
    let campaign = crate::campaigns::store::by_slug(db, &args.campaign, crate::i18n::Lang::En)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no campaign {:?}: run seed-demo first", args.campaign))?;
    let report = seed_bench(db, &campaign, args.events, args.batch, args.seed).await?;
    let secs = report.elapsed.as_secs_f64();
    eprintln!(
        "seed-bench: {} events added to {} in {secs:.1} s ({:.0} events/s; {} towns, {} per transaction)",
        report.inserted,
        campaign.slug,
        report.inserted as f64 / secs.max(1e-9),
        report.towns,
        args.batch
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn campaign_2017() -> Campaign {
        Campaign {
            id: 1,
            slug: "w4r-2017".into(),
            title: "W4R".into(),
            intro: String::new(),
            language: "en".into(),
            global_day: "2017-12-10".parse().unwrap(),
            starts_on: "2017-11-20".parse().unwrap(),
            ends_on: "2017-12-31".parse().unwrap(),
            report_deadline: "2018-01-31".parse().unwrap(),
            goal: 0,
        }
    }

    fn current() -> Campaign {
        let (g, s, e, r) = crate::campaigns::demo::current_dates("2026-11-26".parse().unwrap());
        Campaign {
            id: 2,
            slug: "w4r-2026".into(),
            global_day: g,
            starts_on: s,
            ends_on: e,
            report_deadline: r,
            ..campaign_2017()
        }
    }

    #[test]
    fn every_demo_town_is_in_the_gazetteer() {
        for area in PAST_AREAS.iter().chain(CURRENT_AREAS) {
            for town in area.towns {
                assert!(
                    geo::find(town, area.country, area.region).is_some(),
                    "{town} ({}, {:?})",
                    area.country,
                    area.region
                );
            }
        }
    }

    #[test]
    fn the_2017_events_look_like_a_real_campaign() {
        let campaign = campaign_2017();
        let planned = plan(Edition::Past, &campaign);
        assert!((280..=320).contains(&planned.len()), "{}", planned.len());
        let inputs: Vec<EventInput> = planned
            .iter()
            .map(|p| {
                p.draft
                    .check(&campaign)
                    .unwrap_or_else(|e| panic!("{:?}: {}", p.draft, e.describe_in_english()))
            })
            .collect();
        let regions: BTreeSet<_> = inputs
            .iter()
            .filter(|i| i.country == "CA")
            .filter_map(|i| i.region.clone())
            .collect();
        assert_eq!(regions.len(), 13, "{regions:?}");
        let countries: BTreeSet<_> = inputs.iter().map(|i| i.country.as_str()).collect();
        assert!(countries.len() >= 13, "{countries:?}");
        let kinds: BTreeSet<_> = inputs.iter().map(|i| i.kind.as_str()).collect();
        assert_eq!(kinds.len(), super::super::KINDS.len(), "{kinds:?}");
        let private = inputs.iter().filter(|i| i.visibility == "private").count();
        let share = private as f64 / inputs.len() as f64;
        assert!((0.10..=0.20).contains(&share), "{share}");
        assert!(inputs.iter().any(|i| i.kind == "home"));
        assert!(inputs.iter().any(|i| i.capacity.is_some()));
        assert!(inputs.iter().any(|i| i.step_free));
        for i in &inputs {
            let french = i.language == "fr";
            if i.country == "FR" {
                assert!(french, "{}", i.title);
            }
            let local = i.starts_at.with_timezone(&i.tz()).date_naive();
            assert!(
                (local - campaign.global_day).num_days().abs() <= 9,
                "{}: {local}",
                i.title
            );
            assert!(geo::zones::is_known(&i.timezone), "{}", i.timezone);
        }
        let on_the_day = inputs
            .iter()
            .filter(|i| i.starts_at.with_timezone(&i.tz()).date_naive() == campaign.global_day)
            .count();
        assert!(on_the_day * 3 > inputs.len(), "{on_the_day}");
        assert!(
            inputs
                .iter()
                .filter(|i| i.region.as_deref() == Some("CA-QC"))
                .filter(|i| i.language == "fr")
                .count()
                > 20
        );
        assert!(
            inputs
                .iter()
                .any(|i| i.region.as_deref() == Some("CA-NB") && i.language == "fr")
        );
        let rsvps: usize = planned.iter().map(|p| p.attendees.len()).sum();
        assert!(rsvps > 50, "{rsvps}");
        assert!(
            planned
                .iter()
                .all(|p| p.attendees.is_empty() || p.draft.visibility == "public")
        );
        // Hosts: all 40 used, French events with French hosts.
        let hosts = assign_hosts(&planned);
        let used: BTreeSet<_> = hosts.iter().copied().collect();
        assert_eq!(used, (1..=DEMO_HOSTS).collect());
        for (p, h) in planned.iter().zip(&hosts) {
            assert_eq!(p.french, *h <= FRENCH_HOSTS);
        }
    }

    #[test]
    fn towns_get_their_own_time_zone() {
        let zone = |name: &str, country: &str| {
            let p = geo::find(name, country, None).unwrap();
            geo::zones::default_timezone(p.country, Some(p.lat), Some(p.lon)).unwrap()
        };
        for (town, country, expected) in [
            ("Québec", "CA", "America/Toronto"),
            ("Sherbrooke", "CA", "America/Toronto"),
            ("Calgary", "CA", "America/Edmonton"),
            ("Kelowna", "CA", "America/Vancouver"),
            ("Medicine Hat", "CA", "America/Edmonton"),
            ("Corner Brook", "CA", "America/St_Johns"),
            ("Charlottetown", "CA", "America/Halifax"),
            ("Iqaluit", "CA", "America/Iqaluit"),
            ("Seattle", "US", "America/Los_Angeles"),
            ("Austin", "US", "America/Chicago"),
            ("Boston", "US", "America/New_York"),
            ("Paris", "FR", "Europe/Paris"),
            ("Perth", "AU", "Australia/Perth"),
        ] {
            assert_eq!(zone(town, country), expected, "{town}");
        }
        for area in PAST_AREAS.iter().chain(CURRENT_AREAS) {
            for town in area.towns {
                let p = geo::find(town, area.country, area.region).unwrap();
                let z = geo::zones::default_timezone(p.country, Some(p.lat), Some(p.lon));
                assert!(z.is_some_and(geo::zones::is_known), "{town}: {z:?}");
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_events() {
        let a = plan(Edition::Past, &campaign_2017());
        let b = plan(Edition::Past, &campaign_2017());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn the_current_campaign_gets_a_few_events_in_its_window() {
        let campaign = current();
        let planned = plan(Edition::Current, &campaign);
        assert_eq!(planned.len(), 20);
        let mut countries = BTreeSet::new();
        for p in &planned {
            let input = p.draft.check(&campaign).unwrap();
            let local = input.starts_at.with_timezone(&input.tz()).date_naive();
            assert!(campaign.starts_on <= local && local <= campaign.ends_on);
            countries.insert(input.country);
        }
        assert!(countries.len() >= 5, "{countries:?}");
    }

    #[tokio::test]
    async fn seeding_the_demo_is_fast_and_happens_once() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        // Loaded before timing: the gazetteer is loaded once per process, whoever asks first.
        geo::find("Toronto", "CA", None).unwrap();
        let started = Instant::now();
        assert_eq!(crate::campaigns::demo::seed(&db).await.unwrap(), 2);
        let elapsed = started.elapsed();
        println!("demo seeded in {elapsed:?} (debug builds are slower than release)");
        assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
        let count = |sql: &'static str| {
            let db = db.clone();
            async move {
                sqlx::query(sql)
                    .fetch_one(&db.pool)
                    .await
                    .unwrap()
                    .try_get::<i64, _>(0)
                    .unwrap()
            }
        };
        let events = count("SELECT COUNT(*) FROM events").await;
        assert!((300..=340).contains(&events), "{events}");
        let hosts = count(
            "SELECT COUNT(*) FROM accounts WHERE email LIKE 'demo-host-%' AND password_hash IS NULL",
        )
        .await;
        assert_eq!(hosts, DEMO_HOSTS as i64);
        // Home and private events show a coarsened point, public ones their own.
        let hidden = count(
            "SELECT COUNT(*) FROM events WHERE (kind = 'home' OR visibility = 'private') \
             AND location_approximate = 1 AND public_latitude <> latitude",
        )
        .await;
        let hiding =
            count("SELECT COUNT(*) FROM events WHERE kind = 'home' OR visibility = 'private'")
                .await;
        assert_eq!(hidden, hiding);
        assert!(count("SELECT COUNT(*) FROM rsvps").await > 50);
        // Again: nothing more.
        assert_eq!(crate::campaigns::demo::seed(&db).await.unwrap(), 0);
        let mut tx = db.begin_write().await.unwrap();
        let campaign = crate::campaigns::store::by_slug(&db, "w4r-2017", crate::i18n::Lang::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            seed(&mut tx, db.now_ms(), &campaign, Edition::Past)
                .await
                .unwrap(),
            0
        );
        tx.commit().await.unwrap();
        assert_eq!(count("SELECT COUNT(*) FROM events").await, events);
    }

    #[tokio::test]
    async fn the_benchmark_fixture_adds_what_it_is_asked() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        crate::campaigns::demo::seed(&db).await.unwrap();
        let campaign = crate::campaigns::store::by_slug(&db, "w4r-2017", crate::i18n::Lang::En)
            .await
            .unwrap()
            .unwrap();
        let report = seed_bench(&db, &campaign, 250, 100, 7).await.unwrap();
        assert_eq!(report.inserted, 250);
        assert!(report.towns > 100_000, "{}", report.towns);
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM events WHERE campaign_id = $1")
            .bind(campaign.id)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        assert!(n >= 250 + 280, "{n}");
    }
}
