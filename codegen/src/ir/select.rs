//! Operation selection: an IR → IR pass keeping only the operations a user names and the types
//! they reach, so one can generate a small client for the few calls of a huge API (Stripe has
//! 468 operations and no tags).

use std::collections::{HashMap, HashSet};

use super::Api;
use super::tags::{kind_names, operation_names};

/// Keeps the operations whose `operationId` is in `ids` (in document order) and the types they
/// reach; webhooks are dropped. `Err` names the ids the API does not have.
pub fn select_operations(api: &mut Api, ids: &[String]) -> Result<(), String> {
    let unknown: Vec<&str> = ids
        .iter()
        .filter(|id| !api.operations.iter().any(|op| &op.id == *id))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "no operation has the operationId {}",
            unknown
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    api.operations.retain(|op| ids.contains(&op.id));
    api.webhooks.clear();
    let index: HashMap<&str, usize> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, def)| (def.name.as_str(), i))
        .collect();
    let mut stack: Vec<usize> = Vec::new();
    for op in &api.operations {
        let mut names = Vec::new();
        operation_names(op, &mut names);
        stack.extend(names.iter().filter_map(|n| index.get(n).copied()));
    }
    let mut reached = HashSet::new();
    while let Some(type_index) = stack.pop() {
        if reached.insert(type_index) {
            let mut names = Vec::new();
            kind_names(&api.types[type_index].kind, &mut names);
            stack.extend(names.iter().filter_map(|n| index.get(n).copied()));
        }
    }
    let mut position = 0;
    api.types.retain(|_| {
        let keep = reached.contains(&position);
        position += 1;
        keep
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::select_operations;

    #[test]
    fn only_the_named_operations_and_what_they_reach_remain() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}\n  /b:\n    get:\n      operationId: getB\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}\ncomponents:\n  schemas:\n    A: {type: object, properties: {inner: {$ref: '#/components/schemas/Inner'}}}\n    Inner: {type: string, enum: [x]}\n    B: {type: object, properties: {b: {type: string}}}\n";
        let spec = crate::load::load_str("t.yaml", text).unwrap();
        let (mut api, _) = crate::ir::build(&spec).unwrap();
        select_operations(&mut api, &["getA".into()]).unwrap();
        let ops: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
        assert_eq!(ops, ["getA"]);
        let types: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(types, ["A", "Inner"]);
        let error = select_operations(&mut api, &["nope".into()]).unwrap_err();
        assert_eq!(error, "no operation has the operationId `nope`");
    }
}
