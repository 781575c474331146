"""Coerce plain text and path options without pydantic, so a command starts about 0.1 s sooner.

typer 0.29 coerces every parameter of the command it runs through a pydantic ``TypeAdapter``, built
even for an option left at its default: importing pydantic (and the plugin loader's
``importlib.metadata``) and building the adapters costs 0.12-0.2 s of the 0.5 s that
``starcoach analyze`` may take as a whole process. For the plain kinds our commands use, a ``str``, ``bool``
or ``pathlib.Path`` option without a custom parser, the adapter only hands the argv string or the flag
on, or makes a ``Path`` of the string and runs typer's own path checks; this module does the same
without pydantic. Anything else (numbers, choices, lists, files, values that are not ``str``) goes to
typer's own coercion unchanged, so its values and error messages stay typer's.

Installed once by ``cli.main`` through a typer internal (``_TyperParameter.get_runtime_param``); when
that internal is not there (another typer version) nothing is changed and typer does its usual work.
tests/test_cli_startup.py checks that ``starcoach analyze`` does not import pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


def install() -> bool:
    """Route plain str/Path parameters around pydantic; False when this typer has no such hook."""
    try:
        from typer import _coercion, _param_types, core
    except ImportError:
        return False
    cls: Any = getattr(core, "_TyperParameter", None)
    base: Any = getattr(_coercion, "RuntimeParam", None)
    coerce_path = getattr(_param_types, "coerce_cli_path", None)
    build = getattr(_coercion, "build_runtime_param", None)
    if cls is None or base is None or coerce_path is None or build is None or not hasattr(cls, "get_runtime_param"):
        return False
    if getattr(cls, "_starcoach_plain", False):
        return True
    original = cls.get_runtime_param
    plain_cls = _plain_class(base, coerce_path)

    def get_runtime_param(self: Any) -> Any:
        if getattr(self, "_runtime_param", None) is None:
            kind = _plain_kind(self.type_descriptor)
            if kind is not None:
                d = self.type_descriptor
                self._runtime_param = plain_cls(parameter_info=d.parameter_info, annotation=d.annotation,
                                                kind=kind, descriptor=d, build=build)
        return original(self)

    cls.get_runtime_param = get_runtime_param
    cls._starcoach_plain = True
    return True


def _plain_kind(descriptor: Any) -> str | None:
    """"str", "bool" or "path" when typer would coerce this parameter by a plain adapter, else None."""
    info = getattr(descriptor, "parameter_info", None)
    if info is None or getattr(descriptor, "file_annotation", None) is not None:
        return None
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    annotation = getattr(descriptor, "annotation", None)
    if annotation is str:
        return "str"
    if annotation is bool:
        return "bool"
    if annotation is Path and getattr(info, "path_type", None) is None:
        return "path"
    return None


def _plain_class(base: type, coerce_path: Any) -> type:
    """A subclass of typer's RuntimeParam (its ``coerce`` handles None and multi-value the usual way)."""

    @dataclass(frozen=True)
    class PlainRuntimeParam(base):  # type: ignore[misc]
        kind: str
        descriptor: Any
        build: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.kind == "bool" and type(value) is bool:
                return value  # what typer's bool adapter returns for a bool
            if type(value) is not str or self.kind == "bool" or (self.kind == "path" and str(Path(value)) != value):
                # bytes, a default of another type, a path Path() rewrites ("dir/", ""): typer's way,
                # so that the value and any error message are exactly typer's
                return self.build(self.descriptor)._coerce_value(value, param=param, ctx=ctx)
            if self.kind == "str":
                return value  # what typer's str adapter returns for a str
            # typer's path adapter makes the Path through pydantic (the same as Path(value)) and then
            # checks it; given a Path it skips pydantic and runs the same checks.
            return coerce_path(Path(value), self.parameter_info, path_type=Path, param=param, ctx=ctx)

    return PlainRuntimeParam
