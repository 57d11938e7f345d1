//! The paginator's rules, on listings made up in memory.
use std::sync::Mutex;

use futures::{FutureExt as _, StreamExt as _};

use super::*;

/// The cursors a test listing was asked for, in order.
type CursorLog = Arc<Mutex<Vec<Option<String>>>>;

/// A listing of `pages` pages of 2 items; `fail_at` fails the page with that index once.
fn listing(pages: usize, fail_at: Option<usize>) -> (FetchPage<u32>, CursorLog) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let failed = Arc::new(Mutex::new(false));
    let log = seen.clone();
    let fetch: FetchPage<u32> = Arc::new(move |cursor: Option<Cursor>| {
        let log = log.clone();
        let failed = failed.clone();
        async move {
            let index: usize = cursor
                .as_ref()
                .map_or(0, |c| c.as_str().parse().expect("numeric cursor"));
            log.lock()
                .expect("lock")
                .push(cursor.as_ref().map(|c| c.0.clone()));
            let mut failed = failed.lock().expect("lock");
            if Some(index) == fail_at && !*failed {
                *failed = true;
                return Err(Error::Transport {
                    operation: "test",
                    source: "boom".into(),
                });
            }
            let first = u32::try_from(index * 2).expect("small");
            Ok(Page {
                items: vec![first, first + 1],
                cursor: None,
                next_cursor: (index + 1 < pages).then(|| Cursor((index + 1).to_string())),
            })
        }
        .boxed()
    });
    (fetch, seen)
}

#[tokio::test]
async fn follows_cursors_to_the_end() {
    let (fetch, seen) = listing(3, None);
    let items: Vec<u32> = Pages::new(fetch, None)
        .items()
        .map(|i| i.expect("ok"))
        .collect()
        .await;
    assert_eq!(items, vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(
        *seen.lock().expect("lock"),
        vec![None, Some("1".into()), Some("2".into())]
    );
}

#[tokio::test]
async fn sends_nothing_until_polled() {
    let (fetch, seen) = listing(3, None);
    let pages = Pages::new(fetch, None);
    tokio::task::yield_now().await;
    assert!(seen.lock().expect("lock").is_empty());
    drop(pages);
}

#[tokio::test]
async fn an_error_carries_the_cursor_to_resume_from_and_nothing_repeats() {
    let (fetch, _) = listing(3, Some(1));
    let mut delivered = Vec::new();
    let mut stream = Pages::new(fetch.clone(), None).items();
    let mut resume = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => delivered.push(item),
            Err(error) => resume = Some(error.resume_from),
        }
    }
    let resume = resume.expect("the second page failed");
    assert_eq!(resume, Some(Cursor::new("1")));
    let rest: Vec<u32> = Pages::new(fetch, resume)
        .items()
        .map(|i| i.expect("ok"))
        .collect()
        .await;
    delivered.extend(rest);
    assert_eq!(delivered, vec![0, 1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_repeated_or_empty_cursor_ends_the_listing() {
    let calls = Arc::new(Mutex::new(0));
    let counter = calls.clone();
    let fetch: FetchPage<u32> = Arc::new(move |_| {
        *counter.lock().expect("lock") += 1;
        async {
            Ok(Page {
                items: vec![1],
                cursor: None,
                next_cursor: Some(Cursor::new("same")),
            })
        }
        .boxed()
    });
    let pages: Vec<_> = Pages::new(fetch, Some(Cursor::new("same"))).collect().await;
    assert_eq!(pages.len(), 1);
    assert_eq!(*calls.lock().expect("lock"), 1);
    assert_eq!(Cursor::next(Some(String::new())), None);
    assert_eq!(Cursor::next(None), None);
}
