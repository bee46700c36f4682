using TorchSharp;
using static TorchSharp.torch;

namespace Mirage.TorchSharp;

/// <summary>A loss per sample: model output [N, ...] and targets → losses [N] (the trainer weights and averages them).</summary>
public delegate Tensor LossFunction(Tensor output, Tensor target);

/// <summary>Per-sample losses for <see cref="FitOptions"/> (class and sample weights are applied by the trainer).</summary>
public static class Losses
{
    /// <summary>Softmax cross-entropy on logits [N, K]. Targets: int64 class indices [N], float class indices [N], or
    /// float one-hot / probability rows [N, K] (Keras's categorical_crossentropy).</summary>
    public static readonly LossFunction CrossEntropy = (output, target) =>
    {
        if (target.dim() == 1 && target.dtype != ScalarType.Int64)
        {
            using var indices = target.to_type(ScalarType.Int64);
            return nn.functional.cross_entropy(output, indices, reduction: nn.Reduction.None);
        }
        return nn.functional.cross_entropy(output, target, reduction: nn.Reduction.None);
    };

    /// <summary>Sigmoid + binary cross-entropy on logits [N] or [N, 1] (or [N, K] multi-label); targets 0/1 floats.</summary>
    public static readonly LossFunction BinaryCrossEntropy = (output, target) =>
    {
        using var t = target.to_type(ScalarType.Float32).reshape(output.shape);
        using var l = nn.functional.binary_cross_entropy_with_logits(output, t, reduction: nn.Reduction.None);
        return l.dim() == 1 ? l.alias() : l.reshape(l.shape[0], -1).mean([1]);
    };

    /// <summary>Squared error averaged over each sample's values.</summary>
    public static readonly LossFunction MeanSquaredError = (output, target) =>
    {
        using var t = target.to_type(output.dtype).reshape(output.shape);
        using var l = nn.functional.mse_loss(output, t, reduction: nn.Reduction.None);
        return l.dim() == 1 ? l.alias() : l.reshape(l.shape[0], -1).mean([1]);
    };
}
