#!/usr/bin/env bash
# Grades a batch offline, writes the HTML report, and screenshots it in
# headless Chromium, to check by eye that chart labels are whole (nothing
# clipped at the edges, the count over the tallest bar visible) and the
# per-answer table and sections read well.
#
# Not run in CI (CI has no Chromium); there, the unit test
# `report::html::tests::chart_labels_are_never_clipped` checks the SVG
# geometry instead.
#
# Usage: scripts/screenshot-report.sh [OUT.png] [INPUTS...]
#        (defaults: report.png, tests/fixtures/answers)
#        WIDTH=1400 HEIGHT=3000 to change the window.
# Writes OUT.png and, beside it, the report it shows (OUT.html).
# Needs chromium (Debian: apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-report.png}
shift || true
if [ "$#" -gt 0 ]; then INPUTS=("$@"); else INPUTS=(tests/fixtures/answers); fi
WIDTH=${WIDTH:-1400}
HEIGHT=${HEIGHT:-3000}
TARGET=${CARGO_TARGET_DIR:-target}

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "chromium not found: install it (Debian: apt-get install -y chromium)" >&2
    exit 2
fi

cargo build --quiet --bin mockround
BIN="$TARGET/debug/mockround"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
HTML="${OUT%.png}.html"

# Exit 1 only means some inputs could not be graded: they are in the report.
set +e
"$BIN" --backend offline grade "${INPUTS[@]}" --out "$WORK/rows.jsonl" --html "$HTML" \
    >/dev/null 2>"$WORK/grade.err"
rc=$?
set -e
grep '^warning' "$WORK/grade.err" >&2 || true
if [ "$rc" -gt 1 ]; then
    cat "$WORK/grade.err" >&2
    echo "grade failed (exit $rc)" >&2
    exit "$rc"
fi

SANDBOX=()
# Chromium refuses to run as root with its sandbox on.
if [ "$(id -u)" -eq 0 ]; then SANDBOX=(--no-sandbox); fi

"$CHROMIUM" --headless "${SANDBOX[@]}" --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$WORK/profile" --screenshot="$(realpath -m "$OUT")" \
    --window-size="$WIDTH,$HEIGHT" "file://$(realpath "$HTML")" 2>/dev/null
echo "wrote $OUT (a ${WIDTH}x${HEIGHT} screenshot of $HTML)"
