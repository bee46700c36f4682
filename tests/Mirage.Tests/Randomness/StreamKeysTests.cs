using Mirage.Data;
using Mirage.Randomness;

namespace Mirage.Tests.Randomness;

/// <summary>
/// <see cref="StreamKeys"/> is the one place streams are derived: its keys must be the derivations that the pinned
/// outputs and orders were made with (written out here literally, as they stood before the keys were gathered), and
/// the named streams must not share draws.
/// </summary>
public class StreamKeysTests
{
    private static ulong First(RandomStream r) => r.NextUInt64();

    [Theory]
    [InlineData(0UL)]
    [InlineData(42UL)]
    [InlineData(ulong.MaxValue)]
    public void KeysAreTheFormerDerivationsBitForBit(ulong seed)
    {
        for (int epoch = 0; epoch < 3; epoch++)
            for (int index = 0; index < 5; index++)
            {
                Assert.Equal(First(RandomStream.For(seed, epoch, index)), First(StreamKeys.Sample(seed, epoch, index)));
                Assert.Equal(First(RandomStream.For(seed ^ 0x5341564548415348UL, epoch, index)), First(StreamKeys.SaveName(seed, epoch, index)));
                Assert.Equal(First(RandomStream.For(seed, 0, index)), First(StreamKeys.ExperimentClassPick(seed, index)));
            }
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Equal(First(RandomStream.For(seed, epoch, -1)), First(StreamKeys.EpochShuffle(seed, epoch)));
        for (int stream = 0; stream < 3; stream++)
            Assert.Equal(First(RandomStream.For(seed, -2, stream)), First(StreamKeys.ValidationSplit(seed, stream)));
        ulong id = AugmentRunner.StableId("cats/001.jpg");
        Assert.Equal(First(RandomStream.For(seed, 2, (long)(id >> 1))), First(StreamKeys.AugmentVariant(seed, 2, id)));
    }

    [Fact]
    public void NamedStreamsUnderOneSeedNeverShareTheirFirstDraw()
    {
        const ulong seed = 7;
        var draws = new Dictionary<ulong, string>();
        void Add(string name, RandomStream r)
        {
            ulong d = First(r);
            Assert.False(draws.TryGetValue(d, out var other), $"{name} draws what {other} draws");
            draws[d] = name;
        }
        for (int epoch = 0; epoch < 8; epoch++)
        {
            Add($"shuffle({epoch})", StreamKeys.EpochShuffle(seed, epoch));
            Add($"split({epoch})", StreamKeys.ValidationSplit(seed, epoch));
            for (int index = 0; index < 200; index++)
            {
                Add($"sample({epoch}, {index})", StreamKeys.Sample(seed, epoch, index));
                Add($"save name({epoch}, {index})", StreamKeys.SaveName(seed, epoch, index));
                Add($"augment variant({epoch}, file {index})", StreamKeys.AugmentVariant(seed, epoch, AugmentRunner.StableId($"class/{index}.png")));
            }
        }
        Assert.Equal(8 * 2 + 8 * 200 * 3, draws.Count);
    }
}
