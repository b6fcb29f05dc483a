//! The staff console: the events that ended with no report (page, JSON, CSV) and the reminder
//! staff send from it, at most once a day; the exports; the audit trail's page and API. Each is
//! tried as staff of the event's country, of another country, of every country, a host and
//! nobody, with forged ids and filters that make no sense.

mod audit;
#[path = "../common/mod.rs"]
mod common;
mod dashboard;
mod exports;
mod good_news;
mod helpers;
mod recap;
mod unreported;
