//! The `prov` binary: a thin shell around [`prov::cli`].
fn main() {}
