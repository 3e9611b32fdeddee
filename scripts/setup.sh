#!/usr/bin/env bash
# Set up a working copy: Debian packages the app and its tests need, the .venv with the
# project and its dev tools, and the compiled Thai catalogue. Shared by run.sh, test.sh and
# .ci/run; safe to run again, and quick when nothing changed.
#
#   ITA_SKIP_APT=1   skip the Debian packages (for machines you do not administer)
#   PYTHON=python3.12   which Python creates .venv (3.11 or newer)
set -euo pipefail

cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
# chromium: browser tests (Playwright drives /usr/bin/chromium); poppler-utils: PDF checks
# (pdftoppm, pdffonts, pdftotext); gettext: compilemessages; fonts-thai-tlwg: Thai glyphs in
# PDFs and screenshots; libpango*: WeasyPrint; wrk: bench/bench_throughput.py; nginx: the
# proxy tests and bench/slow_clients.py start their own nginx on loopback ports (the Debian
# service itself is not used); libreoffice-writer-nogui: tests/documents/test_docx_libreoffice.py
# converts the DOCX files to PDF headless and counts their pages; libcairo2: CairoSVG draws
# the DOCX charts.
missing_packages() {
    command -v chromium >/dev/null 2>&1 || echo chromium
    command -v pdftoppm >/dev/null 2>&1 || echo poppler-utils
    command -v msgfmt >/dev/null 2>&1 || echo gettext
    command -v wrk >/dev/null 2>&1 || echo wrk
    command -v soffice >/dev/null 2>&1 || echo libreoffice-writer-nogui
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || echo nginx
    if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=th family 2>/dev/null)" ]; then
        echo fonts-thai-tlwg
    fi
    if command -v ldconfig >/dev/null 2>&1; then
        ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || echo libpango-1.0-0
        ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || echo libpangoft2-1.0-0
        ldconfig -p 2>/dev/null | grep -q 'libcairo.so.2' || echo libcairo2
    fi
}

install_system_packages() {
    local packages
    packages=$(missing_packages | tr '\n' ' ')
    packages=${packages% }
    [ -z "$packages" ] && return 0
    if [ "${ITA_SKIP_APT:-0}" = 1 ]; then
        say "ITA_SKIP_APT=1: not installing $packages (browser/PDF tests may fail without them)."
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            say "Missing Debian packages: $packages"
            say "Not root and no password-less sudo, so not installing them. Please run:"
            say "  sudo apt-get update && sudo apt-get install -y $packages"
            say "The app runs without them; browser and PDF tests and compilemessages need them."
            return 0
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        say "Missing packages: $packages (no apt-get here: install them with your package manager)."
        return 0
    fi
    say "Installing Debian packages: $packages"
    # Another apt run (another terminal, unattended-upgrades) may hold the lock for a while.
    local apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
    "${apt[@]}" update -qq
    # shellcheck disable=SC2086  # the package list is meant to split into words
    "${apt[@]}" install -y -qq $packages
}

# --- Python --------------------------------------------------------------------------------
ensure_venv() {
    if [ ! -x .venv/bin/python ]; then
        local python=${PYTHON:-python3}
        if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            say "$python is missing or older than 3.11; set PYTHON=/path/to/python3.11 and retry."
            exit 1
        fi
        say "Creating .venv with $("$python" --version)"
        "$python" -m venv .venv
    fi
    # Reinstall only when the dependency lists changed since the last install.
    local stamp=.venv/.ita-installed
    local wanted
    wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        say "Installing the project and its dev tools into .venv (pip install -e '.[dev]')"
        .venv/bin/python -m pip install --quiet -e '.[dev]'
        echo "$wanted" >"$stamp"
    fi
}

compile_messages() {
    # .mo files are not committed; Django skips catalogues whose .mo is already newer.
    if ! command -v msgfmt >/dev/null 2>&1; then
        say "msgfmt (Debian package gettext) is missing: not compiling translations, so the"
        say "app shows English and the tests that check Thai text fail until it is installed."
        return 0
    fi
    .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
}

install_system_packages
ensure_venv
compile_messages
say "Ready."
