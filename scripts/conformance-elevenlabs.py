#!/usr/bin/env python3
"""Writes the ElevenLabs conformance corpus: one JSON fixture per server event type.

The event types come from the vendor's own definitions:
  - the official `elevenlabs` Python package (installed into a venv by this script): its
    `ClientEvent` type (the server events an agent can be asked to send) and the types its
    `Conversation` handles;
  - the public AsyncAPI contract of elevenlabs/packages (`packages/types/schemas/
    agent.asyncapi.yaml`): every message of the server-to-client channel, with its schema.

Each fixture's fields are generated from the contract's schema (every property, `$ref`,
`allOf`, `oneOf` expanded into one fixture per alternative); a type the SDK names but the
contract does not describe gets `{"type": ...}` only. `index.json` says where each type was
found. The Swift test `ElevenLabsConformanceTests` decodes every fixture: each type is either
decoded or on its explicit ignore list. Not run by `swift test`.

Usage: scripts/conformance-elevenlabs.py --asyncapi PATH/agent.asyncapi.yaml [--out DIR] [--venv DIR]
The contract is not committed; fetch it from github.com/elevenlabs/packages.
"""
import argparse
import json
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "Tests/ConvEngineTests/Fixtures/conformance/elevenlabs")


def ensure_venv(path):
    """A venv with the SDK and PyYAML; returns its python."""
    python = os.path.join(path, "bin", "python")
    if not os.path.exists(python):
        venv.EnvBuilder(with_pip=True).create(path)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "elevenlabs", "pyyaml"], check=True)
    return python


SDK_PROBE = r"""
import inspect, json, re, typing
import elevenlabs
from elevenlabs.types.client_event import ClientEvent
from elevenlabs.conversational_ai import conversation
literal = typing.get_args(ClientEvent)[0]
handled = sorted(set(re.findall(r'message\["type"\] == "([a-z_]+)"', inspect.getsource(conversation))))
print(json.dumps({"version": elevenlabs.__version__ if hasattr(elevenlabs, "__version__") else "",
                  "client_event": list(typing.get_args(literal)), "handled": handled}))
"""


def sdk_types(python):
    out = subprocess.run([python, "-c", SDK_PROBE], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


class Examples:
    """Example values for a JSON schema, as the contract writes them."""

    def __init__(self, document):
        self.document = document

    def resolve(self, schema):
        while isinstance(schema, dict) and "$ref" in schema:
            node = self.document
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def variants(self, schema):
        """Every alternative of the first `oneOf` in the schema tree, else the schema itself."""
        schema = self.resolve(schema)
        if "oneOf" in schema:
            return [self.resolve(option) for option in schema["oneOf"]]
        for name, prop in schema.get("properties", {}).items():
            options = self.variants(prop)
            if len(options) > 1:
                return [dict(schema, properties=dict(schema["properties"], **{name: option})) for option in options]
        return [schema]

    def value(self, schema, name=""):
        schema = self.resolve(schema)
        if "allOf" in schema:
            merged = {"type": "object", "properties": {}, "required": []}
            for part in schema["allOf"]:
                part = self.resolve(part)
                merged["properties"].update(part.get("properties", {}))
                merged["required"] += part.get("required", [])
            return self.value(merged, name)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                options = [self.resolve(o) for o in schema[key] if self.resolve(o).get("type") != "null"]
                return self.value(options[0], name) if options else None
        if "const" in schema:
            return schema["const"]
        if "default" in schema:
            return schema["default"]
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if kind == "object":
            return {key: self.value(prop, key) for key, prop in schema.get("properties", {}).items()}
        if kind == "array":
            return [self.value(schema.get("items", {"type": "string"}), name)]
        if kind == "integer":
            return max(1, schema.get("minimum", 1))
        if kind == "number":
            low, high = schema.get("minimum", 0), schema.get("maximum", 1)
            return (low + high) / 2
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        if schema.get("format") == "base64":
            return "AAAAAAAAAAA="  # 8 bytes of silence
        if schema.get("format") == "date-time":
            return "2026-01-01T00:00:00Z"
        return "example " + name if name else "example"


def contract_fixtures(path):
    import yaml  # available in the venv; this function runs there

    with open(path) as f:
        document = yaml.safe_load(f)
    examples = Examples(document)
    messages = document["channels"]["AgentMessages"]["publish"]["message"]["oneOf"]
    fixtures = {}
    for ref in messages:
        message = examples.resolve(ref)
        for index, variant in enumerate(examples.variants(message["payload"])):
            frame = examples.value(variant)
            event_type = frame.get("type")
            state = frame.get(event_type, {}).get("state") if isinstance(frame.get(event_type), dict) else None
            suffix = f".{state}" if state else (f".{index}" if index else "")
            fixtures[f"{event_type}{suffix}"] = frame
    return fixtures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--asyncapi", required=True, help="path to agent.asyncapi.yaml (elevenlabs/packages)")
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--venv", default=os.path.join(ROOT, ".build", "conformance-venv"))
    parser.add_argument("--in-venv", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.in_venv:
        python = ensure_venv(args.venv)
        os.execv(python, [python, os.path.abspath(__file__), "--in-venv", "--asyncapi", args.asyncapi, "--out", args.out, "--venv", args.venv])

    sdk = sdk_types(sys.executable)
    fixtures = contract_fixtures(args.asyncapi)
    sources = {}
    for name in fixtures:
        sources.setdefault(name.split(".")[0], set()).add("asyncapi")
    for event_type in sdk["client_event"]:
        sources.setdefault(event_type, set()).add("sdk ClientEvent")
    for event_type in sdk["handled"]:
        sources.setdefault(event_type, set()).add("sdk Conversation")
    for event_type in sources:
        if not any(name.split(".")[0] == event_type for name in fixtures):
            fixtures[event_type] = {"type": event_type}
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.endswith(".json"):
            os.remove(os.path.join(args.out, old))
    for name, frame in sorted(fixtures.items()):
        with open(os.path.join(args.out, f"{name}.json"), "w") as f:
            json.dump(frame, f, indent=2, sort_keys=True)
            f.write("\n")
    index = {
        "elevenlabs_sdk_version": sdk["version"],
        "types": {t: sorted(s) for t, s in sorted(sources.items())},
    }
    with open(os.path.join(args.out, "index.json"), "w") as f:
        json.dump(index, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"{len(fixtures)} fixtures for {len(sources)} event types in {args.out}")


if __name__ == "__main__":
    main()
