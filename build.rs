//! Build script: links the `prov` binary as a position-dependent executable on Linux (when
//! the link goes through a C compiler driver, which understands `-no-pie`).
//!
//! Why: a position-independent executable is relocated at every start. prov's has some
//! 34,000 relative relocations spread over 670 KB of read-only-after-relocation data, so
//! each run wrote to and copied ~165 pages before `main`; for a diff of two articles
//! that was a quarter of the whole run (1.9 ms against 1.5 ms, `hyperfine` on the bench's
//! 1,500-word texts). Linked at a fixed address the pages are mapped from the file as
//! they are. The cost is that the executable's own code is not placed at a random
//! address (libraries, stack and heap still are). `PROV_PIE=1` keeps the default,
//! position-independent link, for a packager whose policy requires it.

fn main() {
    println!("cargo:rerun-if-env-changed=PROV_PIE");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu && std::env::var_os("PROV_PIE").is_none_or(|v| v != "1") && cc_driver() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// Whether the link goes through a C compiler's driver (rustc's default, `cc`), which is
/// what understands `-no-pie`; another linker (`rust-lld`, `ld.lld`) keeps the default.
fn cc_driver() -> bool {
    let Some(linker) = std::env::var_os("RUSTC_LINKER") else {
        return true;
    };
    let name = std::path::Path::new(&linker)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ["cc", "gcc", "clang"]
        .iter()
        .any(|d| name == *d || name.ends_with(&format!("-{d}")))
}
