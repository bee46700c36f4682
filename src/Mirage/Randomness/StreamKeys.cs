namespace Mirage.Randomness;

/// <summary>
/// The one place that turns a seed and a purpose into a <see cref="RandomStream"/>. Every random stream Mirage draws
/// from is named here, so two purposes cannot share draws by accident and a new one has to pick a key next to the others.
/// <para>The keys reproduce the derivations that existed before this class, bit for bit (pinned orders and outputs depend
/// on them): each is <see cref="RandomStream.For"/>(seed', a, b) with the (a, b) pairs kept apart as follows — samples
/// use epoch ≥ 0 and index ≥ 0; the epoch shuffle index −1; the validation split epoch −2; save_to_dir names a salted
/// seed.</para>
/// </summary>
internal static class StreamKeys
{
    /// <summary>Salt of the save_to_dir name stream ("SAVEHASH").</summary>
    private const ulong SaveNameSalt = 0x5341564548415348UL;
    private const long ShuffleIndex = -1;
    private const long SplitEpoch = -2;

    /// <summary>Sample <paramref name="index"/>'s augmentation in <paramref name="epoch"/> (also Fit's round r, where the
    /// round is the epoch, and a preview's cell i, epoch 0).</summary>
    public static RandomStream Sample(ulong seed, long epoch, long index) => RandomStream.For(seed, epoch, index);

    /// <summary>The order in which <paramref name="epoch"/> visits the dataset (<see cref="Permutation"/>).</summary>
    public static RandomStream EpochShuffle(ulong seed, long epoch) => RandomStream.For(seed, epoch, ShuffleIndex);

    /// <summary>A shuffled validation split's pick; <paramref name="stream"/> tells apart picks under one seed (a folder's class).</summary>
    public static RandomStream ValidationSplit(ulong seed, long stream) => RandomStream.For(seed, SplitEpoch, stream);

    /// <summary>The hash in save_to_dir's file name of sample <paramref name="index"/> in <paramref name="epoch"/>.</summary>
    public static RandomStream SaveName(ulong seed, long epoch, long index) => RandomStream.For(seed ^ SaveNameSalt, epoch, index);

    /// <summary>Variant <paramref name="variant"/> of a source file in <c>mirage augment</c>, the file named by the stable
    /// id of its relative path (its top 63 bits are the index, so it is never negative).</summary>
    /// <remarks>Shares <see cref="Sample"/>'s key space (variant as the epoch); an augment run and a flow under one seed
    /// coincide only if a path's 63-bit id equals a dataset position, which the hash makes negligible.</remarks>
    public static RandomStream AugmentVariant(ulong seed, int variant, ulong pathId) => RandomStream.For(seed, variant, (long)(pathId >> 1));

    /// <summary>An experiment's per-class pick (Mirage.TorchSharp's few-shot subsets) of class <paramref name="classIndex"/>.</summary>
    /// <remarks>Kept on the sample convention (epoch 0, index = class) for the subsets already recorded; experiments
    /// use their own seed.</remarks>
    public static RandomStream ExperimentClassPick(ulong seed, int classIndex) => RandomStream.For(seed, 0, classIndex);
}
