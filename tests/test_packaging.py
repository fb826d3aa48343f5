"""A wheel install (not only the editable one) carries the ontology, the reference tables, the
example queries, the templates and the static assets that the library and server read."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

CHECK = """
import ontology, kg, server
from pathlib import Path
assert Path(kg.__file__).is_relative_to(Path({target!r})), kg.__file__
from kg.sources import read_path
from kg.extract import extract
from kg.refgraph import build
release = next(read_path({page!r}))
facts = extract(release)
assert "KZ" in facts.states, facts.states
assert len(build("http://x.org/")) > 4000
assert len(list(ontology.path("queries").glob("*.rq"))) >= 10
assert ontology.path("shapes.ttl").is_file()
from server import create_app
app = create_app({{"TESTING": True, "STORE_PATH": "/nonexistent", "RATE_LIMIT": 0}})
assert app.test_client().get("/static/site.css").status_code == 200
print("ok")
"""


@pytest.mark.slow
def test_wheel_install_finds_its_data(tmp_path):
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = wheels.glob("osce_kg-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    page = str(ROOT / "tests" / "data" / "corpus" / "00-seed-cio-visit-central-asia.txt")
    out = subprocess.run([sys.executable, "-c", CHECK.format(target=str(target), page=page)], cwd=tmp_path,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
