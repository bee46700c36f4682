using System.Runtime.CompilerServices;

// The leak test counts live tensors and process memory: nothing else may train in parallel.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Mirage.TorchSharp.Tests;

internal static class TorchSetup
{
    // Toy models gain nothing from intra-op threads, and on a busy 2-core machine OpenMP's spinning threads cost 10×.
    [ModuleInitializer]
    internal static void OneThread() => global::TorchSharp.torch.set_num_threads(1);
}
