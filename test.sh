#!/usr/bin/env bash
# Run the whole test suite (set-up first, quick when already done). Extra arguments go to
# pytest, e.g. ./test.sh tests/ita -k scoring -x. DATABASE_URL=postgres://... runs it on
# PostgreSQL.
set -euo pipefail

cd "$(dirname "$0")"
scripts/setup.sh

# Which database, without any password in the URL.
echo "[test] Database: $(printf '%s' "${DATABASE_URL:-SQLite (default; tests use an in-memory database)}" | sed -E 's#//([^:@/]+):[^@/]*@#//\1:***@#')"
# One test process per CPU (pytest-xdist); TEST_WORKERS=0 runs everything in this process,
# e.g. to use a debugger.
status=0
.venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" "$@" || status=$?
if [ "$status" -eq 5 ]; then
    # pytest's 5 means the selection matched no test: not a failure of the code, but nothing
    # was checked either, so say it where nobody can miss it.
    echo "[test] ******************************************************************"
    echo "[test] NO TESTS COLLECTED: pytest selected no test, so nothing was checked."
    echo "[test] ******************************************************************"
    exit 0
fi
exit "$status"
