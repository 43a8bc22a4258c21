"""What is committed works on any machine: no symlinks, no absolute paths of the machine it was written on.

A committed symlink to a temporary directory (.venv-load) dangled on every fresh clone and broke the load test.
The checks read git's own view of the tracked files, so they need a git checkout, which CI always is.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Absolute paths into a machine's temporary or home directories, not preceded by a character that would make them
# part of a longer path or a URL (".../x/tmp/" or "example.org/home/" do not count). POSIX ERE for git grep.
MACHINE_PATH = r"(^|[^A-Za-z0-9_.])/(tmp|root|home)/"
# Lock files carry hashes and URLs; vendored files are kept as their authors published them.
EXCLUDED = [":!*.lock", ":!static/vendor"]


def _git(*args: str, ok_codes: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode in ok_codes, f"git {' '.join(args)} failed ({result.returncode}): {result.stderr}"
    return result


def test_no_tracked_file_is_a_symlink():
    # git ls-files -s: "<mode> <object> <stage>\t<path>"; mode 120000 is a symbolic link.
    entries = _git("ls-files", "-s", "-z").stdout.split("\0")
    symlinks = [entry.split("\t", 1)[1] for entry in entries if entry.startswith("120000 ")]
    assert symlinks == [], f"symlinks are tracked, which point nowhere on another machine: {symlinks}"


def test_no_tracked_text_file_contains_an_absolute_machine_path():
    # -I skips binary files; exit code 1 means no match, 0 means matches, anything else is an error.
    result = _git("grep", "-nIE", MACHINE_PATH, "--", *EXCLUDED, ok_codes=(0, 1))
    assert result.returncode == 1, (
        "tracked files name a directory of one machine; say 'a temporary directory' or use a relative path:\n"
        + result.stdout
    )
