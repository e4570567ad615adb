//! The [`Upload`] builder: text assets, files from disk, memory or readers, and tags, checked
//! and then sent as one `create_assets` request ([`Upload::send`]) or as many as the limits
//! need ([`Upload::send_batched`](crate::Upload::send_batched)).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;
use shareofmodel_client::multipart::{CreateAssetsForm, FilePart, FormError, create_assets};
use shareofmodel_client::types::{Asset, TextAsset, TextAssetContent, TextAssetName};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio_util::io::ReaderStream;
use uuid::Uuid;

use crate::ledger::{Ledger, sha256_hex};
use crate::media::{self, SNIFF_BYTES};
use crate::progress::{Callback, Progress, Tracker};
use crate::{Client, Error, Input, MediaTypeSource, Problem, Reconcile};

/// The size of each read from a file being uploaded; large reads keep throughput up.
const READ_CHUNK: usize = 64 * 1024;

/// An upload being put together: plain-text assets, files and tags, sent as one
/// `create_assets` request ([`send`](Self::send)) or as many as needed
/// ([`send_batched`](Self::send_batched)). Retries follow the client's
/// [`RetryPolicy`](crate::RetryPolicy) ([`ClientBuilder::retry`](crate::ClientBuilder::retry)).
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
    pub(crate) client: Client,
    pub(crate) organization_id: Uuid,
    pub(crate) workspace_id: Uuid,
    pub(crate) texts: Vec<(String, String)>,
    pub(crate) files: Vec<Source>,
    pub(crate) tags: Vec<String>,
    pub(crate) concurrency: usize,
    spool_readers: bool,
    pub(crate) progress: Option<Arc<Callback>>,
    pub(crate) ledger: Option<Arc<Mutex<Ledger>>>,
    pub(crate) force: bool,
    pub(crate) reconcile: Reconcile,
}

type BoxedReader = Box<dyn AsyncRead + Send + Unpin>;

pub(crate) enum Source {
    Path {
        path: PathBuf,
        media_type: Option<String>,
    },
    Memory {
        filename: String,
        media_type: Option<String>,
        data: Bytes,
    },
    /// A reader of unknown length, copied to a temporary file the first time it is needed
    /// (so that the part has a length, and a retry can send it again).
    Reader {
        filename: String,
        media_type: Option<String>,
        reader: Mutex<Option<BoxedReader>>,
        spooled: tokio::sync::OnceCell<tempfile::TempPath>,
    },
}

impl Source {
    /// How the file is named in messages: the path as given, or the in-memory filename.
    /// The path a file is read from (none for bytes and readers).
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Self::Path { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The SHA-256 of bytes held in memory.
    pub(crate) fn memory_digest(&self) -> Option<String> {
        match self {
            Self::Memory { data, .. } => Some(sha256_hex(data)),
            _ => None,
        }
    }

    /// The filename the part is sent under.
    pub(crate) fn sent_name(&self) -> String {
        match self {
            Self::Path { path, .. } => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Self::Memory { filename, .. } | Self::Reader { filename, .. } => filename.clone(),
        }
    }

    pub(crate) fn label(&self) -> String {
        match self {
            Self::Path { path, .. } => path.display().to_string(),
            Self::Memory { filename, .. } | Self::Reader { filename, .. } => filename.clone(),
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
            Self::Reader {
                filename,
                media_type,
                spooled,
                ..
            } => f
                .debug_struct("Reader")
                .field("filename", filename)
                .field("media_type", media_type)
                .field("spooled", &spooled.initialized())
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
pub(crate) struct PreparedFile {
    pub(crate) part: FilePart,
    pub(crate) source: MediaTypeSource,
    /// The type of its extension, when it disagrees with the type of its content.
    pub(crate) extension_disagrees: Option<String>,
}

/// An upload, or one request of it, whose every input passed its checks.
pub(crate) struct Prepared {
    pub(crate) form: CreateAssetsForm,
    pub(crate) file_bytes: u64,
    /// Per file of the form: the media type sent, and the extension's when it disagrees.
    pub(crate) media: Vec<(String, Option<String>)>,
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
            concurrency: 2,
            spool_readers: true,
            progress: None,
            ledger: None,
            force: false,
            reconcile: Reconcile::default(),
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

    /// Adds a file read from `reader` (a pipe, a download...), sent under `filename`; its media
    /// type is detected.
    ///
    /// Its length is unknown, so it is first copied to a temporary file (which also lets a
    /// retry send it again); a body is never sent chunked. See
    /// [`spool_readers`](Self::spool_readers) to refuse such sources instead.
    pub fn reader(
        mut self,
        filename: impl Into<String>,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        self.files.push(Source::Reader {
            filename: filename.into(),
            media_type: None,
            reader: Mutex::new(Some(Box::new(reader))),
            spooled: tokio::sync::OnceCell::new(),
        });
        self
    }

    /// Like [`reader`](Self::reader), with the given media type.
    pub fn reader_as(
        mut self,
        filename: impl Into<String>,
        media_type: impl Into<String>,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        self.files.push(Source::Reader {
            filename: filename.into(),
            media_type: Some(media_type.into()),
            reader: Mutex::new(Some(Box::new(reader))),
            spooled: tokio::sync::OnceCell::new(),
        });
        self
    }

    /// Whether readers of unknown length are copied to a temporary file (the default), or
    /// refused with [`Problem::UnknownLength`] before anything is sent.
    pub fn spool_readers(mut self, spool: bool) -> Self {
        self.spool_readers = spool;
        self
    }

    /// How many requests [`send_batched`](Self::send_batched) keeps in flight (default 2,
    /// at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// Calls `callback` as file bytes go out and as requests complete, to drive a progress
    /// bar. It runs on the upload's tasks: keep it quick (update a bar, send on a channel).
    ///
    /// ```no_run
    /// # async fn demo(client: shareofmodel::Client, org: shareofmodel::Uuid, ws: shareofmodel::Uuid) -> Result<(), shareofmodel::Error> {
    /// client
    ///     .upload(org, ws)
    ///     .file("master.mp4")
    ///     .on_progress(|p| eprint!("\r{} / {} bytes", p.sent, p.total))
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn on_progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }

    /// Records what [`send_batched`](Self::send_batched) creates in `ledger`, and skips the
    /// inputs it already holds (same workspace, name, tags and content; a file is recognised
    /// by path, size and modification time, or else by its SHA-256). Hashes are computed
    /// while the files are sent, not in a second pass.
    pub fn ledger(mut self, ledger: Arc<Mutex<Ledger>>) -> Self {
        self.ledger = Some(ledger);
        self
    }

    /// Sends every input even when the ledger holds it (and records it again).
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// What [`send_batched`](Self::send_batched) does after a request whose outcome is
    /// unknown (default [`Reconcile::Report`]).
    ///
    /// Reconciling lists the workspace's assets and matches the request's inputs against
    /// those created since just before it (2 minutes of clock skew allowed) by name, tags and,
    /// for text assets, content. What it can prove: an input with no match was not created
    /// (the list shows every asset), so sending it again cannot duplicate it. What it cannot:
    /// that a single match is this request's and not an identical asset someone else created
    /// in the same minutes; two matches, or two identical inputs, stay unknown rather than
    /// guessed. Files are matched by name, since the API does not return their bytes.
    pub fn reconcile(mut self, policy: Reconcile) -> Self {
        self.reconcile = policy;
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
        self.prepare_all(None).await.map(drop)
    }

    /// Checks everything, then sends the request; returns the created assets, whether the server
    /// answers with one object or an array.
    pub async fn send(self) -> Result<Vec<Asset>, Error> {
        let tracker = Arc::new(self.tracker().await?);
        let everything = crate::batch::Planned {
            texts: (0..self.texts.len()).collect(),
            files: (0..self.files.len()).collect(),
        };
        let created = self.send_one(&everything, &tracker).await;
        tracker.request_done();
        created
    }

    /// A progress tracker sized for every file (spooling readers to learn their length).
    pub(crate) async fn tracker(&self) -> Result<Tracker, Error> {
        let mut lengths = Vec::with_capacity(self.files.len());
        for (index, source) in self.files.iter().enumerate() {
            lengths.push(self.source_length(index, source).await?);
        }
        Ok(Tracker::new(self.progress.clone(), lengths))
    }

    pub(crate) async fn source_length(&self, index: usize, source: &Source) -> Result<u64, Error> {
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
            Source::Path { path, .. } => Ok(tokio::fs::metadata(path)
                .await
                .map(|m| m.len())
                .unwrap_or_default()),
            Source::Memory { data, .. } => Ok(data.len() as u64),
            Source::Reader { .. } => {
                let path = self.spooled(source).await.map_err(invalid)?;
                tokio::fs::metadata(&path)
                    .await
                    .map(|m| m.len())
                    .map_err(|e| invalid(io_problem(e)))
            }
        }
    }

    /// The temporary copy of a reader, made on first use.
    async fn spooled(&self, source: &Source) -> Result<PathBuf, Problem> {
        let Source::Reader {
            reader, spooled, ..
        } = source
        else {
            return Err(Problem::Other {
                message: "not a reader".to_owned(),
            });
        };
        if !self.spool_readers {
            return Err(Problem::UnknownLength);
        }
        let path = spooled
            .get_or_try_init(|| async {
                let taken = reader.lock().unwrap_or_else(|e| e.into_inner()).take();
                let Some(mut reader) = taken else {
                    return Err(Problem::Unreadable {
                        reason: "the reader was already consumed by a failed attempt".to_owned(),
                    });
                };
                spool(&mut reader).await
            })
            .await?;
        Ok(path.to_path_buf())
    }

    /// Every input in one form.
    pub(crate) async fn prepare_all(
        &self,
        tracker: Option<&Arc<Tracker>>,
    ) -> Result<Prepared, Error> {
        let texts: Vec<usize> = (0..self.texts.len()).collect();
        let files: Vec<usize> = (0..self.files.len()).collect();
        self.prepare_parts(&texts, &files, tracker).await
    }

    /// The form of the given text assets and files (by position), every check run.
    pub(crate) async fn prepare_parts(
        &self,
        texts: &[usize],
        files: &[usize],
        tracker: Option<&Arc<Tracker>>,
    ) -> Result<Prepared, Error> {
        let mut assets = Vec::with_capacity(texts.len());
        for &index in texts {
            let (name, content) = &self.texts[index];
            assets.push(text_asset(index, name, content)?);
        }

        let mut parts = Vec::with_capacity(files.len());
        let mut sources = Vec::with_capacity(files.len());
        let mut media = Vec::with_capacity(files.len());
        let mut file_bytes = 0u64;
        for &index in files {
            let prepared = self.prepare_file(index, tracker).await?;
            file_bytes = file_bytes.saturating_add(prepared.part.length());
            sources.push(prepared.source);
            media.push((
                prepared.part.content_type().to_owned(),
                prepared.extension_disagrees,
            ));
            parts.push(prepared.part);
        }

        let form = CreateAssetsForm {
            assets,
            files: parts,
            tags: self.tags.clone(),
        };
        form.validate()
            .map_err(|e| self.form_error(e, texts, files, &sources))?;
        Ok(Prepared {
            form,
            file_bytes,
            media,
        })
    }

    /// The generated form's complaint, pinned to the input it is about (`texts` and `files`
    /// map the form's positions to the upload's).
    fn form_error(
        &self,
        error: FormError,
        texts: &[usize],
        files: &[usize],
        sources: &[MediaTypeSource],
    ) -> Error {
        let input = |field: &str, index: usize| {
            if field == create_assets::assets::NAME {
                let index = texts.get(index).copied().unwrap_or(index);
                self.texts.get(index).map(|(name, _)| Input::TextAsset {
                    index,
                    name: name.clone(),
                })
            } else if field == create_assets::files::NAME {
                let index = files.get(index).copied().unwrap_or(index);
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

impl Upload {
    async fn prepare_file(
        &self,
        index: usize,
        tracker: Option<&Arc<Tracker>>,
    ) -> Result<PreparedFile, Error> {
        let source = &self.files[index];
        let invalid = |problem| {
            Error::invalid(
                Input::File {
                    index,
                    name: source.label(),
                },
                problem,
            )
        };
        let (path, name_override, media_type) = match source {
            Source::Path { path, media_type } => (path.clone(), None, media_type),
            Source::Reader {
                filename,
                media_type,
                ..
            } => {
                check_base_name(filename).map_err(invalid)?;
                let path = self.spooled(source).await.map_err(invalid)?;
                (path, Some(filename.clone()), media_type)
            }
            Source::Memory {
                filename,
                media_type,
                data,
            } => {
                check_base_name(filename).map_err(invalid)?;
                if data.is_empty() {
                    return Err(invalid(Problem::EmptyFile));
                }
                let prefix = &data[..data.len().min(SNIFF_BYTES)];
                let decided = media::decide(media_type.as_deref(), prefix, filename);
                check_media_type(&decided.media_type).map_err(invalid)?;
                if let Some(tracker) = tracker {
                    tracker.start_file(index);
                }
                let length = data.len() as u64;
                let body = reqwest::Body::wrap_stream(ExactLength {
                    inner: futures_util::stream::iter(
                        data.chunks(READ_CHUNK)
                            .map(|c| Ok(data.slice_ref(c)))
                            .collect::<Vec<_>>(),
                    ),
                    expected: length,
                    seen: 0,
                    progress: tracker.map(|t| (t.clone(), index)),
                });
                return Ok(PreparedFile {
                    part: FilePart::new(filename.clone(), decided.media_type, length, body),
                    source: decided.source,
                    extension_disagrees: decided.extension_disagrees,
                });
            }
        };

        let (file, filename, length, prefix) =
            open_file(&path, name_override).await.map_err(invalid)?;
        let decided = media::decide(media_type.as_deref(), &prefix, &filename);
        check_media_type(&decided.media_type).map_err(invalid)?;
        if let Some(tracker) = tracker {
            tracker.start_file(index);
        }
        // Not `take(length)`: a file that grew must fail, not be cut silently.
        let body = reqwest::Body::wrap_stream(ExactLength {
            inner: ReaderStream::with_capacity(file, READ_CHUNK),
            expected: length,
            seen: 0,
            progress: tracker.map(|t| (t.clone(), index)),
        });
        Ok(PreparedFile {
            part: FilePart::new(filename, decided.media_type, length, body),
            source: decided.source,
            extension_disagrees: decided.extension_disagrees,
        })
    }
}

/// Copies a reader to a temporary file, in large reads.
async fn spool(reader: &mut BoxedReader) -> Result<tempfile::TempPath, Problem> {
    let temp = tempfile::NamedTempFile::new().map_err(|e| Problem::Unreadable {
        reason: format!("no temporary file to copy the reader to: {e}"),
    })?;
    let (file, path) = temp.into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let mut buffered = tokio::io::BufReader::with_capacity(READ_CHUNK, reader);
    tokio::io::copy_buf(&mut buffered, &mut file)
        .await
        .map_err(|e| Problem::Unreadable {
            reason: format!("the reader failed: {e}"),
        })?;
    file.flush().await.map_err(io_problem)?;
    Ok(path)
}

/// A filename given without a path: not empty, no separator, not `.` or `..`.
fn check_base_name(filename: &str) -> Result<(), Problem> {
    if filename.is_empty()
        || filename.contains('/')
        || filename.contains('\\')
        || filename == "."
        || filename == ".."
    {
        return Err(Problem::FileNameNotABaseName);
    }
    check_file_name(filename)
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

/// Opens a regular, non-empty, readable file: the handle (rewound), its name, its length and
/// its first bytes.
async fn open_file(
    path: &Path,
    name_override: Option<String>,
) -> Result<(tokio::fs::File, String, u64, Vec<u8>), Problem> {
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

    let filename = match name_override {
        Some(name) => name,
        None => {
            let name = path.file_name().ok_or(Problem::NoFileName)?;
            name.to_str().ok_or(Problem::FileNameNotUtf8)?.to_owned()
        }
    };
    check_file_name(&filename)?;

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
    Ok((file, filename, length, prefix))
}

/// A name the server can store: no control character, and no longer than an asset's name
/// may be (the file's name becomes the asset's; the spec limits text assets' names, and the
/// server applies the same limit to files).
fn check_file_name(name: &str) -> Result<(), Problem> {
    if let Some(character) = name.chars().find(|c| c.is_control()) {
        return Err(Problem::FileNameControlCharacter { character });
    }
    let length = name.chars().count();
    let max = create_assets::assets::name::MAX_LENGTH;
    if length > max {
        return Err(Problem::TooLong {
            property: Some("file name"),
            max,
            actual: length,
        });
    }
    Ok(())
}

/// A media type given by the caller must parse, parameters included: the generated form only
/// checks the `type/subtype` part, and a bad parameter would fail later, as a request error.
fn check_media_type(media_type: &str) -> Result<(), Problem> {
    media_type
        .parse::<mime_guess::mime::Mime>()
        .map(drop)
        .map_err(|_| Problem::InvalidMediaType {
            media_type: media_type.to_owned(),
        })
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
    progress: Option<(Arc<Tracker>, usize)>,
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
                if self.seen > self.expected {
                    let message = format!(
                        "the file grew while it was being sent (more than the {} bytes declared)",
                        self.expected
                    );
                    self.seen = u64::MAX;
                    return Poll::Ready(Some(Err(source_error(message))));
                }
                if let Some((tracker, file)) = &self.progress {
                    tracker.chunk(*file, &chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) if self.seen == self.expected => {
                if let Some((tracker, file)) = &self.progress {
                    tracker.file_done(*file);
                }
                Poll::Ready(None)
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
pub(crate) fn explain_created(body: &[u8]) -> Option<String> {
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
            progress: None,
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
