// SPDX-License-Identifier: GPL-3.0-or-later
// signCommands: compile and append in the writer's one transaction; the outcome comes back queued.
#include "model/ui/signing.h"

#include "model/ui/session.h"

namespace cartulary::model {

void signCommands(Session &session, CompileCommands compile,
                  std::function<void(const SignedEntries &)> done)
{
    auto result = std::make_shared<SignedEntries>(Error{"not-run", QStringLiteral("not run")});
    session.post(
        [compile = std::move(compile), result](Workspace &ws) {
            CommandCompiler compiler(ws.store().database(), ws.organisationName());
            auto drafts = compile(compiler);
            if (!drafts) {
                *result = drafts.error();
                return;
            }
            *result = ws.append(drafts.value());
        },
        [done = std::move(done), result] { done(*result); });
}

CompileCommands oneCommand(const QJsonObject &command)
{
    return [command](CommandCompiler &compiler) -> Result<QList<ledger::Draft>> {
        auto draft = compiler.compile(command);
        if (!draft)
            return draft.error();
        return QList<ledger::Draft>{draft.value()};
    };
}

} // namespace cartulary::model
