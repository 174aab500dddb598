# Sourced by the scripts that run clients against a loopback `convtui sim-server`.
#
#   start_sim_server BIN [sim-server options…]
#
# Makes a work directory ($work), picks a free port ($port), starts the server ($server_pid)
# with its log in $work/server.log, waits until it listens, and stops it and removes $work
# on exit.

start_sim_server() {
    local bin="$1"
    shift
    work="$(mktemp -d /tmp/convtui-sim-XXXXXX)"
    server_pid=""
    trap 'if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "$bin" sim-server --port "$port" "$@" 2>"$work/server.log" &
    server_pid=$!
    for _ in $(seq 100); do
        grep -qs listening "$work/server.log" && break
        sleep 0.1
    done
    grep -q listening "$work/server.log" || { cat "$work/server.log" >&2; echo "sim-server did not start" >&2; exit 1; }
}
