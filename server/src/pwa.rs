//! The installable-app side: which files make up this build, and the service worker that
//! precaches exactly those files in a cache named after the build.
use leptos::config::LeptosOptions;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

const SERVICE_WORKER_TEMPLATE: &str = include_str!("pwa/sw.js");

/// Static files every build serves and the app shell needs offline.
const STATIC_SHELL_FILES: &[&str] = &[
    "/manifest.webmanifest",
    "/icons/icon-192.png",
    "/icons/icon-512.png",
    "/icons/icon-maskable-512.png",
    // The village map works offline: Leaflet comes with the shell.
    "/vendor/leaflet/leaflet.js",
    "/vendor/leaflet/leaflet.css",
];

/// The js, wasm and css of the running build, as addresses under the site root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildAssets {
    /// Changes whenever any of the files changes; names the service worker's caches.
    pub build_id: String,
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// With code splitting (cargo-leptos `--split`): the loader script of the page chunks and
    /// every chunk of the build, so each page opens offline after one online visit.
    pub chunks: Vec<String>,
    /// True when file names carry content hashes (cargo-leptos `hash-files`): such files
    /// never change and may be cached for a year.
    pub hashed: bool,
}

impl BuildAssets {
    /// Reads cargo-leptos's `hash.txt` beside the server binary (where Leptos's own
    /// `HydrationScripts` looks for it); without one, falls back to unhashed names.
    pub fn discover(options: &LeptosOptions) -> Self {
        let hash_file = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
        let hashes = hash_file.and_then(|path| std::fs::read_to_string(path).ok());
        Self::from_hash_file(options, hashes.as_deref())
    }

    pub fn from_hash_file(options: &LeptosOptions, hash_file: Option<&str>) -> Self {
        let name = options.output_name.as_ref();
        let pkg = format!("/{}", options.site_pkg_dir.trim_matches('/'));
        let hash_of = |kind: &str| -> Option<String> {
            hash_file?.lines().find_map(|line| {
                let (file, hash) = line.split_once(':')?;
                (file.trim() == kind).then(|| hash.trim().to_owned())
            })
        };
        let site_root = Path::new(options.site_root.as_ref());
        match (hash_of("js"), hash_of("wasm"), hash_of("css")) {
            (Some(js), Some(wasm), Some(css)) => Self {
                build_id: short_hash(&[&js, &wasm, &css]),
                js: format!("{pkg}/{name}.{js}.js"),
                wasm: format!("{pkg}/{name}.{wasm}.wasm"),
                css: format!("{pkg}/{name}.{css}.css"),
                chunks: split_chunks(
                    site_root,
                    &pkg,
                    hash_of("split").map(|hash| format!("__wasm_split.{hash}.js")),
                    &hash_of("manifest")
                        .map(|hash| format!("__wasm_split_manifest.{hash}.json"))
                        .unwrap_or_else(|| "__wasm_split_manifest.json".to_owned()),
                ),
                hashed: true,
            },
            _ => {
                let js = format!("{pkg}/{name}.js");
                let wasm = format!("{pkg}/{name}.wasm");
                let css = format!("{pkg}/{name}.css");
                let contents: Vec<Vec<u8>> = [&js, &wasm, &css]
                    .iter()
                    .map(|file| std::fs::read(site_file(site_root, file)).unwrap_or_default())
                    .collect();
                let parts: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
                Self {
                    build_id: short_hash(&parts),
                    js,
                    wasm,
                    css,
                    chunks: split_chunks(
                        site_root,
                        &pkg,
                        Some(SPLIT_LOADER_UNHASHED.to_owned()),
                        "__wasm_split_manifest.json",
                    ),
                    hashed: false,
                }
            }
        }
    }

    /// Every address the service worker stores at install: the sign-in page (the one page that
    /// is the same for everybody, so it may be cached before anyone signs in), this build's
    /// js/wasm/css, the manifest and the icons.
    pub fn precache_list(&self) -> Vec<String> {
        let mut files = vec![
            "/sign-in".to_owned(),
            self.js.clone(),
            self.wasm.clone(),
            self.css.clone(),
        ];
        files.extend(self.chunks.iter().cloned());
        files.extend(STATIC_SHELL_FILES.iter().map(|f| (*f).to_owned()));
        files
    }

    /// The service worker script for this build.
    pub fn service_worker(&self) -> String {
        // Hashed build files never change: the worker may take them from the HTTP cache the
        // page has just filled, so each is downloaded once (README, "Light on a rural phone").
        let immutable_prefix = if self.hashed {
            format!(
                "{:?}",
                self.js
                    .rsplit_once('/')
                    .map_or("/pkg/", |(dir, _)| dir)
                    .to_owned()
                    + "/"
            )
        } else {
            "null".to_owned()
        };
        let list = serde_json::to_string(&self.precache_list())
            .expect("a list of strings always serialises");
        SERVICE_WORKER_TEMPLATE
            .replace("\"__BUILD_ID__\"", &format!("{:?}", self.build_id))
            .replace("\"__IMMUTABLE_PREFIX__\"", &immutable_prefix)
            .replace(
                "\"__PRIVATE_PAGE_HEADER__\"",
                &format!("{:?}", app::persons::PRIVATE_PAGE_HEADER),
            )
            .replace("[/*__PRECACHE__*/]", &list)
    }
}

/// The loader cargo-leptos writes beside the chunks when file names are not hashed.
const SPLIT_LOADER_UNHASHED: &str = "__wasm_split.______________________.js";

/// The chunk loader and every chunk named in the build's split manifest (a map from each lazy
/// function to the chunk files it needs), as addresses; none for a build without splitting.
fn split_chunks(
    site_root: &Path,
    pkg: &str,
    loader: Option<String>,
    manifest: &str,
) -> Vec<String> {
    let path = site_file(site_root, &format!("{pkg}/{manifest}"));
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(map) = serde_json::from_str::<std::collections::HashMap<String, Vec<String>>>(&text)
    else {
        tracing::warn!(
            "the split manifest of this build cannot be read: pages open offline only once visited"
        );
        return Vec::new();
    };
    let stems: std::collections::BTreeSet<&String> = map.values().flatten().collect();
    loader
        .into_iter()
        .chain(stems.into_iter().map(|stem| format!("{stem}.wasm")))
        .map(|file| format!("{pkg}/{file}"))
        .collect()
}

fn site_file(site_root: &Path, address: &str) -> PathBuf {
    site_root.join(address.trim_start_matches('/'))
}

fn short_hash<T: Hash + ?Sized>(parts: &[&T]) -> String {
    let mut hasher = DefaultHasher::new();
    for part in parts {
        part.hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("zq")
            .site_root("/nonexistent")
            .build()
    }

    #[test]
    fn hashed_names_come_from_the_hash_file() {
        let assets =
            BuildAssets::from_hash_file(&options(), Some("js: aaa\nwasm: bbb\ncss: ccc\n"));
        assert_eq!(assets.js, "/pkg/zq.aaa.js");
        assert_eq!(assets.wasm, "/pkg/zq.bbb.wasm");
        assert_eq!(assets.css, "/pkg/zq.ccc.css");
        assert!(assets.hashed);
    }

    #[test]
    fn a_different_build_gets_a_different_id_and_cache() {
        let a = BuildAssets::from_hash_file(&options(), Some("js: a\nwasm: b\ncss: c"));
        let b = BuildAssets::from_hash_file(&options(), Some("js: a\nwasm: B\ncss: c"));
        assert_ne!(a.build_id, b.build_id);
        assert!(a.service_worker().contains(&format!("\"{}\"", a.build_id)));
        assert!(!a.service_worker().contains("__BUILD_ID__"));
        assert!(!a.service_worker().contains("__PRIVATE_PAGE_HEADER__"));
    }

    #[test]
    fn the_worker_precaches_exactly_the_build_files_and_shell() {
        let assets = BuildAssets::from_hash_file(&options(), Some("js: a\nwasm: b\ncss: c"));
        let worker = assets.service_worker();
        let list = serde_json::to_string(&assets.precache_list()).unwrap();
        assert!(worker.contains(&list), "{worker}");
        assert_eq!(
            assets.precache_list(),
            [
                "/sign-in",
                "/pkg/zq.a.js",
                "/pkg/zq.b.wasm",
                "/pkg/zq.c.css",
                "/manifest.webmanifest",
                "/icons/icon-192.png",
                "/icons/icon-512.png",
                "/icons/icon-maskable-512.png",
                "/vendor/leaflet/leaflet.js",
                "/vendor/leaflet/leaflet.css"
            ]
        );
    }

    #[test]
    fn a_split_build_precaches_its_loader_and_every_chunk_once() {
        let site = std::env::temp_dir().join(format!("zq-pwa-{}", std::process::id()));
        std::fs::create_dir_all(site.join("pkg")).unwrap();
        std::fs::write(
            site.join("pkg/__wasm_split_manifest.mmm.json"),
            r#"{"entry_pages": ["chunk_1.a", "split_entry_pages.b"], "home_pages": ["chunk_1.a", "split_home_pages.c"]}"#,
        )
        .unwrap();
        let options = LeptosOptions::builder()
            .output_name("zq")
            .site_root(site.to_string_lossy().to_string())
            .build();
        let assets = BuildAssets::from_hash_file(
            &options,
            Some("js: a\nwasm: b\ncss: c\nmanifest: mmm\nsplit: sss\n"),
        );
        std::fs::remove_dir_all(&site).unwrap();
        assert_eq!(
            assets.chunks,
            [
                "/pkg/__wasm_split.sss.js",
                "/pkg/chunk_1.a.wasm",
                "/pkg/split_entry_pages.b.wasm",
                "/pkg/split_home_pages.c.wasm"
            ]
        );
        let list = assets.precache_list();
        assert_eq!(list[4..8], assets.chunks[..]);
        assert!(assets
            .service_worker()
            .contains("const IMMUTABLE_PREFIX = \"/pkg/\""));
    }

    #[test]
    fn without_a_hash_file_names_are_plain() {
        let assets = BuildAssets::from_hash_file(&options(), None);
        assert_eq!(assets.js, "/pkg/zq.js");
        assert!(!assets.hashed);
    }
}
