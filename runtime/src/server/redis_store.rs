//! [`RedisStore`]: idempotency keys in Redis, shared by every server instance that connects to
//! it. A claim is one `SET key value NX PX lease` (atomic: one winner per key across all
//! instances); saving and releasing check the claim token inside a Lua script, so an instance
//! whose lease ran out cannot overwrite the answer of the one that claimed the key after it.

use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::ConnectionManager;

use super::idempotency::{
    Claim, ClaimToken, IdempotencyStore, SavedResponse, StoreError, StoreFuture, new_token,
};
use crate::auth::{base64_decode, base64_encode};

/// Saves `ARGV[2]` for `ARGV[3]` ms if the key still holds the claim `ARGV[1]`.
const SAVE: &str = r"if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return false";

/// Deletes the key if it still holds the claim `ARGV[1]`.
const RELEASE: &str = r"if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0";

/// Idempotency keys in Redis (feature `redis`). Cheap to clone: one multiplexed connection that
/// reconnects by itself.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    save: redis::Script,
    release: redis::Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

fn store_error(error: redis::RedisError) -> StoreError {
    StoreError(format!("redis: {error}"))
}

impl RedisStore {
    /// Connects to `url` (`redis://127.0.0.1:6379/`); keys are written under `specgen:idem:`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(store_error)?;
        let connection = ConnectionManager::new(client).await.map_err(store_error)?;
        Ok(RedisStore {
            connection,
            prefix: "specgen:idem:".to_owned(),
            save: redis::Script::new(SAVE),
            release: redis::Script::new(RELEASE),
        })
    }

    /// Writes keys under `prefix` instead (several APIs or tests sharing one Redis).
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

/// A held claim: `R<token> <fingerprint>`; a saved answer: `S` + its encoding.
fn running_value(token: &ClaimToken, fingerprint: &str) -> String {
    format!("R{} {fingerprint}", token.0)
}

/// `S<fingerprint> <status> <body, base64>` then one ` <name>:<value, base64>` per header.
fn encode_saved(saved: &SavedResponse) -> String {
    let mut out = format!(
        "S{} {} {}",
        saved.fingerprint,
        saved.status,
        base64_encode(&saved.body)
    );
    for (name, value) in &saved.headers {
        out.push(' ');
        out.push_str(name);
        out.push(':');
        out.push_str(&base64_encode(value));
    }
    out
}

fn decode_value(value: &str) -> Result<Claim, StoreError> {
    let corrupt = || StoreError(format!("redis: unreadable idempotency entry `{value:.40}`"));
    if let Some(running) = value.strip_prefix('R') {
        let (_, fingerprint) = running.split_once(' ').ok_or_else(corrupt)?;
        return Ok(Claim::InProgress {
            fingerprint: fingerprint.to_owned(),
        });
    }
    let saved = value.strip_prefix('S').ok_or_else(corrupt)?;
    let mut words = saved.split(' ');
    let fingerprint = words.next().ok_or_else(corrupt)?.to_owned();
    let status = words
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(corrupt)?;
    let body = base64_decode(words.next().ok_or_else(corrupt)?).ok_or_else(corrupt)?;
    let headers = words
        .map(|header| {
            let (name, value) = header.split_once(':')?;
            Some((name.to_owned(), base64_decode(value)?))
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(corrupt)?;
    Ok(Claim::Saved(SavedResponse {
        fingerprint,
        status,
        headers,
        body,
    }))
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl IdempotencyStore for RedisStore {
    fn claim(&self, key: String, fingerprint: String, lease: Duration) -> StoreFuture<'_, Claim> {
        Box::pin(async move {
            let key = self.key(&key);
            let mut connection = self.connection.clone();
            // A key that expires or is released between the SET and the GET is claimed again;
            // three rounds cover any real interleaving.
            for _ in 0..3 {
                let token = new_token();
                let options = redis::SetOptions::default()
                    .conditional_set(redis::ExistenceCheck::NX)
                    .with_expiration(redis::SetExpiry::PX(millis(lease)));
                let set: Option<String> = connection
                    .set_options(&key, running_value(&token, &fingerprint), options)
                    .await
                    .map_err(store_error)?;
                if set.is_some() {
                    return Ok(Claim::Claimed(token));
                }
                let current: Option<String> = connection.get(&key).await.map_err(store_error)?;
                if let Some(current) = current {
                    return decode_value(&current);
                }
            }
            Err(StoreError(
                "redis: the idempotency key changed hands while being claimed".to_owned(),
            ))
        })
    }

    fn save(
        &self,
        key: String,
        token: ClaimToken,
        response: SavedResponse,
        window: Duration,
    ) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let key = self.key(&key);
            let mut connection = self.connection.clone();
            let _: Option<String> = self
                .save
                .key(&key)
                .arg(running_value(&token, &response.fingerprint))
                .arg(encode_saved(&response))
                .arg(millis(window))
                .invoke_async(&mut connection)
                .await
                .map_err(store_error)?;
            Ok(())
        })
    }

    fn release(&self, key: String, token: ClaimToken) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let key = self.key(&key);
            let mut connection = self.connection.clone();
            // The fingerprint is part of the value; match the token's prefix instead.
            let current: Option<String> = connection.get(&key).await.map_err(store_error)?;
            let Some(current) = current else {
                return Ok(());
            };
            if current.starts_with(&format!("R{} ", token.0)) {
                let _: i64 = self
                    .release
                    .key(&key)
                    .arg(current)
                    .invoke_async(&mut connection)
                    .await
                    .map_err(store_error)?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_answers_survive_the_encoding() {
        let saved = SavedResponse {
            fingerprint: "ab12".into(),
            status: 201,
            headers: vec![
                ("content-type".into(), b"application/json".to_vec()),
                ("x-odd".into(), vec![0xff, b':', b' ']),
            ],
            body: br#"{"id": "ch_1", "note": "a b:c"}"#.to_vec(),
        };
        assert_eq!(
            decode_value(&encode_saved(&saved)).unwrap(),
            Claim::Saved(saved)
        );
        assert_eq!(
            decode_value(&running_value(&ClaimToken("t".into()), "ff00")).unwrap(),
            Claim::InProgress {
                fingerprint: "ff00".into()
            }
        );
        assert!(decode_value("garbage").is_err());
    }
}
