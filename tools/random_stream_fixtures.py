#!/usr/bin/env python3
"""Reference values for tests/Mirage.Tests/Randomness/RandomStreamTests.cs.

SplitMix64 as published by Sebastiano Vigna (https://prng.di.unimi.it/splitmix64.c): state += golden gamma, then the
mix (xor-shift 30, multiply, xor-shift 27, multiply, xor-shift 31). Written here from the C reference, independently
of Mirage's C#; the inverse mix builds seeds whose first draw is a chosen value, to hit NextInt's rejection edge.
Run: /usr/bin/python3 tools/random_stream_fixtures.py  (prints the C# constants the test holds).
"""
M = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
C1, C2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def mix(z):
    z = ((z ^ (z >> 30)) * C1) & M
    z = ((z ^ (z >> 27)) * C2) & M
    return z ^ (z >> 31)


def unxorshift(z, s):
    x = z
    for _ in range(64 // s + 1):
        x = z ^ (x >> s)
    return x


def unmix(z):
    z = unxorshift(z, 31)
    z = (z * pow(C2, -1, 1 << 64)) & M
    z = unxorshift(z, 27)
    z = (z * pow(C1, -1, 1 << 64)) & M
    return unxorshift(z, 30)


def draws(state, n):
    out = []
    for _ in range(n):
        state = (state + GAMMA) & M
        out.append(mix(state))
    return out


def seed_whose_first_draw_is(value):
    """new RandomStream(seed) sets state = mix(seed ^ GAMMA); the first draw is mix(state + GAMMA)."""
    state = (unmix(value) - GAMMA) & M
    return unmix(state) ^ GAMMA


for v in range(1 << 12):
    assert unmix(mix(v * 0x1234567)) == (v * 0x1234567) & M
print("// default(RandomStream) = SplitMix64 with state 0:")
print("DefaultDraws = [" + ", ".join(f"0x{d:016X}UL" for d in draws(0, 5)) + "]")
print("// new RandomStream(42): state = mix(42 ^ gamma):")
print("Seed42Draws = [" + ", ".join(f"0x{d:016X}UL" for d in draws(mix(42 ^ GAMMA), 5)) + "]")

# NextInt(n) rejects draws below threshold = (2^64 - n) mod n. Edge cases for n = 7 (threshold 2): a first draw equal
# to the threshold is accepted (2 % 7 = 2); a first draw below it (0) is rejected and the next draw decides.
n = 7
t = ((1 << 64) - n) % n
for value in (t, 0):
    s = seed_whose_first_draw_is(value)
    first, second = draws(mix(s ^ GAMMA), 2)
    result = first % n if first >= t else second % n
    print(f"// NextInt({n}), threshold {t}: seed whose first draw is {value}; second draw % {n} = {second % n}; NextInt returns {result}")
    print(f"SeedFirstDraw{value}For{n} = 0x{s:016X}UL")
