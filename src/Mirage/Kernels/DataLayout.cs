namespace Mirage.Kernels;

/// <summary>How a float tensor lays out an image's values: Keras's data_format.</summary>
public enum DataLayout
{
    /// <summary>height × width × channels (HWC, Keras's channels_last, TensorFlow's default).</summary>
    ChannelsLast,
    /// <summary>channels × height × width (CHW, Keras's channels_first, PyTorch's layout).</summary>
    ChannelsFirst,
}
