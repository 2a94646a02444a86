//! Where the app goes after signing in or entering the PIN: a page of this site only.
//!
//! Browsers drop tabs and newlines from an address before reading it, and read `\` as `/`, so
//! `/<tab>/evil.example` is the other site's `//evil.example`; and a path that merely holds
//! `//` can become one after dot segments are removed (`/.//evil.example`). The rule therefore
//! refuses any control character, blank, backslash or `//` outright, and in the browser the
//! path is also parsed against the page's own origin and kept only when the origin stays the
//! same and the resolved path does not start with `//`.

/// The page to go to, or `/` for anything that is not a plain path of this site.
pub fn safe_next(next: Option<&str>) -> String {
    next.filter(|path| is_local_path(path))
        .and_then(same_origin)
        .unwrap_or_else(|| "/".to_owned())
}

fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.contains("//")
        && !path
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

/// The path as the browser itself reads it against this page's origin (browser only).
#[cfg(feature = "hydrate")]
fn same_origin(path: &str) -> Option<String> {
    let origin = web_sys::window()?.location().origin().ok()?;
    let url = web_sys::Url::new_with_base(path, &origin).ok()?;
    let path = url.pathname();
    (url.origin() == origin && !path.starts_with("//"))
        .then(|| format!("{path}{}{}", url.search(), url.hash()))
}

#[cfg(not(feature = "hydrate"))]
fn same_origin(path: &str) -> Option<String> {
    Some(path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_plain_paths_of_this_site_are_followed() {
        assert_eq!(safe_next(Some("/persons?village=a")), "/persons?village=a");
        assert_eq!(safe_next(Some("//evil.example/x")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn characters_the_browser_drops_or_bends_cannot_smuggle_another_host() {
        // `next=/%09/example.org` arrives decoded as a tab between the slashes.
        for sneaky in [
            "/\t/example.org",
            "/\n/example.org",
            "/\r/example.org",
            "/ /example.org",
            "/\u{0}/example.org",
            "/x\\..\\/example.org",
            // Dot segments removed by the browser leave `//example.org` behind.
            "/.//example.org",
            "/x/..//example.org",
        ] {
            assert_eq!(safe_next(Some(sneaky)), "/", "{sneaky:?}");
        }
    }
}
