//! No duplicate assets: unknown outcomes reconciled against the list of assets, and re-runs
//! made idempotent by the ledger.

mod common;

use common::{fixture_path, sandbox_and_client as sandbox, sha256_hex};

use std::sync::{Arc, Mutex};

use shareofmodel::{Client, Input, ItemOutcome, Ledger, Reconcile, Upload};
use shareofmodel_sandbox::{Fault, Sandbox};

const CREATE: &str = "create_assets";

fn campaign(client: &Client, sandbox: &Sandbox) -> Upload {
    client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("Tagline", "Made to be seen")
        .text("Slogan", "Brighter days")
        .file(fixture_path("poster.png"))
        .file(fixture_path("clip.mp4"))
        .tag("summer")
}

fn creates(sandbox: &Sandbox) -> usize {
    sandbox
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(CREATE))
        .count()
}

#[tokio::test]
async fn a_reset_after_creating_is_reconciled_without_a_second_create() {
    let (sandbox, client) = sandbox().await;
    sandbox
        .push_faults(CREATE, [Fault::ResetAfterBody { create: true }])
        .unwrap();
    let report = campaign(&client, &sandbox)
        .reconcile(Reconcile::RetryNotCreated)
        .send_batched()
        .await
        .unwrap();

    assert!(report.is_complete(), "{:?}", report.items);
    let stored = sandbox.assets();
    assert_eq!(stored.len(), 4, "no duplicates");
    for item in &report.items {
        assert!(item.reconciled || item.request > 0, "{item:?}");
        let ItemOutcome::Created(asset) = &item.outcome else {
            panic!("{item:?}");
        };
        let original = stored
            .iter()
            .find(|s| s.id == asset.id)
            .expect("a real asset");
        assert_eq!(original.name, asset.name);
    }
    // Two requests: the texts (reset, reconciled) and the files; no second create of either.
    assert_eq!(creates(&sandbox), 2);
}

#[tokio::test]
async fn a_reset_before_creating_resends_once() {
    let (sandbox, client) = sandbox().await;
    sandbox
        .push_faults(CREATE, [Fault::ResetAfterBody { create: false }])
        .unwrap();
    let report = campaign(&client, &sandbox)
        .reconcile(Reconcile::RetryNotCreated)
        .send_batched()
        .await
        .unwrap();
    assert!(report.is_complete(), "{:?}", report.items);
    let mut names: Vec<String> = sandbox.assets().into_iter().map(|a| a.name).collect();
    names.sort();
    assert_eq!(names, ["Slogan", "Tagline", "clip.mp4", "poster.png"]);
    assert_eq!(
        creates(&sandbox),
        3,
        "the failed request, its one re-send, the files"
    );
}

#[tokio::test]
async fn the_default_only_reports_and_never_resends() {
    let (sandbox, client) = sandbox().await;
    sandbox
        .push_faults(CREATE, [Fault::ResetAfterBody { create: false }])
        .unwrap();
    let report = campaign(&client, &sandbox).send_batched().await.unwrap();
    let not_created: Vec<&str> = report
        .items
        .iter()
        .filter(|i| matches!(i.outcome, ItemOutcome::NotCreated(_)))
        .map(|i| match &i.input {
            Input::TextAsset { name, .. } => name.as_str(),
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(not_created, ["Tagline", "Slogan"]);
    assert!(report.items.iter().all(|i| i.request != 0 || i.reconciled));
    assert_eq!(creates(&sandbox), 2);
    assert_eq!(sandbox.assets().len(), 2, "only the files");
}

#[tokio::test]
async fn twins_and_lookalikes_stay_unknown() {
    let (sandbox, client) = sandbox().await;
    // Someone else's asset, identical to one of ours, in the window the reconciliation reads.
    client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("Slogan", "Brighter days")
        .tag("summer")
        .send()
        .await
        .unwrap();
    sandbox
        .push_faults(CREATE, [Fault::ResetAfterBody { create: true }])
        .unwrap();
    let report = client
        .upload(sandbox.organization_id(), sandbox.workspace_id())
        .text("Tagline", "Made to be seen")
        .text("Tagline", "Made to be seen")
        .text("Slogan", "Brighter days")
        .text("Headline", "Only once")
        .tag("summer")
        .reconcile(Reconcile::RetryNotCreated)
        .send_batched()
        .await
        .unwrap();

    let outcome = |index: usize| &report.items[index].outcome;
    assert!(
        matches!(outcome(0), ItemOutcome::Unknown(_)),
        "twin: {:?}",
        outcome(0)
    );
    assert!(
        matches!(outcome(1), ItemOutcome::Unknown(_)),
        "twin: {:?}",
        outcome(1)
    );
    assert!(
        matches!(outcome(2), ItemOutcome::Unknown(_)),
        "lookalike: {:?}",
        outcome(2)
    );
    assert!(
        matches!(outcome(3), ItemOutcome::Created(_)),
        "{:?}",
        outcome(3)
    );
    // Nothing unknown was sent again.
    assert_eq!(creates(&sandbox), 2);
}

#[tokio::test]
async fn a_rerun_with_the_ledger_sends_only_what_changed() {
    let (sandbox, client) = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("campaign");
    std::fs::create_dir(&folder).unwrap();
    for name in ["poster.png", "photo.jpg", "brief.pdf"] {
        std::fs::copy(fixture_path(name), folder.join(name)).unwrap();
    }
    let ledger_path = dir.path().join("ledger.jsonl");
    let run = |force: bool| {
        let ledger = Arc::new(Mutex::new(Ledger::open(&ledger_path).unwrap()));
        let mut upload = client
            .upload(sandbox.organization_id(), sandbox.workspace_id())
            .text("Tagline", "Made to be seen")
            .tag("summer")
            .ledger(ledger)
            .force(force);
        for name in ["poster.png", "photo.jpg", "brief.pdf"] {
            upload = upload.file(folder.join(name));
        }
        upload.send_batched()
    };

    let first = run(false).await.unwrap();
    assert_eq!(first.created().count(), 4);
    assert_eq!(sandbox.assets().len(), 4);
    let recorded = Ledger::open(&ledger_path).unwrap();
    assert_eq!(recorded.entries().len(), 4);
    let poster = std::fs::read(folder.join("poster.png")).unwrap();
    let poster_entry = recorded
        .entries()
        .iter()
        .find(|e| e.name == "poster.png")
        .unwrap();
    assert_eq!(
        poster_entry.sha256,
        sha256_hex(&poster),
        "hashed while sent"
    );

    let second = run(false).await.unwrap();
    assert_eq!(second.requests, 0, "nothing sent");
    assert_eq!(second.skipped().count(), 4);
    for (item, created) in second.items.iter().zip(first.created()) {
        assert!(
            matches!(&item.outcome, ItemOutcome::Skipped { asset_id } if *asset_id == created.id)
        );
    }
    assert_eq!(sandbox.assets().len(), 4);

    // One file changes: only it goes.
    let mut changed = std::fs::read(fixture_path("photo.jpg")).unwrap();
    changed.extend_from_slice(b"edited");
    std::fs::write(folder.join("photo.jpg"), &changed).unwrap();
    let third = run(false).await.unwrap();
    assert_eq!(
        third.created().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["photo.jpg"]
    );
    assert_eq!(third.skipped().count(), 3);
    assert_eq!(sandbox.assets().len(), 5);

    // A touched but unchanged file is recognised by its hash.
    let now = std::time::SystemTime::now();
    std::fs::File::options()
        .write(true)
        .open(folder.join("brief.pdf"))
        .unwrap()
        .set_modified(now + std::time::Duration::from_secs(5))
        .unwrap();
    let fourth = run(false).await.unwrap();
    assert_eq!(fourth.skipped().count(), 4);

    // --force sends everything again.
    let forced = run(true).await.unwrap();
    assert_eq!(forced.created().count(), 4);
    assert_eq!(sandbox.assets().len(), 9);
}
