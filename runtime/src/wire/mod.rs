//! The one serialization model of parameters and non-JSON bodies, shared by generated clients
//! (typed value → JSON value → wire text) and generated servers (wire text → JSON value of the
//! documented shape → validated → typed), so the two sides agree on every `style` by
//! construction.
//!
//! It follows the Style Values and Style Examples tables of OpenAPI 3.0.3 and the Encoding
//! Object, with the corrections of OpenAPI 3.0.4 (the errata release of the same 3.0 line) where
//! the 3.0.3 table contradicts RFC 6570 or itself:
//!
//! - `label` without `explode` separates items with `,` (`.blue,black,brown`), as RFC 6570 and
//!   3.0.4 do; 3.0.3's table shows `.blue.black.brown`, which cannot be told apart from the
//!   exploded form.
//! - `spaceDelimited` and `pipeDelimited` carry the parameter's name (`color=blue%20black`), as
//!   3.0.4 spells out; the object row of `pipeDelimited` is `R|100|G|200|B|150` (3.0.3 has a
//!   typo there).
//! - `|`, `[` and `]` are written unencoded, as the 3.0.3 table and the form-encoded payment
//!   APIs (`metadata[order_id]=6735`) write them; servers accept them encoded too.
//! - Arrays and nested objects under `deepObject` (undefined by the table) use the bracket
//!   convention of form-encoded payment APIs: `expand[0]=a`, `items[0][price]=p`, `a[b][c]=v`;
//!   so do nested values inside an exploded `form` array or object.
//! - `allowReserved` leaves `:/?[]@!$'()*,;` unencoded but still encodes `&`, `=`, `#` and `+`,
//!   which would change the meaning of a query string.
//! - Cookies (`form`): exploded lists and objects become separate cookies (`a=1; a=2`), since a
//!   `Cookie` header has no `&`.
//!
//! Values are first turned into JSON by serde, so the same code serves every generated type.

pub mod form;
pub mod multipart;
mod params;
mod text;

pub use params::{
    Query, decode_cookie, decode_header, decode_path, encode_cookie, encode_header, encode_path,
    encode_query,
};
pub use text::{decode_component, encode_component};

/// OpenAPI `style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `simple`: `blue,black` (path and header default).
    Simple,
    /// `label`: `.blue`.
    Label,
    /// `matrix`: `;color=blue`.
    Matrix,
    /// `form`: `color=blue` (query and cookie default).
    Form,
    /// `spaceDelimited`: `color=blue%20black`.
    SpaceDelimited,
    /// `pipeDelimited`: `color=blue|black`.
    PipeDelimited,
    /// `deepObject`: `color[R]=100`.
    DeepObject,
}

/// How one parameter, form field or multipart part is written: `style`, `explode`,
/// `allowReserved`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Codec {
    /// The style.
    pub style: Style,
    /// Lists and objects become separate pairs (`a=1&a=2`).
    pub explode: bool,
    /// Reserved characters stay unencoded (query values only).
    pub allow_reserved: bool,
}

impl Codec {
    /// A codec with `allowReserved: false`.
    pub const fn new(style: Style, explode: bool) -> Codec {
        Codec {
            style,
            explode,
            allow_reserved: false,
        }
    }

    /// The default of a form body field and of a query parameter: `form`, exploded.
    pub const FORM: Codec = Codec::new(Style::Form, true);

    /// The default of path and header parameters: `simple`, not exploded.
    pub const SIMPLE: Codec = Codec::new(Style::Simple, false);

    /// The same codec with `allowReserved: true`.
    pub const fn reserved(self) -> Codec {
        Codec {
            allow_reserved: true,
            ..self
        }
    }
}

#[cfg(test)]
mod tests;
