//! Code using the generated crates that must compile, and misuse that must not (with the
//! compiler's messages pinned in checked-in `.stderr` files).

#[test]
fn generated_models() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
