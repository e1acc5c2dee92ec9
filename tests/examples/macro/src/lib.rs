//! The local payments API, expanded in place by `specgen_macros::generate!`.

/// Types, operations, client, server and schema of the local payments API.
pub mod payments {
    specgen_macros::generate!("../../../specs/local-payments.yaml");
}

/// The same API, client side only: no server, no validation shapes compiled.
pub mod payments_client {
    specgen_macros::generate!("../../../specs/local-payments.yaml", modules = [client]);
}
