//! Generates the `i18n` module from `locales/*.json` (leptos_i18n's build-script code generation).
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?);

    // Russian is the default: it is what most council members read; Kazakh and English follow.
    // `interpolate_display` lets interpolated messages be used as plain strings (aria-labels).
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new("ru")?
        .add_locale("kk")?
        .add_locale("en")?
        .parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}
