#!/usr/bin/env bash
# Installs the reference MCP servers for the tests: `npm ci` from tests/mcp's lock file into a
# directory of the build (once; again only when the lock file changes). Without node and npm it
# says so and succeeds: the tests that need the servers then skip themselves.
#
# usage: setup_servers.sh SOURCE_DIR (tests/mcp) DEST_DIR
set -euo pipefail
src="${1:?usage: $0 tests/mcp-dir dest-dir}"
dest="${2:?usage: $0 tests/mcp-dir dest-dir}"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIPPED: node and npm are not installed, so the tests against the reference MCP servers are skipped (Node 20 and npm run them; scripts/setup says how to get them)"
  exit 0
fi
stamp="$dest/.installed-lock.json"
if [ -f "$stamp" ] && cmp -s "$src/package-lock.json" "$stamp" \
   && [ -d "$dest/node_modules/@modelcontextprotocol/server-everything" ]; then
  echo "the reference MCP servers are installed ($dest)"
  exit 0
fi
mkdir -p "$dest"
cp "$src/package.json" "$src/package-lock.json" "$dest/"
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
cp "$src/package-lock.json" "$stamp"
echo "installed the reference MCP servers into $dest"
