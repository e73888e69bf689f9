#!/usr/bin/env bash
# The run command: install what is missing, build the Wasm client if needed, start the
# reference server serving it on loopback, and print the URL to open. Ctrl-C stops it.
#   tests/run-demo.sh [--port N] [--tls] [any other groupcall-server option]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash tests/setup.sh >/dev/null
cmake --preset web >/dev/null
cmake --build --preset web --target groupcall
www="$root/build/web/www"
[ -f "$www/groupcall.wasm" ] || { echo "run-demo: $www/groupcall.wasm was not built" >&2; exit 1; }
port=8080
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--port" ] && port=${args[$((i + 1))]}
done
mkdir -p "$root/build/demo-uploads"
echo
echo "Open http://127.0.0.1:$port/#room=1&user=1 (and #room=1&user=2 in a second tab)."
echo "Kiosk view: http://127.0.0.1:$port/#room=1&user=8&kiosk=1   Ctrl-C stops the server."
echo
exec node tests/server/bin/groupcall-server.js --host 127.0.0.1 --port "$port" --web "$www" \
  --uploads "$root/build/demo-uploads" "$@"
