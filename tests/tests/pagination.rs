//! The generated `<operation>_stream` methods (fixture `specs/pagination.yaml`, one listing per
//! style: page numbers, offsets, cursors, next-page tokens) against a generated server holding
//! 23 items, over HTTP on loopback: every item once and in order, pages fetched only as the
//! stream is read, the end found by an empty page, the total, `has_more` or a missing token,
//! and a page failing mid-way.

mod common;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use specgen_runtime::client::pages::collect_at_most;

mod listings {
    specgen_macros::generate!("specs/pagination.yaml");
}

use listings::client::{Client, Error};
use listings::operations::*;
use listings::server::{Api, router};
use listings::types::{CursorPage, Envelope, Item, NumberedPage, OffsetPage, Problem, TokenPage};

const ITEMS: usize = 23;
const PAGE: usize = 5;

/// A listing of 23 items that counts the pages it serves and can fail at one of them.
#[derive(Clone, Default)]
struct Listing {
    fetches: Arc<AtomicUsize>,
    /// The 1-based page (by fetch count) that answers 503.
    fail_at: Option<usize>,
    queries: Arc<Mutex<Vec<String>>>,
}

fn item(index: usize) -> Item {
    Item {
        id: format!("it_{index:02}"),
        n: index as i64,
    }
}

fn window(start: usize) -> Vec<Item> {
    (start..(start + PAGE).min(ITEMS)).map(item).collect()
}

impl Listing {
    fn failing_at(page: usize) -> Self {
        Listing {
            fail_at: Some(page),
            ..Listing::default()
        }
    }

    /// Counts the fetch; true when it must fail.
    fn fetch(&self, query: String) -> bool {
        self.queries.lock().unwrap().push(query);
        let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        self.fail_at == Some(n)
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

fn unavailable() -> Problem {
    Problem {
        message: "try later".into(),
    }
}

impl Api for Listing {
    fn list_numbered(
        &self,
        request: ListNumberedRequest,
    ) -> impl Future<Output = ListNumberedResponse> + Send {
        let page = request.page.unwrap_or(1) as usize;
        let fail = self.fetch(format!("page={page}"));
        let total = request.total_known.unwrap_or(true);
        std::future::ready(if fail {
            ListNumberedResponse::Default {
                status: 503,
                body: unavailable(),
            }
        } else {
            ListNumberedResponse::Ok(NumberedPage {
                page: page as i32,
                total_entries: total.then_some(ITEMS as i64),
                results: window((page - 1) * PAGE),
            })
        })
    }

    fn list_offset(
        &self,
        request: ListOffsetRequest,
    ) -> impl Future<Output = ListOffsetResponse> + Send {
        let offset = request.offset.unwrap_or(0) as usize;
        self.fetch(format!("offset={offset}"));
        let items = window(offset);
        std::future::ready(ListOffsetResponse::Ok(OffsetPage {
            has_more: offset + items.len() < ITEMS,
            items,
        }))
    }

    fn list_cursor(
        &self,
        request: ListCursorRequest,
    ) -> impl Future<Output = ListCursorResponse> + Send {
        let start = match &request.starting_after {
            Some(id) => id.trim_start_matches("it_").parse::<usize>().unwrap() + 1,
            None => 0,
        };
        self.fetch(format!("starting_after={:?}", request.starting_after));
        // No total and no has_more: the listing ends at the first empty page.
        std::future::ready(ListCursorResponse::Ok(CursorPage {
            data: if start >= ITEMS {
                Vec::new()
            } else {
                window(start)
            },
        }))
    }

    fn search(&self, request: SearchRequest) -> impl Future<Output = SearchResponse> + Send {
        let offset = request.body.offset.unwrap_or(0) as usize;
        self.fetch(format!("offset={offset} query={:?}", request.body.query));
        let items: Vec<serde_json::Value> = window(offset)
            .iter()
            .map(|item| serde_json::to_value(item).unwrap())
            .collect();
        std::future::ready(SearchResponse::Ok {
            body: Envelope {
                data: serde_json::Value::Array(items).into(),
                total_count: Some(ITEMS as i64),
            },
            headers: XCorrelationIdHeaders {
                x_correlation_id: Some("c-1".into()),
            },
        })
    }

    fn list_token(
        &self,
        request: ListTokenRequest,
    ) -> impl Future<Output = ListTokenResponse> + Send {
        let start = request
            .page_token
            .as_deref()
            .map_or(0, |token| token.parse::<usize>().unwrap());
        self.fetch(format!("page_token={:?}", request.page_token));
        let items = window(start);
        let next = start + items.len();
        std::future::ready(ListTokenResponse::Ok(TokenPage {
            items,
            next_page: if next < ITEMS {
                next.to_string().into()
            } else {
                specgen_runtime::Nullable::Null
            },
        }))
    }
}

async fn client(listing: &Listing) -> Client {
    Client::new(&common::serve(router(listing.clone())).await).unwrap()
}

fn all_items() -> Vec<Item> {
    (0..ITEMS).map(item).collect()
}

async fn everything<S: futures::Stream<Item = Result<Item, Error>>>(stream: S) -> Vec<Item> {
    stream.map(|item| item.unwrap()).collect().await
}

#[tokio::test]
async fn page_numbers_stop_at_the_documented_total() {
    let listing = Listing::default();
    let client = client(&listing).await;
    let request = ListNumberedRequest {
        page: None,
        page_size: Some(PAGE as i32),
        total_known: None,
    };
    assert_eq!(
        everything(client.list_numbered_stream(request)).await,
        all_items()
    );
    // 23 items in pages of 5: pages 1-5; the total says there is no sixth.
    assert_eq!(listing.fetches(), 5);
    assert_eq!(
        listing.queries.lock().unwrap().as_slice(),
        ["page=1", "page=2", "page=3", "page=4", "page=5"]
    );
}

#[tokio::test]
async fn without_a_total_an_empty_last_page_ends_the_listing() {
    let listing = Listing::default();
    let client = client(&listing).await;
    let request = ListNumberedRequest {
        page: None,
        page_size: None,
        total_known: Some(false),
    };
    assert_eq!(
        everything(client.list_numbered_stream(request)).await,
        all_items()
    );
    assert_eq!(listing.fetches(), 6, "five pages and the empty sixth");
}

#[tokio::test]
async fn offsets_advance_by_the_items_read_until_has_more_is_false() {
    let listing = Listing::default();
    let client = client(&listing).await;
    let request = ListOffsetRequest {
        offset: None,
        limit: Some(PAGE as i64),
    };
    assert_eq!(
        everything(client.list_offset_stream(request)).await,
        all_items()
    );
    assert_eq!(
        listing.queries.lock().unwrap().as_slice(),
        [
            "offset=0",
            "offset=5",
            "offset=10",
            "offset=15",
            "offset=20"
        ]
    );
}

#[tokio::test]
async fn cursors_follow_the_last_items_id() {
    let listing = Listing::default();
    let client = client(&listing).await;
    let request = ListCursorRequest {
        starting_after: None,
        limit: None,
    };
    assert_eq!(
        everything(client.list_cursor_stream(request)).await,
        all_items()
    );
    let queries = listing.queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 6, "{queries:?}");
    assert_eq!(queries[1], r#"starting_after=Some("it_04")"#);
}

#[tokio::test]
async fn dropshot_tokens_are_followed_until_there_is_none() {
    let listing = Listing::default();
    let client = client(&listing).await;
    let request = ListTokenRequest {
        page_token: None,
        limit: None,
    };
    assert_eq!(
        everything(client.list_token_stream(request)).await,
        all_items()
    );
    assert_eq!(listing.fetches(), 5);
}

#[tokio::test]
async fn pages_are_fetched_only_as_items_are_read() {
    let listing = Listing::default();
    let client = client(&listing).await;
    let request = ListNumberedRequest {
        page: None,
        page_size: None,
        total_known: None,
    };
    let first_seven = collect_at_most(client.list_numbered_stream(request.clone()), 7)
        .await
        .unwrap();
    assert_eq!(first_seven, all_items()[..7]);
    assert_eq!(
        listing.fetches(),
        2,
        "7 items need two pages of 5, not five"
    );
    let none = collect_at_most(client.list_numbered_stream(request), 0)
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(listing.fetches(), 2, "a stream never read fetches nothing");
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error_after_the_pages_before_it() {
    let listing = Listing::failing_at(3);
    let client = client(&listing).await;
    let request = ListNumberedRequest {
        page: None,
        page_size: None,
        total_known: None,
    };
    let results: Vec<Result<Item, Error>> = client.list_numbered_stream(request).collect().await;
    let (items, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    let items: Vec<Item> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(items, all_items()[..10], "pages 1 and 2");
    assert_eq!(errors.len(), 1);
    match &errors[0] {
        Err(Error::Page { status, response }) => {
            assert_eq!(*status, 503);
            assert!(response.contains("try later"), "{response}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(listing.fetches(), 3, "nothing is fetched after the failure");
    let error = collect_at_most(
        client.list_numbered_stream(ListNumberedRequest {
            page: Some(1),
            page_size: None,
            total_known: None,
        }),
        100,
    )
    .await;
    assert!(error.is_ok(), "a fresh stream starts over: {error:?}");
}

#[tokio::test]
async fn offsets_in_a_post_body_page_an_untyped_payload() {
    let listing = Listing::default();
    let client = client(&listing).await;
    let request = SearchRequest {
        body: listings::types::SearchBody {
            query: Some("paid".into()),
            offset: None,
            limit: Some(PAGE as i64),
        },
    };
    let values: Vec<serde_json::Value> = client
        .search_stream(request)
        .map(|value| value.unwrap())
        .collect()
        .await;
    let expected: Vec<serde_json::Value> = all_items()
        .iter()
        .map(|item| serde_json::to_value(item).unwrap())
        .collect();
    assert_eq!(values, expected);
    let queries = listing.queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 5, "the total ends it: {queries:?}");
    assert_eq!(
        queries[4], r#"offset=20 query=Some("paid")"#,
        "the rest of the body is kept"
    );
}
