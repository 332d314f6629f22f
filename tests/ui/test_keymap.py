"""keymap.py is the default keymap as plain data (config reads it without Textual); the UI's
bindings and it must never drift apart, and every key name it accepts is one Textual knows."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import textual.keys
from textual.binding import Binding
from textual.dom import DOMNode

import deskconsole.ui
from deskconsole import keymap


def ui_bindings() -> dict[str, tuple[str, str]]:
    """binding id -> (scope, key) for every Binding with an id in deskconsole.ui."""
    found: dict[str, tuple[str, str]] = {}
    for info in pkgutil.walk_packages(deskconsole.ui.__path__, "deskconsole.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, DOMNode):
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    scope = keymap.APP if cls.__name__ == "DeskApp" else cls.__name__
                    assert binding.id not in found, f"binding id {binding.id} used twice"
                    found[binding.id] = (scope, binding.key)
    return found


def test_every_ui_binding_is_in_the_keymap_table_with_its_default_key_and_scope():
    in_ui = ui_bindings()
    in_table = {bid: (scope, key) for scope, bid, key in keymap.KEYMAP}
    assert in_ui == in_table


def test_every_key_name_the_config_accepts_is_one_textual_binds():
    known = {k.value.split("+")[-1] for k in textual.keys.Keys} | set(textual.keys.REPLACED_KEYS)
    for name in keymap.NAMED_KEYS:
        assert name in known or textual.keys.key_to_character(name) is not None, name
    for key in keymap.DEFAULT_KEYS.values():
        assert all(keymap.is_valid_key(k) for k in keymap.key_names(key)), key

