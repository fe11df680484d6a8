//! Streams over every page, or every item, of a list operation.
//!
//! Generated from `x-hwc-paging`: each paged operation's builder gets a
//! `paginate()` that fills in how to fetch one page and where its items and
//! total are. The stream asks for the next page only when the previous one is
//! consumed, so memory stays bounded by one page whatever the total; it
//! advances the position by the number of items received, so nothing is
//! skipped or repeated at page boundaries, and it stops on the reported total
//! (or, when none is reported, on a short or empty page).

use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::error::{Error, ErrorKind};

type FetchPage<'a, P> = Box<
    dyn FnMut(u64, u64) -> Pin<Box<dyn Future<Output = Result<P, Error>> + Send + 'a>> + Send + 'a,
>;

/// How to read one page of a paged operation (filled in by generated code).
pub(crate) struct PageShape<P, I> {
    /// Total number of items the service reports, if any.
    pub(crate) total: fn(&P) -> Option<u64>,
    /// Number of items in the page.
    pub(crate) count: fn(&P) -> usize,
    /// Moves the items out of the page.
    pub(crate) items: fn(P) -> Vec<I>,
}

/// Walks a list operation page by page. Build one with the generated
/// `paginate()` on an operation builder.
pub struct Paginator<'a, P, I> {
    operation: &'static str,
    first_offset: u64,
    max_page_size: u64,
    page_size: u64,
    fetch: FetchPage<'a, P>,
    shape: PageShape<P, I>,
}

impl<'a, P: Send + 'a, I: Send + 'a> Paginator<'a, P, I> {
    /// Used by generated code.
    pub(crate) fn new<F, Fut>(
        operation: &'static str,
        paging: super::Paging,
        mut fetch: F,
        shape: PageShape<P, I>,
    ) -> Self
    where
        F: FnMut(u64, u64) -> Fut + Send + 'a,
        Fut: Future<Output = Result<P, Error>> + Send + 'a,
    {
        Self {
            operation,
            first_offset: paging.first_offset,
            max_page_size: paging.max_page_size,
            page_size: paging.max_page_size,
            fetch: Box::new(move |offset, limit| Box::pin(fetch(offset, limit))),
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
            first_offset,
            max_page_size,
            page_size,
            fetch,
            shape,
        } = self;
        if page_size == 0 || page_size > max_page_size {
            let error = Error::new(
                ErrorKind::InvalidArgument,
                operation,
                format!("page size {page_size} is out of range: allowed 1..={max_page_size}"),
            );
            return stream::once(async move { Err(error) }).boxed();
        }
        let state = Walk {
            fetch,
            offset: first_offset,
            received: 0,
            done: false,
        };
        stream::unfold(state, move |mut walk| async move {
            if walk.done {
                return None;
            }
            match (walk.fetch)(walk.offset, page_size).await {
                Err(e) => {
                    walk.done = true;
                    Some((Err(e), walk))
                }
                Ok(page) => {
                    let count = (shape.count)(&page) as u64;
                    walk.received += count;
                    walk.offset += count;
                    walk.done = count == 0
                        || match (shape.total)(&page) {
                            Some(total) => walk.received >= total,
                            None => count < page_size,
                        };
                    Some((Ok(page), walk))
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

struct Walk<'a, P> {
    fetch: FetchPage<'a, P>,
    offset: u64,
    received: u64,
    done: bool,
}
