# The one pinned nightly toolchain, sourced by every script that needs one
# (Miri, the ThreadSanitizer build's -Zbuild-std, cargo-fuzz) and read by
# CMakeLists.txt for the TSan build. A dated nightly, so that a new nightly
# cannot break Miri, -Zbuild-std or the fuzz build on a day when nothing in
# the project changed.
#
# To move it: pick a newer date whose nightly has Miri (the rustup
# components history lists them), change the line below, run
# `bash scripts/test.sh` and `bash scripts/fuzz.sh`, and commit.
BYTES_NIGHTLY=nightly-2026-05-20
