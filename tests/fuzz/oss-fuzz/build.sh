#!/bin/bash -eu
# Builds sevemu's libFuzzer targets the way OSS-Fuzz's build.sh
# contract asks: with $CC and $CFLAGS, linked with $LIB_FUZZING_ENGINE,
# each target copied to $OUT with its seed corpus
# (<target>_seed_corpus.zip) and dictionary (<target>.dict).  The build
# itself goes to $WORK.  Needs cmake, make and a clang with libFuzzer;
# nothing else (no Unicorn, Capstone or Criterion: the targets have no
# CPU).  VMM_TREE=/path/to/sys builds that tree's vmm instead of ours.
#
# OSS-Fuzz runs it as is; scripts/test and scripts/fuzz run it with
#   CC=clang CFLAGS="-fsanitize=address,undefined,fuzzer-no-link ..."
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=build-fuzz/out
#   WORK=build-fuzz
src=$(cd "$(dirname "$0")/../../.." && pwd)
: "${CC:?}" "${CFLAGS:?}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}"
work=${WORK:-$OUT/work}
mkdir -p "$OUT" "$work"

args=(-DSEVEMU_LIBFUZZER=ON -DCMAKE_C_COMPILER="$CC"
	-DCMAKE_C_FLAGS="$CFLAGS" -DSEVEMU_FUZZ_ENGINE="$LIB_FUZZING_ENGINE")
if [ -n "${VMM_TREE:-}" ]; then
	args+=(-DVMM_TREE="$VMM_TREE")
fi
cmake -S "$src" -B "$work" "${args[@]}" >/dev/null
cmake --build "$work" -j "$(nproc)"

for target in vmgexit; do
	dir=$src/tests/fuzz/$target
	cp "$work/tests/fuzz/$target/fuzz_$target" "$OUT/"
	cp "$dir/$target.dict" "$OUT/fuzz_$target.dict"
	rm -f "$OUT/fuzz_${target}_seed_corpus.zip"
	(cd "$dir/corpus" && cmake -E tar cf \
	    "$OUT/fuzz_${target}_seed_corpus.zip" --format=zip -- *)
done
