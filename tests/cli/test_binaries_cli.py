"""What each binary holds, as a user and a developer run them: `reprise` is the product, without the test fakes or
benchmark drivers; `reprise-dev` holds the development tools; `reprise serve` takes its settings as flags."""
import os
import shutil
import subprocess

import pytest

BINARY = os.environ.get("REPRISE_BINARY", ".build/debug/reprise")
DEV_BINARY = os.environ.get("REPRISE_DEV_BINARY", os.path.join(os.path.dirname(BINARY), "reprise-dev"))


def run(binary, *arguments):
    return subprocess.run([binary, *arguments], capture_output=True, text=True, timeout=60)


def test_reprise_has_no_development_commands():
    help_text = run(BINARY, "--help").stdout
    for command in ["serve", "analyze", "plan", "export-finetune", "model", "eval-semantic", "demo"]:
        assert f"  {command}" in help_text
    assert "fake-upstream" not in help_text
    for arguments in [("fake-upstream",), ("model", "bench")]:
        result = run(BINARY, *arguments)
        assert result.returncode != 0, arguments


@pytest.mark.skipif(shutil.which("nm") is None, reason="nm (binutils) reads the binary's symbols")
def test_reprise_links_neither_the_test_fakes_nor_the_benchmark_drivers():
    symbols = subprocess.run(["nm", BINARY], capture_output=True, text=True, timeout=120).stdout
    assert "14RepriseTesting" not in symbols
    assert "19RepriseBenchmarking" not in symbols
    assert "13RepriseServer" in symbols, "the composition root is linked (the check reads real symbols)"


def test_reprise_dev_holds_the_development_tools():
    help_text = run(DEV_BINARY, "--help").stdout
    for command in ["fake-upstream", "bench-model", "settings-reference"]:
        assert command in help_text


def test_the_settings_reference_is_up_to_date():
    result = run(DEV_BINARY, "settings-reference", "docs/configuration.md", "--check")
    assert result.returncode == 0, result.stderr + result.stdout


def test_serve_help_lists_the_setting_flags_and_refuses_unknown_ones():
    help_text = run(BINARY, "serve", "--help").stdout
    for flag in ["--port", "--store", "--shadow", "--log-level", "--builtin-model", "--state-dir"]:
        assert flag in help_text
    result = run(BINARY, "serve", "--prot", "9000")
    assert result.returncode != 0
    assert "--prot" in result.stderr and "did you mean --port?" in result.stderr
