//! Tag features: one Cargo feature per operation tag, so a crate generated from a large spec
//! can be compiled with only the operations a user calls, and only the types those reach.
//!
//! [`gate_by_tag`] is an IR → IR pass: it names the features and marks every operation and
//! type with the features that compile it in. Emitters turn the marks into `#[cfg]`s; the
//! `all-tags` default keeps the whole API for everyone who does not choose.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Api, Operation, TagFeature, TypeExpr, TypeKind};

/// The feature that selects every tag; on by default, and implied by the server, which needs
/// every operation.
pub const ALL_TAGS: &str = "all-tags";

/// Gives `api` one feature per tag (when it has at least two) and marks each operation and type
/// with the features any one of which compiles it. Left unmarked, and so always compiled:
/// untagged operations, webhook payloads, schemas no operation uses, and whatever those reach.
pub fn gate_by_tag(api: &mut Api) {
    let feature_of = feature_names(&api.operations);
    let distinct: BTreeSet<&String> = feature_of.values().collect();
    if distinct.len() < 2 {
        return;
    }
    let all: BTreeSet<String> = distinct.into_iter().cloned().collect();
    let mut features: BTreeMap<String, TagFeature> = BTreeMap::new();
    for op in &mut api.operations {
        let mut own = BTreeSet::new();
        for tag in &op.tags {
            // Every tag of every operation has a name; a miss would only leave it ungated.
            let Some(name) = feature_of.get(tag) else {
                continue;
            };
            own.insert(name.clone());
            let feature = features.entry(name.clone()).or_insert_with(|| TagFeature {
                name: name.clone(),
                tags: Vec::new(),
                operations: 0,
            });
            if !feature.tags.contains(tag) {
                feature.tags.push(tag.clone());
            }
        }
        for name in &own {
            if let Some(feature) = features.get_mut(name) {
                feature.operations += 1;
            }
        }
        op.features = simplified(own, &all);
    }

    let index: HashMap<&str, usize> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, def)| (def.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|def| {
            let mut names = Vec::new();
            kind_names(&def.kind, &mut names);
            names.iter().filter_map(|n| index.get(n).copied()).collect()
        })
        .collect();
    let mut gates: Vec<Option<Gate>> = vec![None; api.types.len()];
    for op in &api.operations {
        let gate = if op.features.is_empty() {
            Gate::Always
        } else {
            Gate::Features(op.features.iter().cloned().collect())
        };
        let mut names = Vec::new();
        operation_names(op, &mut names);
        let roots = names.iter().filter_map(|n| index.get(n).copied());
        spread(&edges, &mut gates, roots, &gate);
    }
    let mut payloads = Vec::new();
    for webhook in &api.webhooks {
        expr_names(&webhook.payload.ty, &mut payloads);
    }
    let roots = payloads.iter().filter_map(|n| index.get(n).copied());
    spread(&edges, &mut gates, roots, &Gate::Always);
    let unused: Vec<usize> = (0..gates.len()).filter(|&i| gates[i].is_none()).collect();
    spread(&edges, &mut gates, unused.into_iter(), &Gate::Always);

    for (def, gate) in api.types.iter_mut().zip(gates) {
        def.features = match gate {
            Some(Gate::Features(set)) => simplified(set, &all),
            _ => Vec::new(),
        };
    }
    api.tag_features = features.into_values().collect();
}

/// Which operations a type serves: all of them (or ones without a tag), or those of some tags.
#[derive(Clone, Debug, PartialEq)]
enum Gate {
    Always,
    Features(BTreeSet<String>),
}

impl Gate {
    /// Widens `self` by `other`; true when it changed.
    fn absorb(&mut self, other: &Gate) -> bool {
        match (&mut *self, other) {
            (Gate::Always, _) => false,
            (_, Gate::Always) => {
                *self = Gate::Always;
                true
            }
            (Gate::Features(mine), Gate::Features(theirs)) => {
                let before = mine.len();
                mine.extend(theirs.iter().cloned());
                mine.len() > before
            }
        }
    }
}

/// Widens the gate of every type reachable from `roots` by `gate`. A type is visited again only
/// when its gate grew, so this ends (gates only grow, and are bounded).
fn spread(
    edges: &[Vec<usize>],
    gates: &mut [Option<Gate>],
    roots: impl Iterator<Item = usize>,
    gate: &Gate,
) {
    let mut stack: Vec<usize> = roots.collect();
    while let Some(node) = stack.pop() {
        let changed = match &mut gates[node] {
            Some(existing) => existing.absorb(gate),
            slot @ None => {
                *slot = Some(gate.clone());
                true
            }
        };
        if changed {
            stack.extend(edges[node].iter().copied());
        }
    }
}

/// Features as a sorted list; empty when they are every feature (no selection would drop it).
fn simplified(set: BTreeSet<String>, all: &BTreeSet<String>) -> Vec<String> {
    if set == *all {
        Vec::new()
    } else {
        set.into_iter().collect()
    }
}

/// `tag-<name>` for every tag, ASCII lowercase with dashes. Tags that differ only in case or
/// punctuation share a feature; a tag with no ASCII letter or digit is named by its position.
fn feature_names(operations: &[Operation]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    let mut order = 0;
    for tag in operations.iter().flat_map(|op| &op.tags) {
        if names.contains_key(tag) {
            continue;
        }
        order += 1;
        let mut name = String::from("tag");
        let mut dash = true;
        for c in tag.chars() {
            if c.is_ascii_alphanumeric() {
                if dash {
                    name.push('-');
                }
                name.push(c.to_ascii_lowercase());
                dash = false;
            } else {
                dash = true;
            }
        }
        if name == "tag" {
            name = format!("tag-{order}");
        }
        names.insert(tag.clone(), name);
    }
    names
}

/// Named types an operation's request and responses use.
pub(super) fn operation_names<'o>(op: &'o Operation, names: &mut Vec<&'o str>) {
    for param in &op.parameters {
        expr_names(&param.ty, names);
    }
    for body in op.request_body.iter().flat_map(|body| &body.content) {
        expr_names(&body.ty, names);
    }
    for response in &op.responses {
        for body in &response.content {
            expr_names(&body.ty, names);
        }
        for header in &response.headers {
            expr_names(&header.ty, names);
        }
    }
}

/// Named types a type definition refers to, through lists and maps too.
pub(super) fn kind_names<'t>(kind: &'t TypeKind, names: &mut Vec<&'t str>) {
    match kind {
        TypeKind::Struct(st) => {
            for field in &st.fields {
                expr_names(&field.ty, names);
            }
            if let Some(extra) = &st.additional_properties {
                expr_names(extra, names);
            }
        }
        TypeKind::Union(union) => {
            for ty in union.variants.iter().filter_map(|v| v.ty.as_ref()) {
                expr_names(ty, names);
            }
        }
        TypeKind::Newtype(newtype) => expr_names(&newtype.inner, names),
        TypeKind::Alias(expr) => expr_names(expr, names),
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
    }
}

pub(super) fn expr_names<'t>(expr: &'t TypeExpr, names: &mut Vec<&'t str>) {
    match expr {
        TypeExpr::Named(name) => names.push(name),
        TypeExpr::List(inner) | TypeExpr::Map(inner) | TypeExpr::Nullable(inner) => {
            expr_names(inner, names)
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::gate_by_tag;
    use crate::ir::Api;

    fn api(text: &str) -> Api {
        let spec = crate::load::load_str("t.yaml", text).unwrap_or_else(|d| panic!("{d}"));
        let mut api = crate::ir::build(&spec).unwrap_or_else(|d| panic!("{d}")).0;
        gate_by_tag(&mut api);
        api
    }

    fn features_of_type<'a>(api: &'a Api, name: &str) -> &'a [String] {
        &api.type_named(name).unwrap().features
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /disks:
    get:
      operationId: list_disks
      tags: [Disks]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Disk'}}}}}
        default: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
  /images:
    get:
      operationId: list_images
      tags: [images]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/ImagePage'}}}}
        default: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
  /snapshots:
    post:
      operationId: snapshot
      tags: [Disks, "Snapshots & Images"]
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/SnapshotCreate'}}}}
      responses:
        '201': {description: created}
        default: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
  /ping:
    get:
      operationId: ping
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pong'}}}}
components:
  schemas:
    Disk: {type: object, properties: {state: {$ref: '#/components/schemas/DiskState'}}}
    DiskState: {type: string, enum: [attached, detached]}
    ImagePage: {type: object, properties: {items: {type: object, additionalProperties: {$ref: '#/components/schemas/Image'}}}}
    Image: {type: object, properties: {source: {$ref: '#/components/schemas/Disk'}}}
    SnapshotCreate: {type: object, properties: {name: {type: string}}}
    Error: {type: object, properties: {message: {type: string}}}
    Pong: {type: object, properties: {at: {$ref: '#/components/schemas/Clock'}}}
    Clock: {type: object, properties: {disk: {$ref: '#/components/schemas/Disk'}}}
    Unused: {type: object, properties: {state: {$ref: '#/components/schemas/DiskState'}}}
"#;

    #[test]
    fn one_feature_per_tag_with_its_operations() {
        let api = api(SPEC);
        let features: Vec<(&str, Vec<&str>, usize)> = api
            .tag_features
            .iter()
            .map(|f| {
                let tags = f.tags.iter().map(String::as_str).collect();
                (f.name.as_str(), tags, f.operations)
            })
            .collect();
        assert_eq!(
            features,
            [
                ("tag-disks", vec!["Disks"], 2),
                ("tag-images", vec!["images"], 1),
                ("tag-snapshots-images", vec!["Snapshots & Images"], 1),
            ]
        );
        let ops: Vec<(&str, Vec<&str>)> = api
            .operations
            .iter()
            .map(|op| {
                (
                    op.id.as_str(),
                    op.features.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            ops,
            [
                ("list_disks", vec!["tag-disks"]),
                ("list_images", vec!["tag-images"]),
                ("snapshot", vec!["tag-disks", "tag-snapshots-images"]),
                ("ping", vec![]),
            ]
        );
    }

    #[test]
    fn types_follow_the_operations_that_reach_them() {
        let api = api(SPEC);
        // Reached through a map value, by the images operation only.
        assert_eq!(features_of_type(&api, "Image"), ["tag-images"]);
        assert_eq!(features_of_type(&api, "ImagePage"), ["tag-images"]);
        assert_eq!(
            features_of_type(&api, "SnapshotCreate"),
            ["tag-disks", "tag-snapshots-images"]
        );
        // Used by every tag: no gate. Reached from an untagged operation or an unused schema:
        // always compiled, and so is everything they reach.
        assert!(features_of_type(&api, "Error").is_empty());
        assert!(features_of_type(&api, "Pong").is_empty());
        assert!(features_of_type(&api, "Clock").is_empty());
        assert!(features_of_type(&api, "Disk").is_empty());
        assert!(features_of_type(&api, "DiskState").is_empty());
        assert!(features_of_type(&api, "Unused").is_empty());
    }

    #[test]
    fn an_api_with_one_tag_gets_no_features() {
        let text = SPEC
            .replace("tags: [images]", "tags: [Disks]")
            .replace("tags: [Disks, \"Snapshots & Images\"]", "tags: [disks]");
        let api = api(&text);
        assert!(api.tag_features.is_empty());
        assert!(api.operations.iter().all(|op| op.features.is_empty()));
        assert!(api.types.iter().all(|def| def.features.is_empty()));
    }
}
