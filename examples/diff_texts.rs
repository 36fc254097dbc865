//! Writes the speed-check texts (see `benches/support/texts.rs`) as `DIR/<size>/a.txt` and
//! `DIR/<size>/b.txt` for `benches/diff-vs-git.sh`: `cargo run --release --example
//! diff_texts -- DIR`.

#[path = "../benches/support/texts.rs"]
mod texts;

fn main() {
    let Some(dir) = std::env::args_os().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: diff_texts DIR");
        std::process::exit(2);
    };
    let pool = match texts::Pool::load() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("diff_texts: {e}");
            std::process::exit(2);
        }
    };
    for (name, words) in texts::SIZES {
        let pair = pool.pair(words);
        let d = dir.join(name);
        let write = |f: &str, s: &str| {
            if let Err(e) = std::fs::create_dir_all(&d).and_then(|()| std::fs::write(d.join(f), s))
            {
                eprintln!("diff_texts: {}: {e}", d.join(f).display());
                std::process::exit(2);
            }
        };
        write("a.txt", &pair.a);
        write("b.txt", &pair.b);
        println!("{name}: {} words", pair.words);
    }
}
