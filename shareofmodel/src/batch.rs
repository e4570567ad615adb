//! Uploads larger than one request allows: split into requests, sent with bounded
//! concurrency, and reported input by input.

use std::sync::Arc;

use futures_util::StreamExt;
use shareofmodel_client::multipart::create_assets;
use shareofmodel_client::types::{Asset, AssetOrAssets};
use tracing::Instrument;

use crate::client::request_span;
use crate::ledger;
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

    /// The inputs that were not created (or may not have been), with why. Inputs skipped
    /// because the ledger holds them are not failures.
    pub fn failures(&self) -> impl Iterator<Item = &ItemReport> {
        self.items.iter().filter(|item| {
            !matches!(
                item.outcome,
                ItemOutcome::Created(_) | ItemOutcome::Skipped { .. }
            )
        })
    }

    /// The inputs skipped because the ledger holds them, with their earlier assets' ids.
    pub fn skipped(&self) -> impl Iterator<Item = &ItemReport> {
        self.items
            .iter()
            .filter(|item| matches!(item.outcome, ItemOutcome::Skipped { .. }))
    }

    /// Whether every input was created.
    pub fn is_complete(&self) -> bool {
        self.failures().next().is_none()
    }
}

/// How a file passed its checks and would be sent ([`Upload::validate_batched`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileCheck {
    /// Its position among the upload's files.
    pub index: usize,
    /// The name it is sent under.
    pub file_name: String,
    /// The media type it is sent as.
    pub media_type: String,
    /// The extension's type, when it disagrees with the content's (which is sent).
    pub extension_disagrees: Option<String>,
    /// Its length in bytes.
    pub size: u64,
}

/// One input of a batched upload and what became of it.
#[derive(Debug)]
#[non_exhaustive]
pub struct ItemReport {
    /// The input ([`Input::TextAsset`] or [`Input::File`]).
    pub input: Input,
    /// Which request carried it (from 0); `usize::MAX` for an input skipped because the ledger
    /// holds it.
    pub request: usize,
    /// For files, the media type it was sent as.
    pub media_type: Option<String>,
    /// For files whose extension says another type than their content, the extension's type
    /// (the content's was sent).
    pub extension_disagrees: Option<String>,
    /// Whether its outcome was found by listing the workspace's assets after its request's
    /// outcome was unknown ([`Reconcile`]).
    pub reconciled: bool,
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
    /// Perhaps created: its request failed after it was sent ([`Error::OutcomeUnknown`]) and
    /// reconciliation could not tell, or the server's answer did not say which asset is this
    /// input's. List the workspace's assets before sending it again.
    Unknown(Arc<Error>),
    /// Not sent: the ledger records it as created already (same name, tags and content).
    Skipped {
        /// The asset created for it earlier.
        asset_id: uuid::Uuid,
    },
}

/// How far past the start of a failed request the list of assets is searched, to allow for
/// the client's and the server's clocks disagreeing.
const RECONCILE_SKEW_SECS: i64 = 120;

/// What to do when a request's outcome is unknown (the connection broke after the body was
/// sent, the server timed out or failed with 5xx): see [`Upload::reconcile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Reconcile {
    /// Report the inputs as [`ItemOutcome::Unknown`], and nothing more.
    Off,
    /// List the workspace's assets and report each input as created (with its asset), not
    /// created, or still unknown. Sends nothing. The default: it only reads.
    #[default]
    Report,
    /// As `Report`, then send the inputs found not created once more.
    RetryNotCreated,
}

/// One request's result: the outcome per input, or the error that ended it.
struct Sent {
    started: chrono::DateTime<chrono::Utc>,
    result: Result<Vec<ItemOutcome>, Error>,
    reconciled: bool,
}

/// Matches a failed request's inputs against the assets listed after it: an input is created
/// when exactly one asset created since just before the request has its name, tags and (for
/// text) content and no other input of the request has the same; not created when none has;
/// unknown otherwise (several candidates, or identical inputs) - never guessed.
fn classify(
    upload: &Upload,
    request: &Planned,
    listed: &[Asset],
    since: chrono::DateTime<chrono::Utc>,
    error: &Arc<Error>,
) -> Vec<ItemOutcome> {
    let mut tags = upload.tags.clone();
    tags.sort();
    tags.dedup();
    let recent: Vec<&Asset> = listed
        .iter()
        .filter(|a| a.created_at.is_none_or(|at| at >= since))
        .filter(|a| {
            let mut theirs = a.tags.clone();
            theirs.sort();
            theirs.dedup();
            theirs == tags
        })
        .collect();
    // (name, text content) per input; files compare by name only.
    let keys: Vec<(String, Option<&str>)> = request
        .texts
        .iter()
        .map(|&i| (upload.texts[i].0.clone(), Some(upload.texts[i].1.as_str())))
        .chain(
            request
                .files
                .iter()
                .map(|&i| (upload.files[i].sent_name(), None)),
        )
        .collect();
    keys.iter()
        .map(|(name, content)| {
            let twins = keys
                .iter()
                .filter(|k| k.0 == *name && k.1 == *content)
                .count();
            let matches: Vec<&&Asset> = recent
                .iter()
                .filter(|a| a.name == *name && content.is_none_or(|c| a.content == c))
                .collect();
            match (matches.as_slice(), twins) {
                ([], _) => ItemOutcome::NotCreated(Arc::new(Error::OutcomeUnknown {
                    operation: create_assets::OPERATION_ID,
                    cause: format!(
                        "reconciled: no asset like it was created after the failure ({error}); \
                         safe to send again"
                    ),
                    status: None,
                    inputs: Vec::new(),
                    request_id: None,
                })),
                ([asset], 1) => ItemOutcome::Created(Box::new((**asset).clone())),
                _ => ItemOutcome::Unknown(error.clone()),
            }
        })
        .collect()
}

/// The inputs of one request, by position in the upload.
#[derive(Debug, Clone, Default)]
pub(crate) struct Planned {
    pub(crate) texts: Vec<usize>,
    pub(crate) files: Vec<usize>,
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
        // Everything is checked before anything is sent, skipped inputs included.
        let media: Vec<(Option<String>, Option<String>)> = self
            .validate_batched()
            .await?
            .into_iter()
            .map(|f| (Some(f.media_type), f.extension_disagrees))
            .collect();

        // What the ledger says was sent before is not sent again.
        let (skipped, texts, files) = self.skipped_by_ledger()?;
        let plan = self.plan(&texts, &files).await?;

        let mut tracker = self.tracker().await?;
        if self.ledger.is_some() {
            tracker = tracker.hashing();
        }
        let tracker = Arc::new(tracker);
        tracker.set_requests(plan.len());
        let this = &self;
        let outcomes: Vec<Sent> = futures_util::stream::iter(plan.iter())
            .map(|request| {
                let tracker = tracker.clone();
                async move {
                    let sent = this.send_and_record(request, &tracker).await;
                    tracker.request_done();
                    sent
                }
            })
            .buffered(self.concurrency)
            .collect()
            .await;
        let mut outcomes = self.reconcile_unknown(&plan, outcomes, &tracker).await;

        let mut items = Vec::with_capacity(self.texts.len() + self.files.len());
        for (number, (request, sent)) in plan.iter().zip(outcomes.drain(..)).enumerate() {
            self.report(number, request, sent, &media, &mut items);
        }
        for (input, asset_id) in skipped {
            let (media_type, extension_disagrees) = match &input {
                Input::File { index, .. } => media[*index].clone(),
                _ => (None, None),
            };
            items.push(ItemReport {
                input,
                request: usize::MAX,
                media_type,
                extension_disagrees,
                reconciled: false,
                outcome: ItemOutcome::Skipped { asset_id },
            });
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

    /// Runs every check [`send_batched`](Self::send_batched) runs, sends nothing, and says
    /// how each file would be sent. Files are opened and their first bytes read.
    pub async fn validate_batched(&self) -> Result<Vec<FileCheck>, Error> {
        if self.texts.is_empty() && self.files.is_empty() {
            self.prepare_all(None).await?;
        }
        let everything = self
            .plan(
                &(0..self.texts.len()).collect::<Vec<_>>(),
                &(0..self.files.len()).collect::<Vec<_>>(),
            )
            .await?;
        let mut checks: Vec<Option<FileCheck>> = (0..self.files.len()).map(|_| None).collect();
        for request in &everything {
            let prepared = self
                .prepare_parts(&request.texts, &request.files, None)
                .await?;
            let parts = prepared.form.files.iter();
            for ((&file, (media_type, disagrees)), part) in
                request.files.iter().zip(prepared.media).zip(parts)
            {
                checks[file] = Some(FileCheck {
                    index: file,
                    file_name: part.filename().to_owned(),
                    media_type,
                    extension_disagrees: disagrees,
                    size: part.length(),
                });
            }
        }
        Ok(checks.into_iter().flatten().collect())
    }

    /// The inputs the ledger already holds (with their asset ids), and the positions of the
    /// text assets and files left to send.
    #[allow(clippy::type_complexity)]
    fn skipped_by_ledger(
        &self,
    ) -> Result<(Vec<(Input, uuid::Uuid)>, Vec<usize>, Vec<usize>), Error> {
        let all_texts: Vec<usize> = (0..self.texts.len()).collect();
        let all_files: Vec<usize> = (0..self.files.len()).collect();
        let Some(ledger) = self.ledger.as_ref().filter(|_| !self.force) else {
            return Ok((Vec::new(), all_texts, all_files));
        };
        let ledger = ledger.lock().unwrap_or_else(|e| e.into_inner());
        let mut skipped = Vec::new();
        let mut texts = Vec::new();
        for index in all_texts {
            let (name, content) = &self.texts[index];
            match ledger.find_text(self.workspace_id, name, content, &self.tags) {
                Some(entry) => skipped.push((
                    Input::TextAsset {
                        index,
                        name: name.clone(),
                    },
                    entry.asset_id,
                )),
                None => texts.push(index),
            }
        }
        let mut files = Vec::new();
        for index in all_files {
            let source = &self.files[index];
            let found = match source.path() {
                Some(path) => ledger
                    .find_file(self.workspace_id, path, &source.sent_name(), &self.tags)
                    .map_err(|problem| {
                        Error::invalid(
                            Input::File {
                                index,
                                name: source.label(),
                            },
                            problem,
                        )
                    })?
                    .map(|entry| entry.asset_id),
                // Bytes and readers are always sent: re-reading them to compare is the caller's.
                None => None,
            };
            match found {
                Some(asset_id) => skipped.push((
                    Input::File {
                        index,
                        name: source.label(),
                    },
                    asset_id,
                )),
                None => files.push(index),
            }
        }
        Ok((skipped, texts, files))
    }

    /// Sends one request and, as soon as it succeeds, records what it created in the ledger
    /// (so that a crash later in the run loses nothing already created).
    async fn send_and_record(&self, request: &Planned, tracker: &Arc<Tracker>) -> Sent {
        let started = chrono::Utc::now();
        let result = self.send_one(request, tracker).await;
        let result = result.map(|assets| {
            let outcomes = match_assets(&self.sent_names(request), assets);
            self.record(request, &outcomes, tracker);
            outcomes
        });
        Sent {
            started,
            result,
            reconciled: false,
        }
    }

    fn sent_names(&self, request: &Planned) -> Vec<String> {
        request
            .texts
            .iter()
            .map(|&i| self.texts[i].0.clone())
            .chain(request.files.iter().map(|&i| self.files[i].sent_name()))
            .collect()
    }

    /// Appends an entry per created input of `request` to the ledger, if there is one.
    fn record(&self, request: &Planned, outcomes: &[ItemOutcome], tracker: &Tracker) {
        let Some(ledger) = &self.ledger else {
            return;
        };
        let mut ledger = ledger.lock().unwrap_or_else(|e| e.into_inner());
        let inputs = request
            .texts
            .iter()
            .map(|&i| (true, i))
            .chain(request.files.iter().map(|&i| (false, i)));
        for ((is_text, index), outcome) in inputs.zip(outcomes) {
            let ItemOutcome::Created(asset) = outcome else {
                continue;
            };
            let entry = if is_text {
                let (name, content) = &self.texts[index];
                ledger::text_entry(self.workspace_id, name, content, &self.tags, asset.id)
            } else {
                let source = &self.files[index];
                let Some(sha256) = tracker.digest(index).or_else(|| source.memory_digest()) else {
                    continue;
                };
                ledger::file_entry(
                    self.workspace_id,
                    source.path(),
                    &source.sent_name(),
                    sha256,
                    tracker.file_total(index),
                    &self.tags,
                    asset.id,
                )
            };
            if let Err(error) = ledger.append(entry) {
                tracing::warn!(error = %error, "the ledger could not record a created asset");
            }
        }
    }

    /// After unknown outcomes, lists the workspace's assets to find out what was created,
    /// following the [`Reconcile`] policy.
    async fn reconcile_unknown(
        &self,
        plan: &[Planned],
        mut outcomes: Vec<Sent>,
        tracker: &Arc<Tracker>,
    ) -> Vec<Sent> {
        let unknown: Vec<usize> = outcomes
            .iter()
            .enumerate()
            .filter(|(_, sent)| matches!(&sent.result, Err(e) if e.outcome_unknown()))
            .map(|(i, _)| i)
            .collect();
        if unknown.is_empty() || self.reconcile == Reconcile::Off {
            return outcomes;
        }
        let listed = match self
            .client
            .list_assets(self.organization_id, self.workspace_id, false)
            .await
        {
            Ok(assets) => assets,
            Err(error) => {
                tracing::warn!(error = %error, "could not list the assets to reconcile unknown outcomes");
                return outcomes;
            }
        };
        for number in unknown {
            let request = &plan[number];
            let since = outcomes[number].started - chrono::Duration::seconds(RECONCILE_SKEW_SECS);
            let Err(error) = std::mem::replace(&mut outcomes[number].result, Ok(Vec::new())) else {
                continue;
            };
            let error = Arc::new(error);
            let mut items = classify(self, request, &listed, since, &error);
            self.record(request, &items, tracker);

            if self.reconcile == Reconcile::RetryNotCreated {
                let retry = Planned {
                    texts: request
                        .texts
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| matches!(items[*k], ItemOutcome::NotCreated(_)))
                        .map(|(_, &i)| i)
                        .collect(),
                    files: request
                        .files
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| {
                            matches!(items[request.texts.len() + k], ItemOutcome::NotCreated(_))
                        })
                        .map(|(_, &i)| i)
                        .collect(),
                };
                if !retry.texts.is_empty() || !retry.files.is_empty() {
                    let resent = self.send_and_record(&retry, tracker).await;
                    let resent = resent
                        .result
                        .unwrap_or_else(|e| failed(e, retry.texts.len() + retry.files.len()));
                    let mut resent = resent.into_iter();
                    for item in items.iter_mut() {
                        if matches!(item, ItemOutcome::NotCreated(_))
                            && let Some(outcome) = resent.next()
                        {
                            *item = outcome;
                        }
                    }
                }
            }
            outcomes[number].result = Ok(items);
            outcomes[number].reconciled = true;
        }
        outcomes
    }

    /// Text assets in groups of the spec's maximum; files by count and bytes.
    async fn plan(&self, texts: &[usize], files: &[usize]) -> Result<Vec<Planned>, Error> {
        let mut plan = Vec::new();
        for chunk in texts.chunks(create_assets::assets::MAX_ITEMS.max(1)) {
            plan.push(Planned {
                texts: chunk.to_vec(),
                files: Vec::new(),
            });
        }
        let mut current = Planned::default();
        let mut bytes = 0u64;
        for &index in files {
            let length = self.source_length(index, &self.files[index]).await?;
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

    /// Sends one request of the given inputs: the form just checked first, rebuilt from its
    /// sources for each retry (a streamed body cannot be replayed).
    pub(crate) async fn send_one(
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
            for (&file, (media_type, disagrees)) in request.files.iter().zip(&prepared.media) {
                if let Some(extension) = disagrees {
                    tracing::warn!(
                        file = %self.files[file].label(),
                        extension = %extension,
                        content = %media_type,
                        "the file's extension and content disagree; sending the type of its content"
                    );
                }
            }
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
        sent: Sent,
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

        let reconciled = sent.reconciled;
        let outcomes = sent.result.unwrap_or_else(|e| failed(e, inputs.len()));
        for ((input, _, media_type, extension_disagrees), outcome) in
            inputs.into_iter().zip(outcomes)
        {
            items.push(ItemReport {
                input,
                request: number,
                reconciled,
                media_type,
                extension_disagrees,
                outcome,
            });
        }
    }
}

/// The outcome of each of a failed request's `count` inputs: perhaps created when its outcome
/// is unknown, not created otherwise.
fn failed(error: Error, count: usize) -> Vec<ItemOutcome> {
    let unknown = error.outcome_unknown();
    let error = Arc::new(error);
    (0..count)
        .map(|_| {
            if unknown {
                ItemOutcome::Unknown(error.clone())
            } else {
                ItemOutcome::NotCreated(error.clone())
            }
        })
        .collect()
}

/// Pairs the assets a request created with its inputs: in order when every name agrees (the
/// order the inputs were sent in), else by name; an input no asset can be told apart for is
/// reported unknown rather than guessed.
fn match_assets(names: &[String], assets: Vec<Asset>) -> Vec<ItemOutcome> {
    // In order when the names say so, or when the server names assets its own way (no name
    // matches at all) and the counts agree; a reordered answer is matched by name.
    let same_count = assets.len() == names.len();
    let in_order = same_count
        && assets
            .iter()
            .zip(names)
            .all(|(asset, name)| asset.name == *name);
    let unnamed = same_count && !assets.iter().any(|asset| names.contains(&asset.name));
    if in_order || unnamed {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(name: &str) -> Asset {
        serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::new_v4(), "name": name, "content_url": "",
            "content_type": "image", "content": "",
        }))
        .unwrap()
    }

    fn names(outcomes: &[ItemOutcome]) -> Vec<String> {
        outcomes
            .iter()
            .map(|o| match o {
                ItemOutcome::Created(a) => a.name.clone(),
                _ => "?".to_owned(),
            })
            .collect()
    }

    #[test]
    fn assets_are_paired_by_name_when_reordered() {
        let inputs = ["poster.png".to_owned(), "photo.jpg".to_owned()];
        let answer = vec![asset("photo.jpg"), asset("poster.png")];
        assert_eq!(
            names(&match_assets(&inputs, answer)),
            ["poster.png", "photo.jpg"]
        );
        // A server that names assets its own way: by position.
        let renamed = vec![asset("a"), asset("b")];
        assert_eq!(names(&match_assets(&inputs, renamed)), ["a", "b"]);
        // Fewer assets than inputs: the unmatched one is unknown, not guessed.
        let fewer = vec![asset("photo.jpg")];
        assert_eq!(names(&match_assets(&inputs, fewer)), ["?", "photo.jpg"]);
    }
}
