"""The game rules' version: a short hash of sim.js's code, stamped into each game.json as "rules".

The server replays a run with the Python twin of sim.js (core/levels/game.py), which can only
check runs of games packaged with the sim.js it mirrors; core.runs refuses the others with
`game_rules_changed` instead of a misleading score mismatch. Only the code counts: comments and
blanks can change freely. physics.json is left out on purpose: each game carries its own physics
in game.json and the replay uses those.
"""

from __future__ import annotations

import hashlib
import re
from importlib.resources.abc import Traversable

from core.package_data import game_template
from core.packaging.jslex import spans

SIM = "js/sim.js"
_TOKEN = re.compile(r"[\w$\u0080-\uffff]+|\S")


def rules_version(sim_source: str) -> str:
    """12 hex digits of SHA-256 over the code's tokens (one space apart) and its literals."""
    parts = []
    for span in spans(sim_source, SIM):
        text = sim_source[span.start : span.end]
        if span.kind == "code":
            parts.extend(_TOKEN.findall(text))
        elif span.kind != "comment":
            parts.append(text)
    return hashlib.sha256(" ".join(parts).encode()).hexdigest()[:12]


def template_rules_version(template_dir: Traversable | None = None) -> str:
    """The rules version of a game template's sim.js (the shipped template by default)."""
    source = game_template() if template_dir is None else template_dir
    return rules_version(source.joinpath(SIM).read_text(encoding="utf-8"))
