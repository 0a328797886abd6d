"""What a deployment relies on: pinned requirements, a Dockerfile that ships every module the app imports,
and a secrets example that the app reads the way the README says."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
INSTRUCTIONS = [line.strip() for line in re.sub(r"\\\n\s*", " ", DOCKERFILE).splitlines()
                if line.strip() and not line.lstrip().startswith("#")]


def _index(prefix: str) -> int:
    return next(i for i, line in enumerate(INSTRUCTIONS) if line.startswith(prefix))


@pytest.mark.parametrize("path", ["requirements.txt", "requirements-dev.txt", "requirements-browser.txt",
                                  "requirements-bench.txt"])
def test_every_requirement_is_pinned(path):
    lines = [ln.split("#")[0].strip() for ln in (ROOT / path).read_text().splitlines()]
    reqs = [ln for ln in lines if ln and not ln.startswith("-r")]
    assert reqs and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", r) for r in reqs), reqs


def test_dockerfile_installs_requirements_before_copying_code_and_runs_unprivileged():
    assert INSTRUCTIONS[0].startswith("FROM python:3.11-slim")
    install = _index("RUN pip install -r requirements.txt")
    assert _index("COPY requirements.txt") < install
    code_copies = [i for i, line in enumerate(INSTRUCTIONS) if line.startswith("COPY") and "requirements" not in line]
    assert code_copies and min(code_copies) > install
    user = [line for line in INSTRUCTIONS if line.startswith("USER ")]
    assert user and user[-1] not in ("USER root", "USER 0")
    health = next(line for line in INSTRUCTIONS if line.startswith("HEALTHCHECK"))
    assert "/_stcore/health" in health and "8501" in health


def test_dockerfile_copies_everything_the_app_imports():
    sources = [w for line in INSTRUCTIONS if line.startswith("COPY") for w in line.split()[1:-1]]
    copied = {w.rstrip("/") for w in sources if not w.startswith("--")}
    local = {p.name for p in ROOT.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    imported = set()
    for f in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py"),
              *(ROOT / "harness").rglob("*.py")]:
        imported |= set(re.findall(r"^\s*(?:from|import) (\w+)", f.read_text(), re.M))
    needed = {m for m in imported if m in {n.removesuffix(".py") for n in local}}
    assert needed <= {c.removesuffix(".py") for c in copied}, needed
    assert {"app.py", ".streamlit/config.toml", "sample_data"} <= copied
    assert ".streamlit/secrets.toml" in (ROOT / ".dockerignore").read_text()


def test_secrets_example_is_valid_toml_with_the_sections_the_app_reads():
    from harness import reviews

    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text())
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(example["auth"])
    assert reviews.is_editor_allowed("head@riverside.sch.uk", example["editors"])
    assert reviews.is_editor_allowed("teacher@riverside.sch.uk", example["editors"])
    assert not reviews.is_editor_allowed("someone@gmail.com", example["editors"])
    assert example["database"]["url"].startswith("postgresql+psycopg://")


def test_streamlit_config_is_fit_for_hosting():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["toolbarMode"] == "viewer" and cfg["client"]["showErrorDetails"] == "none"
    assert 0 < cfg["server"]["maxUploadSize"] <= 1000


def test_secrets_example_limits_are_the_defaults():
    from harness.ingest.limits import DEFAULT_LIMITS, limits_from

    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text())
    assert limits_from(example["limits"], {}) == DEFAULT_LIMITS
    upload_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert example["limits"]["max_file_mb"] == upload_mb
