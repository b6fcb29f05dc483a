//! The audit trail keeps what features record, in their transaction, and nothing can change it:
//! entries are read back newest first with each filter, a rolled-back change leaves no entry,
//! and the database itself refuses to update or delete one.

mod common;

use serde_json::json;
use writeathon::accounts::Role;
use writeathon::audit::{self, Entry, Filter, Subject};

story!(entries_are_kept_filtered_and_never_changed, |app| {
    let staff = app
        .add_account("audit-staff@example.org", Role::Staff, Some("CA"))
        .await;
    let campaign: i64 = sqlx::query_scalar("SELECT MIN(id) FROM campaigns")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

    let mut tx = app.db.begin_write().await.unwrap();
    let first = Entry::new(Some(staff), "event.unpublish", Subject::new("event", 7))
        .campaign(campaign)
        .country("CA")
        .before(json!({"status": "published"}))
        .after(json!({"status": "unpublished", "reason": "spam"}));
    audit::record(&mut tx, 1_000, &first).await.unwrap();
    let second = Entry::new(
        Some(staff),
        "event_flag.dismiss",
        Subject::new("event_flag", 3),
    )
    .campaign(campaign)
    .country("FR");
    audit::record(&mut tx, 2_000, &second).await.unwrap();
    let third = Entry::new(
        None,
        "country.safety_mode",
        Subject {
            kind: "country",
            id: None,
        },
    )
    .country("CA")
    .after(json!({"safety_mode": true}));
    audit::record(&mut tx, 3_000, &third).await.unwrap();
    tx.commit().await.unwrap();

    // A change rolled back takes its entry with it.
    let mut tx = app.db.begin_write().await.unwrap();
    let lost = Entry::new(Some(staff), "event.unpublish", Subject::new("event", 8));
    audit::record(&mut tx, 4_000, &lost).await.unwrap();
    tx.rollback().await.unwrap();

    let all = audit::list(
        &app.db,
        &Filter {
            limit: 50,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    let actions: Vec<&str> = all.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "country.safety_mode",
            "event_flag.dismiss",
            "event.unpublish"
        ]
    );
    let unpublish = &all[2];
    assert_eq!(unpublish.actor_id, Some(staff));
    assert_eq!(unpublish.at, 1_000);
    assert_eq!(
        (unpublish.subject_type.as_str(), unpublish.subject_id),
        ("event", Some(7))
    );
    let after: serde_json::Value =
        serde_json::from_str(unpublish.after_state.as_deref().unwrap()).unwrap();
    assert_eq!(after["reason"], "spam");
    assert_eq!(all[0].actor_id, None);
    assert_eq!(all[0].subject_id, None);

    let in_ca = audit::list(
        &app.db,
        &Filter {
            country: Some("CA"),
            limit: 50,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(in_ca.len(), 2);
    assert!(in_ca.iter().all(|r| r.country.as_deref() == Some("CA")));

    // "event." is a prefix of one action, not of "event_flag.": no wildcard widens it.
    let events_only = audit::list(
        &app.db,
        &Filter {
            action_prefix: Some("event."),
            limit: 50,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(events_only.len(), 1);
    let wildcard = audit::list(
        &app.db,
        &Filter {
            action_prefix: Some("event%"),
            limit: 50,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert!(wildcard.is_empty());

    let of_campaign = audit::list(
        &app.db,
        &Filter {
            campaign_id: Some(campaign),
            subject: Some(("event", 7)),
            limit: 50,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(of_campaign.len(), 1);

    // Pages: the newest one, then the ones before it.
    let page = audit::list(
        &app.db,
        &Filter {
            limit: 1,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    let next = audit::list(
        &app.db,
        &Filter {
            before_id: Some(page[0].id),
            limit: 50,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.len() + next.len(), 3);
    assert_eq!(next[0].action, "event_flag.dismiss");

    // Append-only, whatever the application might try.
    let update = sqlx::query("UPDATE audit_log SET action = 'nothing' WHERE id = $1")
        .bind(unpublish.id)
        .execute(&app.db.pool)
        .await;
    assert!(update.is_err(), "an entry was changed");
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&app.db.pool)
        .await;
    assert!(delete.is_err(), "entries were deleted");
    assert_eq!(app.count("audit_log").await, 3);
});
