//! HTTP-level tests of the service client against a local scripted server.
//!
//! One test binary (modules below) so the crate links its test dependencies once.

mod auth;
mod errors;
mod jobs;
mod methods;
mod observe;
mod proxy;
mod query;
mod registry;
mod retries;
mod support;
mod tls;
mod twins;
