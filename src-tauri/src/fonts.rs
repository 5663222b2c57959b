//! `weftfont://localhost/NAME`: the UI's fonts, served from the picture renderer's built-in
//! copies (`weft_render::font_file`), so that the package carries each font once.

use tauri::http::{header, Response, StatusCode};

/// The answer to a font request for `path` (`/Inter-Regular.otf`).
pub fn serve(path: &str) -> Response<Vec<u8>> {
    let built = match weft_render::font_file(path.trim_start_matches('/')) {
        Some((bytes, mime)) => Response::builder()
            .header(header::CONTENT_TYPE, mime)
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
            .body(bytes.to_vec()),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Vec::new()),
    };
    built.unwrap_or_else(|_| Response::new(Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::serve;

    #[test]
    fn serves_the_built_in_fonts_and_nothing_else() {
        let font = serve("/Inter-Regular.otf");
        assert_eq!(font.status(), 200);
        assert!(font.body().len() > 100_000);
        assert_eq!(font.headers()["content-type"], "font/otf");
        for other in ["/../Cargo.toml", "/nothing.otf", "/", ""] {
            assert_eq!(serve(other).status(), 404, "{other}");
        }
    }
}
