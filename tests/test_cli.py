"""The `cms` command, run as an editor would: check the model, refuse to serve a broken one, SDL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.model_copies import break_file, copy_shipped_model

REPOSITORY = Path(__file__).resolve().parents[1]
CMS = Path(sys.executable).with_name("cms")
CHANNELS = ["web", "app", "kiosk", "email", "social", "assistant", "web_ch"]
UNKNOWN_TARGET_LINE = (
    "product.toml: fields[8].to: unknown content type 'categroy'"
    " (known: brand_message, campaign, category, offer, product, tutorial)"
)
MISSING_VALUES_LINE = "tutorial.toml: fields[4].values: an enum field needs a non-empty `values` list"


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    return copy_shipped_model(tmp_path)


@pytest.fixture
def broken_model_dir(model_dir: Path) -> Path:
    """The shipped model with two problems: an unknown reference target and an empty enum."""
    break_file(model_dir, "product.toml", 'to = "category"', 'to = "categroy"')
    enum_values = 'values = ["beginner", "intermediate", "advanced"]\n'
    break_file(model_dir, "tutorial.toml", enum_values, "")
    return model_dir


def run_cms(
    model_dir: Path, *args: str, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`cms *args` in a fresh process, with its model, database and media under tmp.

    The SDL directory is under tmp too, unless `cwd` is given: then it is `graphql/` there.
    """
    work = model_dir.parent
    env = {
        **os.environ,
        "CMS_MODEL_DIR": str(model_dir),
        "CMS_DATABASE_URL": f"sqlite:///{work}/cli.sqlite3",
        "CMS_MEDIA_ROOT": str(work / "media"),
        "CMS_GRAPHQL_DIR": str(work / "graphql"),
    }
    if cwd is not None:
        del env["CMS_GRAPHQL_DIR"]
    return subprocess.run(
        [str(CMS), *args],
        cwd=cwd or work,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- cms check ------------------------------------------------------------------------------------


def test_check_accepts_the_shipped_model(model_dir: Path) -> None:
    result = run_cms(model_dir, "check")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "model OK" in result.stdout
    assert "6 content types, 7 channels, 2 locales" in result.stdout


def test_check_prints_every_problem_as_file_key_reason_and_fails(broken_model_dir: Path) -> None:
    result = run_cms(broken_model_dir, "check")

    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == sorted([UNKNOWN_TARGET_LINE, MISSING_VALUES_LINE])
    assert "model OK" not in result.stdout


def test_check_reports_a_missing_file_with_a_placeholder_key(model_dir: Path) -> None:
    (model_dir / "channels.toml").unlink()

    result = run_cms(model_dir, "check")

    assert result.returncode == 1
    assert result.stdout.splitlines() == ["channels.toml: file is missing"]


# --- cms serve ------------------------------------------------------------------------------------


def test_serve_refuses_a_broken_model_before_serving(broken_model_dir: Path) -> None:
    # a timeout, so that a regression that starts serving fails instead of hanging the suite
    result = run_cms(broken_model_dir, "serve", "--port", str(free_port()), timeout=30)

    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == sorted([UNKNOWN_TARGET_LINE, MISSING_VALUES_LINE])
    assert "GraphiQL" not in result.stdout
    assert not (broken_model_dir.parent / "cli.sqlite3").exists(), "nothing was migrated"


# --- cms schema -----------------------------------------------------------------------------------


def test_schema_check_accepts_the_committed_sdl_files(model_dir: Path) -> None:
    # given the repository, whose graphql/ holds the committed SDL of the shipped model
    result = run_cms(model_dir, "schema", "--check", cwd=REPOSITORY)

    assert (result.returncode, result.stdout) == (0, ""), "run `cms schema` and commit graphql/"


def test_schema_writes_one_sdl_file_per_channel(model_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "sdl"

    result = run_cms(model_dir, "schema", "--out", str(out))

    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{channel}.graphql" for channel in CHANNELS)
    assert "type Query" in (out / "web.graphql").read_text(encoding="utf-8")


def test_schema_check_passes_on_fresh_files_and_fails_once_one_is_edited(model_dir: Path, tmp_path: Path) -> None:
    # given freshly written SDL files
    out = tmp_path / "sdl"
    assert run_cms(model_dir, "schema", "--out", str(out)).returncode == 0
    # then they match the model
    fresh = run_cms(model_dir, "schema", "--check", "--out", str(out))
    assert (fresh.returncode, fresh.stdout) == (0, "")
    # when one is edited by hand
    kiosk = out / "kiosk.graphql"
    kiosk.write_text(kiosk.read_text(encoding="utf-8") + "\nscalar Edited\n", encoding="utf-8")
    # then the check fails and names the file
    drifted = run_cms(model_dir, "schema", "--check", "--out", str(out))
    assert drifted.returncode == 1
    assert drifted.stdout.splitlines() == [f"{kiosk} differs from the schema generated from the model"]


def test_schema_check_fails_when_a_channel_file_is_missing(model_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "sdl"
    assert run_cms(model_dir, "schema", "--out", str(out)).returncode == 0
    (out / "email.graphql").unlink()

    result = run_cms(model_dir, "schema", "--check", "--out", str(out))

    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{out / 'email.graphql'} is missing"]


# --- help -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (["--help"], ["check", "schema", "serve", "migrate", "demo", "CMS_MODEL_DIR"]),
        (["serve", "--help"], ["--demo", "--host", "--port", "--workers", "--access-log"]),
        (["check", "--help"], ["--model-dir"]),
        (["schema", "--help"], ["--check", "--out"]),
    ],
)
def test_help_lists_the_commands_and_options(model_dir: Path, args: list[str], listed: list[str]) -> None:
    result = run_cms(model_dir, *args)

    assert result.returncode == 0
    for word in listed:
        assert word in result.stdout


@pytest.mark.parametrize(("flags", "logged"), [((), False), (("--access-log",), True)])
def test_serve_logs_a_line_per_request_only_when_asked(model_dir: Path, flags: tuple[str, ...], logged: bool) -> None:
    import time
    import urllib.request

    work, port = model_dir.parent, free_port()
    env = {
        **os.environ,
        "CMS_MODEL_DIR": str(model_dir),
        "CMS_DATABASE_URL": f"sqlite:///{work}/serve.sqlite3",
        "CMS_MEDIA_ROOT": str(work / "media"),
        "CMS_GRAPHQL_DIR": str(REPOSITORY / "graphql"),
        "CMS_SCHEDULER": "false",
    }
    server = subprocess.Popen(
        [str(CMS), "serve", "--port", str(port), *flags],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # uvicorn logs requests on stdout, its own messages on stderr
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "cms serve did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert ("GET /health HTTP/1.1" in output) is logged, output
    assert "Application startup complete" in output  # the server's own messages are still there
