#!/usr/bin/env python3
"""Every spec must mean the same under YAML 1.1 and YAML 1.2 (issue 16, item 11).

specgen reads YAML 1.2 (yaml_serde); many tools users feed the same file to (PyYAML, older
Swagger tooling) read YAML 1.1, where plain `0438` is a string but `yes`, `on`, `1:20` or `0o17`
resolve differently. A scalar whose meaning depends on the reader must be quoted. This loads each
spec twice with PyYAML — once with its YAML 1.1 resolvers, once with the YAML 1.2 core schema's —
and fails naming the JSON pointer of every value that differs.
"""
import re
import sys
from pathlib import Path

import yaml


class Core12Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's implicit tags instead of 1.1's."""


Core12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]:
    Core12Loader.add_implicit_resolver(tag, re.compile(pattern), first)


def construct_int_12(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


Core12Loader.add_constructor("tag:yaml.org,2002:int", construct_int_12)


def differences(a, b, pointer=""):
    if type(a) is not type(b):
        yield f"{pointer or '/'}: YAML 1.1 reads {a!r}, YAML 1.2 reads {b!r}"
    elif isinstance(a, dict):
        for key in sorted(a.keys() | b.keys(), key=str):
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            if key not in a or key not in b:
                yield f"{pointer}/{escaped}: a key only one reading has"
            else:
                yield from differences(a[key], b[key], f"{pointer}/{escaped}")
    elif isinstance(a, list):
        if len(a) != len(b):
            yield f"{pointer}: lists of different lengths"
        for index, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{pointer}/{index}")
    elif a != b:
        yield f"{pointer or '/'}: YAML 1.1 reads {a!r}, YAML 1.2 reads {b!r}"


def main():
    specs = sorted(Path(sys.argv[1] if len(sys.argv) > 1 else "specs").glob("*.yaml"))
    failed = 0
    for spec in specs:
        text = spec.read_text()
        found = list(differences(yaml.load(text, yaml.SafeLoader), yaml.load(text, Core12Loader)))
        for line in found:
            print(f"{spec}: {line}")
        failed += len(found)
    print(f"{len(specs)} specs read under YAML 1.1 and 1.2: {failed} values differ")
    return 1 if failed or not specs else 0


if __name__ == "__main__":
    sys.exit(main())
