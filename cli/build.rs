//! Link settings for the `dmctl` executable (not its tests or the library).
//!
//! Every pointer in the binary's read-only data (vtables, string tables, clap's and serde's
//! static descriptions) needs a relative relocation when the position-independent executable is
//! loaded. With the classic encoding that is a 24-byte `Elf64_Rela` entry per pointer, which the
//! dynamic loader reads (page-faulting them in) on every start; `-z pack-relative-relocs`
//! (`DT_RELR`) stores the same relocations as bitmaps, a few bytes per page. The executable stays
//! position-independent (ASLR unchanged). It needs glibc 2.36 or newer at run time: the linker
//! records the `GLIBC_ABI_DT_RELR` version, so an older system refuses to start the binary
//! with a message naming that version rather than misbehaving, and the Debian package's
//! `$auto` dependency carries it. Measured in BENCHMARKS.md ("One call at the floor").
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
