//! Running one call per key (instance, project...) concurrently, with a bound
//! on requests in flight, keeping every key's own result so one failure does
//! not hide the others.

use std::future::Future;

use futures_util::stream::{self, StreamExt};

/// Calls `call(key)` for every key, at most `max_in_flight` at a time, and
/// returns `(key, result)` in the order the keys were given.
pub async fn fan_out<K, T, E, F, Fut>(
    keys: impl IntoIterator<Item = K>,
    max_in_flight: usize,
    mut call: F,
) -> Vec<(K, Result<T, E>)>
where
    K: Clone,
    F: FnMut(K) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    stream::iter(keys)
        .map(|key| {
            let future = call(key.clone());
            async move { (key, future.await) }
        })
        .buffered(max_in_flight.max(1))
        .collect()
        .await
}
