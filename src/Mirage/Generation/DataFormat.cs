namespace Mirage.Generation;

/// <summary>Keras's data_format: where the channel axis sits in a batch.</summary>
public enum DataFormat
{
    /// <summary>Keras <c>"channels_last"</c> (the default): a batch is (N, H, W, C), a sample (H, W, C).</summary>
    ChannelsLast,
    /// <summary>Keras <c>"channels_first"</c>: a batch is (N, C, H, W), a sample (C, H, W) (PyTorch's layout).</summary>
    ChannelsFirst,
}
