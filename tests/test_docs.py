"""Every command, setting and route is documented (docs/ is part of the product)."""
import re
from pathlib import Path

import pytest

from kg.cli import main
from server import config, create_app

DOCS = Path(__file__).parent.parent / "docs"


def doc_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command):
    assert f"`{command}" in (DOCS / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", sorted(config.DEFAULTS))
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in (DOCS / "settings.md").read_text(encoding="utf-8")


def test_every_route_is_documented():
    app = create_app({"TESTING": True, "STORE_PATH": "/nonexistent", "RATE_LIMIT": 0})
    text = doc_text()
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        head = re.split(r"[<.]", rule.rule)[0].strip("/")
        if head and f"/{head}" not in text and f"{{base}}{head}" not in text:
            missing.append(rule.rule)
    assert missing == []
