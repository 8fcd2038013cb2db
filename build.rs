//! Links pipectl as a position-dependent executable on Linux (`-no-pie`).
//!
//! A PIE is relocated by the dynamic loader at every start: pipectl's 17,000 relative
//! relocations were a sixth of a one-shot `pop`'s instructions from exec to exit, and the
//! pages they write (copy-on-write) a sixth of its page faults. Linked at a fixed address,
//! the linker resolves them once; shared libraries, the stack and the heap stay randomised.
//! (The code is still compiled position-independent: only the link changes.)

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && (env == "gnu" || env == "musl") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
