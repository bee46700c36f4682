using TorchSharp;
using static TorchSharp.torch;

namespace Mirage.TorchSharp.Experiments;

/// <summary>
/// The experiment's fixed small CNN: conv 32 3×3 → ReLU → conv 64 3×3 → ReLU → max-pool 2 → dropout 0.25 →
/// dense 128 → ReLU → dropout 0.25 → dense classes (the shape of the peers' fmnist_anchor.py PyTorch net).
/// </summary>
public static class SmallCnn
{
    /// <summary>A fresh, randomly initialised network for <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> inputs and <paramref name="classes"/> output logits.</summary>
    public static nn.Module<Tensor, Tensor> Create(int channels, int height, int width, int classes)
    {
        if (height < 6 || width < 6)
            throw new ArgumentException($"The small CNN needs images of at least 6×6 (two 3×3 convolutions and a 2×2 pool); got {height}×{width}.");
        long features = 64L * ((height - 4) / 2) * ((width - 4) / 2);
        return nn.Sequential(
            ("conv1", nn.Conv2d(channels, 32, 3)), ("relu1", nn.ReLU()),
            ("conv2", nn.Conv2d(32, 64, 3)), ("relu2", nn.ReLU()),
            ("pool", nn.MaxPool2d(2)), ("drop1", nn.Dropout(0.25)),
            ("flatten", nn.Flatten()),
            ("dense1", nn.Linear(features, 128)), ("relu3", nn.ReLU()), ("drop2", nn.Dropout(0.25)),
            ("dense2", nn.Linear(128, classes)));
    }
}
