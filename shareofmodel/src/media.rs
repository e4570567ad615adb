//! Deciding a file's media type: the override, else its content, else its extension.

use crate::MediaTypeSource;

/// How much of a file is read to recognise its content. Enough for every format `infer`
/// knows, including the Office Open XML ones, whose markers sit a few entries into a ZIP.
pub(crate) const SNIFF_BYTES: usize = 32 * 1024;

/// A file's media type and how it was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decided {
    pub media_type: String,
    pub source: MediaTypeSource,
    /// The extension's type, when it disagrees with the content's (which was chosen).
    pub extension_disagrees: Option<String>,
}

/// The override, else the type `infer` recognises in `prefix`, else the type of the filename's
/// extension, else `application/octet-stream`.
///
/// When the extension and the content disagree, the content wins; the caller reports it.
pub(crate) fn decide(override_type: Option<&str>, prefix: &[u8], filename: &str) -> Decided {
    let sniffed = infer::get(prefix).map(|t| t.mime_type());
    let guessed = mime_guess::from_path(filename).first_raw();

    if let Some(given) = override_type {
        let given = given.trim();
        if let Some(sniffed) = sniffed.filter(|s| !same_type(s, given)) {
            tracing::debug!(
                file = filename,
                given,
                content = sniffed,
                "the given media type differs from the file's content; sending the given one"
            );
        }
        return Decided {
            media_type: given.to_owned(),
            source: MediaTypeSource::Override,
            extension_disagrees: None,
        };
    }

    match (sniffed, guessed) {
        (Some(sniffed), guessed) => {
            let disagrees = guessed.filter(|g| !same_type(g, sniffed));
            if let Some(guessed) = disagrees {
                // Said once per sent file by the upload itself, and reported in its result.
                tracing::debug!(
                    file = filename,
                    extension = guessed,
                    content = sniffed,
                    "the file's extension and content disagree; sending the type of its content"
                );
            }
            Decided {
                media_type: sniffed.to_owned(),
                source: MediaTypeSource::Content,
                extension_disagrees: disagrees.map(str::to_owned),
            }
        }
        (None, Some(guessed)) => Decided {
            media_type: guessed.to_owned(),
            source: MediaTypeSource::Extension,
            extension_disagrees: None,
        },
        (None, None) => Decided {
            media_type: mime_guess::mime::APPLICATION_OCTET_STREAM
                .as_ref()
                .to_owned(),
            source: MediaTypeSource::Default,
            extension_disagrees: None,
        },
    }
}

fn same_type(a: &str, b: &str) -> bool {
    let essence = |t: &str| {
        t.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    essence(a) == essence(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";

    #[test]
    fn content_beats_extension_and_override_beats_both() {
        assert_eq!(decide(None, JPEG, "photo.txt").media_type, "image/jpeg");
        assert_eq!(
            decide(None, JPEG, "photo.txt").source,
            MediaTypeSource::Content
        );
        assert_eq!(
            decide(None, JPEG, "photo.txt")
                .extension_disagrees
                .as_deref(),
            Some("text/plain")
        );
        assert_eq!(decide(None, PNG, "logo").media_type, "image/png");
        assert_eq!(decide(None, PNG, "logo").extension_disagrees, None);
        assert_eq!(
            decide(None, b"hello", "notes.txt").source,
            MediaTypeSource::Extension
        );
        assert_eq!(decide(None, b"hello", "notes.txt").media_type, "text/plain");
        assert_eq!(
            decide(None, b"hello", "blob").source,
            MediaTypeSource::Default
        );
        assert_eq!(
            decide(None, b"hello", "blob").media_type,
            "application/octet-stream"
        );
        let given = decide(Some("image/webp"), PNG, "logo.png");
        assert_eq!(
            (given.media_type.as_str(), given.source),
            ("image/webp", MediaTypeSource::Override)
        );
    }
}
