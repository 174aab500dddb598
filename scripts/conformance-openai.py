#!/usr/bin/env python3
"""Writes a JSON fixture for every OpenAI Realtime server event the official `openai` package
declares, GA (`openai.types.realtime.RealtimeServerEvent`) and beta
(`openai.types.beta.realtime.RealtimeServerEvent`), under
Tests/ConvEngineTests/Fixtures/openai-events/{ga,beta}/<type>.json.

Each fixture is the smallest event the type definition allows: every required field filled
with a value of its declared type, optional fields left out. `OpenAIConformanceTests` decodes
each one; a type must decode or be on its explicit ignore list, so a new vendor event cannot
slip by unnoticed.

Not run by `swift test`. Usage: scripts/conformance-openai.py [--venv DIR]
It creates the venv (default .build/conformance-venv) and installs `openai` into it with pip
(pip's configured index or local wheels), then re-runs itself there.
"""
import json
import os
import subprocess
import sys
import typing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "ConvEngineTests", "Fixtures", "openai-events")


def ensure_venv():
    venv = os.path.join(ROOT, ".build", "conformance-venv")
    if "--venv" in sys.argv:
        venv = sys.argv[sys.argv.index("--venv") + 1]
    python = os.path.join(venv, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        return
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    subprocess.check_call([python, "-m", "pip", "install", "-q", "openai", "websockets"])
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


def sample(annotation, depth=0):
    """The smallest value of `annotation` its type definition allows."""
    import pydantic

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return sample(args[0], depth)
    if origin is typing.Literal:
        return args[0]
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        options = [a for a in args if a is not type(None)]
        return sample(options[0], depth) if options else None
    if origin in (list, typing.List, tuple):
        return [] if depth > 4 or not args else [sample(args[0], depth + 1)]
    if origin in (dict, typing.Dict):
        return {}
    if annotation is str:
        return "x"
    if annotation is bool:
        return False
    if annotation is int:
        return 0
    if annotation is float:
        return 0.0
    if annotation is object or annotation is typing.Any:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return model_sample(annotation, depth + 1)
    return None


def model_sample(model, depth=0):
    value = {}
    for name, field in model.model_fields.items():
        if field.is_required():
            value[field.alias or name] = sample(field.annotation, depth)
    return value


def events(union):
    """The event models of a discriminated union (`Annotated[Union[...], ...]`)."""
    args = typing.get_args(union)
    if typing.get_origin(union) is typing.Annotated:
        args = typing.get_args(args[0])
    return args


def main():
    ensure_venv()
    import openai
    from openai.types.realtime import realtime_server_event as ga
    from openai.types.beta.realtime import realtime_server_event as beta

    written = 0
    for dialect, module in (("ga", ga), ("beta", beta)):
        directory = os.path.join(OUT, dialect)
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            os.remove(os.path.join(directory, name))
        for model in events(module.RealtimeServerEvent):
            fixture = model_sample(model)
            event_type = fixture["type"]
            with open(os.path.join(directory, event_type + ".json"), "w") as file:
                json.dump(fixture, file, sort_keys=True)
                file.write("\n")
            written += 1
    with open(os.path.join(OUT, "SOURCE"), "w") as file:
        file.write(f"openai {openai.__version__} (python), written by scripts/conformance-openai.py\n")
    print(f"{written} fixtures from openai {openai.__version__} in {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
