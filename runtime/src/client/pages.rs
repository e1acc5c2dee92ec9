//! Auto-pagination: the generated `<operation>_stream(request)` methods of paginated operations
//! (`x-pagination`, or Oxide's `x-dropshot-pagination`) return a [`futures_core::Stream`] of
//! items that fetches pages lazily — the next page only when the items of this one are used up
//! — and ends where the API says the listing ends: an empty page, `has_more: false`, the
//! documented total reached, or no next-page token. A failed page ends the stream with its
//! error. [`collect_at_most`] gathers a bounded number of items.
//!
//! The helpers below are what generated step functions call; users need only the stream and
//! [`collect_at_most`].

use std::future::Future;

pub use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;

use super::Error;
use crate::Nullable;

/// Every item of the pages `fetch` returns, starting from `request`. `body_of` takes the
/// listing's success body out of a response (an error otherwise); `step` takes the items out
/// of a body, moves `request` to the next page, and says whether there is one (`seen`: items
/// before this page).
#[doc(hidden)]
pub fn paginate<'a, Request, Response, Body, Item, Fetch, Fut>(
    request: Request,
    fetch: Fetch,
    body_of: fn(Response) -> Result<Body, Error>,
    step: fn(&mut Request, Body, usize) -> (Vec<Item>, bool),
) -> impl Stream<Item = Result<Item, Error>> + Send + 'a
where
    Request: Send + 'a,
    Response: 'a,
    Body: 'a,
    Item: Send + 'a,
    Fetch: FnMut(Request) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Response, Error>> + Send + 'a,
    Request: Clone,
{
    let state = (Some(request), fetch, 0usize);
    stream::unfold(state, move |(request, mut fetch, seen)| async move {
        let mut request = request?;
        let page = match fetch(request.clone()).await.and_then(body_of) {
            Ok(body) => body,
            Err(error) => return Some((vec![Err(error)], (None, fetch, seen))),
        };
        let (items, more) = step(&mut request, page, seen);
        let seen = seen + items.len();
        let next = more.then_some(request);
        Some((items.into_iter().map(Ok).collect(), (next, fetch, seen)))
    })
    .flat_map(stream::iter)
}

/// At most `limit` items of `stream` (no further page is fetched once it is reached), or the
/// first error.
pub async fn collect_at_most<T, S>(stream: S, limit: usize) -> Result<Vec<T>, Error>
where
    S: Stream<Item = Result<T, Error>>,
{
    let mut stream = std::pin::pin!(stream.take(limit));
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item?);
    }
    Ok(items)
}

/// A page's items, whatever the field's presence.
#[doc(hidden)]
pub trait Items<T> {
    /// The items (none when the field is absent or `null`).
    fn into_items(self) -> Vec<T>;
}

impl<T> Items<T> for Vec<T> {
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<T> Items<T> for Option<Vec<T>> {
    fn into_items(self) -> Vec<T> {
        self.unwrap_or_default()
    }
}

impl<T> Items<T> for Nullable<Vec<T>> {
    fn into_items(self) -> Vec<T> {
        match self {
            Nullable::Value(items) => items,
            _ => Vec::new(),
        }
    }
}

/// An untyped payload's items: the elements of an array (none for anything else).
impl Items<serde_json::Value> for serde_json::Value {
    fn into_items(self) -> Vec<serde_json::Value> {
        match self {
            serde_json::Value::Array(items) => items,
            _ => Vec::new(),
        }
    }
}

impl Items<serde_json::Value> for Option<serde_json::Value> {
    fn into_items(self) -> Vec<serde_json::Value> {
        self.map(Items::into_items).unwrap_or_default()
    }
}

impl Items<serde_json::Value> for Nullable<serde_json::Value> {
    fn into_items(self) -> Vec<serde_json::Value> {
        match self {
            Nullable::Value(value) => value.into_items(),
            _ => Vec::new(),
        }
    }
}

/// A page's items.
#[doc(hidden)]
pub fn items<T>(field: impl Items<T>) -> Vec<T> {
    field.into_items()
}

/// A field read as text (cursors, tokens): `None` when absent, `null` or empty.
#[doc(hidden)]
pub trait Text {
    /// The text, if any.
    fn text(&self) -> Option<String>;
}

impl Text for String {
    fn text(&self) -> Option<String> {
        (!self.is_empty()).then(|| self.clone())
    }
}

impl<T: Text> Text for Option<T> {
    fn text(&self) -> Option<String> {
        self.as_ref().and_then(Text::text)
    }
}

impl<T: Text> Text for Nullable<T> {
    fn text(&self) -> Option<String> {
        match self {
            Nullable::Value(value) => value.text(),
            _ => None,
        }
    }
}

/// A field as text.
#[doc(hidden)]
pub fn text(field: &impl Text) -> Option<String> {
    field.text()
}

/// A request field that takes a cursor or token.
#[doc(hidden)]
pub trait SetText {
    /// Sets it to `text`.
    fn set_text(&mut self, text: String);
}

impl SetText for String {
    fn set_text(&mut self, text: String) {
        *self = text;
    }
}

impl SetText for Option<String> {
    fn set_text(&mut self, text: String) {
        *self = Some(text);
    }
}

/// Moves a request's cursor or token field to `text` when `more` pages follow and there is a
/// `text` to move to; true when it moved (the stream goes on).
#[doc(hidden)]
pub fn advance_text(field: &mut impl SetText, text: Option<String>, more: bool) -> bool {
    match text {
        Some(text) if more => {
            field.set_text(text);
            true
        }
        _ => false,
    }
}

/// [`advance_text`] for a next-page token: the listing goes on unless the body says
/// `has_more: false`, or gives no token.
#[doc(hidden)]
pub fn advance_token(
    field: &mut impl SetText,
    token: Option<String>,
    has_more: Option<bool>,
) -> bool {
    advance_text(field, token, has_more != Some(false))
}

/// The error a stream ends with when a page's response is not the listing's success.
#[doc(hidden)]
pub fn failed_page<Body>(status: u16, response: &impl std::fmt::Debug) -> Result<Body, Error> {
    Err(Error::Page {
        status,
        response: format!("{response:?}"),
    })
}

/// A numeric field (page numbers, offsets, totals) of any width and presence.
#[doc(hidden)]
pub trait Number {
    /// The value, if any.
    fn number(&self) -> Option<f64>;
    /// Sets it to `value`.
    fn set_number(&mut self, value: f64);
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn number(&self) -> Option<f64> {
                Some(*self as f64)
            }
            fn set_number(&mut self, value: f64) {
                *self = value as $t;
            }
        }
    )*};
}
numbers!(i32, i64, u32, u64, f32, f64);

impl<T: Number + Default> Number for Option<T> {
    fn number(&self) -> Option<f64> {
        self.as_ref().and_then(Number::number)
    }
    fn set_number(&mut self, value: f64) {
        let mut inner = T::default();
        inner.set_number(value);
        *self = Some(inner);
    }
}

impl<T: Number> Number for Nullable<T> {
    fn number(&self) -> Option<f64> {
        match self {
            Nullable::Value(value) => value.number(),
            _ => None,
        }
    }
    fn set_number(&mut self, _: f64) {}
}

/// A field as a number.
#[doc(hidden)]
pub fn number(field: &impl Number) -> Option<f64> {
    field.number()
}

/// Moves a page-number field to the next page; an unset one was the first page, `start`.
#[doc(hidden)]
pub fn next_page(field: &mut impl Number, start: f64) {
    let current = field.number().unwrap_or(start);
    field.set_number(current + 1.0);
}

/// Moves an offset field past the `count` items just read.
#[doc(hidden)]
pub fn next_offset(field: &mut impl Number, count: usize) {
    let current = field.number().unwrap_or(0.0);
    field.set_number(current + count as f64);
}

/// A boolean field (`has_more`) of any presence.
#[doc(hidden)]
pub trait Flag {
    /// The value, if any.
    fn flag(&self) -> Option<bool>;
}

impl Flag for bool {
    fn flag(&self) -> Option<bool> {
        Some(*self)
    }
}

impl Flag for Option<bool> {
    fn flag(&self) -> Option<bool> {
        *self
    }
}

impl Flag for Nullable<bool> {
    fn flag(&self) -> Option<bool> {
        match self {
            Nullable::Value(value) => Some(*value),
            _ => None,
        }
    }
}

/// A boolean field; `None` when absent.
#[doc(hidden)]
pub fn flag(field: &impl Flag) -> Option<bool> {
    field.flag()
}

/// Whether a numbered or offset listing goes on after a page of `count` items, `seen` before
/// it: not after an empty page, not past the total when one is given, not when `has_more` says
/// no.
#[doc(hidden)]
pub fn more_after(count: usize, seen: usize, total: Option<f64>, has_more: Option<bool>) -> bool {
    count > 0
        && has_more != Some(false)
        && total.is_none_or(|total| ((seen + count) as f64) < total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_cursors_advance_only_while_more_pages_follow() {
        let mut token: Option<String> = None;
        assert!(advance_token(&mut token, Some("t2".into()), None));
        assert_eq!(token.as_deref(), Some("t2"));
        assert!(!advance_token(&mut token, Some("t3".into()), Some(false)));
        assert!(!advance_token(&mut token, None, Some(true)));
        assert_eq!(token.as_deref(), Some("t2"));
        let mut cursor = String::new();
        assert!(!advance_text(&mut cursor, Some("id-9".into()), false));
        assert!(cursor.is_empty());
        assert!(advance_text(&mut cursor, Some("id-9".into()), true));
        assert_eq!(cursor, "id-9");
        match failed_page::<()>(503, &"Unavailable") {
            Err(Error::Page { status, response }) => {
                assert_eq!((status, response.as_str()), (503, "\"Unavailable\""))
            }
            other => panic!("not a page error: {other:?}"),
        }
    }

    #[test]
    fn fields_of_any_presence_read_and_advance() {
        let mut page: Option<i32> = None;
        next_page(&mut page, 1.0);
        assert_eq!(page, Some(2));
        next_page(&mut page, 1.0);
        assert_eq!(page, Some(3));
        let mut offset: i64 = 0;
        next_offset(&mut offset, 25);
        assert_eq!(offset, 25);
        let mut limit: Option<f64> = Some(10.0);
        next_offset(&mut limit, 5);
        assert_eq!(limit, Some(15.0));
        assert_eq!(text(&Some(String::new())), None);
        assert_eq!(text(&Nullable::Value("t".to_string())), Some("t".into()));
        let mut cursor: Option<String> = None;
        cursor.set_text("id_9".into());
        assert_eq!(cursor.as_deref(), Some("id_9"));
        assert_eq!(items(Option::<Vec<u8>>::None), Vec::<u8>::new());
        assert_eq!(flag(&Nullable::<bool>::Null), None);
    }

    #[test]
    fn numbered_listings_end_at_an_empty_page_the_total_or_has_more_false() {
        assert!(more_after(20, 0, None, None));
        assert!(!more_after(0, 40, None, None));
        assert!(!more_after(20, 60, Some(80.0), None));
        assert!(more_after(20, 40, Some(82.0), None));
        assert!(!more_after(20, 0, None, Some(false)));
    }
}
