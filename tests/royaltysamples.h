// SPDX-License-Identifier: GPL-3.0-or-later
// The register the royalties' tests distribute over, computed by hand in tst_royaltycli: two songs
// (one co-owned), and a remix of one under a 25 % absolute licence.
#pragma once

namespace cartulary::testutil {

/** `apply` commands: SONG-1 (Lumen Music 60 %, Ana Costa 40 %, ISRC PTXYZ2600001), SONG-2 (Rui
 * Lopes), REMIX-1 (DJ Kai) derived from SONG-1 under LIC-R (25 %, absolute). */
inline constexpr char RoyaltyRegister[] =
    R"jsonl({"command":"register-asset","reference":"SONG-1","title":"Northern Lights","type":"copyright","status":"registered","owners":"Lumen Music:6000;Ana Costa:4000","creators":["Ana Costa"],"identifiers":[{"scheme":"ISRC","value":"PTXYZ2600001"}]}
{"command":"register-asset","reference":"SONG-2","title":"Fado do Porto","type":"copyright","status":"registered","owners":"Rui Lopes:10000","creators":["Rui Lopes"]}
{"command":"register-asset","reference":"REMIX-1","title":"Northern Lights (Remix)","type":"copyright","status":"registered","owners":"DJ Kai:10000","creators":["Kai"]}
{"command":"grant-licence","reference":"LIC-R","title":"Remix licence","asset":"SONG-1","licensor":"Lumen Music","licensee":"DJ Kai","granted":"2026-01-01","royalty":"25%","policy":"absolute"}
{"command":"record-derivation","child":"REMIX-1","parents":[{"asset":"SONG-1","licence":"LIC-R"}],"kind":"remix","date":"2026-02-01"}
)jsonl";

} // namespace cartulary::testutil
