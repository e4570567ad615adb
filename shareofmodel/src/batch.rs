//! Uploads larger than one request allows: split into requests, sent with bounded
//! concurrency, and reported input by input.

use std::sync::Arc;

use futures_util::StreamExt;
use shareofmodel_client::multipart::create_assets;
use shareofmodel_client::types::{Asset, AssetOrAssets};
use tracing::Instrument;

use crate::client::request_span;
use crate::progress::Tracker;
use crate::upload::explain_created;
use crate::{Error, Input, Upload};

/// Files are grouped into requests of at most this many bytes (a larger file goes alone), so
/// that one failure does not take a whole campaign with it. Not a limit of the API.
pub const BATCH_BYTES: u64 = 64 * 1024 * 1024;

/// Files are grouped into requests of at most this many files. Not a limit of the API.
pub const BATCH_FILES: usize = 10;

/// What happened to each input of [`Upload::send_batched`], in input order: the text assets
/// in the order they were added, then the files in the order they were added.
#[derive(Debug)]
#[non_exhaustive]
pub struct BatchReport {
    /// One entry per input.
    pub items: Vec<ItemReport>,
    /// How many requests were made.
    pub requests: usize,
}

impl BatchReport {
    /// The assets created, in input order.
    pub fn created(&self) -> impl Iterator<Item = &Asset> {
        self.items.iter().filter_map(|item| match &item.outcome {
            ItemOutcome::Created(asset) => Some(asset.as_ref()),
            _ => None,
        })
    }

    /// The inputs that were not created (or may not have been), with why.
    pub fn failures(&self) -> impl Iterator<Item = &ItemReport> {
        self.items
            .iter()
            .filter(|item| !matches!(item.outcome, ItemOutcome::Created(_)))
    }

    /// Whether every input was created.
    pub fn is_complete(&self) -> bool {
        self.failures().next().is_none()
    }
}

/// One input of a batched upload and what became of it.
#[derive(Debug)]
#[non_exhaustive]
pub struct ItemReport {
    /// The input ([`Input::TextAsset`] or [`Input::File`]).
    pub input: Input,
    /// Which request carried it (from 0).
    pub request: usize,
    /// For files, the media type it was sent as.
    pub media_type: Option<String>,
    /// For files whose extension says another type than their content, the extension's type
    /// (the content's was sent).
    pub extension_disagrees: Option<String>,
    /// What became of it.
    pub outcome: ItemOutcome,
}

/// What became of one input.
#[derive(Debug)]
#[non_exhaustive]
pub enum ItemOutcome {
    /// Created: the asset the server returned for it.
    Created(Box<Asset>),
    /// Not created: its request failed in a way that leaves nothing behind. Safe to send again.
    NotCreated(Arc<Error>),
    /// Perhaps created: its request failed after it was sent ([`Error::OutcomeUnknown`]), or
    /// the server's answer did not say which asset is this input's. List the workspace's
    /// assets before sending it again.
    Unknown(Arc<Error>),
}

/// The inputs of one request, by position in the upload.
#[derive(Debug, Clone, Default)]
struct Planned {
    texts: Vec<usize>,
    files: Vec<usize>,
}

impl Upload {
    /// Sends every input, in as many requests as the API's limits need: text assets in groups
    /// of at most the spec's maximum (10), files in groups of at most [`BATCH_FILES`] files and
    /// [`BATCH_BYTES`] bytes, with at most [`concurrency`](Self::concurrency) requests in
    /// flight. Every request carries the tags.
    ///
    /// Every input is checked before the first request is sent; a bad one fails the whole
    /// call with [`Error::InvalidInput`] and nothing is sent. After that, a failing request
    /// does not stop the others: the report says, input by input, what was created.
    ///
    /// ```no_run
    /// # async fn demo(client: shareofmodel::Client, org: shareofmodel::Uuid, ws: shareofmodel::Uuid) -> Result<(), shareofmodel::Error> {
    /// let mut upload = client.upload(org, ws).tag("variants").concurrency(4);
    /// for i in 0..25 {
    ///     upload = upload.text(format!("Variant {i}"), format!("Copy number {i}"));
    /// }
    /// let report = upload.send_batched().await?;
    /// println!("{} created in {} requests", report.created().count(), report.requests);
    /// for failed in report.failures() {
    ///     eprintln!("{}: {:?}", failed.input, failed.outcome);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_batched(self) -> Result<BatchReport, Error> {
        if self.texts.is_empty() && self.files.is_empty() {
            // The form's own check says what is missing.
            self.prepare_all(None).await?;
        }
        let plan = self.plan().await?;

        // Everything is checked before anything is sent.
        let mut media = vec![(None, None); self.files.len()];
        for request in &plan {
            let prepared = self
                .prepare_parts(&request.texts, &request.files, None)
                .await?;
            for (&file, (media_type, disagrees)) in request.files.iter().zip(prepared.media) {
                media[file] = (Some(media_type), disagrees);
            }
        }

        let tracker = Arc::new(self.tracker().await?);
        tracker.set_requests(plan.len());
        let this = &self;
        let outcomes: Vec<Result<Vec<Asset>, Error>> = futures_util::stream::iter(plan.iter())
            .map(|request| {
                let tracker = tracker.clone();
                async move {
                    let result = this.send_one(request, &tracker).await;
                    tracker.request_done();
                    result
                }
            })
            .buffered(self.concurrency)
            .collect()
            .await;

        let mut items = Vec::with_capacity(self.texts.len() + self.files.len());
        for (number, (request, outcome)) in plan.iter().zip(outcomes).enumerate() {
            self.report(number, request, outcome, &media, &mut items);
        }
        // Input order: texts, then files, each in the order given.
        items.sort_by_key(|item| match &item.input {
            Input::TextAsset { index, .. } => (0, *index),
            Input::File { index, .. } => (1, *index),
            _ => (2, 0),
        });
        Ok(BatchReport {
            items,
            requests: plan.len(),
        })
    }

    /// Text assets in groups of the spec's maximum; files by count and bytes.
    async fn plan(&self) -> Result<Vec<Planned>, Error> {
        let mut plan = Vec::new();
        let indices: Vec<usize> = (0..self.texts.len()).collect();
        for chunk in indices.chunks(create_assets::assets::MAX_ITEMS.max(1)) {
            plan.push(Planned {
                texts: chunk.to_vec(),
                files: Vec::new(),
            });
        }
        let mut current = Planned::default();
        let mut bytes = 0u64;
        for index in 0..self.files.len() {
            let length = self.file_length(index).await?;
            let full = current.files.len() >= BATCH_FILES
                || (!current.files.is_empty() && bytes.saturating_add(length) > BATCH_BYTES);
            if full {
                plan.push(std::mem::take(&mut current));
                bytes = 0;
            }
            current.files.push(index);
            bytes = bytes.saturating_add(length);
        }
        if !current.files.is_empty() {
            plan.push(current);
        }
        Ok(plan)
    }

    async fn file_length(&self, index: usize) -> Result<u64, Error> {
        self.source_length(index, &self.files[index]).await
    }

    async fn send_one(
        &self,
        request: &Planned,
        tracker: &Arc<Tracker>,
    ) -> Result<Vec<Asset>, Error> {
        let span = request_span(
            create_assets::OPERATION_ID,
            self.organization_id,
            self.workspace_id,
        );
        async {
            let prepared = self
                .prepare_parts(&request.texts, &request.files, Some(tracker))
                .await?;
            let span = tracing::Span::current();
            span.record("text_assets", prepared.form.assets.len());
            span.record("files", prepared.form.files.len());
            span.record("file_bytes", prepared.file_bytes);
            let mut first = Some(prepared.form);
            let created = self
                .client
                .run(
                    create_assets::OPERATION_ID,
                    &tracker.activity,
                    || {
                        let ready = first.take();
                        async {
                            let form = match ready {
                                Some(form) => form,
                                None => {
                                    self.prepare_parts(
                                        &request.texts,
                                        &request.files,
                                        Some(tracker),
                                    )
                                    .await?
                                    .form
                                }
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
                .map_err(|e| e.with_inputs(|| self.labels_of(request)))?;
            Ok(match created {
                AssetOrAssets::Asset(asset) => vec![asset],
                AssetOrAssets::Array(assets) => assets,
            })
        }
        .instrument(span)
        .await
    }

    fn labels_of(&self, request: &Planned) -> Vec<String> {
        let texts = request
            .texts
            .iter()
            .map(|&i| format!("text asset {:?}", self.texts[i].0));
        let files = request
            .files
            .iter()
            .map(|&i| format!("file {:?}", self.files[i].label()));
        texts.chain(files).collect()
    }

    /// Turns one request's outcome into a report per input it carried.
    fn report(
        &self,
        number: usize,
        request: &Planned,
        outcome: Result<Vec<Asset>, Error>,
        media: &[(Option<String>, Option<String>)],
        items: &mut Vec<ItemReport>,
    ) {
        let inputs: Vec<(Input, String, Option<String>, Option<String>)> = request
            .texts
            .iter()
            .map(|&index| {
                let name = self.texts[index].0.clone();
                (
                    Input::TextAsset {
                        index,
                        name: name.clone(),
                    },
                    name,
                    None,
                    None,
                )
            })
            .chain(request.files.iter().map(|&index| {
                let (media_type, disagrees) = media[index].clone();
                (
                    Input::File {
                        index,
                        name: self.files[index].label(),
                    },
                    self.files[index].sent_name(),
                    media_type,
                    disagrees,
                )
            }))
            .collect();

        let outcomes: Vec<ItemOutcome> = match outcome {
            Ok(assets) => match_assets(
                &inputs.iter().map(|i| i.1.as_str()).collect::<Vec<_>>(),
                assets,
            ),
            Err(error) => {
                let unknown = error.outcome_unknown();
                let error = Arc::new(error);
                inputs
                    .iter()
                    .map(|_| {
                        if unknown {
                            ItemOutcome::Unknown(error.clone())
                        } else {
                            ItemOutcome::NotCreated(error.clone())
                        }
                    })
                    .collect()
            }
        };
        for ((input, _, media_type, extension_disagrees), outcome) in
            inputs.into_iter().zip(outcomes)
        {
            items.push(ItemReport {
                input,
                request: number,
                media_type,
                extension_disagrees,
                outcome,
            });
        }
    }
}

/// Pairs the assets a request created with its inputs: in order when the counts agree (the
/// order the inputs were sent in), else by name; an input no asset can be told apart for is
/// reported unknown rather than guessed.
fn match_assets(names: &[&str], assets: Vec<Asset>) -> Vec<ItemOutcome> {
    if assets.len() == names.len() {
        return assets
            .into_iter()
            .map(|asset| ItemOutcome::Created(Box::new(asset)))
            .collect();
    }
    let total = assets.len();
    let mut left: Vec<Option<Asset>> = assets.into_iter().map(Some).collect();
    names
        .iter()
        .map(|name| {
            let found = left
                .iter_mut()
                .find(|slot| slot.as_ref().is_some_and(|a| a.name == *name))
                .and_then(Option::take);
            match found {
                Some(asset) => ItemOutcome::Created(Box::new(asset)),
                None => ItemOutcome::Unknown(Arc::new(Error::InvalidResponse {
                    operation: create_assets::OPERATION_ID,
                    status: reqwest::StatusCode::CREATED,
                    problem: format!(
                        "the server created {total} assets for {} inputs, and none of them is named {name:?}",
                        names.len()
                    ),
                    body_snippet: String::new(),
                })),
            }
        })
        .collect()
}
