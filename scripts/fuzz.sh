#!/usr/bin/env bash
# Seeded mutation fuzzing of the log readers, config parser, JSON parser, both wire
# decoders, the sessions they feed and headless stdin (see docs/reliability.md). Seeds are real inputs: fresh demo logs, the example and
# documented configs, and the protocol test-vector frames from the codec tests.
# Usage: scripts/fuzz.sh [ITERATIONS] [TARGET...]   (default 1000000; all targets)
#        FUZZ_BUILD=debug reuses the debug build (about 10x slower per input); FUZZ_SEED=S.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations="${1:-1000000}"; shift || true
targets=("${@:-json elevenlabs openai config log elevenlabs-session openai-session headless}")
export SWIFT_BACKTRACE=enable=yes,interactive=no
build="${FUZZ_BUILD:-release}"
swift build -c "$build" --product convtui
swift build -c "$build" --product convtui-fuzz
bin="$(swift build -c "$build" --show-bin-path)"

corpus="$(mktemp -d)"; trap 'rm -rf "$corpus"' EXIT
"$bin/convtui" demo --headless --sessions 5 --seed 3 --pace 0.1 --duration 4 --record-dir "$corpus" </dev/null >/dev/null 2>&1
cp examples/*.toml "$corpus/"
awk '/^```toml/{n++; on=1; next} /^```/{on=0} on{print > "'"$corpus"'/config-doc-" n ".toml"}' docs/config.md
# Every frame literal #"{...}"# in the codec tests (without string interpolation) is a test vector.
grep -ho '#"{.*}"#' Tests/ConvEngineTests/Backends/*CodecTests.swift | grep -v '\\#(' \
  | sed -e 's/^#"//' -e 's/"#$//' | awk -v d="$corpus" '{f=sprintf("%s/frame-%03d.json", d, NR); print > f; close(f)}'
# Headless stdin: the commands the README documents, with hostile selectors beside them.
grep -o '^| `[a-z][^`]*`' README.md | sed -e 's/^| `//' -e 's/`$//' -e 's/ N / 1 /; s/ N$/ 1/' >"$corpus/headless-readme.txt"
printf 'send "a b" hi\nsnapshot -9223372036854775808\nSTOP   2\nhelp\n' >"$corpus/headless-hostile.txt"
echo "corpus: $(ls "$corpus" | wc -l) files in $corpus"

seed="${FUZZ_SEED:-1}"
for target in ${targets[@]}; do
  if ! "$bin/convtui-fuzz" "$target" --corpus "$corpus" --iterations "$iterations" --seed "$seed" --progress "$corpus/progress"; then
    index="$(od -An -tu8 "$corpus/progress" | tr -d ' ')"
    "$bin/convtui-fuzz" "$target" --corpus "$corpus" --seed "$seed" --only "$index" --dump "crasher-$target-$index.bin"
    echo "FAILED: $target input $index (seed $seed), saved as crasher-$target-$index.bin" >&2
    exit 1
  fi
done
