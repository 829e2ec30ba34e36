#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks check_prov.py against the PROV-JSON samples: the valid one passes, each invalid one fails for its one stated reason.
# Usage: check_prov_samples.sh PYTHON3 CHECK_PROV_PY DATA_DIR
set -uo pipefail

python=$1 checker=$2 data=$3
schema="$data/prov-json.schema.json"

# Each invalid sample has exactly one defect; this is the text its one problem line must contain.
declare -A expected=(
    [invalid-dangling-derivation.json]="'cartulary:asset/GX-2024-0009' is not a declared entity"
    [invalid-typed-literal-value.json]="schema: {'\$': 1099511627776, 'type': 'xsd:long'} is not valid under any of the given schemas (1099511627776 is not of type 'string'"
    [invalid-undeclared-prefix.json]="attribute 'dcterms:title' uses undeclared prefix 'dcterms'"
)

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

out=$("$python" "$checker" "$schema" "$data/valid-lineage.json")
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "valid-lineage.json was rejected (exit $rc)"

invalid=("$data"/invalid-*.json)
[ -e "${invalid[0]}" ] || { fail "no invalid-*.json samples in $data"; invalid=(); }
if [ ${#invalid[@]} -gt 0 ]; then
    out=$("$python" "$checker" "$schema" "${invalid[@]}")
    rc=$?
    echo "$out"
    [ "$rc" -eq 1 ] || fail "the invalid samples did not make check_prov.py exit 1 (exit $rc)"
    for file in "${invalid[@]}"; do
        name=$(basename "$file")
        want=${expected[$name]:-}
        if [ -z "$want" ]; then
            fail "$name has no expected problem in check_prov_samples.sh"
            continue
        fi
        lines=$(grep -F -- "$file: " <<<"$out")
        count=$(grep -c . <<<"$lines")
        if grep -qx -F -- "$file: valid" <<<"$lines"; then
            fail "$name was accepted"
        elif [ "$count" -ne 1 ]; then
            fail "$name: expected exactly one problem, got $count"
        elif ! grep -q -F -- "$want" <<<"$lines"; then
            fail "$name: its problem is not the expected one: $want"
        fi
    done
fi

if [ "$failures" -ne 0 ]; then
    echo "prov samples: $failures problem(s)"
    exit 1
fi
echo "prov samples: valid sample accepted, ${#invalid[@]} invalid samples rejected for their stated reasons"
