namespace Mirage.Generation;

/// <summary>Keras's data_format: where the channel axis sits in a batch.</summary>
public enum DataFormat
{
    ChannelsLast,
    ChannelsFirst,
}
