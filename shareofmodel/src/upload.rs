//! The [`Upload`] builder: text assets, files from disk or memory, and tags, checked and then
//! sent as one `create_assets` request.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;
use shareofmodel_client::multipart::{CreateAssetsForm, FilePart, FormError, create_assets};
use shareofmodel_client::types::{
    Asset, AssetOrAssets, TextAsset, TextAssetContent, TextAssetName,
};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;
use tracing::Instrument;
use uuid::Uuid;

use crate::client::request_span;
use crate::media::{self, SNIFF_BYTES};
use crate::{Client, Error, Input, MediaTypeSource, Problem};

/// The size of each read from a file being uploaded; large reads keep throughput up.
const READ_CHUNK: usize = 64 * 1024;

/// One `create_assets` request being put together: plain-text assets, files and tags.
///
/// Nothing is read or sent until [`send`](Self::send) (or [`validate`](Self::validate)). Then
/// every check runs before the first byte goes out: the API's limits (through the generated
/// form's own validation), and the files themselves (they exist, are regular non-empty readable
/// files, with a UTF-8 name free of control characters, of a media type the API accepts).
///
/// Files are streamed from disk in 64 KiB reads, never held in memory, and each part declares
/// its length, so the request carries `Content-Length`.
///
/// A file's media type is the one given ([`file_as`](Self::file_as)), else the one its first
/// bytes show, else the one of its extension, else `application/octet-stream`. When content
/// and extension disagree (a JPEG named `.txt`), the content wins and a warning is logged.
#[must_use]
pub struct Upload {
    client: Client,
    organization_id: Uuid,
    workspace_id: Uuid,
    texts: Vec<(String, String)>,
    files: Vec<Source>,
    tags: Vec<String>,
}

enum Source {
    Path {
        path: PathBuf,
        media_type: Option<String>,
    },
    Memory {
        filename: String,
        media_type: Option<String>,
        data: Bytes,
    },
}

impl Source {
    /// How the file is named in messages: the path as given, or the in-memory filename.
    fn label(&self) -> String {
        match self {
            Self::Path { path, .. } => path.display().to_string(),
            Self::Memory { filename, .. } => filename.clone(),
        }
    }
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path { path, media_type } => f
                .debug_struct("Path")
                .field("path", path)
                .field("media_type", media_type)
                .finish(),
            Self::Memory {
                filename,
                media_type,
                data,
            } => f
                .debug_struct("Memory")
                .field("filename", filename)
                .field("media_type", media_type)
                .field("bytes", &data.len())
                .finish(),
        }
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("organization_id", &self.organization_id)
            .field("workspace_id", &self.workspace_id)
            .field(
                "text_assets",
                &self.texts.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .field("files", &self.files)
            .field("tags", &self.tags)
            .finish_non_exhaustive()
    }
}

/// A file checked and opened, ready to be sent.
struct PreparedFile {
    part: FilePart,
    source: MediaTypeSource,
}

/// An upload whose every input passed its checks.
struct Prepared {
    form: CreateAssetsForm,
    file_bytes: u64,
}

impl Upload {
    pub(crate) fn new(client: Client, organization_id: Uuid, workspace_id: Uuid) -> Self {
        Self {
            client,
            organization_id,
            workspace_id,
            texts: Vec::new(),
            files: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// Adds a plain-text asset.
    pub fn text(mut self, name: impl Into<String>, content: impl Into<String>) -> Self {
        self.texts.push((name.into(), content.into()));
        self
    }

    /// Adds a file from disk, streamed when sent; its media type is detected.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.files.push(Source::Path {
            path: path.into(),
            media_type: None,
        });
        self
    }

    /// Adds a file from disk with the given media type (e.g. `image/png`), skipping detection.
    pub fn file_as(mut self, path: impl Into<PathBuf>, media_type: impl Into<String>) -> Self {
        self.files.push(Source::Path {
            path: path.into(),
            media_type: Some(media_type.into()),
        });
        self
    }

    /// Adds a file held in memory, sent under `filename`; its media type is detected.
    pub fn bytes(mut self, filename: impl Into<String>, data: impl Into<Bytes>) -> Self {
        self.files.push(Source::Memory {
            filename: filename.into(),
            media_type: None,
            data: data.into(),
        });
        self
    }

    /// Adds a file held in memory with the given media type.
    pub fn bytes_as(
        mut self,
        filename: impl Into<String>,
        media_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.files.push(Source::Memory {
            filename: filename.into(),
            media_type: Some(media_type.into()),
            data: data.into(),
        });
        self
    }

    /// Adds a tag, given to every asset the request creates.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Adds several tags.
    pub fn tags<I>(mut self, tags: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// Runs every check [`send`](Self::send) runs, and sends nothing.
    ///
    /// Files are opened and their first bytes read; a file can still change before `send`.
    pub async fn validate(&self) -> Result<(), Error> {
        self.prepare().await.map(drop)
    }

    /// Checks everything, then sends the request; returns the created assets, whether the server
    /// answers with one object or an array.
    pub async fn send(self) -> Result<Vec<Asset>, Error> {
        let span = request_span(
            create_assets::OPERATION_ID,
            self.organization_id,
            self.workspace_id,
        );
        async move {
            let prepared = self.prepare().await?;
            let span = tracing::Span::current();
            span.record("text_assets", prepared.form.assets.len());
            span.record("files", prepared.form.files.len());
            span.record("file_bytes", prepared.file_bytes);

            // The first attempt sends the form just checked; a retry rebuilds it from the
            // sources (files are opened again), since a streamed body cannot be replayed.
            let mut first = Some(prepared.form);
            let created = self
                .client
                .run(
                    create_assets::OPERATION_ID,
                    || {
                        let ready = first.take();
                        async {
                            let form = match ready {
                                Some(form) => form,
                                None => self.prepare().await?.form,
                            };
                            Ok(self
                                .client
                                .api()
                                .create_assets(&self.organization_id, &self.workspace_id, form)
                                .await)
                        }
                    },
                    explain_created,
                )
                .await
                .map_err(|e| e.with_inputs(|| self.input_labels()))?;
            Ok(match created {
                AssetOrAssets::Asset(asset) => vec![asset],
                AssetOrAssets::Array(assets) => assets,
            })
        }
        .instrument(span)
        .await
    }

    /// How each input is named in an error that concerns them all.
    fn input_labels(&self) -> Vec<String> {
        let texts = self
            .texts
            .iter()
            .map(|(name, _)| format!("text asset {name:?}"));
        let files = self
            .files
            .iter()
            .map(|source| format!("file {:?}", source.label()));
        texts.chain(files).collect()
    }

    async fn prepare(&self) -> Result<Prepared, Error> {
        let mut assets = Vec::with_capacity(self.texts.len());
        for (index, (name, content)) in self.texts.iter().enumerate() {
            assets.push(text_asset(index, name, content)?);
        }

        let mut files = Vec::with_capacity(self.files.len());
        let mut sources = Vec::with_capacity(self.files.len());
        let mut file_bytes = 0u64;
        for (index, source) in self.files.iter().enumerate() {
            let prepared = prepare_file(index, source).await?;
            file_bytes = file_bytes.saturating_add(prepared.part.length());
            sources.push(prepared.source);
            files.push(prepared.part);
        }

        let form = CreateAssetsForm {
            assets,
            files,
            tags: self.tags.clone(),
        };
        form.validate().map_err(|e| self.form_error(e, &sources))?;
        Ok(Prepared { form, file_bytes })
    }

    /// The generated form's complaint, pinned to the input it is about.
    fn form_error(&self, error: FormError, sources: &[MediaTypeSource]) -> Error {
        let input = |field: &str, index: usize| {
            if field == create_assets::assets::NAME {
                self.texts.get(index).map(|(name, _)| Input::TextAsset {
                    index,
                    name: name.clone(),
                })
            } else if field == create_assets::files::NAME {
                self.files.get(index).map(|source| Input::File {
                    index,
                    name: source.label(),
                })
            } else if field == create_assets::tags::NAME {
                self.tags.get(index).map(|value| Input::Tag {
                    index,
                    value: value.clone(),
                })
            } else {
                None
            }
            .unwrap_or(Input::Request)
        };
        let (input, problem) = match error {
            FormError::NothingToSend { fields } => {
                (Input::Request, Problem::NothingToSend { fields })
            }
            FormError::TooFewItems { field, min, actual } => {
                (Input::Request, Problem::TooFewItems { field, min, actual })
            }
            FormError::TooManyItems { field, max, actual } => {
                (Input::Request, Problem::TooManyItems { field, max, actual })
            }
            FormError::TooShort {
                field,
                index,
                property,
                min,
                actual,
            } => (
                input(field, index),
                Problem::TooShort {
                    property,
                    min,
                    actual,
                },
            ),
            FormError::TooLong {
                field,
                index,
                property,
                max,
                actual,
            } => (
                input(field, index),
                Problem::TooLong {
                    property,
                    max,
                    actual,
                },
            ),
            FormError::MissingProperty {
                field,
                index,
                property,
            } => (input(field, index), Problem::MissingProperty { property }),
            FormError::MediaTypeNotAccepted {
                field,
                index,
                media_type,
                accepted,
            } => (
                input(field, index),
                Problem::MediaTypeNotAccepted {
                    media_type,
                    determined_by: sources
                        .get(index)
                        .copied()
                        .unwrap_or(MediaTypeSource::Override),
                    accepted,
                },
            ),
            FormError::InvalidMediaType {
                field,
                index,
                media_type,
            } => (
                input(field, index),
                Problem::InvalidMediaType { media_type },
            ),
            FormError::Encode {
                field,
                index,
                message,
            } => (input(field, index), Problem::Other { message }),
            other => (
                Input::Request,
                Problem::Other {
                    message: other.to_string(),
                },
            ),
        };
        Error::invalid(input, problem)
    }
}

/// A text asset, through the generated types' own checks.
fn text_asset(index: usize, name: &str, content: &str) -> Result<TextAsset, Error> {
    use create_assets::assets::{content as content_rule, name as name_rule};
    let invalid = |problem| {
        Error::invalid(
            Input::TextAsset {
                index,
                name: name.to_owned(),
            },
            problem,
        )
    };
    let name_value = TextAssetName::try_from(name).map_err(|e| {
        let actual = name.chars().count();
        invalid(if actual > name_rule::MAX_LENGTH {
            Problem::TooLong {
                property: Some(name_rule::NAME),
                max: name_rule::MAX_LENGTH,
                actual,
            }
        } else if actual < name_rule::MIN_LENGTH {
            Problem::TooShort {
                property: Some(name_rule::NAME),
                min: name_rule::MIN_LENGTH,
                actual,
            }
        } else {
            Problem::Other {
                message: format!("its {}: {e}", name_rule::NAME),
            }
        })
    })?;
    let content_value = TextAssetContent::try_from(content).map_err(|e| {
        let actual = content.chars().count();
        invalid(if actual < content_rule::MIN_LENGTH {
            Problem::TooShort {
                property: Some(content_rule::NAME),
                min: content_rule::MIN_LENGTH,
                actual,
            }
        } else {
            Problem::Other {
                message: format!("its {}: {e}", content_rule::NAME),
            }
        })
    })?;
    Ok(TextAsset {
        name: name_value,
        content: content_value,
    })
}

async fn prepare_file(index: usize, source: &Source) -> Result<PreparedFile, Error> {
    let invalid = |problem| {
        Error::invalid(
            Input::File {
                index,
                name: source.label(),
            },
            problem,
        )
    };
    match source {
        Source::Path { path, media_type } => {
            let (file, filename, length, prefix) = open_file(path).await.map_err(invalid)?;
            let decided = media::decide(media_type.as_deref(), &prefix, &filename);
            let body = reqwest::Body::wrap_stream(ExactLength {
                inner: ReaderStream::with_capacity(file.take(length), READ_CHUNK),
                expected: length,
                seen: 0,
            });
            Ok(PreparedFile {
                part: FilePart::new(filename, decided.media_type, length, body),
                source: decided.source,
            })
        }
        Source::Memory {
            filename,
            media_type,
            data,
        } => {
            check_file_name(filename).map_err(invalid)?;
            if filename.is_empty() || filename.contains('/') {
                return Err(invalid(Problem::FileNameNotABaseName));
            }
            if data.is_empty() {
                return Err(invalid(Problem::EmptyFile));
            }
            let prefix = &data[..data.len().min(SNIFF_BYTES)];
            let decided = media::decide(media_type.as_deref(), prefix, filename);
            Ok(PreparedFile {
                part: FilePart::from_bytes(filename.clone(), decided.media_type, data.clone()),
                source: decided.source,
            })
        }
    }
}

/// Opens a regular, non-empty, readable file: the handle (rewound), its name, its length and
/// its first bytes.
async fn open_file(path: &Path) -> Result<(tokio::fs::File, String, u64, Vec<u8>), Problem> {
    // `metadata` first: opening a FIFO would block, and opening a directory succeeds on Linux.
    let metadata = tokio::fs::metadata(path).await.map_err(io_problem)?;
    if metadata.is_dir() {
        return Err(Problem::NotAFile {
            kind: "a directory",
        });
    }
    if !metadata.is_file() {
        return Err(Problem::NotAFile {
            kind: "a special file (device, socket or pipe)",
        });
    }

    let filename = path.file_name().ok_or(Problem::NoFileName)?;
    let filename = filename.to_str().ok_or(Problem::FileNameNotUtf8)?;
    check_file_name(filename)?;

    let mut file = tokio::fs::File::open(path).await.map_err(io_problem)?;
    // The length of what was opened, not of what the path pointed to a moment earlier.
    let length = file.metadata().await.map_err(io_problem)?.len();
    if length == 0 {
        return Err(Problem::EmptyFile);
    }
    let mut prefix =
        Vec::with_capacity(SNIFF_BYTES.min(usize::try_from(length).unwrap_or(SNIFF_BYTES)));
    (&mut file)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)
        .await
        .map_err(io_problem)?;
    file.rewind().await.map_err(io_problem)?;
    Ok((file, filename.to_owned(), length, prefix))
}

fn check_file_name(name: &str) -> Result<(), Problem> {
    match name.chars().find(|c| c.is_control()) {
        Some(character) => Err(Problem::FileNameControlCharacter { character }),
        None => Ok(()),
    }
}

fn io_problem(error: io::Error) -> Problem {
    match error.kind() {
        io::ErrorKind::NotFound => Problem::NotFound,
        _ => Problem::Unreadable {
            reason: error.to_string(),
        },
    }
}

/// Why a file's bytes could not be produced while it was being sent. It travels inside the
/// `io::Error` of the body stream, so that the error mapping can tell "our file failed, the
/// request was cut short" from "the connection failed".
#[derive(Debug)]
pub(crate) struct SourceError(String);

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SourceError {}

fn source_error(message: String) -> io::Error {
    io::Error::other(SourceError(message))
}

/// A file's chunks, failing if the file ends before the length the part declared (it shrank
/// after it was checked), rather than letting a short body go out under that length.
struct ExactLength<S> {
    inner: S,
    expected: u64,
    seen: u64,
}

impl<S> Stream for ExactLength<S>
where
    S: Stream<Item = io::Result<Bytes>> + Unpin,
{
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.seen == u64::MAX {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                self.seen = self.seen.saturating_add(chunk.len() as u64);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) if self.seen < self.expected => {
                let message = format!(
                    "the file shrank while it was being sent ({} of {} bytes)",
                    self.seen, self.expected
                );
                self.seen = u64::MAX;
                Poll::Ready(Some(Err(source_error(message))))
            }
            Poll::Ready(Some(Err(error))) => {
                self.seen = u64::MAX;
                Poll::Ready(Some(Err(source_error(format!(
                    "the file could not be read while it was being sent: {error}"
                )))))
            }
            other => other,
        }
    }
}

/// Why a `create_assets` body is neither one asset nor a list of them.
fn explain_created(body: &[u8]) -> Option<String> {
    let one = serde_json::from_slice::<Asset>(body).err()?;
    let many = serde_json::from_slice::<Vec<Asset>>(body).err()?;
    Some(format!(
        "neither one asset ({one}) nor a list of assets ({many})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[tokio::test]
    async fn a_shrunk_file_fails_instead_of_sending_short() {
        let chunks = futures_util::stream::iter(vec![Ok(Bytes::from_static(b"abc"))]);
        let mut stream = ExactLength {
            inner: chunks,
            expected: 5,
            seen: 0,
        };
        assert_eq!(
            stream.next().await.unwrap().unwrap(),
            Bytes::from_static(b"abc")
        );
        let err = stream.next().await.unwrap().unwrap_err();
        assert!(err.get_ref().unwrap().is::<SourceError>());
        assert!(err.to_string().contains("3 of 5 bytes"), "{err}");
        assert!(stream.next().await.is_none());
    }

    #[test]
    fn control_characters_are_refused() {
        for name in ["a\rb", "a\nb", "a\0b", "tab\there", "del\u{7f}"] {
            assert!(check_file_name(name).is_err(), "{name:?}");
        }
        assert!(check_file_name("affiche été 2027.png").is_ok());
    }
}
