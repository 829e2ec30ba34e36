#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The layering check passes on the source tree and refuses each kind of violation it guards against.
# Usage: check_layers_test.sh CHECKER SOURCE_ROOT
set -uo pipefail
checker=$1
source_root=$2
fail=0

if ! "$checker" "$source_root"; then
    echo "FAIL: the source tree violates its layers (see above)"
    fail=1
fi

# must_refuse NAME FILE CONTENT: a tree holding only FILE with CONTENT must be refused.
must_refuse() {
    local name=$1 file=$2 content=$3 tree
    tree=$(mktemp -d)
    mkdir -p "$tree/ledger" "$tree/model/ui" "$tree/qml" "$(dirname "$tree/$file")"
    printf '%s\n' "$content" >"$tree/$file"
    local out
    if out=$("$checker" "$tree" 2>&1); then
        echo "FAIL: $name was not refused"
        fail=1
    elif ! grep -q "$file:1:" <<<"$out"; then
        echo "FAIL: $name was refused without naming $file:1"
        fail=1
    fi
    rm -rf "$tree"
}

must_refuse "ledger including model" ledger/logstore.cpp '#include "model/portfolio/asset.h"'
must_refuse "ledger including Qt Quick" ledger/x.cpp '#include <QQuickItem>'
must_refuse "model including qml" model/portfolio/x.cpp '#include "qml/items/edgelayer.h"'
must_refuse "model including app" model/io/x.cpp '#include "app/cli.h"'
must_refuse "QtQml outside model/ui" model/lineage/x.h '#include <QQmlEngine>'
must_refuse "QML_ELEMENT outside model/ui" model/royalties/x.h '    QML_ELEMENT'
must_refuse "core including portfolio" model/core/x.cpp '#include "model/portfolio/asset.h"'
must_refuse "portfolio including workspace" model/portfolio/documents.h '#include "model/workspace/workspace.h"'
must_refuse "lineage including io" model/lineage/x.cpp '#include "model/io/demo.h"'
must_refuse "workspace including ui" model/workspace/x.cpp '#include "model/ui/session.h"'
must_refuse "io including ui" model/io/x.cpp '#include "model/ui/labels.h"'
must_refuse "royalties including workspace" model/royalties/x.cpp '#include "model/workspace/workspace.h"'
must_refuse "lineage including royalties" model/lineage/x.cpp '#include "model/royalties/runs.h"'
must_refuse "SQL in QML" qml/Page.qml '    property string q: "SELECT id FROM assets"'
must_refuse "SQL in app" app/cli.cpp '    auto st = db.prepare("SELECT id FROM licences");'

# What model/ui may do is not refused.
tree=$(mktemp -d)
mkdir -p "$tree/ledger" "$tree/model/ui" "$tree/qml"
printf '#include <QQmlEngine>\n    QML_ELEMENT\n' >"$tree/model/ui/x.h"
if ! "$checker" "$tree"; then
    echo "FAIL: model/ui may use QtQml"
    fail=1
fi
rm -rf "$tree"

[ $fail -eq 0 ] && echo "check-layers: ok"
exit $fail
