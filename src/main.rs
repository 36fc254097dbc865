//! The `prov` binary: a thin shell around [`prov::cli`].

fn main() {
    std::process::exit(prov::cli::main_with(std::env::args_os()));
}
