using Mirage.Data;
using Mirage.Generation;
using Mirage.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace Mirage.TorchSharp.Tests;

/// <summary>Tiny datasets and models for fast training tests.</summary>
internal static class Toy
{
    /// <summary>Two classes anyone can tell apart: dark images (class 0) and bright ones (class 1), with noise.</summary>
    public static (ImageArray X, int[] Classes) DarkAndBright(int count, int size = 8, int channels = 1, ulong seed = 7)
    {
        var random = RandomStream.For(seed, 0, 0);
        int length = size * size * channels;
        var data = new float[count * length];
        var classes = new int[count];
        for (int i = 0; i < count; i++)
        {
            classes[i] = i % 2;
            float level = classes[i] == 0 ? 0.25f : 0.75f;
            for (int k = 0; k < length; k++) data[i * length + k] = level + ((float)random.NextDouble() - 0.5f) * 0.3f;
        }
        return (new ImageArray(data, count, size, size, channels, DataFormat.ChannelsFirst), classes);
    }

    public static BatchIterator<float> Iterator(ImageArray x, int[] classes, ClassMode mode = ClassMode.Sparse, int batchSize = 8,
        int? epochs = null, bool shuffle = true, int workers = 0, DataFormat format = DataFormat.ChannelsFirst, float[]? weights = null, int classCount = 2)
    {
        var labels = LabelSet.ForClasses(mode, classes, classCount);
        if (weights is not null) labels = new LabelSet(labels.Mode, labels.Outputs, labels.ExtraInputs, weights);
        return new BatchIterator<float>(new ArraySource(x, labels), null,
            new FlowOptions { BatchSize = batchSize, Epochs = epochs, Shuffle = shuffle, Seed = 3, Workers = workers, DataFormat = format });
    }

    /// <summary>Flatten → linear: enough for dark vs bright.</summary>
    public static nn.Module<Tensor, Tensor> Linear(int inputs, int classes = 2, long seed = 1)
    {
        torch.manual_seed(seed);
        return nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(inputs, classes)));
    }
}
