#!/bin/sh
# Builds the libFuzzer target for MeshTransport packet decoding into FuzzTesting/.build/.
# The decoding sources are compiled into one module with the fuzzer and AddressSanitizer;
# `import MeshplayCore` is dropped because the MeshplayCore files are compiled in.
set -eu
cd "$(dirname "$0")"
mkdir -p .build/src
rm -f .build/src/*.swift
for file in \
    ../Sources/MeshplayCore/ByteReader.swift \
    ../Sources/MeshplayCore/ByteWriter.swift \
    ../Sources/MeshplayCore/CanonicalEncoder.swift \
    ../Sources/MeshTransport/PacketHeader.swift \
    ../Sources/MeshTransport/Frames.swift \
    ../Sources/MeshTransport/HandshakeMessages.swift \
    ../Sources/MeshTransport/ReplayWindow.swift \
    ../Sources/MeshTransport/ReliableReceiver.swift \
    ../Sources/MeshTransport/ReliableWindow.swift \
    ../Sources/MeshTransport/PacketFuzzing.swift
do
    sed '/^import MeshplayCore$/d' "$file" > ".build/src/$(basename "$file")"
done
swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name MeshTransportFuzz \
    .build/src/*.swift FuzzPacketDecoding.swift \
    -o .build/fuzz-packet-decoding
echo "built FuzzTesting/.build/fuzz-packet-decoding"
