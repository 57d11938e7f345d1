//! Generates the clients from the bundled specs in `spec/` (kept in sync with `openapi/` by
//! `cargo xtask codegen`; a build script may not read outside its crate when published).
use std::{env, fs, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    for api in yandex_promo_codegen::APIS {
        let spec_path = format!("spec/{}.json", api.spec_stem);
        println!("cargo::rerun-if-changed={spec_path}");
        let spec =
            fs::read_to_string(&spec_path).map_err(|e| format!("cannot read {spec_path}: {e}"))?;
        let code = yandex_promo_codegen::generate(&api, &spec)
            .map_err(|e| format!("cannot generate `{}` from {spec_path}: {e}", api.module))?;
        fs::write(out_dir.join(format!("{}.rs", api.module)), code)?;
    }
    Ok(())
}
