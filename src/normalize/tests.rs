//! Tests of the whole normalizer on the seed, its rewording and the demo pages.

use super::*;

fn manifest(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(manifest(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn clean_file(path: &str) -> Normalized {
    let bytes = read(path);
    let input = Input {
        bytes: &bytes,
        file_name: Some(path),
        ..Input::default()
    };
    normalize(&input, &Rules::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const SEED: &str = "../shared/seed/lankov-cold-war-alliance.txt";

#[test]
fn dump() {
    for p in [
        SEED,
        "tests/fixtures/demo/seed-reworded.txt",
        "tests/fixtures/demo/aljazeera-2018-05-04.html",
        "tests/fixtures/demo/koreaobserver-2018-05-06.html",
    ] {
        let n = clean_file(p);
        let out = format!("{}\n----\n{:#?}\n{:#?}\n", n.text, n.stripped, n.metadata);
        std::fs::write(
            format!("/tmp/norm/{}.out", p.rsplit('/').next().unwrap_or("x")),
            out,
        )
        .ok();
    }
}
