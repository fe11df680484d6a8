//! Streams over every page, or every item, of a list operation.
//!
//! Generated from `x-hwc-paging`: each paged operation's builder gets a
//! `paginate()` that fills in how to fetch one page and where its items,
//! total and next marker are. The stream asks for the next page only when
//! the previous one is consumed, so memory stays bounded by one page whatever
//! the total.
//!
//! [`PageWalk`] is the one place that decides what the next request asks for
//! and when the walk ends, for the typed streams here and for the task view's
//! listings over raw JSON: an offset advances by the items received (so
//! nothing is skipped or repeated at page boundaries), a page number by one,
//! a marker becomes the one the page gave. The walk ends on an empty page, on
//! the reported total, on a marker field that is absent or empty, and,
//! without a total or a marker field, on a short page. A service that hands
//! back the marker it was sent would loop forever; that ends the walk with an
//! error.

use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::{NextMarker, PageStyle, Paging};
use crate::error::{Error, ErrorKind};

/// Where the next page starts: what a request puts in the paging parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Position {
    /// An offset or a page number.
    Number(u64),
    /// A marker; `None` on the first request, which sends none.
    Marker(Option<String>),
}

impl Position {
    /// The number, for offset and page-number walks (0 for a marker, which
    /// generated code never asks a marker walk for).
    pub(crate) fn number(&self) -> u64 {
        match self {
            Position::Number(n) => *n,
            Position::Marker(_) => 0,
        }
    }

    /// The marker to send, if any.
    #[allow(
        dead_code,
        reason = "called by the generated paginate() of marker walks"
    )]
    pub(crate) fn marker(&self) -> Option<&str> {
        match self {
            Position::Marker(marker) => marker.as_deref(),
            Position::Number(_) => None,
        }
    }

    /// The value of the paging parameter as query text; `None` when the
    /// request carries none.
    pub(crate) fn query_value(&self) -> Option<String> {
        match self {
            Position::Number(n) => Some(n.to_string()),
            Position::Marker(marker) => marker.clone(),
        }
    }
}

/// What one page says about the walk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageFacts {
    /// Items in the page.
    pub(crate) count: u64,
    /// The total the service reports, if any.
    pub(crate) total: Option<u64>,
    /// The marker of the next page, if the walk uses markers.
    pub(crate) next_marker: Option<String>,
}

/// The state of a walk over the pages of one list.
#[derive(Debug, Clone)]
pub(crate) struct PageWalk {
    paging: Paging,
    page_size: u64,
    position: Position,
    received: u64,
    done: bool,
}

impl PageWalk {
    pub(crate) fn new(paging: Paging, page_size: u64) -> Self {
        let position = match paging.style {
            PageStyle::Offset { first, .. } | PageStyle::PageNumber { first, .. } => {
                Position::Number(first)
            }
            PageStyle::Marker { .. } => Position::Marker(None),
        };
        Self {
            paging,
            page_size,
            position,
            received: 0,
            done: false,
        }
    }

    /// Where the next request starts, or `None` when the walk is over.
    pub(crate) fn next(&self) -> Option<&Position> {
        (!self.done).then_some(&self.position)
    }

    /// Ends the walk (after a failed request).
    pub(crate) fn stop(&mut self) {
        self.done = true;
    }

    /// Takes in one page. A marker the service gives back unchanged ends
    /// the walk and is returned as the error's text.
    pub(crate) fn advance(&mut self, page: &PageFacts) -> Result<(), String> {
        self.received += page.count;
        let short = page.count < self.page_size;
        let mut ended = page.count == 0 || page.total.is_some_and(|t| self.received >= t);
        match (self.paging.style, &mut self.position) {
            (PageStyle::Offset { .. }, Position::Number(n)) => {
                *n += page.count;
                ended |= page.total.is_none() && short;
            }
            (PageStyle::PageNumber { .. }, Position::Number(n)) => {
                *n += 1;
                ended |= page.total.is_none() && short;
            }
            (PageStyle::Marker { next, .. }, Position::Marker(current)) => {
                let given = page.next_marker.clone().filter(|m| !m.is_empty());
                match next {
                    NextMarker::Field(_) => ended |= given.is_none(),
                    NextMarker::LastItem(_) => {
                        ended |= given.is_none() || (page.total.is_none() && short)
                    }
                }
                if !ended && given == *current {
                    self.done = true;
                    return Err(format!(
                        "the service gave back the marker it was sent ({:?}); the walk \
                         stops rather than repeat the page",
                        given.unwrap_or_default()
                    ));
                }
                *current = given;
            }
            // The position always matches the style it was made for.
            _ => ended = true,
        }
        self.done = ended;
        Ok(())
    }
}

/// A response field holding the total number of items, whatever its Rust
/// type: an integer of any width, a [`crate::scalars::Count`], a string
/// holding a number, optional or not.
pub(crate) trait TotalField {
    fn total(&self) -> Option<u64>;
}

/// A response field holding a marker: a string (empty means none) or an
/// integer, optional or not.
#[allow(
    dead_code,
    reason = "called by the generated paginate() of marker walks"
)]
pub(crate) trait MarkerField {
    fn marker(&self) -> Option<String>;
}

macro_rules! integer_fields {
    ($($t:ty),*) => {$(
        impl TotalField for $t {
            fn total(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
        impl MarkerField for $t {
            fn marker(&self) -> Option<String> {
                Some(self.to_string())
            }
        }
    )*};
}
integer_fields!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

impl TotalField for crate::scalars::Count {
    fn total(&self) -> Option<u64> {
        Some(self.get())
    }
}

impl TotalField for String {
    fn total(&self) -> Option<u64> {
        self.trim().parse().ok()
    }
}

impl MarkerField for String {
    fn marker(&self) -> Option<String> {
        (!self.is_empty()).then(|| self.clone())
    }
}

impl<T: TotalField> TotalField for Option<T> {
    fn total(&self) -> Option<u64> {
        self.as_ref().and_then(T::total)
    }
}

impl<T: MarkerField> MarkerField for Option<T> {
    fn marker(&self) -> Option<String> {
        self.as_ref().and_then(T::marker)
    }
}

impl<T: TotalField> TotalField for Box<T> {
    fn total(&self) -> Option<u64> {
        (**self).total()
    }
}

impl<T: MarkerField> MarkerField for Box<T> {
    fn marker(&self) -> Option<String> {
        (**self).marker()
    }
}

/// A response field holding a page's items, required (`Vec`) or not.
pub(crate) trait ItemsField {
    type Item;
    fn count(&self) -> usize;
    #[allow(
        dead_code,
        reason = "called by the generated paginate() of last-item marker walks"
    )]
    fn last(&self) -> Option<&Self::Item>;
    fn into_items(self) -> Vec<Self::Item>;
}

impl<T> ItemsField for Vec<T> {
    type Item = T;
    fn count(&self) -> usize {
        self.len()
    }
    fn last(&self) -> Option<&T> {
        self.as_slice().last()
    }
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<T> ItemsField for Option<Vec<T>> {
    type Item = T;
    fn count(&self) -> usize {
        self.as_ref().map_or(0, Vec::len)
    }
    fn last(&self) -> Option<&T> {
        self.as_ref().and_then(|items| items.as_slice().last())
    }
    fn into_items(self) -> Vec<T> {
        self.unwrap_or_default()
    }
}

type FetchPage<'a, P> = Box<
    dyn FnMut(Position, u64) -> Pin<Box<dyn Future<Output = Result<P, Error>> + Send + 'a>>
        + Send
        + 'a,
>;

/// How to read one page of a paged operation (filled in by generated code).
pub(crate) struct PageShape<P, I> {
    /// Total number of items the service reports, if any.
    pub(crate) total: fn(&P) -> Option<u64>,
    /// Number of items in the page.
    pub(crate) count: fn(&P) -> usize,
    /// The next page's marker, for marker walks (`None` otherwise).
    pub(crate) next_marker: fn(&P) -> Option<String>,
    /// Moves the items out of the page.
    pub(crate) items: fn(P) -> Vec<I>,
}

/// Walks a list operation page by page. Build one with the generated
/// `paginate()` on an operation builder.
pub struct Paginator<'a, P, I> {
    operation: &'static str,
    paging: Paging,
    page_size: u64,
    fetch: FetchPage<'a, P>,
    shape: PageShape<P, I>,
}

impl<'a, P: Send + 'a, I: Send + 'a> Paginator<'a, P, I> {
    /// Used by generated code.
    pub(crate) fn new<F, Fut>(
        operation: &'static str,
        paging: Paging,
        mut fetch: F,
        shape: PageShape<P, I>,
    ) -> Self
    where
        F: FnMut(Position, u64) -> Fut + Send + 'a,
        Fut: Future<Output = Result<P, Error>> + Send + 'a,
    {
        Self {
            operation,
            paging,
            page_size: paging.max_page_size,
            fetch: Box::new(move |position, limit| Box::pin(fetch(position, limit))),
            shape,
        }
    }

    /// Items per request; defaults to the operation's maximum. A size of 0 or
    /// above the maximum is refused when the stream is polled.
    pub fn page_size(mut self, size: u64) -> Self {
        self.page_size = size;
        self
    }

    /// The pages, one request each.
    pub fn pages(self) -> BoxStream<'a, Result<P, Error>> {
        let Paginator {
            operation,
            paging,
            page_size,
            fetch,
            shape,
        } = self;
        let max_page_size = paging.max_page_size;
        if page_size == 0 || page_size > max_page_size {
            let error = Error::new(
                ErrorKind::InvalidArgument,
                operation,
                format!("page size {page_size} is out of range: allowed 1..={max_page_size}"),
            );
            return stream::once(async move { Err(error) }).boxed();
        }
        let state = (fetch, PageWalk::new(paging, page_size));
        stream::unfold(state, move |(mut fetch, mut walk)| async move {
            let position = walk.next()?.clone();
            match fetch(position, page_size).await {
                Err(e) => {
                    walk.stop();
                    Some((Err(e), (fetch, walk)))
                }
                Ok(page) => {
                    let facts = PageFacts {
                        count: (shape.count)(&page) as u64,
                        total: (shape.total)(&page),
                        next_marker: (shape.next_marker)(&page),
                    };
                    let result = match walk.advance(&facts) {
                        Ok(()) => Ok(page),
                        Err(message) => Err(Error::new(ErrorKind::Decode, operation, message)),
                    };
                    Some((result, (fetch, walk)))
                }
            }
        })
        .boxed()
    }

    /// The items of every page, in order.
    pub fn items(self) -> BoxStream<'a, Result<I, Error>> {
        let items = self.shape.items;
        self.pages()
            .map_ok(move |page| stream::iter(items(page).into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_gives_its_marker_only_for_a_marker_walk() {
        assert_eq!(Position::Marker(Some("m-2".into())).marker(), Some("m-2"));
        assert_eq!(Position::Marker(None).marker(), None);
        assert_eq!(Position::Number(3).marker(), None);
    }

    const OFFSET: Paging = Paging {
        style: PageStyle::Offset {
            param: "offset",
            first: 0,
        },
        limit: "limit",
        items: "items",
        total: Some("total"),
        max_page_size: 10,
    };

    fn facts(count: u64, total: Option<u64>, next_marker: Option<&str>) -> PageFacts {
        PageFacts {
            count,
            total,
            next_marker: next_marker.map(str::to_string),
        }
    }

    /// The positions a walk asks for, page by page, until it ends.
    fn positions(paging: Paging, page_size: u64, pages: &[PageFacts]) -> Vec<Position> {
        let mut walk = PageWalk::new(paging, page_size);
        let mut seen = Vec::new();
        for page in pages {
            let Some(position) = walk.next() else { break };
            seen.push(position.clone());
            walk.advance(page).expect("no loop");
        }
        assert!(walk.next().is_none(), "the walk ended: {seen:?}");
        seen
    }

    #[test]
    fn an_offset_advances_by_the_items_received_until_the_total() {
        let seen = positions(
            OFFSET,
            10,
            &[
                facts(10, Some(25), None),
                facts(9, Some(25), None),
                facts(6, Some(25), None),
            ],
        );
        assert_eq!(
            seen,
            [
                Position::Number(0),
                Position::Number(10),
                Position::Number(19)
            ]
        );
    }

    #[test]
    fn a_start_counting_from_one_begins_there() {
        let paging = Paging {
            style: PageStyle::Offset {
                param: "start",
                first: 1,
            },
            total: None,
            ..OFFSET
        };
        let seen = positions(paging, 2, &[facts(2, None, None), facts(1, None, None)]);
        assert_eq!(seen, [Position::Number(1), Position::Number(3)]);
    }

    #[test]
    fn a_page_number_advances_by_one_and_ends_on_a_short_page() {
        let paging = Paging {
            style: PageStyle::PageNumber {
                param: "page_no",
                first: 1,
            },
            total: None,
            ..OFFSET
        };
        let seen = positions(
            paging,
            3,
            &[
                facts(3, None, None),
                facts(3, None, None),
                facts(2, None, None),
            ],
        );
        assert_eq!(
            seen,
            [
                Position::Number(1),
                Position::Number(2),
                Position::Number(3)
            ]
        );
    }

    #[test]
    fn a_page_number_ends_on_an_empty_page_and_on_the_total() {
        let paging = Paging {
            style: PageStyle::PageNumber {
                param: "page",
                first: 0,
            },
            ..OFFSET
        };
        assert_eq!(
            positions(
                paging,
                2,
                &[facts(2, Some(10), None), facts(0, Some(10), None)]
            ),
            [Position::Number(0), Position::Number(1)]
        );
        assert_eq!(
            positions(
                paging,
                2,
                &[facts(2, Some(4), None), facts(2, Some(4), None)]
            ),
            [Position::Number(0), Position::Number(1)]
        );
    }

    #[test]
    fn a_marker_field_is_followed_until_it_is_absent_or_empty() {
        let paging = Paging {
            style: PageStyle::Marker {
                param: "marker",
                next: NextMarker::Field("page_info.next_marker"),
            },
            total: None,
            ..OFFSET
        };
        // A short page with a next marker goes on: the marker decides.
        let seen = positions(
            paging,
            5,
            &[
                facts(2, None, Some("m1")),
                facts(5, None, Some("m2")),
                facts(5, None, Some("")),
            ],
        );
        assert_eq!(
            seen,
            [
                Position::Marker(None),
                Position::Marker(Some("m1".into())),
                Position::Marker(Some("m2".into()))
            ]
        );
        assert_eq!(
            positions(paging, 5, &[facts(5, None, None)]),
            [Position::Marker(None)]
        );
    }

    #[test]
    fn a_last_item_marker_ends_on_a_short_page_without_a_total() {
        let paging = Paging {
            style: PageStyle::Marker {
                param: "marker",
                next: NextMarker::LastItem("id"),
            },
            total: None,
            ..OFFSET
        };
        let seen = positions(
            paging,
            2,
            &[facts(2, None, Some("b")), facts(1, None, Some("c"))],
        );
        assert_eq!(
            seen,
            [Position::Marker(None), Position::Marker(Some("b".into()))]
        );
    }

    #[test]
    fn a_marker_given_back_unchanged_ends_the_walk_with_an_error() {
        let paging = Paging {
            style: PageStyle::Marker {
                param: "marker",
                next: NextMarker::Field("next"),
            },
            total: None,
            ..OFFSET
        };
        let mut walk = PageWalk::new(paging, 2);
        walk.advance(&facts(2, None, Some("m")))
            .expect("first page");
        let error = walk
            .advance(&facts(2, None, Some("m")))
            .expect_err("a loop");
        assert!(error.contains("\"m\""), "{error}");
        assert!(walk.next().is_none());
    }

    #[test]
    fn totals_and_markers_read_every_shape() {
        assert_eq!(5_i32.total(), Some(5));
        assert_eq!((-1_i64).total(), None);
        assert_eq!(Some(7_u64).total(), Some(7));
        assert_eq!(" 12 ".to_string().total(), Some(12));
        assert_eq!("x".to_string().total(), None);
        assert_eq!(Some(crate::scalars::Count(3)).total(), Some(3));
        assert_eq!(Box::new(4_u32).total(), Some(4));
        assert_eq!(None::<i32>.total(), None);
        assert_eq!(String::new().marker(), None);
        assert_eq!(Some("m".to_string()).marker(), Some("m".into()));
        assert_eq!(42_i64.marker(), Some("42".into()));
        assert_eq!(Some(vec![1, 2]).count(), 2);
        assert_eq!(None::<Vec<u8>>.count(), 0);
        assert_eq!(vec![1, 2].last(), Some(&2));
        assert_eq!(None::<Vec<u8>>.into_items(), Vec::<u8>::new());
        // A required items field (`Vec`, as a spec that lists the items
        // array under `required` gives it).
        assert_eq!(vec![1, 2, 3].count(), 3);
        assert_eq!(Vec::<u8>::new().count(), 0);
        assert_eq!(vec![4, 5].into_items(), vec![4, 5]);
        assert_eq!(Some(vec![6, 7]).last(), Some(&7));
        assert_eq!(None::<Vec<u8>>.last(), None);
    }
}
