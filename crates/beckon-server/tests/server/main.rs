//! beckon-server over real HTTP: the server runs on a loopback port, with a clock the tests
//! move. The wire details (statuses, codes, bodies) are checked with plain HTTP here; the
//! SDK's own tests drive the same server through `beckon`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod cli;
mod code;
mod connections;
mod dev_mode;
mod email;
mod enchanted_link;
mod fuzz;
mod harness;
mod held_wait;
mod languages;
mod layers;
mod limits;
mod login_options;
mod logs;
mod magic_link;
mod mailer;
mod management;
mod metrics;
mod names;
mod notice;
mod openapi;
mod operations;
mod origin;
mod pages;
mod pause;
mod postgres;
mod rotation;
mod sessions;
mod sms;
mod startup;
mod updates;
mod wrong_pick;
