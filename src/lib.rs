//! Writeathon: run a global letter-writing campaign end to end. See ARCHITECTURE.md for the map.

pub mod accounts;
pub mod actions;
pub mod app;
pub mod audit;
pub mod backup;
pub mod campaigns;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
#[cfg(test)]
mod fuzz;
pub mod geo;
pub mod i18n;
pub mod kits;
pub mod mail;
pub mod outbox;
pub mod photos;
pub mod privacy;
pub mod recap;
pub mod reports;
pub mod secret;
pub mod staff;
pub mod state;
pub mod tally;
pub mod web;
pub mod webhooks;
