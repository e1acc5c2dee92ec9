//! Internally tagged unions without a discriminator, tag-only alternatives and single-value
//! string alternatives (`tests/specs/unions.yaml`): the Rust shape, the JSON round trip, and
//! the server-side validation shapes.

use serde_json::json;

mod unions {
    specgen_macros::generate!("specs/unions.yaml");
}

use unions::types::{Ambiguous, DiskSource, DiskSourceVariant0, DiskState, Faulted, SortMode};

fn round_trip<T>(value: serde_json::Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let parsed: T = serde_json::from_value(value.clone()).expect("parses");
    assert_eq!(serde_json::to_value(&parsed).expect("serializes"), value);
    parsed
}

#[test]
fn inline_alternatives_leave_the_tag_to_the_union() {
    let blank: DiskSource = round_trip(json!({"type": "blank", "block_size": 512}));
    assert_eq!(
        blank,
        DiskSource::Variant0(DiskSourceVariant0 { block_size: 512 })
    );
    let snapshot: DiskSource = round_trip(json!({"type": "snapshot", "snapshot_id": "s-1"}));
    assert!(matches!(snapshot, DiskSource::Variant1(ref s) if s.snapshot_id == "s-1"));
    let empty: DiskSource = round_trip(json!({"type": "empty"}));
    assert_eq!(empty, DiskSource::Variant2);
}

#[test]
fn the_tag_chooses_the_alternative_and_unknown_tags_are_errors() {
    let error = serde_json::from_value::<DiskSource>(json!({"type": "cloud", "block_size": 1}))
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown `type` value `cloud`"), "{error}");
    let error = serde_json::from_value::<DiskSource>(json!({"block_size": 1}))
        .unwrap_err()
        .to_string();
    assert!(error.contains("`type` is missing"), "{error}");
    // The tag decides even when the rest would fit another alternative.
    assert!(
        serde_json::from_value::<DiskSource>(json!({"type": "blank", "snapshot_id": "s"})).is_err()
    );
}

#[test]
fn a_referenced_alternative_keeps_its_own_tag_field() {
    let faulted: DiskState = round_trip(json!({"state": "faulted", "reason": "disk gone"}));
    match faulted {
        DiskState::Faulted(Faulted { reason, .. }) => assert_eq!(reason, "disk gone"),
        other => panic!("expected Faulted, got {other:?}"),
    }
    let creating: DiskState = round_trip(json!({"state": "creating"}));
    assert_eq!(creating, DiskState::Variant0);
    let attached: DiskState = round_trip(json!({"state": "attached", "instance": "i-1"}));
    assert!(matches!(attached, DiskState::Variant1(ref a) if a.instance == "i-1"));
}

#[test]
fn single_value_string_alternatives_are_one_enum() {
    let sort: SortMode = round_trip(json!("name_descending"));
    assert_eq!(sort, SortMode::NameDescending);
    assert_eq!(SortMode::DOCUMENTED.len(), 3);
    assert!(!SortMode::from("other").is_documented());
}

#[test]
fn repeated_pins_are_not_a_tag() {
    let a: Ambiguous = round_trip(json!({"type": "same", "a": "x"}));
    assert!(matches!(a, Ambiguous::Variant0(_)));
    let b: Ambiguous = round_trip(json!({"type": "same", "b": 2}));
    assert!(matches!(b, Ambiguous::Variant1(_)));
}

#[test]
fn validation_accepts_the_tag_and_rejects_what_the_alternative_does_not_declare() {
    assert_eq!(
        unions::schema::validate("DiskSource", &json!({"type": "blank", "block_size": 512})),
        vec![]
    );
    assert_eq!(
        unions::schema::validate("DiskSource", &json!({"type": "empty"})),
        vec![]
    );
    assert_eq!(
        unions::schema::validate("DiskState", &json!({"state": "faulted", "reason": "r"})),
        vec![]
    );
    let extra = unions::schema::validate("DiskSource", &json!({"type": "empty", "size": 1}));
    assert_eq!(extra.len(), 1, "{extra:?}");
    let unknown = unions::schema::validate("DiskSource", &json!({"type": "cloud"}));
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    let wrong =
        unions::schema::validate("DiskSource", &json!({"type": "blank", "block_size": "big"}));
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(unions::schema::validate("SortMode", &json!("sideways")).len() == 1);
}

#[test]
fn a_discriminated_variant_writes_its_own_tag_whatever_its_field_says() {
    use unions::types::{CardOnFile, CardSource, Wallet};
    // The shared schema's `kind` is a free string: filled in wrong, it would name the wallet.
    let card = CardSource::CardOnFile(CardOnFile::new("wallet".into(), "4242".into()));
    let written = serde_json::to_value(&card).unwrap();
    assert_eq!(written, json!({"kind": "card", "last4": "4242"}));
    let back: CardSource = serde_json::from_value(written).unwrap();
    assert!(matches!(back, CardSource::CardOnFile(ref c) if c.last4 == "4242"));
    // A tag the variant owns is kept (both `wallet` and `apple_pay` map to Wallet).
    let apple = CardSource::Wallet(Wallet::new("apple_pay".into(), "apple".into()));
    assert_eq!(
        serde_json::to_value(&apple).unwrap(),
        json!({"kind": "apple_pay", "provider": "apple"})
    );
    let unset = CardSource::Wallet(Wallet::new(String::new(), "google".into()));
    assert_eq!(serde_json::to_value(&unset).unwrap()["kind"], "wallet");
}

#[test]
fn expandable_fields_name_the_id_and_give_it_either_way() {
    use unions::types::{AmountOrNote, Charge, ExpandableCharge};
    let collapsed: ExpandableCharge = round_trip(json!("ch_1"));
    assert_eq!(collapsed, ExpandableCharge::Id("ch_1".into()));
    let expanded: ExpandableCharge = round_trip(json!({"id": "ch_2", "amount": 500}));
    assert_eq!(
        expanded,
        ExpandableCharge::Charge(Charge::new("ch_2".into(), 500))
    );
    assert_eq!(collapsed.id(), Some("ch_1"));
    assert_eq!(expanded.id(), Some("ch_2"));
    // Alternatives that are plain scalars are named by their type, not by position.
    assert_eq!(
        round_trip::<AmountOrNote>(json!(5)),
        AmountOrNote::Integer(5)
    );
    assert_eq!(
        round_trip::<AmountOrNote>(json!("five")),
        AmountOrNote::String("five".into())
    );
    assert_eq!(
        round_trip::<AmountOrNote>(json!(["a"])),
        AmountOrNote::List(vec!["a".into()])
    );
}
