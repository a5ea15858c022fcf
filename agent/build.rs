//! Link settings for the `dm-agent` executable (not its tests or the library): relative
//! relocations packed as `DT_RELR` (`-z pack-relative-relocs`), for the same reasons and with the
//! same glibc ≥ 2.36 requirement as `dmctl` (see `cli/build.rs`). On a device this is the part
//! of the binary the loader reads and throws away at every start; the Debian package's `$auto`
//! dependency records the glibc version it needs.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
