//! Stories about where the server and `/api/openapi.json` could disagree, found by running a
//! schema fuzzer against a demo server (`scripts/api-contract.sh`): what the document allows is
//! accepted, what it refuses is refused, with problem+json, never a 500.

mod common;

use common::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use writeathon::accounts::Role;

fn event_day() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    g.to_string()
}

fn event(overrides: Value) -> Value {
    let day = event_day();
    let mut body = json!({"title": "Letters at the library", "kind": "library",
        "visibility": "public", "starts_at": format!("{day}T13:00:00-05:00"),
        "ends_at": format!("{day}T16:00:00-05:00"), "address": "269 Erie St",
        "city": "Stratford", "country": "CA", "capacity": 30});
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: &Value,
) -> reqwest::Response {
    reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

// The document types every event field but `capacity` without `null`: a `null` is a wrong type
// (400), not "left out", on create and on PATCH, and nothing is stored. `capacity: null` stays
// what it was documented to be: no limit on create, the stored capacity on PATCH.
story!(
    a_null_where_the_document_wants_a_value_is_a_bad_request,
    |app| {
        let host = app.token_for("host@example.org", Role::Host).await;
        let events = format!("/api/v1/campaigns/{}/events", app.current_slug());
        let before = app.count("events").await;
        for field in ["step_free", "venue_name", "latitude", "language", "title"] {
            let r = send(
                &app,
                reqwest::Method::POST,
                &events,
                &host,
                &event(json!({ field: null })),
            )
            .await;
            let (status, _, body) = problem(r).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
            assert!(
                body["detail"].as_str().unwrap().contains("null"),
                "{field}: {body}"
            );
        }
        assert_eq!(app.count("events").await, before, "nothing was stored");

        let r = send(
            &app,
            reqwest::Method::POST,
            &events,
            &host,
            &event(json!({"capacity": null})),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let path = format!("/api/v1/events/{id}");
        let r = send(
            &app,
            reqwest::Method::PATCH,
            &path,
            &host,
            &json!({"capacity": 12}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);

        let r = send(
            &app,
            reqwest::Method::PATCH,
            &path,
            &host,
            &json!({"title": null}),
        )
        .await;
        assert_eq!(problem(r).await.0, StatusCode::BAD_REQUEST);
        let r = send(
            &app,
            reqwest::Method::PATCH,
            &path,
            &host,
            &json!({"capacity": null, "description": "Bring a pen."}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        let view: Value = r.json().await.unwrap();
        assert_eq!(
            view["title"], "Letters at the library",
            "the refused PATCH changed nothing"
        );
        assert_eq!(view["capacity"], 12, "null keeps the stored capacity");

        // The same for a campaign's and a case's optional `language`.
        let admin = app.token_for("admin@example.org", Role::Admin).await;
        let r = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/campaigns",
        &admin,
        &json!({"slug": "w4r-2031", "title": "Write for Rights 2031", "global_day": "2031-12-10",
            "starts_on": "2031-11-20", "ends_on": "2031-12-31", "report_deadline": "2032-01-31",
            "goal": 1000, "language": null}),
    )
    .await;
        assert_eq!(problem(r).await.0, StatusCode::BAD_REQUEST);
    }
);

// JSON Schema counts `40.0` as the integer 40: the document's integers accept it, fractions are
// refused (a count: 422 on the field; a campaign's goal or an event's capacity: 400).
story!(
    whole_numbers_written_with_a_decimal_point_are_whole_numbers,
    |app| {
        let host = app.token_for("host@example.org", Role::Host).await;
        let events = format!("/api/v1/campaigns/{}/events", app.current_slug());
        let r = send(
            &app,
            reqwest::Method::POST,
            &events,
            &host,
            &event(json!({"capacity": 40.0})),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(r.json::<Value>().await.unwrap()["capacity"], 40);
        let r = send(
            &app,
            reqwest::Method::POST,
            &events,
            &host,
            &event(json!({"capacity": 40.5})),
        )
        .await;
        assert_eq!(problem(r).await.0, StatusCode::BAD_REQUEST);

        let admin = app.token_for("admin@example.org", Role::Admin).await;
        let campaign = |goal: Value| {
            json!({"slug": "w4r-2031", "title": "Write for Rights 2031", "global_day": "2031-12-10",
            "starts_on": "2031-11-20", "ends_on": "2031-12-31", "report_deadline": "2032-01-31",
            "goal": goal})
        };
        let r = send(
            &app,
            reqwest::Method::POST,
            "/api/v1/campaigns",
            &admin,
            &campaign(json!(2.5)),
        )
        .await;
        assert_eq!(problem(r).await.0, StatusCode::BAD_REQUEST);
        let r = send(
            &app,
            reqwest::Method::POST,
            "/api/v1/campaigns",
            &admin,
            &campaign(json!(2000.0)),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(r.json::<Value>().await.unwrap()["goal"], 2000);
    }
);

// Path ids beyond 64 bits and query parameters given twice are malformed requests: 400 with
// problem+json, as the document says, on every operation that takes them.
story!(
    malformed_ids_and_repeated_query_parameters_are_bad_requests,
    |app| {
        let token = app.token_for("host@example.org", Role::Host).await;
        let too_big = "9223372036854775808";
        for (method, path) in [
            ("GET", format!("/api/v1/events/{too_big}")),
            ("GET", format!("/api/v1/events/{too_big}/rsvps")),
            ("GET", format!("/api/v1/events/{too_big}/reports")),
            ("POST", format!("/api/v1/events/{too_big}/cancel")),
            ("GET", "/api/v1/events/twelve".to_string()),
        ] {
            let r = reqwest::Client::new()
                .request(method.parse().unwrap(), app.url(&path))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(
                problem(r).await.0,
                StatusCode::BAD_REQUEST,
                "{method} {path}"
            );
        }
        let slug = app.current_slug();
        let r = app
            .get(&format!(
                "/api/v1/campaigns/{slug}/events?to=2031-01-01&to=2031-01-02"
            ))
            .await;
        assert_eq!(problem(r).await.0, StatusCode::BAD_REQUEST);
        // `step_free` takes yes or no, as documented; anything else is refused, not read as no.
        let r = app
            .get(&format!("/api/v1/campaigns/{slug}/events?step_free=maybe"))
            .await;
        let (status, _, body) = problem(r).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["errors"]["step_free"].is_array(), "{body}");
        // An empty value is the finder form's "no filter", as documented.
        let r = app
            .get(&format!("/api/v1/campaigns/{slug}/events?to=&kind=&limit="))
            .await;
        assert_eq!(r.status(), StatusCode::OK);

        let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
        for (path, method) in [
            ("/api/v1/events/{id}", "get"),
            ("/api/v1/events/{id}/rsvps", "get"),
            ("/api/v1/events/{id}/reports", "get"),
            ("/api/v1/events/{id}/cancel", "post"),
            ("/api/v1/campaigns/{campaign}/events", "get"),
        ] {
            assert!(
                doc["paths"][path][method]["responses"]["400"].is_object(),
                "{method} {path} documents its 400"
            );
        }
    }
);
